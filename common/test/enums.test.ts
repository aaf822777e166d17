import { describe, expect, it } from 'vitest';
import {
  AREA_LEVELS,
  AREA_LEVEL_TEXT,
  compareAreaLevels,
  isAreaLevel,
  mostSevereAreaLevel,
} from '../src/areaLevels';
import { COLOURS, COLOUR_TEXT } from '../src/colours';
import { REASON_CODES, REASON_TEXT, isReasonCode, sortReasons } from '../src/reasons';

describe('reasons', () => {
  it('keep the manual 服务介绍 order first (stored; never reordered), appended codes after', () => {
    expect(REASON_CODES).toEqual([
      'CASE',
      'CLOSE_CONTACT',
      'HIGH_RISK_ARRIVAL',
      'CLOSED_COMMUNITY',
      'FEVER_CLINIC',
      'FEVER_DRUG',
      'SELF_DECLARED',
      'ORIGIN_PASS',
    ]);
  });

  it('have the manual texts', () => {
    expect(REASON_TEXT).toEqual({
      CASE: '属于新冠肺炎确诊人员、疑似人员',
      CLOSE_CONTACT: '属于确诊或疑似人员的可能密切接触者',
      HIGH_RISK_ARRIVAL: '来自疫情高发地区人员',
      CLOSED_COMMUNITY: '属于实行封闭管理小区的居民',
      FEVER_CLINIC: '14天内在我省有发热门诊就诊记录',
      FEVER_DRUG: '14天内在我省有购买退烧药品记录',
      SELF_DECLARED: '申领时申报了健康异常（隔离、密切接触或出院未满14天，发热或呼吸道症状，或其他健康异常）',
      ORIGIN_PASS: '跨省互认：来源地健康码非绿码',
    });
  });

  it.each([
    [[], []],
    [['FEVER_DRUG', 'CASE'], ['CASE', 'FEVER_DRUG']],
    [['CLOSED_COMMUNITY', 'CLOSE_CONTACT', 'CLOSED_COMMUNITY'], ['CLOSE_CONTACT', 'CLOSED_COMMUNITY']],
  ] as const)('sortReasons(%j) → %j (unique, enum order)', (codes, sorted) => {
    expect(sortReasons(codes)).toEqual(sorted);
  });

  it.each([
    ['CASE', true],
    ['FEVER_DRUG', true],
    ['case', false],
    ['', false],
    [undefined, false],
  ])('isReasonCode(%j) → %s', (value, expected) => {
    expect(isReasonCode(value)).toBe(expected);
  });
});

describe('colours', () => {
  it('are green and orange', () => {
    expect(COLOURS).toEqual(['green', 'orange']);
    expect(COLOUR_TEXT).toEqual({ green: '绿码', orange: '橙码' });
  });
});

describe('area levels', () => {
  it('run from least to most severe with the manual texts', () => {
    expect(AREA_LEVELS).toEqual(['none', 'sporadic', 'community', 'outbreak']);
    expect(AREA_LEVEL_TEXT).toEqual({
      none: '无疫情区',
      sporadic: '零星散发疫情区',
      community: '社区传播疫情区',
      outbreak: '暴发疫情区',
    });
  });

  it.each([
    ['none', 'sporadic', -1],
    ['outbreak', 'community', 1],
    ['community', 'community', 0],
  ] as const)('compareAreaLevels(%s, %s) has sign %i', (a, b, sign) => {
    expect(Math.sign(compareAreaLevels(a, b))).toBe(sign);
  });

  it.each([
    [[], null],
    [['none'], 'none'],
    [['sporadic', 'outbreak', 'community'], 'outbreak'],
    [['none', 'community', 'sporadic'], 'community'],
  ] as const)('mostSevereAreaLevel(%j) → %s', (levels, most) => {
    expect(mostSevereAreaLevel(levels)).toBe(most);
  });

  it.each([
    ['outbreak', true],
    ['low', false],
    [null, false],
  ])('isAreaLevel(%j) → %s', (value, expected) => {
    expect(isAreaLevel(value)).toBe(expected);
  });
});
