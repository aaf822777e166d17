// Several server instances may run the same schedule; the first to insert the (job, slot) row runs the
// job, the others see the unique-key violation and skip. No lock server needed, and the table is the
// record of what ran where.
import { hostname } from 'node:os';
import { UniqueConstraintError } from 'sequelize';
import type { Deps } from '../deps';

export async function runOnce<T>(
  deps: Pick<Deps, 'db' | 'clock' | 'logger'>,
  jobName: string,
  runKey: string,
  job: () => Promise<T>,
): Promise<{ ran: true; result: T } | { ran: false }> {
  const { JobRun } = deps.db.models;
  let claim;
  try {
    claim = await JobRun.create({ jobName, runKey, instance: `${hostname()}:${process.pid}`, startedAt: deps.clock.now() });
  } catch (e) {
    if (e instanceof UniqueConstraintError) {
      deps.logger.info({ job: jobName, runKey }, 'job slot already claimed by another instance');
      return { ran: false };
    }
    throw e;
  }
  try {
    const result = await job();
    await claim.update({ finishedAt: deps.clock.now(), result: JSON.stringify(result) });
    deps.logger.info({ job: jobName, runKey, result }, 'job finished');
    return { ran: true, result };
  } catch (e) {
    await claim.update({ finishedAt: deps.clock.now(), result: JSON.stringify({ error: (e as Error).message }) });
    deps.logger.error({ job: jobName, runKey, err: e }, 'job failed');
    throw e;
  }
}
