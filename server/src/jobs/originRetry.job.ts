// Every minute: origin-pass checks that failed because the national platform could not be reached, and
// origin corrections that could not be forwarded, whose back-off has run out (B1, H6; issue 9). Each row
// is claimed by a conditional update of its retry time, so several instances split the work and never
// ask twice for the same row.
import type { Deps } from '../deps';
import { retryDueForwards } from '../services/correctionService';
import { retryDueOrigins } from '../services/originService';

export const name = 'origin-retry';
export const schedule = '* * * * *';

export async function run(deps: Deps): Promise<{ origins: number; stillFailing: number; forwards: number }> {
  try {
    const o = await retryDueOrigins(deps);
    const forwards = await retryDueForwards(deps);
    if (o.retried || forwards) deps.logger.info({ job: name, origins: o.retried, stillFailing: o.stillFailing, forwards }, 'job finished');
    return { origins: o.retried, stillFailing: o.stillFailing, forwards };
  } catch (e) {
    deps.logger.error({ job: name, err: e }, 'job failed');
    throw e;
  }
}
