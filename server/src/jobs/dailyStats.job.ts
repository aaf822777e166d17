// Shortly after midnight Asia/Shanghai: yesterday's daily_stats rows for the dashboard (manual 五(二)4
// 企业看板, E3, G2; issue 6), plus any day missed while no instance ran. The slot is yesterday's day, so
// however many instances fire it (or start up: catchUp), one of them aggregates; a rerun of a day by
// hand (npm run aggregate) rewrites it. A failed slot stays claimed: the next night's run finds the gap
// and fills it, or `npm run aggregate -- --date` does it at once.
import type { Deps } from '../deps';
import { TREND_MAX_DAYS, yesterdayOf } from '../domain/dailyStats';
import { aggregateDay, missingDays } from '../services/dailyStatsService';
import { runOnce } from './runOnce';

export const name = 'daily-stats';
/** 00:10: ten minutes of slack for reports sent at 23:59:59 to be committed. */
export const DEFAULT_SCHEDULE = '10 0 * * *';

export function schedule(deps: Pick<Deps, 'config'>): string {
  return (deps.config as { dailyStatsCron?: string }).dailyStatsCron ?? DEFAULT_SCHEDULE;
}

export interface DailyStatsRun {
  ran: boolean;
  /** Days aggregated, oldest first (yesterday last). */
  days: string[];
  /** daily_stats rows written. */
  rows: number;
}

export async function run(deps: Pick<Deps, 'db' | 'clock' | 'logger'>): Promise<DailyStatsRun> {
  const yesterday = yesterdayOf(deps.clock.now());
  const r = await runOnce(deps, name, yesterday, async () => {
    const days = await missingDays(deps, { maxDays: TREND_MAX_DAYS });
    // yesterday is rewritten even when a manual run already wrote it
    if (!days.includes(yesterday)) days.push(yesterday);
    let rows = 0;
    for (const day of days) rows += (await aggregateDay(deps, day)).organisations;
    return { days, rows };
  });
  return r.ran ? { ran: true, ...r.result } : { ran: false, days: [], rows: 0 };
}

/** At start-up: fills missed days through the same slot as the nightly run, so it never runs twice. */
export function catchUp(deps: Pick<Deps, 'db' | 'clock' | 'logger'>): Promise<DailyStatsRun> {
  return run(deps);
}
