// Nightly retention purge (H3; issue 11): see services/retentionService.ts. One instance a day (runOnce on
// the Shanghai day); a missed night is made up by the next, since every rule deletes by age.
import { shanghaiDay } from '@bamin/common';
import type { Deps } from '../deps';
import { periodsOf, purgeExpired, type PurgeCounts } from '../services/retentionService';
import { runOnce } from './runOnce';

export const name = 'retention';

export function schedule(deps: Pick<Deps, 'config'>): string {
  return deps.config.retentionCron;
}

export async function run(deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'config'>): Promise<{ ran: boolean; purged: PurgeCounts }> {
  const r = await runOnce(deps, name, shanghaiDay(deps.clock.now()), () => purgeExpired(deps, periodsOf(deps.config)));
  return r.ran ? { ran: true, purged: r.result } : { ran: false, purged: {} };
}
