export type MobileCheck = { ok: true; normalized: string } | { ok: false; problem: string };

/** Mainland China mobile numbers, written the many ways people type them: '150 1234 1234', '+86-150…'. */
export function checkMobile(raw: string): MobileCheck {
  let digits = String(raw ?? '').replace(/[\s-]/g, '');
  if (digits === '') return { ok: false, problem: '手机号码不能为空' };
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('86')) digits = digits.slice(2);
  if (!/^1[3-9]\d{9}$/.test(digits)) return { ok: false, problem: '手机号码格式不正确，应为11位中国大陆手机号码' };
  return { ok: true, normalized: digits };
}
