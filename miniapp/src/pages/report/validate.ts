// Client-side checks of the 健康上报 form (manual 一(六) 是否有以下症状（必选）); the server has the final say.
import type { HealthReportRequest, Symptom } from '@bamin/common/appApi';
import { TEMPERATURE_MAX_CELSIUS, TEMPERATURE_MIN_CELSIUS } from '@bamin/common/staffApi';
import { checkSymptoms } from '../../services/symptoms';

export { OTHER_SYMPTOM_MAX, toggleSymptom } from '../../services/symptoms';

export interface ReportForm {
  holder: string;
  /** As typed, e.g. "36.5". */
  temperature: string;
  symptoms: Symptom[];
  otherSymptom: string;
  areaCode: string;
  location: string;
}

export type ReportField = 'holder' | 'temperature' | 'symptoms' | 'otherSymptom' | 'areaCode' | 'location';
export type ReportErrors = Partial<Record<ReportField, string>>;

/** Column size of health_reports.location (VARCHAR(200)). */
export const LOCATION_MAX = 200;

export const EMPTY_REPORT_FORM: ReportForm = { holder: 'self', temperature: '', symptoms: [], otherSymptom: '', areaCode: '', location: '' };

/** "36.5" → 36.5; integers or one decimal place only, 35.0–42.0 ℃. */
export function checkTemperature(text: string): { ok: true; value: number } | { ok: false; problem: string } {
  const t = text.trim();
  if (!t) return { ok: false, problem: '请填写体温' };
  if (!/^\d{1,2}(\.\d+)?$/.test(t)) return { ok: false, problem: '体温格式不正确，如 36.5' };
  if (!/^\d{1,2}(\.\d)?$/.test(t)) return { ok: false, problem: '体温最多保留 1 位小数' };
  const value = Number(t);
  if (value < TEMPERATURE_MIN_CELSIUS || value > TEMPERATURE_MAX_CELSIUS) {
    return { ok: false, problem: `体温应在 ${TEMPERATURE_MIN_CELSIUS.toFixed(1)}–${TEMPERATURE_MAX_CELSIUS.toFixed(1)} ℃ 之间` };
  }
  return { ok: true, value };
}

export function validateReportForm(f: ReportForm): { ok: true; request: HealthReportRequest } | { ok: false; errors: ReportErrors } {
  const errors: ReportErrors = {};
  if (!f.holder) errors.holder = '请选择为谁上报';
  const temp = checkTemperature(f.temperature);
  if (!temp.ok) errors.temperature = temp.problem;
  const symptomCheck = checkSymptoms(f.symptoms, f.otherSymptom);
  Object.assign(errors, symptomCheck.problems);
  // GB/T 2260: a county's last two digits are never 00 (those are provinces and cities).
  if (!/^\d{4}(0[1-9]|[1-9]\d)$/.test(f.areaCode)) errors.areaCode = '请选择当前所在地区（省、市、区县）';
  const location = f.location.trim();
  if (!location) errors.location = '请填写具体位置，或点击“定位当前位置”';
  else if (Array.from(location).length > LOCATION_MAX) errors.location = `具体位置不能超过 ${LOCATION_MAX} 个字`;
  if (Object.keys(errors).length > 0 || !temp.ok) return { ok: false, errors };
  return {
    ok: true,
    request: {
      holder: f.holder,
      temperatureCelsius: temp.value,
      symptoms: [...f.symptoms],
      otherSymptom: symptomCheck.otherSymptom,
      areaCode: f.areaCode,
      location,
    },
  };
}

/** The server's field names (VALIDATION_FAILED details) → the form's. */
export const SERVER_FIELD: Record<string, ReportField> = {
  holder: 'holder',
  temperatureCelsius: 'temperature',
  symptoms: 'symptoms',
  otherSymptom: 'otherSymptom',
  areaCode: 'areaCode',
  location: 'location',
};
