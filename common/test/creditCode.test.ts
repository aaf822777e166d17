import { describe, expect, it } from 'vitest';
import { checkCreditCode, creditCodeCheckChar } from '../src/creditCode';

describe('checkCreditCode accepts published codes', () => {
  it.each([
    ['91350100M000100Y43', '350100'],
    ['91110000802100433B', '110000'],
    ['91440300708461136T', '440300'],
  ])('%s (area %s)', (code, area) => {
    expect(checkCreditCode(code)).toEqual({ ok: true, normalized: code, registrationArea: area });
    expect(creditCodeCheckChar(code.slice(0, 17))).toBe(code[17]);
  });

  it('trims and upper-cases', () => {
    expect(checkCreditCode('  91350100m000100y43 ')).toEqual({
      ok: true,
      normalized: '91350100M000100Y43',
      registrationArea: '350100',
    });
  });

  it('accepts a code built with creditCodeCheckChar, including check value 0', () => {
    // Search a body whose check value is 0 to cover the (31 − 0) mod 31 edge.
    let code = '';
    for (let n = 0; n < 31 && !code; n++) {
      const body = `52350102MJ${String(n).padStart(7, '0')}`;
      if (creditCodeCheckChar(body) === '0') code = body + '0';
    }
    expect(code).not.toBe('');
    expect(checkCreditCode(code).ok).toBe(true);
  });
});

describe('checkCreditCode rejects', () => {
  it.each([
    ['a wrong check character', '91350100M000100Y44', '校验码'],
    ['17 characters', '91350100M000100Y4', '长度'],
    ['19 characters', '91350100M000100Y430', '长度'],
    ['an empty string', '', '长度'],
    ['the letter I', '91350100I000100Y43', '无效字符'],
    ['the letter O', '91350100O000100Y43', '无效字符'],
    ['the letter S', '91350100S000100Y43', '无效字符'],
    ['the letter V', '91350100V000100Y43', '无效字符'],
    ['the letter Z', '91350100Z000100Y43', '无效字符'],
    ['punctuation', '91350100-000100Y43', '无效字符'],
    ['a letter in the registration area', '9135A100M000100Y43', '行政区划码'],
  ])('%s (%s)', (_name, code, problemWord) => {
    const result = checkCreditCode(code);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain(problemWord);
  });
});

describe('creditCodeCheckChar', () => {
  it('throws on a bad body', () => {
    expect(() => creditCodeCheckChar('91350100M000100Y')).toThrow(RangeError);
    expect(() => creditCodeCheckChar('91350100I000100Y4')).toThrow(RangeError);
  });
});
