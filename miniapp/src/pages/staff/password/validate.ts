// Client-side check of a new staff password with the one rule in common/ (the server applies the same
// rule and has the final say).
import { checkNewPassword } from '@bamin/common/passwords';

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
  else {
    const rule = checkNewPassword(p, { current: f.currentPassword || undefined, phone: phone || null });
    if (!rule.ok) errs.newPassword = `新密码${rule.problem}`;
  }
  if (!f.confirmPassword) errs.confirmPassword = '请再次输入新密码';
  else if (f.confirmPassword !== p) errs.confirmPassword = '两次输入的新密码不一致';
  return errs;
}
