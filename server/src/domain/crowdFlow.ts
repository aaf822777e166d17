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

/** The warning line may not be above the capacity; both positive; the window 1 minute to 24 hours. */
export function checkCrowdSetting(s: { capacity: number; warningLine: number; windowMinutes: number }): { field: string; problem: string }[] {
  const problems: { field: string; problem: string }[] = [];
  if (!Number.isInteger(s.capacity) || s.capacity < 1 || s.capacity > 1_000_000) problems.push({ field: 'capacity', problem: '人流上限数量须为 1–1000000 的整数' });
  if (!Number.isInteger(s.warningLine) || s.warningLine < 1) problems.push({ field: 'warningLine', problem: '预警线人数须为正整数' });
  else if (s.warningLine > s.capacity) problems.push({ field: 'warningLine', problem: '预警线人数不能大于人流上限数量' });
  if (!Number.isInteger(s.windowMinutes) || s.windowMinutes < 1 || s.windowMinutes > 1440) problems.push({ field: 'windowMinutes', problem: '统计时间间隔须为 1–1440 分钟的整数' });
  return problems;
}

/** The announcement a change of state deserves, or null when the state did not change. */
export function stateChange(previous: CrowdState, next: CrowdState): { from: CrowdState; to: CrowdState } | null {
  return previous === next ? null : { from: previous, to: next };
}
