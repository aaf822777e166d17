// Client-side checks of 入闽申报 (B1, manual 二(三)1: 入闽前 1 至 3 天申领); the server has the final say.
import { ARRIVAL_FUTURE_DAYS, ARRIVAL_PAST_DAYS, FUJIAN_PROVINCE_CODE, type ArrivalDeclarationRequest } from '@bamin/common/nationalApi';
import { addDays, isValidDay, shanghaiDay, type Day } from '@bamin/common/dates';

// the rules of common/src/nationalApi.ts, the server's too
export { ARRIVAL_FUTURE_DAYS, ARRIVAL_PAST_DAYS, FUJIAN_PROVINCE_CODE };

export interface ArrivalForm {
  originProvinceCode: string;
  arrivalDate: Day;
}
export type ArrivalField = keyof ArrivalForm;
export type ArrivalErrors = Partial<Record<ArrivalField, string>>;

/** The first and last day the date picker offers, in Beijing days. */
export function arrivalDateRange(now: Date = new Date()): { start: Day; end: Day; today: Day } {
  const today = shanghaiDay(now);
  return { start: addDays(today, -(ARRIVAL_PAST_DAYS - 1)), end: addDays(today, ARRIVAL_FUTURE_DAYS), today };
}

export function validateArrival(f: ArrivalForm, now: Date = new Date()):
  | { ok: true; request: ArrivalDeclarationRequest }
  | { ok: false; errors: ArrivalErrors } {
  const errors: ArrivalErrors = {};
  if (!/^\d{2}0000$/.test(f.originProvinceCode)) errors.originProvinceCode = '请选择出发地所在省（自治区、直辖市）';
  else if (f.originProvinceCode === FUJIAN_PROVINCE_CODE) errors.originProvinceCode = '出发地应为福建省以外的省份';
  const { start, end } = arrivalDateRange(now);
  if (!f.arrivalDate || !isValidDay(f.arrivalDate)) errors.arrivalDate = '请选择入闽日期';
  else if (f.arrivalDate < start || f.arrivalDate > end) {
    errors.arrivalDate = `入闽日期须在近 ${ARRIVAL_PAST_DAYS} 天内或未来 ${ARRIVAL_FUTURE_DAYS} 天内（${start} 至 ${end}）`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, request: { originProvinceCode: f.originProvinceCode, arrivalDate: f.arrivalDate } };
}
