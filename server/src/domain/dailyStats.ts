// Rules of the enterprise dashboard's daily statistics (manual 五(二)4 企业看板; E3, G2; issue 6).
//
// 1. A statistics day is an Asia/Shanghai calendar day, [00:00, next 00:00) at +08:00; its bounds are
//    passed to SQL as instants (dayBounds).
// 2. Totals are "截至昨日": they end with yesterday, the business day before the clock's (yesterdayOf).
// 3. The share of a day is that day's reporting employees over that day's roll, 0 without a roll
//    (manual: 每日企业健康上报人数和占比企业人数比例); four decimals (shareOf).
// 4. The trend shows `days` days ending yesterday, 1 to TREND_MAX_DAYS (trendDays, isTrendLength).
// 5. Missed days are those after the last aggregated day up to yesterday, oldest first; with nothing
//    aggregated yet, the trend window ending yesterday; never more than the maxDays most recent ones
//    (missingDays): older days could not be shown on the dashboard anyway.
// 6. An enterprise is in a unit's area when its credit code's registration area (characters 3–8,
//    GB 32100) starts with the unit's area prefix: 2 digits for the province (卫健委), 4 for a city,
//    all 6 for a county (areaPrefix, creditCodeInArea).
import { addDays, daysBetween, shanghaiDay, startOfShanghaiDay, type Day } from '@bamin/common';

/** The longest trend the dashboard shows, and the most days a catch-up fills. */
export const TREND_MAX_DAYS = 90;
export const TREND_DEFAULT_DAYS = 30;

/** Rule 1: the instants a Shanghai day starts (inclusive) and ends (exclusive). */
export function dayBounds(day: Day): { start: Date; end: Date } {
  return { start: startOfShanghaiDay(day), end: startOfShanghaiDay(addDays(day, 1)) };
}

/** Rule 2. */
export function yesterdayOf(now: Date): Day {
  return addDays(shanghaiDay(now), -1);
}

/** Rule 3. */
export function shareOf(reportedEmployees: number, roll: number): number {
  if (!(roll > 0)) return 0;
  return Math.round((reportedEmployees / roll) * 10000) / 10000;
}

/** Rule 4. */
export function isTrendLength(days: number): boolean {
  return Number.isInteger(days) && days >= 1 && days <= TREND_MAX_DAYS;
}

/** Rule 4: oldest first, the last one is `yesterday`. */
export function trendDays(yesterday: Day, days: number): Day[] {
  if (!isTrendLength(days)) throw new RangeError(`trend length must be 1–${TREND_MAX_DAYS} days: ${days}`);
  return Array.from({ length: days }, (_, i) => addDays(yesterday, i - days + 1));
}

/** Rule 5. */
export function missingDays(lastAggregated: Day | null, yesterday: Day, maxDays: number): Day[] {
  if (!Number.isInteger(maxDays) || maxDays < 1) throw new RangeError(`maxDays must be a positive whole number: ${maxDays}`);
  const behind = lastAggregated === null ? maxDays : daysBetween(lastAggregated, yesterday);
  const n = Math.min(Math.max(behind, 0), maxDays);
  return Array.from({ length: n }, (_, i) => addDays(yesterday, i - n + 1));
}

/** Rule 6: the leading part of a registration area that a unit at this level covers. */
export function areaPrefix(area: { code: string; level: 'province' | 'city' | 'county' }): string {
  return area.code.slice(0, area.level === 'province' ? 2 : area.level === 'city' ? 4 : 6);
}

/** Rule 6. */
export function creditCodeInArea(creditCode: string, prefix: string): boolean {
  return creditCode.length === 18 && creditCode.slice(2, 8).startsWith(prefix);
}

/** Rule 6, for SQL LIKE: two characters (registration authority and kind), then the area prefix. */
export function creditCodeLikePattern(prefix: string): string {
  if (!/^\d{2,6}$/.test(prefix)) throw new RangeError(`not an area prefix: ${prefix}`);
  return `__${prefix}%`;
}
