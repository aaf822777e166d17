import { describe, expect, it } from 'vitest';
import {
  areaPrefix,
  creditCodeInArea,
  creditCodeLikePattern,
  dayBounds,
  isTrendLength,
  missingDays,
  shareOf,
  TREND_MAX_DAYS,
  trendDays,
  yesterdayOf,
} from '../../src/domain/dailyStats';

describe('dayBounds: a statistics day is a Shanghai calendar day, start inclusive, end exclusive', () => {
  it.each<[string, string, string, string]>([
    ['2026-03-10', '2026-03-09T16:00:00.000Z', '2026-03-10T16:00:00.000Z', 'an ordinary day'],
    ['2026-03-31', '2026-03-30T16:00:00.000Z', '2026-03-31T16:00:00.000Z', 'the end is the next month\'s first midnight'],
    ['2024-02-29', '2024-02-28T16:00:00.000Z', '2024-02-29T16:00:00.000Z', 'a leap day'],
    ['2026-12-31', '2026-12-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z', 'the end is next year'],
  ])('%s runs from %s to %s (%s)', (day, start, end) => {
    const b = dayBounds(day);
    expect(b.start.toISOString()).toBe(start);
    expect(b.end.toISOString()).toBe(end);
  });

  it('a report at 23:59:59.999 +08:00 is inside the day, one at 00:00:00 +08:00 the next is not', () => {
    const { start, end } = dayBounds('2026-03-20');
    const inside = (t: string) => new Date(t) >= start && new Date(t) < end;
    expect(inside('2026-03-20T23:59:59.999+08:00')).toBe(true);
    expect(inside('2026-03-21T00:00:00.000+08:00')).toBe(false);
    expect(inside('2026-03-20T00:00:00.000+08:00')).toBe(true);
    expect(inside('2026-03-19T23:59:59.999+08:00')).toBe(false);
  });
});

describe('yesterdayOf: totals are as of the Shanghai day before the clock\'s', () => {
  it.each([
    ['2026-04-01T00:00:00+08:00', '2026-03-31', 'just after midnight in Shanghai'],
    ['2026-03-31T23:59:59+08:00', '2026-03-30', 'just before midnight in Shanghai'],
    ['2026-03-31T16:30:00Z', '2026-03-31', 'UTC afternoon is already the next Shanghai day'],
    ['2026-03-01T08:00:00+08:00', '2026-02-28', 'across a month end'],
    ['2026-01-01T00:10:00+08:00', '2025-12-31', 'across a year end'],
  ])('at %s yesterday is %s (%s)', (now, day) => {
    expect(yesterdayOf(new Date(now))).toBe(day);
  });
});

describe('shareOf: reporting employees over the day\'s roll, 0 without a roll', () => {
  it.each([
    [0, 0, 0, 'no roll'],
    [3, 0, 0, 'reports but no roll (not a division by zero)'],
    [0, 8, 0, 'nobody reported'],
    [8, 8, 1, 'everybody reported'],
    [1, 3, 0.3333, 'rounded to four decimals'],
    [2, 3, 0.6667, 'rounded half up'],
    [7, 9, 0.7778, 'seven of nine'],
  ])('%i of %i → %d (%s)', (reported, roll, share) => {
    expect(shareOf(reported, roll)).toBe(share);
  });
});

describe('trendDays: the last n days ending yesterday, oldest first', () => {
  it('one day is yesterday alone', () => {
    expect(trendDays('2026-03-31', 1)).toEqual(['2026-03-31']);
  });
  it('three days cross a month end', () => {
    expect(trendDays('2026-03-01', 3)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });
  it(`${TREND_MAX_DAYS} days is the longest`, () => {
    const days = trendDays('2026-03-31', TREND_MAX_DAYS);
    expect(days).toHaveLength(90);
    expect(days[0]).toBe('2026-01-01');
    expect(days[89]).toBe('2026-03-31');
  });
  it.each([0, 91, 1.5, -1])('%d days is refused', (n) => {
    expect(isTrendLength(n)).toBe(false);
    expect(() => trendDays('2026-03-31', n)).toThrow(RangeError);
  });
});

describe('missingDays: the days after the last aggregated one up to yesterday', () => {
  it.each<[string | null, string, number, string[], string]>([
    ['2026-03-31', '2026-03-31', 90, [], 'none when yesterday is done'],
    ['2026-03-30', '2026-03-31', 90, ['2026-03-31'], 'yesterday alone after a normal night'],
    ['2026-03-27', '2026-03-31', 90, ['2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31'], 'every day of a three-night outage, oldest first'],
    ['2026-02-27', '2026-03-02', 90, ['2026-02-28', '2026-03-01', '2026-03-02'], 'across a month end'],
    ['2026-03-20', '2026-03-31', 3, ['2026-03-29', '2026-03-30', '2026-03-31'], 'at most maxDays, the most recent ones'],
    [null, '2026-03-31', 3, ['2026-03-29', '2026-03-30', '2026-03-31'], 'nothing aggregated yet: the last maxDays days'],
    ['2026-04-02', '2026-03-31', 90, [], 'none when a later day was aggregated by hand'],
  ])('last %s, yesterday %s, max %i → %j (%s)', (last, yesterday, max, expected) => {
    expect(missingDays(last, yesterday, max)).toEqual(expected);
  });
  it('refuses a maxDays below one', () => {
    expect(() => missingDays(null, '2026-03-31', 0)).toThrow(RangeError);
  });
});

describe('area of a unit: credit code characters 3–8 start with its area prefix', () => {
  it.each<[Parameters<typeof areaPrefix>[0], string, string]>([
    [{ code: '350000', level: 'province' }, '35', '卫健委: the province\'s 2 digits'],
    [{ code: '350200', level: 'city' }, '3502', 'a city unit: 4 digits'],
    [{ code: '350102', level: 'county' }, '350102', 'a county unit: all 6'],
  ])('%j → %s (%s)', (area, prefix) => {
    expect(areaPrefix(area)).toBe(prefix);
  });

  it.each([
    ['91350102MA2XNYQ51U', '350102', true, 'registered in the county'],
    ['91350103MA2XNYQ51U', '350102', false, 'a neighbouring county'],
    ['91350103MA2XNYQ51U', '3501', true, 'inside the city'],
    ['91350203MA2XNYQ51U', '3501', false, 'another city'],
    ['91350203MA2XNYQ51U', '35', true, 'inside the province'],
    ['91440300MA5DC2XM1X', '35', false, 'another province'],
    ['35010291MA2XNYQ51U', '3501', false, 'the prefix must sit at characters 3–8, not at the start'],
    ['9135010', '35', false, 'not a credit code'],
  ])('%s in %s: %s (%s)', (code, prefix, inside) => {
    expect(creditCodeInArea(code, prefix)).toBe(inside);
    // the SQL LIKE pattern says the same thing
    const like = new RegExp(`^${creditCodeLikePattern(prefix).replace(/_/g, '.').replace('%', '.*')}$`);
    expect(like.test(code) && code.length === 18).toBe(inside);
  });

  it('refuses a prefix that is not 2–6 digits (no wildcard can slip into LIKE)', () => {
    expect(() => creditCodeLikePattern('35%')).toThrow(RangeError);
    expect(() => creditCodeLikePattern('3')).toThrow(RangeError);
  });
});
