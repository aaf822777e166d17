// antd Form rules built from common/'s checks, so the console refuses what the server would refuse and
// says why in the same words. The server stays the authority.
import type { FormInstance, FormRule } from 'antd';
import { checkCreditCode } from '@bamin/common/creditCode';
import { checkIdDocument, type IdType } from '@bamin/common/idDocuments';
import { checkResidentId } from '@bamin/common/ids';
import { checkNewPassword } from '@bamin/common/passwords';
import { checkMobile } from '@bamin/common/phone';
import { ENTERPRISE_PASSWORD_MAX, ENTERPRISE_PASSWORD_MIN } from '@bamin/common/consoleApi';

type Check = (value: string) => string | null;

/** A rule from a check returning the problem or null; empty values are left to `required`. */
export function checkRule(check: Check): FormRule {
  return {
    validator: async (_rule, value) => {
      if (value === undefined || value === null || String(value).trim() === '') return;
      const problem = check(String(value));
      if (problem) throw new Error(problem);
    },
  };
}

export const required = (message: string): FormRule => ({ required: true, whitespace: true, message });

export const creditCodeRule = checkRule((v) => {
  const c = checkCreditCode(v);
  return c.ok ? null : c.problem;
});

export const residentIdRule = checkRule((v) => {
  const c = checkResidentId(v);
  return c.ok ? null : c.problem;
});

export const mobileRule = checkRule((v) => {
  const c = checkMobile(v);
  return c.ok ? null : c.problem;
});

export const smsCodeRule: FormRule = { pattern: /^\d{6}$/, message: '验证码为6位数字' };

/** The ID number judged with the form's current document type and (passports) country. */
export function idNumberRule(form: FormInstance, typeField = 'idType', countryField = 'country'): FormRule {
  return checkRule((v) => {
    const idType = form.getFieldValue(typeField) as IdType | undefined;
    if (!idType) return null;
    const country = idType === 'passport' ? (form.getFieldValue(countryField) as string | undefined) ?? null : null;
    const c = checkIdDocument(idType, v, country);
    // A missing passport country is the country field's problem, shown there.
    if (!c.ok && c.field === 'id_number') return c.problem;
    return null;
  });
}

/** Enterprise registration: 6–16 characters, case-sensitive (manual 五(二)1 法人注册). */
export const enterprisePasswordRule = checkRule((v) =>
  v.length < ENTERPRISE_PASSWORD_MIN || v.length > ENTERPRISE_PASSWORD_MAX ? `登录密码须为${ENTERPRISE_PASSWORD_MIN}-${ENTERPRISE_PASSWORD_MAX}个字符` : null,
);

/** A new password of a console account (common/src/passwords.ts). */
export function newPasswordRule(form: FormInstance, context: { loginName?: string | null; currentField?: string }): FormRule {
  return checkRule((v) => {
    const current = context.currentField ? (form.getFieldValue(context.currentField) as string | undefined) : undefined;
    const c = checkNewPassword(v, { current: current || undefined, loginName: context.loginName ?? null });
    return c.ok ? null : `新密码${c.problem}`;
  });
}

/** The confirmation equals the field it confirms. */
export function sameAsRule(form: FormInstance, field: string, message: string): FormRule {
  return checkRule((v) => (v === form.getFieldValue(field) ? null : message));
}
