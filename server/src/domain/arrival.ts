// Who is an arrival from another province (跨省互认, manual 二; B1): the pure rule, used by the origin check
// (services/originService.ts) and by the code page's one statement (services/citizenService.ts).
// - a person with a resident ID number whose residence is outside Fujian, or
// - who declared an arrival (入闽申报) for a day within the last 14, or the next 3 (入闽前 1 至 3 天).
import { ARRIVAL_FUTURE_DAYS, ARRIVAL_PAST_DAYS, FUJIAN_PROVINCE_CODE, addDays, type Day } from '@bamin/common';

/** The days an arrival declaration counts on, as of `today` (Asia/Shanghai): [first, last], both included. */
export function arrivalWindow(today: Day): [Day, Day] {
  return [addDays(today, -(ARRIVAL_PAST_DAYS - 1)), addDays(today, ARRIVAL_FUTURE_DAYS)];
}

/** The rule on facts already read: `declared` = a declaration for a day of arrivalWindow. */
export function isArrivalByFacts(person: { idType: string; residenceArea: string | null }, declared: boolean): boolean {
  if (person.idType !== 'resident_id') return false;
  if (person.residenceArea && !person.residenceArea.startsWith(FUJIAN_PROVINCE_CODE.slice(0, 2))) return true;
  return declared;
}
