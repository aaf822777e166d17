import { describe, expect, it } from 'vitest';
import {
  type ParsedRow,
  type RawCell,
  type SourceRecord,
  SOURCE_COLUMNS,
  SOURCE_TYPES,
  findDuplicateKeys,
  isSourceType,
  sourceKey,
  validateHeader,
  validateRow,
} from '../../src/domain/sources';

const ID_A = '350102199003071234';
const ID_B = '350203198511114568';

function ok(type: Parameters<typeof validateRow>[0], raw: Record<string, RawCell>, opts?: { numberCellsAreLossy?: boolean }): SourceRecord {
  const result = validateRow(type, 2, raw, opts);
  if (!('record' in result)) throw new Error(JSON.stringify(result.errors));
  return result.record;
}

function errors(type: Parameters<typeof validateRow>[0], raw: Record<string, RawCell>, opts?: { numberCellsAreLossy?: boolean }) {
  const result = validateRow(type, 2, raw, opts);
  if (!('errors' in result)) throw new Error(`expected errors, got ${JSON.stringify(result.record)}`);
  return result.errors;
}

const person = { id_type: 'resident_id', id_number: ID_A, name: '张三' };

describe('source types', () => {
  it('knows its types', () => {
    expect(SOURCE_TYPES).toHaveLength(9);
    expect(isSourceType('cases')).toBe(true);
    expect(isSourceType('case')).toBe(false);
    expect(isSourceType(undefined)).toBe(false);
  });
});

describe('validateHeader', () => {
  it('accepts the listed columns in any order, with or without country', () => {
    expect(validateHeader('cases', ['reported_at', 'status', 'name', 'id_number', 'id_type'])).toEqual([]);
    expect(validateHeader('cases', ['id_type', 'id_number', 'country', 'name', 'status', 'reported_at'])).toEqual([]);
    for (const type of SOURCE_TYPES) expect(validateHeader(type, [...SOURCE_COLUMNS[type].required])).toEqual([]);
  });

  it('reports unknown, missing and duplicate columns on line 1', () => {
    expect(validateHeader('cases', ['id_type', 'id_number', 'name', 'status', 'reported_at', 'phone'])).toEqual([
      { line: 1, field: 'phone', problem: expect.stringContaining('未知的列：phone') },
    ]);
    expect(validateHeader('cases', ['id_type', 'id_number', 'name', 'status'])).toEqual([
      { line: 1, field: 'reported_at', problem: '缺少必需的列：reported_at' },
    ]);
    expect(validateHeader('cases', ['id_type', 'id_number', 'name', 'name', 'status', 'reported_at'])).toEqual([
      { line: 1, field: 'name', problem: '列名重复：name' },
    ]);
  });

  it('hints at the right spelling and flags empty names', () => {
    const [unknown] = validateHeader('cases', ['ID_Type', 'id_number', 'name', 'status', 'reported_at']);
    expect(unknown.problem).toContain('列名应写作 id_type');
    expect(validateHeader('area-levels', ['area_code', '', 'level', 'policy', 'effective_from'])).toEqual([
      { line: 1, problem: '第 2 列的列名为空' },
    ]);
  });

  it('does not accept country on non-person types', () => {
    expect(validateHeader('area-levels', ['area_code', 'level', 'policy', 'effective_from', 'country'])[0].field).toBe('country');
  });
});

describe('validateRow: each type', () => {
  it('cases', () => {
    expect(ok('cases', { ...person, status: ' Confirmed ', reported_at: '2022-05-01T08:30:00+08:00' })).toEqual({
      type: 'cases',
      person: { idType: 'resident_id', idNumber: ID_A, country: null, name: '张三' },
      status: 'confirmed',
      reportedAt: new Date('2022-05-01T00:30:00Z'),
    });
    expect(errors('cases', { ...person, status: 'sick', reported_at: '2022-05-01' })).toEqual([
      { line: 2, field: 'status', problem: expect.stringContaining('confirmed、suspected、discharged、excluded') },
    ]);
  });

  it('close-contacts, with and without release', () => {
    expect(ok('close-contacts', { ...person, identified_at: '2022-05-01 08:00', released_at: '' })).toMatchObject({
      identifiedAt: new Date('2022-05-01T00:00:00Z'),
      releasedAt: null,
    });
    expect(ok('close-contacts', { ...person, identified_at: '2022-05-01 08:00', released_at: '2022-05-15' })).toMatchObject({
      releasedAt: new Date('2022-05-14T16:00:00Z'),
    });
  });

  it('close-contacts: released before identified is refused', () => {
    expect(errors('close-contacts', { ...person, identified_at: '2022-05-10', released_at: '2022-05-09T23:59' })).toEqual([
      { line: 2, field: 'released_at', problem: 'released_at 不能早于 identified_at' },
    ]);
  });

  it('arrivals', () => {
    expect(ok('arrivals', { ...person, from_area: ' 上海市 ', arrived_at: '2022-04-30T22:00:00Z' })).toMatchObject({
      type: 'arrivals',
      fromArea: '上海市',
      arrivedAt: new Date('2022-04-30T22:00:00Z'),
    });
  });

  it('closed-communities', () => {
    expect(
      ok('closed-communities', {
        community_code: '350102001001',
        community_name: '',
        area_code: '350102',
        closed_from: '2022-05-01',
        closed_until: '',
      }),
    ).toEqual({
      type: 'closed-communities',
      communityCode: '350102001001',
      communityName: null,
      areaCode: '350102',
      closedFrom: new Date('2022-04-30T16:00:00Z'),
      closedUntil: null,
    });
    expect(
      errors('closed-communities', {
        community_code: '35010200100',
        community_name: '东街社区',
        area_code: '350100',
        closed_from: '2022-05-10',
        closed_until: '2022-05-01',
      }),
    ).toEqual([
      { line: 2, field: 'community_code', problem: '社区代码应为 12 位数字' },
      { line: 2, field: 'area_code', problem: expect.stringContaining('应为县级行政区划代码') },
      { line: 2, field: 'closed_until', problem: 'closed_until 不能早于 closed_from' },
    ]);
    expect(
      errors('closed-communities', { community_code: '350102001001', area_code: '359999', closed_from: '2022-05-01' }),
    ).toEqual([{ line: 2, field: 'area_code', problem: '不是已知的 GB/T 2260 行政区划代码：359999' }]);
  });

  it('community-residents', () => {
    expect(ok('community-residents', { ...person, name: '', community_code: '350102001001' })).toEqual({
      type: 'community-residents',
      person: { idType: 'resident_id', idNumber: ID_A, country: null, name: null },
      communityCode: '350102001001',
    });
  });

  it('fever-clinic-visits', () => {
    expect(ok('fever-clinic-visits', { ...person, hospital: '福建省立医院', visited_at: '2022-05-01T09:15' })).toMatchObject({
      hospital: '福建省立医院',
      visitedAt: new Date('2022-05-01T01:15:00Z'),
    });
  });

  it('fever-drug-purchases', () => {
    expect(
      ok('fever-drug-purchases', { ...person, pharmacy: '鼓楼大药房', drug: '布洛芬', purchased_at: '2022-05-01T10:00:00+08:00' }),
    ).toMatchObject({ pharmacy: '鼓楼大药房', drug: '布洛芬', purchasedAt: new Date('2022-05-01T02:00:00Z') });
  });

  it('nucleic-acid-tests', () => {
    expect(
      ok('nucleic-acid-tests', { ...person, sampled_at: '2022-05-01 07:00', result: 'NEGATIVE', institution: '金域检验' }),
    ).toMatchObject({ result: 'negative', institution: '金域检验', sampledAt: new Date('2022-04-30T23:00:00Z') });
    expect(errors('nucleic-acid-tests', { ...person, sampled_at: '2022-05-01', result: '阴性', institution: 'x' })[0].field).toBe(
      'result',
    );
  });

  it('area-levels: any known code, the Shanghai day of a time', () => {
    expect(ok('area-levels', { area_code: '350000', level: 'sporadic', policy: '', effective_from: '2022-05-01' })).toEqual({
      type: 'area-levels',
      areaCode: '350000',
      level: 'sporadic',
      policy: null,
      effectiveFrom: '2022-05-01',
    });
    expect(
      ok('area-levels', { area_code: 350102, level: 'outbreak', policy: '居家\n隔离', effective_from: '2022-04-30T17:00:00Z' }),
    ).toMatchObject({ areaCode: '350102', policy: '居家\n隔离', effectiveFrom: '2022-05-01' });
    expect(errors('area-levels', { area_code: '350102', level: 'red', policy: '', effective_from: '2022-05-01' })[0]).toMatchObject({
      field: 'level',
    });
  });
});

describe('validateRow: identity documents', () => {
  it('reports a bad check digit on id_number', () => {
    expect(errors('cases', { ...person, id_number: '350102199003071235', status: 'confirmed', reported_at: '2022-05-01' })).toEqual([
      { line: 2, field: 'id_number', problem: '身份证号码校验位不正确' },
    ]);
  });

  it('normalizes a lower-case x and surrounding spaces', () => {
    expect(
      ok('community-residents', { id_type: ' Resident_ID ', id_number: ' 35010219900307104x ', community_code: '350102001001' }),
    ).toMatchObject({ person: { idType: 'resident_id', idNumber: '35010219900307104X' } });
  });

  it('passports need an ISO alpha-3 country', () => {
    expect(
      ok('cases', { id_type: 'passport', id_number: 'e12345678', country: 'usa', name: 'JOHN SMITH', status: 'suspected', reported_at: '2022-05-01' }),
    ).toMatchObject({ person: { idType: 'passport', idNumber: 'E12345678', country: 'USA', name: 'JOHN SMITH' } });
    expect(
      errors('cases', { id_type: 'passport', id_number: 'E12345678', name: 'x', status: 'suspected', reported_at: '2022-05-01' }),
    ).toEqual([{ line: 2, field: 'country', problem: expect.stringContaining('护照须填写签发国家或地区') }]);
    expect(
      errors('cases', { id_type: 'passport', id_number: 'E12345678', country: 'XYZ', status: 'suspected', reported_at: '2022-05-01' })[0].field,
    ).toBe('country');
  });

  it('a country on a resident id is refused', () => {
    expect(errors('cases', { ...person, country: 'CHN', status: 'confirmed', reported_at: '2022-05-01' })[0].field).toBe('country');
  });

  it('Hong Kong / Macao and Taiwan permits', () => {
    const base = { name: '陈大文', status: 'confirmed', reported_at: '2022-05-01' };
    expect(ok('cases', { ...base, id_type: 'hk_macao_permit', id_number: 'H12345678' })).toMatchObject({
      person: { idType: 'hk_macao_permit', idNumber: 'H12345678', country: null },
    });
    expect(ok('cases', { ...base, id_type: 'hk_macao_permit', id_number: 'm1234567890' })).toMatchObject({
      person: { idNumber: 'M1234567890' },
    });
    expect(errors('cases', { ...base, id_type: 'hk_macao_permit', id_number: 'X12345678' })[0].field).toBe('id_number');
    expect(ok('cases', { ...base, id_type: 'taiwan_permit', id_number: '01234567' })).toMatchObject({
      person: { idType: 'taiwan_permit', idNumber: '01234567' },
    });
    expect(ok('cases', { ...base, id_type: 'taiwan_permit', id_number: '0123456789B' })).toMatchObject({
      person: { idNumber: '0123456789B' },
    });
    expect(errors('cases', { ...base, id_type: 'taiwan_permit', id_number: '1234567' })[0].field).toBe('id_number');
  });

  it('an unknown id_type names the allowed values', () => {
    expect(errors('cases', { ...person, id_type: 'military', status: 'confirmed', reported_at: '2022-05-01' })).toEqual([
      { line: 2, field: 'id_type', problem: expect.stringContaining('resident_id、passport') },
    ]);
  });

  it('refuses an ID number held in a number cell', () => {
    const raw = { ...person, id_number: 350102199003071200, status: 'confirmed', reported_at: '2022-05-01' };
    expect(errors('cases', raw, { numberCellsAreLossy: true })).toEqual([
      { line: 2, field: 'id_number', problem: expect.stringContaining('Excel') },
    ]);
    expect(errors('cases', raw)[0].problem).toContain('文本');
    expect(errors('cases', { ...raw, id_number: '3.50102E+17' })[0].problem).toContain('科学计数法');
  });
});

describe('validateRow: times and text', () => {
  const row = (reported_at: RawCell) => ({ ...person, status: 'confirmed', reported_at });

  it('reads a time without offset as Shanghai time, a date as Shanghai midnight', () => {
    expect(ok('cases', row('2022-05-01T08:30:00'))).toMatchObject({ reportedAt: new Date('2022-05-01T08:30:00+08:00') });
    expect(ok('cases', row('2022-05-01'))).toMatchObject({ reportedAt: new Date('2022-04-30T16:00:00Z') });
  });

  it('accepts a Date (an Excel date cell already converted)', () => {
    expect(ok('cases', row(new Date('2022-05-01T00:30:00Z')))).toMatchObject({ reportedAt: new Date('2022-05-01T00:30:00Z') });
  });

  it('says when a date does not exist', () => {
    expect(errors('cases', row('2023-02-29'))).toEqual([{ line: 2, field: 'reported_at', problem: '日期不存在：2023-02-29' }]);
    expect(errors('cases', row('2022-13-01 08:00'))[0].problem).toBe('日期不存在：2022-13-01');
  });

  it('refuses malformed, numeric, empty and absurd times', () => {
    expect(errors('cases', row('2022/05/01'))[0].problem).toContain('ISO 8601');
    expect(errors('cases', row(44682))[0].problem).toContain('数字');
    expect(errors('cases', row(''))).toEqual([{ line: 2, field: 'reported_at', problem: '不能为空' }]);
    expect(errors('cases', row(undefined))[0].problem).toBe('不能为空');
    expect(errors('cases', row('1899-12-30T08:30'))[0].problem).toContain('合理范围');
  });

  it('limits and cleans free text', () => {
    expect(ok('cases', { ...person, name: '  张三 ', status: 'confirmed', reported_at: '2022-05-01' })).toMatchObject({
      person: { name: '张三' },
    });
    expect(errors('cases', { ...person, name: '张'.repeat(51), status: 'confirmed', reported_at: '2022-05-01' })).toEqual([
      { line: 2, field: 'name', problem: '过长：最多 50 个字符，现有 51 个' },
    ]);
    // Counted in characters, not UTF-16 units.
    expect(ok('cases', { ...person, name: '𠀀'.repeat(50), status: 'confirmed', reported_at: '2022-05-01' })).toBeDefined();
    expect(errors('fever-clinic-visits', { ...person, hospital: 'a'.repeat(201), visited_at: '2022-05-01' })[0].field).toBe('hospital');
    expect(errors('cases', { ...person, name: '张\n三', status: 'confirmed', reported_at: '2022-05-01' })[0].problem).toContain('换行');
    expect(
      errors('area-levels', { area_code: '350000', level: 'none', policy: 'x'.repeat(2001), effective_from: '2022-05-01' })[0].field,
    ).toBe('policy');
  });

  it('reports every bad field of a row, in column order', () => {
    const found = errors('fever-drug-purchases', { id_type: 'resident_id', id_number: '123', name: '', pharmacy: '', drug: ' ', purchased_at: 'soon' });
    expect(found.map((e) => e.field)).toEqual(['id_number', 'pharmacy', 'drug', 'purchased_at']);
    expect(found.every((e) => e.line === 2)).toBe(true);
  });
});

describe('keys', () => {
  it('keys a person with the time as an ISO instant', () => {
    const record = ok('cases', { ...person, status: 'confirmed', reported_at: '2022-05-01T08:30' });
    expect(sourceKey(record)).toBe(JSON.stringify([`resident_id::${ID_A}`, '2022-05-01T00:30:00.000Z']));
  });

  it('the same instant written two ways is one key', () => {
    const a = ok('cases', { ...person, status: 'confirmed', reported_at: '2022-05-01T08:30' });
    const b = ok('cases', { ...person, status: 'suspected', reported_at: '2022-05-01T00:30:00Z' });
    expect(sourceKey(a)).toBe(sourceKey(b));
  });

  it('free text cannot make different records collide', () => {
    const a = ok('fever-drug-purchases', { ...person, pharmacy: 'a|b', drug: 'c', purchased_at: '2022-05-01' });
    const b = ok('fever-drug-purchases', { ...person, pharmacy: 'a', drug: 'b|c', purchased_at: '2022-05-01' });
    expect(sourceKey(a)).not.toBe(sourceKey(b));
  });

  it('reports every line of a repeated key, naming the others', () => {
    const rec = ok('cases', { ...person, status: 'confirmed', reported_at: '2022-05-01' });
    const other = ok('cases', { ...person, id_number: ID_B, status: 'confirmed', reported_at: '2022-05-01' });
    const rows: ParsedRow[] = [
      { line: 2, record: rec, key: sourceKey(rec) },
      { line: 3, record: other, key: sourceKey(other) },
      { line: 5, record: rec, key: sourceKey(rec) },
      { line: 9, record: rec, key: sourceKey(rec) },
    ];
    expect(findDuplicateKeys(rows)).toEqual([
      { line: 2, problem: '记录重复：与第 5、9 行的证件、reported_at都相同' },
      { line: 5, problem: '记录重复：与第 2、9 行的证件、reported_at都相同' },
      { line: 9, problem: '记录重复：与第 2、5 行的证件、reported_at都相同' },
    ]);
    expect(findDuplicateKeys(rows.slice(0, 2))).toEqual([]);
  });
});
