// 是否有以下症状（必选） (manual 一(六), 三(二)): shared by 健康上报 and 信息登记; the server has the final say.
import { SYMPTOMS, type Symptom } from '@bamin/common/appApi';

/** Column size of health_reports.other_symptom (VARCHAR(100)). */
export const OTHER_SYMPTOM_MAX = 100;

/** 无症状 excludes every other symptom: picking it clears them, picking another clears it; a second tap unpicks. */
export function toggleSymptom(current: readonly Symptom[], s: Symptom): Symptom[] {
  if (current.includes(s)) return current.filter((x) => x !== s);
  if (s === 'none') return ['none'];
  const next: Symptom[] = [...current.filter((x) => x !== 'none'), s];
  return SYMPTOMS.filter((x) => next.includes(x)); // the manual's order
}

export interface SymptomProblems {
  symptoms?: string;
  otherSymptom?: string;
}

/** The problems of a symptom answer, and the 其他症状 text to send (null unless 其他症状 is picked). */
export function checkSymptoms(symptoms: readonly Symptom[], otherSymptom: string): { problems: SymptomProblems; otherSymptom: string | null } {
  const problems: SymptomProblems = {};
  if (symptoms.length === 0) problems.symptoms = '请选择是否有以下症状';
  else if (symptoms.includes('none') && symptoms.length > 1) problems.symptoms = '“无症状”不能与其他症状同时选择';
  const other = otherSymptom.trim();
  if (symptoms.includes('other')) {
    if (!other) problems.otherSymptom = '请填写其他症状';
    else if (Array.from(other).length > OTHER_SYMPTOM_MAX) problems.otherSymptom = `其他症状不能超过 ${OTHER_SYMPTOM_MAX} 个字`;
  }
  return { problems, otherSymptom: symptoms.includes('other') ? other : null };
}
