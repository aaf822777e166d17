import { describe, expect, it } from 'vitest';
import {
  areaFullName,
  countiesOf,
  findArea,
  isCountyLevelCode,
  isKnownAreaCode,
  listAreas,
} from '../../src/domain/areas';

describe('areas', () => {
  it('lists provinces, cities and counties with six-digit codes, sorted and unique', () => {
    const areas = listAreas();
    const codes = areas.map((a) => a.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(codes);
    for (const a of areas) expect(a.code).toMatch(/^\d{6}$/);
    expect(areas.filter((a) => a.level === 'province')).toHaveLength(31);
    expect(areas.find((a) => a.name === '市辖区')).toBeUndefined();
    expect(areas.find((a) => a.name.includes('直辖县级行政区划'))).toBeUndefined();
  });

  it('finds Fujian, Fuzhou and Gulou with their parents', () => {
    expect(findArea('350000')).toEqual({ code: '350000', name: '福建省', level: 'province', parentCode: null });
    expect(findArea('350100')).toEqual({ code: '350100', name: '福州市', level: 'city', parentCode: '350000' });
    expect(findArea('350102')).toEqual({ code: '350102', name: '鼓楼区', level: 'county', parentCode: '350100' });
    expect(areaFullName('350102')).toBe('福建省福州市鼓楼区');
    expect(areaFullName('350100')).toBe('福建省福州市');
    expect(areaFullName('350000')).toBe('福建省');
  });

  it('hangs counties of pseudo-cities directly under the province', () => {
    expect(findArea('110101')?.parentCode).toBe('110000');
    expect(areaFullName('110101')).toBe('北京市东城区');
    expect(areaFullName('500229')).toBe('重庆市城口县');
    expect(areaFullName('419001')).toBe('河南省济源市');
    expect(isKnownAreaCode('110100')).toBe(false);
    expect(isKnownAreaCode('419000')).toBe(false);
    expect(countiesOf('110000').map((a) => a.code)).toContain('110101');
  });

  it('keeps cities without counties once, as cities that are their own county-level unit', () => {
    expect(findArea('441900')).toEqual({ code: '441900', name: '东莞市', level: 'city', parentCode: '440000' });
    expect(listAreas().filter((a) => a.code === '441900')).toHaveLength(1);
    expect(isCountyLevelCode('441900')).toBe(true);
    expect(countiesOf('441900').map((a) => a.code)).toEqual(['441900']);
    expect(countiesOf('440000').map((a) => a.code)).toContain('441900');
    expect(areaFullName('620201')).toBe('甘肃省嘉峪关市');
  });

  it('tells county-level codes from the rest', () => {
    expect(isCountyLevelCode('350102')).toBe(true);
    expect(isCountyLevelCode('350100')).toBe(false);
    expect(isCountyLevelCode('350000')).toBe(false);
    expect(isCountyLevelCode('999999')).toBe(false);
  });

  it('lists the counties of a city and of a province', () => {
    const fuzhou = countiesOf('350100');
    expect(fuzhou.map((a) => a.name)).toEqual(expect.arrayContaining(['鼓楼区', '台江区', '福清市']));
    expect(fuzhou.every((a) => a.parentCode === '350100')).toBe(true);
    const fujian = countiesOf('350000');
    expect(fujian.length).toBeGreaterThan(80);
    expect(fujian.every((a) => a.code.startsWith('35') && a.level === 'county')).toBe(true);
    expect(countiesOf('350102').map((a) => a.code)).toEqual(['350102']);
    expect(countiesOf('999900')).toEqual([]);
  });

  it('rejects unknown or malformed codes', () => {
    expect(findArea('35010')).toBeUndefined();
    expect(findArea('350199')).toBeUndefined();
    expect(isKnownAreaCode('')).toBe(false);
    expect(areaFullName('000000')).toBe('');
  });
});
