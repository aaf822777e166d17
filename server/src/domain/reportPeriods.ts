// Periods of a scheduled data report (定时上报; G3; issue 8).
//
// 1. A daily period is one Asia/Shanghai calendar day; a weekly period is Monday to Sunday.
// 2. A period is due once it has ended: its last day is before the clock's day. The job runs after
//    midnight, so yesterday (daily) and, on Mondays, last week (weekly) are the newest due periods.
// 3. The first period of a schedule is the one containing the moment it was created or last enabled
//    (activeSince): a schedule set up on Wednesday reports that whole week the following Monday.
// 4. Missed periods (no instance ran) are due too, but at most `maxBack` of the newest ones: a unit
//    that was down for a year does not flood its department with 365 files.
// 5. A period's key names it uniquely within its schedule: D<first day> or W<Monday>.
import { addDays, daysBetween, shanghaiDay, type Day } from '@bamin/common';
import type { ReportFrequency } from '@bamin/common';

export interface ReportPeriod {
  key: string;
  /** First and last day, inclusive. */
  from: Day;
  to: Day;
}

/** Monday of the week containing `day` (ISO week: Monday first). */
export function mondayOf(day: Day): Day {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** Rule 1 and 5: the period of `frequency` that contains `day`. */
export function periodOf(frequency: ReportFrequency, day: Day): ReportPeriod {
  if (frequency === 'daily') return { key: `D${day}`, from: day, to: day };
  const monday = mondayOf(day);
  return { key: `W${monday}`, from: monday, to: addDays(monday, 6) };
}

/** Rules 2–4: due periods, oldest first. */
export function duePeriods(frequency: ReportFrequency, activeSince: Date, now: Date, maxBack: number): ReportPeriod[] {
  if (!Number.isInteger(maxBack) || maxBack < 1) throw new RangeError(`maxBack must be a positive whole number: ${maxBack}`);
  const today = shanghaiDay(now);
  const first = periodOf(frequency, shanghaiDay(activeSince));
  const out: ReportPeriod[] = [];
  // walk back from the newest ended period; stop at the first period or after maxBack
  for (let p = periodOf(frequency, addDays(periodOf(frequency, today).from, -1)); out.length < maxBack; p = periodOf(frequency, addDays(p.from, -1))) {
    if (daysBetween(first.from, p.from) < 0) break;
    out.push(p);
  }
  return out.reverse();
}
