// Client-side checks of 信息登记 (manual 三(二) 6; C3): a member and 是否有以下症状（必选）.
import type { Symptom } from '@bamin/common/appApi';
import type { RegistrationRequest } from '@bamin/common/pointApi';
import { checkSymptoms } from '../../services/symptoms';

export interface RegisterForm {
  holder: string;
  symptoms: Symptom[];
  otherSymptom: string;
}

export type RegisterField = 'holder' | 'symptoms' | 'otherSymptom';
export type RegisterErrors = Partial<Record<RegisterField, string>>;

export function validateRegistration(token: string, f: RegisterForm): { ok: true; request: RegistrationRequest } | { ok: false; errors: RegisterErrors } {
  const errors: RegisterErrors = {};
  if (!f.holder) errors.holder = '请选择登记成员';
  const symptoms = checkSymptoms(f.symptoms, f.otherSymptom);
  Object.assign(errors, symptoms.problems);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request: { token, holder: f.holder, symptoms: [...f.symptoms], otherSymptom: symptoms.otherSymptom } };
}

/** The server's field names (VALIDATION_FAILED details) → the form's. */
export const SERVER_FIELD: Record<string, RegisterField> = { holder: 'holder', symptoms: 'symptoms', otherSymptom: 'otherSymptom' };
