// Business dates are calendar days in Asia/Shanghai. China has kept a fixed UTC+8 without daylight
// saving since 1991, so a constant offset is exact for every date this system handles and keeps the
// rules free of time-zone databases (the mini-program runtime has no reliable Intl time zones).

export type Day = string; // 'YYYY-MM-DD'

export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const MS_PER_DAY = 24 * 60 * 60 * 1000;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return isLeapYear(y) ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

function isRealDate(y: number, mo: number, d: number): boolean {
  return (
    Number.isInteger(y) && Number.isInteger(mo) && Number.isInteger(d) &&
    y >= 0 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)
  );
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil); computed by hand
// because Date.UTC maps years 0–99 to 1900–1999.
function epochDayOf(y: number, mo: number, d: number): number {
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilOf(epochDay: number): [number, number, number] {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const mo = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (mo <= 2 ? 1 : 0), mo, d];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatDay(y: number, mo: number, d: number): Day {
  if (y < 0 || y > 9999) throw new RangeError(`date out of range: year ${y}`);
  return `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}`;
}

function epochDayOfDay(day: Day): number {
  const m = DAY_PATTERN.exec(day);
  if (!m || !isRealDate(+m[1], +m[2], +m[3])) throw new RangeError(`not a valid day: ${JSON.stringify(day)}`);
  return epochDayOf(+m[1], +m[2], +m[3]);
}

function dayOfEpochDay(epochDay: number): Day {
  const [y, mo, d] = civilOf(epochDay);
  return formatDay(y, mo, d);
}

function checkInstant(instant: Date): number {
  const t = instant instanceof Date ? instant.getTime() : NaN;
  if (Number.isNaN(t)) throw new RangeError('invalid Date');
  return t;
}

export function shanghaiDay(instant: Date): Day {
  return dayOfEpochDay(Math.floor((checkInstant(instant) + SHANGHAI_OFFSET_MS) / MS_PER_DAY));
}

/** Throws RangeError for a malformed day: a bad day reaching date arithmetic is a programming error. */
export function addDays(day: Day, n: number): Day {
  if (!Number.isInteger(n)) throw new RangeError(`not a whole number of days: ${n}`);
  return dayOfEpochDay(epochDayOfDay(day) + n);
}

/** `to` − `from` in days; negative when `to` is earlier. */
export function daysBetween(from: Day, to: Day): number {
  return epochDayOfDay(to) - epochDayOfDay(from);
}

export function isValidDay(s: string): boolean {
  if (typeof s !== 'string') return false;
  const m = DAY_PATTERN.exec(s);
  return m !== null && isRealDate(+m[1], +m[2], +m[3]);
}

export function startOfShanghaiDay(day: Day): Date {
  return new Date(epochDayOfDay(day) * MS_PER_DAY - SHANGHAI_OFFSET_MS);
}

export function shanghaiWallClock(
  y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0,
): Date | null {
  if (!isRealDate(y, mo, d)) return null;
  const inRange = (v: number, max: number) => Number.isInteger(v) && v >= 0 && v <= max;
  // No 24:00 and no leap second 60: neither names an instant people enter into these forms.
  if (!inRange(h, 23) || !inRange(mi, 59) || !inRange(s, 59) || !inRange(ms, 999)) return null;
  return new Date(epochDayOf(y, mo, d) * MS_PER_DAY - SHANGHAI_OFFSET_MS + ((h * 60 + mi) * 60 + s) * 1000 + ms);
}

const BUSINESS_TIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * ISO 8601 date or date-time as sent by clients and written in import files. Without an offset the
 * time is Shanghai wall-clock time. Fractions beyond milliseconds are truncated. An offset is only
 * accepted together with a time ('2026-03-01Z' is not ISO 8601).
 */
export function parseBusinessTime(text: string): Date | null {
  if (typeof text !== 'string') return null;
  const m = BUSINESS_TIME_PATTERN.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, offset] = m;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const local = shanghaiWallClock(+y, +mo, +d, h ? +h : 0, mi ? +mi : 0, s ? +s : 0, ms);
  if (!local || !offset) return local;
  if (offset === 'Z') return new Date(local.getTime() + SHANGHAI_OFFSET_MS);
  const om = /^([+-])(\d{2}):?(\d{2})$/.exec(offset)!;
  const offH = +om[2];
  const offMi = +om[3];
  if (offH > 23 || offMi > 59) return null;
  const offsetMs = (om[1] === '-' ? -1 : 1) * (offH * 60 + offMi) * 60 * 1000;
  // `local` read the wall clock as +08:00; re-read it at the given offset.
  return new Date(local.getTime() + SHANGHAI_OFFSET_MS - offsetMs);
}

export function formatShanghai(instant: Date): string {
  const shifted = checkInstant(instant) + SHANGHAI_OFFSET_MS;
  const epochDay = Math.floor(shifted / MS_PER_DAY);
  const msOfDay = shifted - epochDay * MS_PER_DAY;
  const secondsOfDay = Math.floor(msOfDay / 1000);
  const hh = Math.floor(secondsOfDay / 3600);
  const mm = Math.floor((secondsOfDay % 3600) / 60);
  const ss = secondsOfDay % 60;
  return `${dayOfEpochDay(epochDay)} ${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}`;
}
