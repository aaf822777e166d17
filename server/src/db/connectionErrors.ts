// Telling "the database is unreachable" apart from every other failure (H3 reliability). What mysql2 and
// Sequelize throw depends on when the database went away:
// - no connection can be made (stopped, refused, host down, pool acquire timed out): Sequelize's own
//   Connection* errors (SequelizeConnectionRefusedError, SequelizeConnectionAcquireTimeoutError, …);
// - a query already on a connection when the server died or shut down: SequelizeDatabaseError whose
//   `original` is mysql2's error — code PROTOCOL_CONNECTION_LOST ("Connection lost: The server closed
//   the connection"), ECONNRESET, EPIPE, ETIMEDOUT, or MariaDB's ER_SERVER_SHUTDOWN (1053) /
//   ER_CONNECTION_KILLED (1927) when it shuts down cleanly;
// - a query on a connection mysql2 already knows is dead: an error with `fatal: true` and no code
//   ("Can't add new command when connection is in closed state").
// - a database that accepts connections but does not answer (a stalled disk, a lock held without end, a
//   network that drops packets): our own DatabaseTimeoutError when a statement outlives its deadline, and
//   DatabaseBusyError when more requests wait for the database than a process lets wait (hotSql.ts,
//   groupCommit.ts) — refused at once instead of queued without end.
// All of them are 503 DATABASE_UNAVAILABLE for a client, never a 500.
import type { Logger } from '../logger';

/** A statement that got no answer within its deadline (DB_STATEMENT_TIMEOUT_MS). */
export class DatabaseTimeoutError extends Error {
  readonly code = 'DATABASE_TIMEOUT';
  constructor(ms: number) {
    super(`database gave no answer within ${ms} ms`);
    this.name = 'DatabaseTimeoutError';
  }
}

/** More requests already wait for the database than this process lets wait (DB_QUEUE_LIMIT). */
export class DatabaseBusyError extends Error {
  readonly code = 'DATABASE_BUSY';
  constructor(what: string) {
    super(`too many requests waiting for the database (${what})`);
    this.name = 'DatabaseBusyError';
  }
}

const SEQUELIZE_CONNECTION_ERROR = /^Sequelize(Connection|HostNotReachable|HostNotFound|AccessDenied|ConnectionRefused|ConnectionTimedOut|InvalidConnection)/;

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'ENETUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'DATABASE_TIMEOUT',
  'DATABASE_BUSY',
]);
/** By number where mysql2 has no name: 1053 server shutdown, 1927 connection killed (MariaDB), 2006/2013 server gone/lost. */
const CONNECTION_ERRNOS = new Set([1053, 1927, 2006, 2013]);

/** Is this error "the database cannot be reached right now" (as opposed to a bad query or a bug)? */
export function isDatabaseUnavailable(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const err = e as { name?: string; code?: string; errno?: number; fatal?: boolean; original?: unknown; parent?: unknown };
  if (SEQUELIZE_CONNECTION_ERROR.test(err.name ?? '')) return true;
  if (err.code && CONNECTION_CODES.has(err.code)) return true;
  if (typeof err.errno === 'number' && CONNECTION_ERRNOS.has(err.errno)) return true;
  // mysql2 marks an error that ended the connection as fatal
  if (err.fatal === true) return true;
  // mysql2's pool after end() (a request that arrived as the process shut down): no code, only this text
  if ((e as { message?: string }).message === 'Pool is closed.') return true;
  // Sequelize's pool after close(), the same moment for the models' queries and transactions
  if (/connection manager was closed/.test((e as { message?: string }).message ?? '')) return true;
  const inner = err.original ?? err.parent;
  return inner !== undefined && inner !== e && isDatabaseUnavailable(inner);
}

/**
 * Runs a write that records how some background work ended (a report 失败, an import job failed): while
 * the database is unreachable it is retried with backoff for up to `forMs`, so the row does not stay
 * 生成中 / running once the database is back. Any other error, or the time running out, is thrown.
 */
export async function untilDatabaseReturns<T>(fn: () => Promise<T>, opts: { what: string; logger?: Logger; forMs?: number; sleep?: (ms: number) => Promise<void> }): Promise<T> {
  const deadline = Date.now() + (opts.forMs ?? 10 * 60_000);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let wait = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isDatabaseUnavailable(e) || Date.now() + wait > deadline) throw e;
      if (attempt === 1) opts.logger?.warn({ what: opts.what }, 'database unavailable: retrying until it returns');
      await sleep(wait);
      wait = Math.min(wait * 2, 5_000);
    }
  }
}

/** InnoDB chose this transaction as a deadlock's victim (1213): rolled back whole, it may simply run again. */
export function isDeadlock(e: unknown): boolean {
  const err = e as { errno?: number; original?: { errno?: number }; parent?: { errno?: number } } | null;
  return [err?.errno, err?.original?.errno, err?.parent?.errno].includes(1213);
}

/** Attempts of a transaction that lost a deadlock (found by npm run bench: concurrent first scans of a point). */
const DEADLOCK_ATTEMPTS = 3;

export async function retryOnDeadlock<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (!isDeadlock(e) || attempt >= DEADLOCK_ATTEMPTS) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}
