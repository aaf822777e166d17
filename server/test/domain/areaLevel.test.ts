import { describe, expect, it } from 'vitest';
import { type AreaLevelRow, areaLevelOn } from '../../src/domain/areaLevel';

const row = (effectiveFrom: string, level: AreaLevelRow['level'], policy: string | null = null): AreaLevelRow => ({
  level,
  policy,
  effectiveFrom,
});

describe('areaLevelOn: the row with the latest effectiveFrom on or before the day', () => {
  const sporadic = row('2026-03-01', 'sporadic', '加强体温检测');
  const outbreak = row('2026-03-10', 'outbreak', '全域封闭管理');
  const none = row('2026-04-01', 'none');
  // Deliberately not in day order.
  const rows = [outbreak, none, sporadic];

  it.each<[string, AreaLevelRow | null, string]>([
    ['2026-02-28', null, 'before the first row'],
    ['2026-03-01', sporadic, 'on the first effective day'],
    ['2026-03-09', sporadic, 'the day before the next row'],
    ['2026-03-10', outbreak, 'on the next effective day'],
    ['2026-03-31', outbreak, 'the day before the last row'],
    ['2026-04-01', none, 'on the last effective day'],
    ['2027-01-01', none, 'long after'],
  ])('on %s (%s)', (day, expected) => {
    expect(areaLevelOn(rows, day)).toBe(expected);
  });

  it('is null for no rows', () => {
    expect(areaLevelOn([], '2026-03-01')).toBeNull();
  });

  it('of two rows on the same day the later recorded one wins', () => {
    const first = row('2026-03-01', 'community');
    const correction = row('2026-03-01', 'sporadic');
    expect(areaLevelOn([first, correction], '2026-03-05')).toBe(correction);
  });

  it('returns the caller\'s own row type', () => {
    const rows = [{ ...sporadic, areaCode: '350102' }];
    expect(areaLevelOn(rows, '2026-03-02')?.areaCode).toBe('350102');
  });
});
