// Schedules the jobs with node-cron in business time (Asia/Shanghai).
import cron, { type ScheduledTask } from 'node-cron';
import { BUSINESS_TIME_ZONE } from '@bamin/common';
import type { Deps } from '../deps';
import * as dailyStatsJob from './dailyStats.job';
import * as originRetryJob from './originRetry.job';
import * as recomputeDueJob from './recomputeDue.job';
import * as retentionJob from './retention.job';
import * as scheduledReportsJob from './scheduledReports.job';

interface Job {
  name: string;
  /** A cron expression, or one read from the configuration. */
  schedule: string | ((deps: Deps) => string);
  run(deps: Deps): Promise<unknown>;
}

const JOBS: Job[] = [recomputeDueJob, dailyStatsJob, scheduledReportsJob, originRetryJob, retentionJob];

/** Job runs in progress in this process (shutdown waits for them). */
export const runningJobs = new Set<Promise<unknown>>();

export function startJobs(deps: Deps): ScheduledTask[] {
  return JOBS.map((job) =>
    cron.schedule(
      typeof job.schedule === 'string' ? job.schedule : job.schedule(deps),
      async () => {
        const run = job.run(deps).catch(() => undefined); // logged by runOnce; the next slot tries again
        runningJobs.add(run);
        await run;
        runningJobs.delete(run);
      },
      { timezone: BUSINESS_TIME_ZONE, name: job.name },
    ),
  );
}
