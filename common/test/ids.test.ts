import { describe, expect, it } from 'vitest';
import { ageOn, checkResidentId, residentIdCheckDigit } from '../src/ids';

/** A valid ID number from its first 17 digits. */
const id = (first17: string) => first17 + residentIdCheckDigit(first17);

describe('residentIdCheckDigit', () => {
  it.each([
    // Published GB 11643 example.
    ['11010519491231002', 'X'],
    ['35010219900101103', '5'],
  ])('%s → %s', (first17, expected) => {
    expect(residentIdCheckDigit(first17)).toBe(expected);
  });

  it('throws unless given 17 digits', () => {
    expect(() => residentIdCheckDigit('1234')).toThrow(RangeError);
    expect(() => residentIdCheckDigit('1101051949123100X')).toThrow(RangeError);
  });
});

describe('checkResidentId accepts', () => {
  it.each([
    ['a Fuzhou number', id('35010219900101103'), '1990-01-01', 'male'],
    ['a check digit X', '11010519491231002X', '1949-12-31', 'female'],
    ['a lower-case x', '11010519491231002x', '1949-12-31', 'female'],
    ['surrounding spaces', `  ${id('35010219900101102')} `, '1990-01-01', 'female'],
    ['a prefix abolished from today\'s list (350103 Taijiang)', id('35010319850615202'), '1985-06-15', 'female'],
    ['an old Ningde prefix (352201)', id('35220119700301001'), '1970-03-01', 'male'],
    ['a Hong Kong residence permit (81)', id('81000019900101001'), '1990-01-01', 'male'],
    ['a Macao residence permit (82)', id('82000019900101002'), '1990-01-01', 'female'],
    ['a Taiwan residence permit (83)', id('83000019900101003'), '1990-01-01', 'male'],
    ['a Feb 29 birth date in a leap year', id('35010220000229001'), '2000-02-29', 'male'],
    ['the earliest birth date 1900-01-01', id('35010219000101001'), '1900-01-01', 'male'],
    ['the latest birth date 2099-12-31', id('35010220991231001'), '2099-12-31', 'male'],
  ])('%s', (_name, raw, birthDate, sex) => {
    const result = checkResidentId(raw);
    expect(result).toEqual({ ok: true, normalized: raw.trim().toUpperCase(), birthDate, sex });
  });
});

describe('checkResidentId rejects', () => {
  const good = id('35010219900101103');
  const badCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
  it.each([
    ['17 characters', good.slice(0, 17), '长度'],
    ['19 characters', good + '1', '长度'],
    ['an empty string', '', '长度'],
    ['a letter among the first 17', '3501021990010110A4', '字符'],
    ['a letter other than X at the end', good.slice(0, 17) + 'Y', '字符'],
    ['a full-width digit', '３' + good.slice(1), '字符'],
    ['a wrong check digit', badCheck, '校验位'],
    ['a birth date 2023-02-29', id('35010220230229001'), '出生日期'],
    ['a birth date in month 13', id('35010219901301001'), '出生日期'],
    ['a birth date before 1900', id('35010218991231001'), '出生日期'],
    ['a birth date after 2099', id('35010221000101001'), '出生日期'],
    ['a first digit 0', id('05010219900101001'), '地址码'],
    ['a first digit 9', id('95010219900101001'), '地址码'],
  ])('%s (%s)', (_name, raw, problemWord) => {
    const result = checkResidentId(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain(problemWord);
  });
});

describe('ageOn', () => {
  it.each([
    ['1990-06-15', '2026-06-14', 35, 'the day before the birthday'],
    ['1990-06-15', '2026-06-15', 36, 'on the birthday'],
    ['1990-06-15', '2026-06-16', 36, 'the day after the birthday'],
    ['1990-06-15', '2026-01-01', 35, 'early in the year'],
    ['2000-02-29', '2023-02-28', 22, 'Feb 28 of a common year, born Feb 29'],
    ['2000-02-29', '2023-03-01', 23, 'Mar 1 of a common year, born Feb 29'],
    ['2000-02-29', '2024-02-28', 23, 'Feb 28 of a leap year, born Feb 29'],
    ['2000-02-29', '2024-02-29', 24, 'Feb 29 of a leap year, born Feb 29'],
    ['2026-03-01', '2026-03-01', 0, 'the day of birth'],
  ])('born %s, on %s → %i (%s)', (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age);
  });

  it('throws on a malformed day', () => {
    expect(() => ageOn('2023-02-29', '2026-01-01')).toThrow(RangeError);
  });
});
