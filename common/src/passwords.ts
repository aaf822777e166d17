// The rule for a new password of a legal-person account or scanning sub-account (F1, D2): checked in the
// app before sending and by the server, which is the authority.
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 32;

export type PasswordCheck = { ok: true } | { ok: false; problem: string };

export function checkNewPassword(password: string, context: { current?: string; phone?: string | null; loginName?: string | null } = {}): PasswordCheck {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    return { ok: false, problem: `长度须为 ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} 位` };
  }
  if (!/^[\x21-\x7e]+$/.test(password)) return { ok: false, problem: '只能使用字母、数字和英文符号，不能有空格' };
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return { ok: false, problem: '须同时包含字母和数字' };
  if (context.current !== undefined && password === context.current) return { ok: false, problem: '不能与原密码相同' };
  if (context.phone && password.includes(context.phone)) return { ok: false, problem: '不能包含手机号' };
  if (context.loginName && password.toLowerCase().includes(context.loginName.toLowerCase())) return { ok: false, problem: '不能包含用户名' };
  return { ok: true };
}
