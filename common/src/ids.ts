// GB 11643-1999 citizen identity numbers (居民身份证号码): 6-digit address code, 8-digit birth date,
// 3-digit sequence (odd = male), ISO 7064 MOD 11-2 check character.
import { type Day, isValidDay } from './dates';

export type IdNumberCheck =
  | { ok: true; normalized: string; birthDate: Day; sex: 'male' | 'female' }
  | { ok: false; problem: string };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

const MIN_BIRTH_DATE: Day = '1900-01-01';
const MAX_BIRTH_DATE: Day = '2099-12-31';

/** Throws RangeError unless given exactly 17 digits. */
export function residentIdCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('residentIdCheckDigit needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/**
 * Only the first digit of the address code is checked (1–8): codes abolished from GB/T 2260 remain on
 * valid cards for life, and residence permits for Hong Kong, Macao and Taiwan residents use 81/82/83.
 */
export function checkResidentId(raw: string): IdNumberCheck {
  const id = String(raw ?? '').trim().toUpperCase();
  if (id.length !== 18) return { ok: false, problem: '身份证号码长度应为18位' };
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, problem: '身份证号码含有无效字符（前17位应为数字，末位为数字或X）' };
  if (id[0] === '0' || id[0] === '9') return { ok: false, problem: '身份证号码地址码无效' };
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isValidDay(birthDate) || birthDate < MIN_BIRTH_DATE || birthDate > MAX_BIRTH_DATE) {
    return { ok: false, problem: '身份证号码中的出生日期无效' };
  }
  if (residentIdCheckDigit(id.slice(0, 17)) !== id[17]) return { ok: false, problem: '身份证号码校验位不正确' };
  return { ok: true, normalized: id, birthDate, sex: Number(id[16]) % 2 === 1 ? 'male' : 'female' };
}

/**
 * Full years of age (周岁) on `on`. Comparing month and day as numbers makes a Feb 29 birthday
 * fall on Mar 1 in common years. Negative when `on` is before the birth date.
 */
export function ageOn(birthDate: Day, on: Day): number {
  if (!isValidDay(birthDate) || !isValidDay(on)) throw new RangeError('ageOn needs two valid days');
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [oy, om, od] = on.split('-').map(Number);
  const birthdayPassed = om > bm || (om === bm && od >= bd);
  return oy - by - (birthdayPassed ? 0 : 1);
}
