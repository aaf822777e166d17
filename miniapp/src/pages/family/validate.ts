// Client-side checks of the 为家人申领 form: one Chinese message per field.
import {
  FAMILY_RELATIONS,
  type FamilyApplication,
  type FamilyRelation,
  type HealthAnswers,
} from '@bamin/common/appApi';
import { checkIdDocument, type IdType } from '@bamin/common/idDocuments';
import { checkMobile } from '@bamin/common/phone';
import { isValidDay } from '@bamin/common/dates';
import { HEALTH_KEYS } from '../../components/HealthQuestions';

export { HEALTH_KEYS };

export interface FamilyForm {
  relation: FamilyRelation | '';
  name: string;
  idType: IdType | '';
  idNumber: string;
  country: string;
  birthDate: string;
  phone: string;
  smsCode: string;
  answers: Partial<Record<keyof HealthAnswers, boolean>>;
  commitment: boolean;
}

export type FamilyField =
  | 'relation' | 'name' | 'idType' | 'idNumber' | 'country' | 'birthDate' | 'phone' | 'smsCode' | 'commitment'
  | keyof HealthAnswers;

export const EMPTY_FAMILY_FORM: FamilyForm = {
  relation: '',
  name: '',
  idType: '',
  idNumber: '',
  country: '',
  birthDate: '',
  phone: '',
  smsCode: '',
  answers: {},
  commitment: false,
};

export type ValidationResult =
  | { ok: true; application: FamilyApplication }
  | { ok: false; errors: Partial<Record<FamilyField, string>> };

export function validateFamilyForm(form: FamilyForm): ValidationResult {
  const errors: Partial<Record<FamilyField, string>> = {};
  if (!form.relation || !(FAMILY_RELATIONS as readonly string[]).includes(form.relation)) {
    errors.relation = '请选择他/她与您的关系';
  }
  const name = form.name.trim();
  if (!name) errors.name = '请输入他/她的姓名';
  else if (Array.from(name).length > 50) errors.name = '姓名过长';

  let idNumber = '';
  let country: string | null = null;
  if (!form.idType) {
    errors.idType = '请选择他/她的证件类型';
    if (!form.idNumber.trim()) errors.idNumber = '请输入他/她的证件号码';
  } else {
    const doc = checkIdDocument(form.idType, form.idNumber, form.idType === 'passport' ? form.country : null);
    if (!doc.ok) {
      if (doc.field === 'country') errors.country = doc.problem;
      else if (doc.field === 'id_type') errors.idType = doc.problem;
      else errors.idNumber = doc.problem === '不能为空' ? '请输入他/她的证件号码' : doc.problem;
    } else {
      idNumber = doc.number;
      country = doc.country;
    }
    if (form.idType !== 'resident_id') {
      if (!form.birthDate) errors.birthDate = '请选择他/她的出生日期';
      else if (!isValidDay(form.birthDate)) errors.birthDate = '出生日期无效';
    }
  }

  const mobile = checkMobile(form.phone);
  if (!mobile.ok) errors.phone = mobile.problem;
  const smsCode = form.smsCode.trim();
  if (!smsCode) errors.smsCode = '请输入验证码';
  else if (!/^\d{4,8}$/.test(smsCode)) errors.smsCode = '验证码格式不正确';

  for (const key of HEALTH_KEYS) {
    if (typeof form.answers[key] !== 'boolean') errors[key] = '请选择“是”或“否”';
  }
  if (!form.commitment) errors.commitment = '请阅读并勾选“本人郑重承诺”';

  if (Object.keys(errors).length > 0 || !mobile.ok || !form.relation || !form.idType) return { ok: false, errors };
  return {
    ok: true,
    application: {
      relation: form.relation,
      name,
      idType: form.idType,
      idNumber,
      country,
      birthDate: form.idType === 'resident_id' ? null : form.birthDate,
      phone: mobile.normalized,
      smsCode,
      answers: Object.fromEntries(HEALTH_KEYS.map((k) => [k, form.answers[k] as boolean])) as unknown as HealthAnswers,
      commitmentAccepted: true,
    },
  };
}
