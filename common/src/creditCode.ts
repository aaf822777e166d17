// GB 32100-2015 unified social credit code (统一社会信用代码): registration authority, organisation
// type, 6-digit registration area (GB/T 2260), 9-character organisation code, check character.
export type CreditCodeCheck =
  | { ok: true; normalized: string; registrationArea: string }
  | { ok: false; problem: string };

// I, O, S, V and Z are left out by the standard to avoid confusion with 1, 0, 5, U and 2.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Throws RangeError unless given 17 characters of the code's alphabet. */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('creditCodeCheckChar needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i]);
    if (value < 0) throw new RangeError(`not a credit-code character: ${first17[i]}`);
    sum += value * WEIGHTS[i];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

export function checkCreditCode(raw: string): CreditCodeCheck {
  const code = String(raw ?? '').trim().toUpperCase();
  if (code.length !== 18) return { ok: false, problem: '统一社会信用代码长度应为18位' };
  for (const ch of code) {
    if (!ALPHABET.includes(ch)) {
      return { ok: false, problem: '统一社会信用代码含有无效字符（不使用I、O、S、V、Z）' };
    }
  }
  const registrationArea = code.slice(2, 8);
  if (!/^\d{6}$/.test(registrationArea)) {
    return { ok: false, problem: '统一社会信用代码第3至8位应为登记管理机关行政区划码（6位数字）' };
  }
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) {
    return { ok: false, problem: '统一社会信用代码校验码不正确' };
  }
  return { ok: true, normalized: code, registrationArea };
}
