// Crowd-flow warnings of a service point (manual 四(十), 五(二)10; D9, E9):
// - The live count at time t is the number of DISTINCT people with a scan record of the point (passive or
//   active) in the window (t − window, t]: a visit exactly one window ago is out, one a moment later in.
//   (As the manual: with a 30-minute window the system counts the visitors of the last 30 minutes.)
// - At the warning line (预警线人数) the point is 预警; at capacity (人流上限数量) 已超标.
// - A state change is announced once; staying in a state announces nothing.
import type { CrowdState } from '@bamin/common';

export interface Visit {
  personId: number;
  at: Date;
}

/** Start of the window (exclusive) ending at `now` (inclusive). */
export function windowStart(now: Date, windowMinutes: number): Date {
  return new Date(now.getTime() - windowMinutes * 60_000);
}

/** Distinct people with a visit in (now − window, now]. */
export function liveCount(visits: readonly Visit[], now: Date, windowMinutes: number): number {
  const from = windowStart(now, windowMinutes).getTime();
  const to = now.getTime();
  const people = new Set<number>();
  for (const v of visits) {
    const t = v.at.getTime();
    if (t > from && t <= to) people.add(v.personId);
  }
  return people.size;
}

export function crowdState(count: number, setting: { capacity: number; warningLine: number }): CrowdState {
  if (count >= setting.capacity) return 'exceeded';
  if (count >= setting.warningLine) return 'warning';
  return 'normal';
}

/** The longest window a setting may have (24 hours). */
export const MAX_WINDOW_MINUTES = 1440;

/** The warning line may not be above the capacity; both positive; the window 1 minute to 24 hours. */
export function checkCrowdSetting(s: { capacity: number; warningLine: number; windowMinutes: number }): { field: string; problem: string }[] {
  const problems: { field: string; problem: string }[] = [];
  if (!Number.isInteger(s.capacity) || s.capacity < 1 || s.capacity > 1_000_000) problems.push({ field: 'capacity', problem: '人流上限数量须为 1–1000000 的整数' });
  if (!Number.isInteger(s.warningLine) || s.warningLine < 1) problems.push({ field: 'warningLine', problem: '预警线人数须为正整数' });
  else if (s.warningLine > s.capacity) problems.push({ field: 'warningLine', problem: '预警线人数不能大于人流上限数量' });
  if (!Number.isInteger(s.windowMinutes) || s.windowMinutes < 1 || s.windowMinutes > MAX_WINDOW_MINUTES)
    problems.push({ field: 'windowMinutes', problem: `统计时间间隔须为 1–${MAX_WINDOW_MINUTES} 分钟的整数` });
  return problems;
}

/** The announcement a change of state deserves, or null when the state did not change. */
export function stateChange(previous: CrowdState, next: CrowdState): { from: CrowdState; to: CrowdState } | null {
  return previous === next ? null : { from: previous, to: next };
}

// The count kept incrementally (issue 12: a point's whole window counted per scan cost as much as its traffic).
// Each (point, person) keeps the person's latest record there (presence), and the point's state keeps the
// window start `windowFrom` its count counts from; the invariant is
//     count = the people whose latest record is after windowFrom.
// At a count at `now` the window start moves to max(now − window, windowFrom) — never back: a batch whose
// clock read a moment before another's, counted after it, counts at the later start — and
//     count' = count − leaving + entering,
// leaving: the people whose latest record is in (windowFrom, start'] (read by the database, before the
// batch's own are stored); entering: the batch's people with a record after start' whose latest record
// before the batch (`present`) was not (or who had none). Equal to liveCount at `now` whenever no record is
// later than `now` — presence holds every record's person, so none is missed and none counted twice.

/** The stored count of a point, as its state row has it. */
export interface CountedWindow {
  count: number;
  windowFrom: Date;
}

/** The count at `now` after `visits` (the batch's records of the point), from the stored one; see above. */
export function presenceCount(input: {
  stored: CountedWindow;
  windowMinutes: number;
  now: Date;
  leaving: number;
  visits: readonly Visit[];
  /** each visiting person's latest record at the point before the batch (none: never there) */
  present: ReadonlyMap<number, Date>;
}): CountedWindow {
  const start = Math.max(windowStart(input.now, input.windowMinutes).getTime(), input.stored.windowFrom.getTime());
  const entering = new Set<number>();
  for (const v of input.visits) {
    if (v.at.getTime() <= start) continue;
    const before = input.present.get(v.personId);
    if (!before || before.getTime() <= start) entering.add(v.personId);
  }
  return { count: input.stored.count - input.leaving + entering.size, windowFrom: new Date(start) };
}

/**
 * The presence rows of a point no count can need again are those whose latest record is before this bound:
 * older than the longest window, and not after the window start the point's stored count counts from (a point
 * idle for days still counts its last window's people). `windowFrom` null: the point is no longer counted.
 */
export function presenceNoLongerNeeded(windowFrom: Date | null, now: Date): Date {
  const longest = windowStart(now, MAX_WINDOW_MINUTES);
  return windowFrom && windowFrom < longest ? windowFrom : longest;
}
