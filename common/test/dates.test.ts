import { describe, expect, it } from 'vitest';
import {
  BUSINESS_TIME_ZONE,
  addDays,
  daysBetween,
  formatShanghai,
  isValidDay,
  parseBusinessTime,
  shanghaiDay,
  shanghaiWallClock,
  startOfShanghaiDay,
} from '../src/dates';

describe('shanghaiDay', () => {
  it('names the business time zone', () => {
    expect(BUSINESS_TIME_ZONE).toBe('Asia/Shanghai');
  });

  it.each([
    ['2026-03-01T23:30:00+08:00', '2026-03-01'],
    ['2026-03-01T16:30:00Z', '2026-03-02'],
    ['2026-03-01T15:59:59.999Z', '2026-03-01'],
    ['2026-03-01T16:00:00Z', '2026-03-02'],
    ['2026-03-02T00:00:00+08:00', '2026-03-02'],
    ['2024-02-28T16:00:00Z', '2024-02-29'],
    ['2025-12-31T16:00:00Z', '2026-01-01'],
  ])('%s is Shanghai day %s', (iso, day) => {
    expect(shanghaiDay(new Date(iso))).toBe(day);
  });

  it('rejects an invalid Date', () => {
    expect(() => shanghaiDay(new Date('nope'))).toThrow(RangeError);
  });
});

describe('addDays and daysBetween', () => {
  it.each([
    ['2026-03-01', 13, '2026-03-14'],
    ['2026-03-01', 14, '2026-03-15'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-03-01', 0, '2026-03-01'],
    ['2000-02-28', 366, '2001-02-28'],
    ['1900-02-28', 1, '1900-03-01'],
  ])('%s + %i days = %s', (day, n, expected) => {
    expect(addDays(day, n)).toBe(expected);
    expect(daysBetween(day, expected)).toBe(n);
    expect(daysBetween(expected, day)).toBe(0 - n || 0);
  });

  it('counts across a leap year', () => {
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(365);
  });

  it.each(['2026-02-30', '2026-3-1', '', 'x'])('throws on the malformed day %j', (bad) => {
    expect(() => addDays(bad, 1)).toThrow(RangeError);
    expect(() => daysBetween(bad, '2026-01-01')).toThrow(RangeError);
  });

  it('throws on a fractional number of days', () => {
    expect(() => addDays('2026-01-01', 1.5)).toThrow(RangeError);
  });
});

describe('isValidDay', () => {
  it.each([
    ['2026-03-01', true],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-01-00', false],
    ['2026-1-01', false],
    ['2026-01-01T00:00', false],
    [' 2026-01-01', false],
    ['20260101', false],
    ['', false],
  ])('%j → %s', (s, expected) => {
    expect(isValidDay(s)).toBe(expected);
  });
});

describe('startOfShanghaiDay and shanghaiWallClock', () => {
  it('00:00 Shanghai is 16:00 UTC the day before', () => {
    expect(startOfShanghaiDay('2026-03-01').toISOString()).toBe('2026-02-28T16:00:00.000Z');
  });

  it('round-trips with shanghaiDay', () => {
    expect(shanghaiDay(startOfShanghaiDay('2024-02-29'))).toBe('2024-02-29');
    expect(shanghaiDay(new Date(startOfShanghaiDay('2024-02-29').getTime() - 1))).toBe('2024-02-28');
  });

  it('reads a wall-clock time as +08:00', () => {
    expect(shanghaiWallClock(2026, 3, 1, 23, 30)?.toISOString()).toBe('2026-03-01T15:30:00.000Z');
    expect(shanghaiWallClock(2026, 3, 1)?.toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(shanghaiWallClock(2026, 3, 1, 8, 0, 0, 5)?.toISOString()).toBe('2026-03-01T00:00:00.005Z');
  });

  it.each([
    [2023, 2, 29, 0, 0, 0],
    [2024, 13, 1, 0, 0, 0],
    [2024, 1, 1, 24, 0, 0],
    [2024, 1, 1, 25, 0, 0],
    [2024, 1, 1, 12, 60, 0],
    [2024, 1, 1, 12, 0, 60],
    [2024, 1, 1, 12, 0.5, 0],
    [2024, 1, 1, -1, 0, 0],
  ])('%i-%i-%i %i:%i:%i does not exist → null', (y, mo, d, h, mi, s) => {
    expect(shanghaiWallClock(y, mo, d, h, mi, s)).toBeNull();
  });
});

describe('parseBusinessTime', () => {
  it.each([
    ['2026-03-01', '2026-02-28T16:00:00.000Z'],
    ['2026-03-01T08:00', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01 08:00', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T23:30:00', '2026-03-01T15:30:00.000Z'],
    ['2026-03-01T23:30:00.123', '2026-03-01T15:30:00.123Z'],
    ['2026-03-01T23:30:00.5', '2026-03-01T15:30:00.500Z'],
    ['2026-03-01T23:30:00.123456', '2026-03-01T15:30:00.123Z'],
    ['2026-03-01T23:30:00+08:00', '2026-03-01T15:30:00.000Z'],
    ['2026-03-01T16:30:00Z', '2026-03-01T16:30:00.000Z'],
    ['2026-03-01T16:30Z', '2026-03-01T16:30:00.000Z'],
    ['2026-03-01T12:00:00+0000', '2026-03-01T12:00:00.000Z'],
    ['2026-03-01T12:00:00-05:00', '2026-03-01T17:00:00.000Z'],
    ['2026-03-01T12:00:00+05:30', '2026-03-01T06:30:00.000Z'],
    ['2026-03-01T12:00:00.250+09:00', '2026-03-01T03:00:00.250Z'],
    ['  2026-03-01 08:00:00  ', '2026-03-01T00:00:00.000Z'],
    ['2024-02-29T00:00:00', '2024-02-28T16:00:00.000Z'],
  ])('%j is %s', (text, iso) => {
    expect(parseBusinessTime(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2023-02-29',
    '2024-13-01',
    '2024-04-31',
    '2024-01-01T25:00',
    '2024-01-01T24:00',
    '2024-01-01T12:60',
    '2024-01-01T12:00:60',
    '2024-01-01T12:00+24:00',
    '2024-01-01T12:00+08:60',
    '2024-01-01Z',
    '2024-01-01T12',
    '2024-01-01T12:00.5',
    '2024-1-1',
    '2024/01/01',
    '01-01-2024',
    '2024-01-01T12:00:00+8',
    'yesterday',
    '',
  ])('%j → null', (text) => {
    expect(parseBusinessTime(text)).toBeNull();
  });
});

describe('formatShanghai', () => {
  it.each([
    ['2026-03-01T15:30:00.000Z', '2026-03-01 23:30:00'],
    ['2026-03-01T16:30:05.999Z', '2026-03-02 00:30:05'],
    ['2025-12-31T16:00:00.000Z', '2026-01-01 00:00:00'],
  ])('%s → %s', (iso, text) => {
    expect(formatShanghai(new Date(iso))).toBe(text);
  });

  it('round-trips through parseBusinessTime', () => {
    const text = '2024-02-29 07:08:09';
    expect(formatShanghai(parseBusinessTime(text)!)).toBe(text);
  });
});
