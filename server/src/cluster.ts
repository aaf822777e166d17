// WORKERS=N (issue 12): npm start as a node:cluster of N server processes on one port. The primary
// migrates and seeds once, then forks the workers, which share the listening socket (the operating
// system spreads connections over them); they hold no state between requests (sessions, limits, crowd
// counts and job claims live in the database or Redis), so any worker answers any request. Only the
// first worker schedules jobs (their runs are claimed once anyway). SIGTERM/SIGINT to the primary is
// passed to every worker, each shuts down gracefully, then the primary exits.
import cluster from 'node:cluster';
import { bootstrap } from './bootstrap';
import { seedDemo } from './services/seedService';

export const WORKER_ENV = 'BAMIN_CLUSTER_WORKER';

export function workersWanted(): number {
  const n = Number(process.env.WORKERS ?? 1);
  return Number.isInteger(n) && n >= 1 && n <= 64 ? n : 1;
}

export function isClusterWorker(): boolean {
  return cluster.isWorker && process.env[WORKER_ENV] === '1';
}

/** Runs in the primary: migrate and seed once, fork the workers, relay signals. Resolves when all listen. */
export async function runPrimary(workers: number): Promise<void> {
  const deps = await bootstrap();
  if (deps.config.seedDemo) await seedDemo(deps);
  await deps.ocr.close();
  await deps.redis?.quit();
  await deps.db.close();
  let listening = 0;
  const forked = Array.from({ length: workers }, (_, i) =>
    cluster.fork({ [WORKER_ENV]: '1', SEED_DEMO: '0', ...(i > 0 ? { JOBS_ENABLED: '0', BAMIN_QUIET_BANNER: '1' } : {}) }),
  );
  await new Promise<void>((resolve, reject) => {
    cluster.on('message', (_w, m: { listening?: boolean }) => {
      if (m?.listening && ++listening === workers) resolve();
    });
    cluster.on('exit', (w, code) => {
      if (listening < workers) reject(new Error(`worker ${w.process.pid} exited with ${code} before listening`));
    });
  });
  process.stdout.write(`node:cluster: ${workers} workers listening (pids ${forked.map((w) => w.process.pid).join(', ')})\n`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const w of forked) w.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  cluster.on('exit', () => {
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  });
}
