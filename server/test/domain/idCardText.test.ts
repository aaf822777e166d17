import { residentIdCheckDigit } from '@bamin/common';
import { describe, expect, it } from 'vitest';
import { idNumberCandidates, pickIdNumber } from '../../src/domain/idCardText';

/** A valid number: address code + birth date + sequence + computed check character. */
function id(birth: string, seq: string, county = '350102'): string {
  const body = `${county}${birth}${seq}`;
  return body + residentIdCheckDigit(body);
}
/** A sequence for which the check character is X (the 17-digit body is searched, never hard-coded). */
function idEndingInX(birth: string, county = '350102'): string {
  for (let seq = 1; seq < 1000; seq++) {
    const candidate = id(birth, String(seq).padStart(3, '0'), county);
    if (candidate.endsWith('X')) return candidate;
  }
  throw new Error('no sequence gives X');
}
/** The same number with a wrong check character. */
function wrongCheck(valid: string): string {
  const other = '0123456789X'.split('').find((c) => c !== valid[17])!;
  return valid.slice(0, 17) + other;
}

const A = id('19500307', '123');
const B = id('19581201', '246', '350203');
const X = idEndingInX('19660131');
const BAD_DATE = (() => {
  const body = '35010219500230123'; // 30 February
  return body + residentIdCheckDigit(body);
})();

describe('ID number in OCR text (F3)', () => {
  it.each([
    ['the bare number', A, A],
    ['with surrounding lines of OCR noise', `1 2\n 0 7\n${A}\n3 1`, A],
    ['with spaces around it on its line', `   ${A}  `, A],
    ['split into groups by spaces', `${A.slice(0, 6)} ${A.slice(6, 14)} ${A.slice(14)}`, A],
    ['split into groups with tabs and several spaces', `${A.slice(0, 4)}\t${A.slice(4, 10)}   ${A.slice(10)}`, A],
    ['next to other digit groups on the same line', `12 ${A.slice(0, 6)} ${A.slice(6)} 7`, A],
    ['ending in X', `\n${X}\n`, X],
    ['ending in a lower-case x', X.slice(0, 17) + 'x', X],
    ['the same number twice', `${A}\n${A}`, A],
    ['the same number once whole and once in groups', `${A}\n${A.slice(0, 9)} ${A.slice(9)}`, A],
    ['Windows line ends', `77\r\n${B}\r\n`, B],
  ])('%s → found', (_name, text, expected) => {
    expect(pickIdNumber(text)).toBe(expected);
    expect(idNumberCandidates(text)).toEqual([expected]);
  });

  it.each([
    ['empty text', ''],
    ['only short digit groups', '1950 3 7\n12 34'],
    ['a wrong check character', wrongCheck(A)],
    ['an impossible birth date (30 February)', BAD_DATE],
    ['17 characters', A.slice(0, 17)],
    ['19 characters (a misread extra digit is not cut away)', `1${A}`],
    ['19 characters at the end', `${A}1`],
    ['the number broken over two lines', `${A.slice(0, 9)}\n${A.slice(9)}`],
    ['X in the middle', A.slice(0, 8) + 'X' + A.slice(9)],
    ['address code starting with 0', (() => { const b = '05010219500307123'; return b + residentIdCheckDigit(b); })()],
  ])('%s → nothing', (_name, text) => {
    expect(pickIdNumber(text)).toBeNull();
    expect(idNumberCandidates(text)).toEqual([]);
  });

  it('two different valid numbers are ambiguous: no number, never a guess', () => {
    const text = `${A}\n${B}`;
    expect(idNumberCandidates(text)).toEqual([A, B]);
    expect(pickIdNumber(text)).toBeNull();
  });

  it('an invalid misread next to the valid number does not hide it', () => {
    expect(pickIdNumber(`${wrongCheck(B)}\n${B}`)).toBe(B);
  });

  it('tolerates non-string input from loose callers', () => {
    expect(pickIdNumber(undefined as unknown as string)).toBeNull();
  });
});
