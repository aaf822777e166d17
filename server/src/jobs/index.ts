// Schedules the jobs with node-cron in business time (Asia/Shanghai).
import cron, { type ScheduledTask } from 'node-cron';
import { BUSINESS_TIME_ZONE } from '@bamin/common';
import type { Deps } from '../deps';
import * as recomputeDueJob from './recomputeDue.job';

const JOBS = [recomputeDueJob];

export function startJobs(deps: Deps): ScheduledTask[] {
  return JOBS.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        try {
          await job.run(deps);
        } catch {
          // logged by runOnce; the next slot tries again
        }
      },
      { timezone: BUSINESS_TIME_ZONE, name: job.name },
    ),
  );
}
