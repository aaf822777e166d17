// Client-side check of a new staff password against STAFF_PASSWORD_RULE_TEXT; the server has the final say.
export interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export type PasswordErrors = Partial<Record<keyof PasswordForm, string>>;

export function validatePasswordForm(f: PasswordForm, phone = ''): PasswordErrors {
  const errs: PasswordErrors = {};
  if (!f.currentPassword) errs.currentPassword = '请输入原密码';
  const p = f.newPassword;
  if (!p) errs.newPassword = '请输入新密码';
  else if (p.length < 8 || p.length > 32) errs.newPassword = '新密码须为 8–32 位';
  else if (!/[A-Za-z]/.test(p) || !/[0-9]/.test(p)) errs.newPassword = '新密码须同时包含字母和数字';
  else if (/\s/.test(p)) errs.newPassword = '新密码不能包含空格';
  else if (p === f.currentPassword) errs.newPassword = '新密码不能与原密码相同';
  else if (phone && p === phone) errs.newPassword = '新密码不能与手机号相同';
  if (!f.confirmPassword) errs.confirmPassword = '请再次输入新密码';
  else if (f.confirmPassword !== p) errs.confirmPassword = '两次输入的新密码不一致';
  return errs;
}
