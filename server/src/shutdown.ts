// Graceful shutdown of `npm start` on SIGTERM/SIGINT (H3; docs/RELIABILITY.md): stop accepting
// connections and stop the cron tasks; let the requests in flight finish; wait for background work
// (data reports being written, employee imports, job runs); then close the OCR worker, the database and
// the stand-in platform, and exit 0. Past the deadline it exits 1 and says what was still running.
import type { Server, ServerResponse } from 'node:http';
import type { Logger } from './logger';

/** A balancer's usual grace period is 30 s; stop a little before it kills the process. */
export const SHUTDOWN_DEADLINE_MS = 25_000;

export interface ShutdownParts {
  server: Server;
  logger: Logger;
  /** Cron tasks: no new runs once stopping. */
  tasks: { stop(): unknown }[];
  /** Work in flight outside a request, read when stopping (sets of promises). */
  background: Record<string, Set<Promise<unknown>>>;
  /** Closed in order once everything has finished. */
  close: { name: string; close(): Promise<unknown> }[];
  deadlineMs?: number;
  exit?: (code: number) => void;
  /** Install the SIGTERM/SIGINT handlers (default true; tests call `stop` themselves). */
  signals?: boolean;
}

/**
 * The request handlers still running, for `background`: a request whose client went away (its socket
 * closed, so `server.close()` no longer waits for it) is still being handled — a scan in its group
 * commit, an import mid-transaction — and the database must stay open until it ends, or it fails with
 * "database unavailable" and an error line per request at every deploy. `middleware` goes outermost.
 */
export function handlersInFlight(): { middleware: (ctx: unknown, next: () => Promise<unknown>) => Promise<void>; running: Set<Promise<unknown>> } {
  const running = new Set<Promise<unknown>>();
  return {
    running,
    middleware: async (_ctx, next) => {
      const handled = next();
      const settled = handled.then(() => undefined, () => undefined);
      running.add(settled);
      try {
        await handled;
      } finally {
        running.delete(settled);
      }
    },
  };
}

/** Counts requests in flight on `server` and installs the signal handlers. Returns `stop` for tests. */
export function installGracefulShutdown(p: ShutdownParts): { stop(signal: string): Promise<void> } {
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  p.server.on('request', (_req, res: ServerResponse) => {
    // a request arriving on a kept-alive connection while stopping is served, then its connection closes
    if (stopping) res.shouldKeepAlive = false;
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  const exit = p.exit ?? ((code: number) => process.exit(code));

  const stop = async (signal: string) => {
    if (stopping) {
      p.logger.warn({ signal }, 'second signal while shutting down: exiting now');
      return exit(1);
    }
    stopping = true;
    const deadlineMs = p.deadlineMs ?? SHUTDOWN_DEADLINE_MS;
    const started = Date.now();
    const pending = () => ({
      requests: inFlight.size,
      ...Object.fromEntries(Object.entries(p.background).map(([k, s]) => [k, s.size])),
    });
    p.logger.info({ signal, ...pending() }, 'shutting down: finishing requests and background work');
    const timer = setTimeout(() => {
      p.logger.error({ deadlineMs, ...pending() }, 'shutdown deadline passed: exiting with work unfinished');
      exit(1);
    }, deadlineMs);
    try {
      for (const t of p.tasks) t.stop();
      // no new connections; close() resolves once every connection has ended
      const closed = new Promise<void>((resolve) => p.server.close(() => resolve()));
      for (const res of inFlight) res.shouldKeepAlive = false; // their connections end with the answer
      p.server.closeIdleConnections();
      await closed;
      // work started by a request that just finished is in these sets by now; wait until they are empty
      for (;;) {
        const running = Object.values(p.background).flatMap((s) => [...s]);
        if (!running.length) break;
        await Promise.allSettled(running);
      }
      for (const c of p.close) {
        await c.close().catch((err) => p.logger.warn({ err, part: c.name }, 'closing failed during shutdown'));
      }
      clearTimeout(timer);
      p.logger.info({ ms: Date.now() - started }, 'shut down');
      exit(0);
    } catch (err) {
      clearTimeout(timer);
      p.logger.error({ err }, 'shutdown failed');
      exit(1);
    }
  };
  if (p.signals !== false) {
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  }
  return { stop };
}
