// Periods of a 定时上报 (G3): daily = a Shanghai day, weekly = Monday–Sunday; due once ended; the first is
// the one containing activeSince; at most maxBack of the newest missed ones.
import { describe, expect, it } from 'vitest';
import { duePeriods, mondayOf, periodOf } from '../../src/domain/reportPeriods';

const at = (s: string) => new Date(s);

describe('reportPeriods', () => {
  it.each([
    ['2026-03-09', '2026-03-09'], // Monday
    ['2026-03-15', '2026-03-09'], // Sunday
    ['2026-03-11', '2026-03-09'],
    ['2026-01-01', '2025-12-29'], // across a year
  ])('the Monday of %s is %s', (day, monday) => expect(mondayOf(day)).toBe(monday));

  it('names a period by its first day', () => {
    expect(periodOf('daily', '2026-03-14')).toEqual({ key: 'D2026-03-14', from: '2026-03-14', to: '2026-03-14' });
    expect(periodOf('weekly', '2026-03-14')).toEqual({ key: 'W2026-03-09', from: '2026-03-09', to: '2026-03-15' });
  });

  it('daily: nothing due on the day of creation; the next day, that day', () => {
    const since = at('2026-03-15T10:00:00+08:00');
    expect(duePeriods('daily', since, at('2026-03-15T23:59:59+08:00'), 31)).toEqual([]);
    expect(duePeriods('daily', since, at('2026-03-16T00:30:00+08:00'), 31).map((p) => p.key)).toEqual(['D2026-03-15']);
  });

  it('days are Shanghai days: 2026-03-15 16:30 UTC is already the 16th in Fujian', () => {
    expect(duePeriods('daily', at('2026-03-14T12:00:00Z'), at('2026-03-15T16:30:00Z'), 31).map((p) => p.key)).toEqual(['D2026-03-14', 'D2026-03-15']);
  });

  it('daily: missed days oldest first, at most maxBack of the newest', () => {
    const since = at('2026-03-01T08:00:00+08:00');
    expect(duePeriods('daily', since, at('2026-03-05T01:00:00+08:00'), 31).map((p) => p.key)).toEqual(['D2026-03-01', 'D2026-03-02', 'D2026-03-03', 'D2026-03-04']);
    expect(duePeriods('daily', since, at('2026-03-05T01:00:00+08:00'), 2).map((p) => p.key)).toEqual(['D2026-03-03', 'D2026-03-04']);
  });

  it('weekly: the week of creation is due the Monday after, whole', () => {
    const since = at('2026-03-11T15:00:00+08:00'); // Wednesday
    expect(duePeriods('weekly', since, at('2026-03-15T23:00:00+08:00'), 8)).toEqual([]);
    expect(duePeriods('weekly', since, at('2026-03-16T00:30:00+08:00'), 8)).toEqual([{ key: 'W2026-03-09', from: '2026-03-09', to: '2026-03-15' }]);
    expect(duePeriods('weekly', since, at('2026-03-29T00:30:00+08:00'), 8).map((p) => p.key)).toEqual(['W2026-03-09', 'W2026-03-16']);
    expect(duePeriods('weekly', since, at('2026-03-30T00:30:00+08:00'), 8).map((p) => p.key)).toEqual(['W2026-03-09', 'W2026-03-16', 'W2026-03-23']);
  });

  it('refuses a maxBack that is not a positive whole number', () => {
    expect(() => duePeriods('daily', at('2026-03-01T00:00:00Z'), at('2026-03-05T00:00:00Z'), 0)).toThrow(RangeError);
  });
});
