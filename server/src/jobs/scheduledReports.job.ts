// After midnight Asia/Shanghai: the 定时上报 of every unit (G3; issue 8) — yesterday's daily reports and,
// on Mondays, last week's weekly ones, plus any period missed while no instance ran and any failed one
// still to retry. Each period is claimed by inserting its report (a unique key), so several instances
// firing together, or starting up together (catchUp), deliver each period once.
import type { Deps } from '../deps';
import { runSchedules, type ScheduledRun } from '../services/reportScheduleService';

export const name = 'scheduled-reports';
export const DEFAULT_SCHEDULE = '30 0 * * *';

export function schedule(deps: Pick<Deps, 'config'>): string {
  return deps.config.reportScheduleCron ?? DEFAULT_SCHEDULE;
}

export async function run(deps: Deps): Promise<ScheduledRun> {
  try {
    const r = await runSchedules(deps);
    deps.logger.info({ job: name, ...r }, 'job finished');
    return r;
  } catch (e) {
    deps.logger.error({ job: name, err: e }, 'job failed');
    throw e;
  }
}

/** At start-up: periods missed while no instance ran, through the same claims as the nightly run. */
export function catchUp(deps: Deps): Promise<ScheduledRun> {
  return run(deps);
}
