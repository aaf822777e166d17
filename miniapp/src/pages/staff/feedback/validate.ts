// Client-side checks of 反馈结果; the server has the final say.
import {
  TEMPERATURE_MAX_CELSIUS,
  TEMPERATURE_MIN_CELSIUS,
  type FeedbackRequest,
  type PassReason,
  type TemperatureResult,
} from '@bamin/common/staffApi';

export interface FeedbackForm {
  passReason: PassReason | '';
  temperatureResult: TemperatureResult | '';
  /** As typed; empty when not measured. */
  temperature: string;
}

export type FeedbackErrors = Partial<Record<keyof FeedbackForm, string>>;

export function validateFeedback(f: FeedbackForm): { ok: true; request: FeedbackRequest } | { ok: false; errors: FeedbackErrors } {
  const errors: FeedbackErrors = {};
  if (!f.passReason) errors.passReason = '请选择通行原因';
  if (!f.temperatureResult) errors.temperatureResult = '请选择体温结果';
  let celsius: number | null = null;
  const t = f.temperature.trim();
  if (t) {
    if (!/^\d{2}(\.\d)?$/.test(t)) errors.temperature = '体温请填写数字，最多一位小数，如 36.5';
    else {
      celsius = Number(t);
      if (celsius < TEMPERATURE_MIN_CELSIUS || celsius > TEMPERATURE_MAX_CELSIUS) {
        errors.temperature = `体温应在 ${TEMPERATURE_MIN_CELSIUS.toFixed(1)}–${TEMPERATURE_MAX_CELSIUS.toFixed(1)}℃ 之间`;
      }
    }
  }
  if (Object.keys(errors).length > 0 || !f.passReason || !f.temperatureResult) return { ok: false, errors };
  return { ok: true, request: { passReason: f.passReason, temperatureResult: f.temperatureResult, temperatureCelsius: celsius } };
}
