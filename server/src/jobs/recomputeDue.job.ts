// 00:00 Asia/Shanghai: everyone whose stored decision is due today (a 14-day rule ended, a closure
// began or ended) is recomputed, so colours read from the table are current (DESIGN).
import { shanghaiDay } from '@bamin/common';
import type { Deps } from '../deps';
import { recomputeDue } from '../services/statusService';
import { runOnce } from './runOnce';

export const name = 'recompute-due';
export const schedule = '0 0 * * *';

export async function run(deps: Pick<Deps, 'db' | 'clock' | 'logger'>): Promise<{ ran: boolean; recomputed: number }> {
  const r = await runOnce(deps, name, shanghaiDay(deps.clock.now()), async () => ({ recomputed: await recomputeDue(deps) }));
  return r.ran ? { ran: true, recomputed: r.result.recomputed } : { ran: false, recomputed: 0 };
}
