// Hand-written SQL for the hot paths (issue 12): the code display and the scan, the two requests a
// province sends by the million at 8 a.m. Through Sequelize's model finders each statement cost ~0.3 ms
// of server CPU (building the query, instances, hooks) and the requests made 10–20 of them; here a
// request makes one or two statements, prepared once per connection on MySQL (mysql2 `execute`: the
// text is parsed by the database once, values travel binary). On SQLite the statements go through
// Sequelize's own connection, so there is still exactly one writer.
//
// The SQL stays portable to MySQL-compatible databases (MariaDB, MySQL 8, TiDB): plain joins and
// subqueries, no procedures, no triggers. Column names come back as the statement aliases them.
import mysql from 'mysql2';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { DatabaseBusyError, DatabaseTimeoutError, retryOnDeadlock } from './connectionErrors';

export interface HotResult {
  insertId: number;
  /** rows the statement's WHERE matched (changed or not), on both dialects */
  affectedRows: number;
}

/**
 * `unprepared`: a statement whose text varies with its data (a multi-row INSERT, an IN list of a batch) is
 * sent as text, its values escaped by mysql2, instead of prepared: every distinct text would stay prepared
 * on its connection, and the server's max_prepared_stmt_count (16,382 by default) is shared by every
 * connection of every instance.
 */
export interface HotOptions {
  unprepared?: boolean;
}

export interface HotTx {
  select<T>(sql: string, params: readonly unknown[], opts?: HotOptions): Promise<T[]>;
  run(sql: string, params: readonly unknown[], opts?: HotOptions): Promise<HotResult>;
}

/** One statement of a script: several sent to the database in one round trip (ScriptTx). */
export interface HotStatement {
  sql: string;
  params: readonly unknown[];
}

/** A statement's result in a script: the rows of a SELECT (or of an INSERT … RETURNING), else what a write did. */
export type ScriptResult = Record<string, unknown>[] | HotResult;

/**
 * A transaction whose statements go to the database several to a round trip (MySQL's multi-statement text
 * protocol, values escaped by mysql2): the scan's batch (issue 12) was eight round trips of ~2 ms each under
 * load — START, its records, their read-back, the audit entries, the crowd states' lock, the count, the
 * counts kept, COMMIT — while its scans waited; as a script it is two.
 */
export interface ScriptTx {
  /**
   * The statements in one round trip, the transaction's START before the first call's; each one's result, in
   * order. A statement that fails fails the call (the ones after it are not run). Past the statement deadline
   * the connection is ended, so the database rolls the transaction back.
   */
  send(statements: readonly HotStatement[]): Promise<ScriptResult[]>;
  /**
   * The statements and COMMIT in one round trip; their results. No deadline: a COMMIT's outcome is waited
   * for (an answer given before it would not know whether the transaction was written).
   */
  commit(statements: readonly HotStatement[]): Promise<ScriptResult[]>;
}

export interface HotSql extends HotTx {
  /**
   * All or nothing (H3): a Sequelize transaction, whose connection also runs the prepared statements, so a
   * use case can mix both (the scan's record and audit entry prepared, the crowd-flow rules through models).
   */
  transaction<T>(fn: (tx: HotTx, transaction: Transaction) => Promise<T>): Promise<T>;
  /** The statements of a Sequelize transaction already open (a use case of the models' that has hot statements to run in it). */
  within(transaction: Transaction): HotTx;
  /**
   * MySQL only (null on SQLite, whose statements cost no round trip): `fn`'s transaction on a hot-path
   * connection, its statements sent several at a time (ScriptTx). One that ends without `commit` — by
   * returning or by throwing — is rolled back. Retried whole after a deadlock, as `transaction` is.
   */
  scripted: (<T>(fn: (tx: ScriptTx) => Promise<T>) => Promise<T>) | null;
  close(): Promise<void>;
}

/** A write's result: an UPDATE's affectedRows as the rows its WHERE matched (changed or not), as on SQLite. */
function resultOf(h: mysql.ResultSetHeader): HotResult {
  // an UPDATE's affectedRows counts changed rows only (no CLIENT_FOUND_ROWS on Sequelize's connections);
  // its info text says how many the WHERE matched, as SQLite's count does
  const matched = /Rows matched:\s*(\d+)/.exec(h.info ?? '');
  return { insertId: Number(h.insertId), affectedRows: matched ? Number(matched[1]) : h.affectedRows };
}

/** mysql2's pool refusing past its queue limit (it says so in words only) as DatabaseBusyError. */
function asBusy(e: unknown): unknown {
  return (e as Error | null)?.message === 'Queue limit reached.' ? new DatabaseBusyError('hot-path pool') : e;
}

/** A time as a DATETIME(3) parameter: UTC with milliseconds on MySQL, Sequelize's stored text on SQLite. */
export function hotTime(dialect: 'sqlite' | 'mysql', d: Date): string {
  const iso = d.toISOString().replace('T', ' ').replace('Z', '');
  return dialect === 'mysql' ? iso : `${iso} +00:00`;
}

export interface MysqlHotOptions {
  connectionLimit: number;
  connectTimeoutMs: number;
  /** a statement (its wait for a connection included) unanswered after this long fails with DatabaseTimeoutError */
  statementTimeoutMs: number;
  /** statements waiting for a pool connection beyond this many fail at once with DatabaseBusyError */
  queueLimit: number;
}

/**
 * A database that accepts connections but does not answer (a stalled disk, a lock held without end, a
 * network dropping packets) must not hold a province's requests without end: every statement has a
 * deadline, and no more than `queueLimit` wait for a connection — past it a request is refused at once
 * (503), so the process's memory stays bounded however long the stall lasts.
 * - A pool statement past its deadline is left to finish: its connection returns to the pool when the
 *   database answers, so the pool heals by itself and never opens more connections than its limit.
 * - A statement inside a transaction past its deadline ends its connection: the ROLLBACK behind it would
 *   wait as long, and the transaction's outcome must be known — the database rolls back a transaction
 *   whose connection is gone, and Sequelize's pool drops the closed connection.
 */
export function mysqlHotSql(sequelize: Sequelize, databaseUrl: string, opts: MysqlHotOptions): HotSql {
  const { connectionLimit, statementTimeoutMs } = opts;
  // the callback API: the promise wrapper captures a stack trace per statement (4 % of the code page's CPU)
  const pool = mysql.createPool({
    uri: databaseUrl.replace(/^mariadb:/, 'mysql:'),
    connectionLimit,
    queueLimit: opts.queueLimit,
    // like Sequelize's pool: UTC times, days as text, a dead database costs seconds, not minutes
    timezone: 'Z',
    dateStrings: ['DATE'],
    charset: 'utf8mb4',
    connectTimeout: opts.connectTimeoutMs,
    enableKeepAlive: true,
    maxIdle: connectionLimit,
    idleTimeout: 10_000,
    // for ScriptTx: affects text statements only (mysql2 `query`, whose values mysql2 escapes), never the
    // prepared ones; every statement here is written with placeholders, none from a caller's text
    multipleStatements: true,
  });
  type Conn = Pick<mysql.Pool, 'execute' | 'query'>;
  /** `onTimeout` null: no deadline (a COMMIT, whose outcome is waited for). */
  const exec = (c: Conn, sql: string, params: readonly unknown[], opts?: HotOptions, onTimeout?: (() => void) | null) =>
    new Promise<unknown>((resolve, reject) => {
      let settled = false;
      const timer =
        onTimeout === null
          ? undefined
          : setTimeout(() => {
              settled = true;
              onTimeout?.();
              reject(new DatabaseTimeoutError(statementTimeoutMs));
            }, statementTimeoutMs);
      const done = (e: unknown, r: unknown) => {
        if (settled) return; // answered after its deadline: the request has had its 503
        settled = true;
        clearTimeout(timer);
        if (!e) resolve(r);
        else reject(asBusy(e));
      };
      if (opts?.unprepared) c.query(sql, params as never, done);
      else c.execute(sql, params as never, done);
    });
  const on = (c: Conn, onTimeout?: () => void): HotTx => ({
    async select<T>(sql: string, params: readonly unknown[], opts?: HotOptions) {
      return (await exec(c, sql, params, opts, onTimeout)) as T[];
    },
    async run(sql: string, params: readonly unknown[], opts?: HotOptions) {
      return resultOf((await exec(c, sql, params, opts, onTimeout)) as mysql.ResultSetHeader);
    },
  });
  /** A transaction's connection whose statement went unanswered: closed, so nothing more waits on it. */
  const end = (c: mysql.Connection) => () => {
    c.destroy();
    (c as unknown as { stream?: { destroy(): void } }).stream?.destroy();
  };
  /** A pool connection, within the statement deadline (one that comes later goes straight back). */
  const acquire = () =>
    new Promise<mysql.PoolConnection>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new DatabaseTimeoutError(statementTimeoutMs));
      }, statementTimeoutMs);
      pool.getConnection((e, c) => {
        if (settled) return c?.release();
        settled = true;
        clearTimeout(timer);
        if (!e) resolve(c);
        else reject(asBusy(e));
      });
    });
  /** The statements in one packet; each one's result (mysql2 answers a lone statement's result unwrapped). */
  const script = async (c: mysql.PoolConnection, statements: readonly HotStatement[], deadline: boolean): Promise<ScriptResult[]> => {
    const text = statements.map((x) => x.sql).join(';\n');
    const params = statements.flatMap((x) => x.params);
    const results = (await exec(c, text, params, { unprepared: true }, deadline ? end(c) : null)) as unknown[];
    const each = statements.length === 1 ? [results] : results;
    return each.map((r) => (Array.isArray(r) ? (r as Record<string, unknown>[]) : resultOf(r as mysql.ResultSetHeader)));
  };
  const scripted = <T>(fn: (tx: ScriptTx) => Promise<T>): Promise<T> =>
    retryOnDeadlock(async () => {
      const c = await acquire();
      let started = false;
      let committed = false;
      let ended = false;
      const tx: ScriptTx = {
        async send(statements) {
          const first = !started;
          started = true; // from here on it may be open: ended by COMMIT, ROLLBACK or the connection's end
          const results = await script(c, first ? [{ sql: 'START TRANSACTION', params: [] }, ...statements] : statements, true).catch((e) => {
            if (e instanceof DatabaseTimeoutError) ended = true;
            throw e;
          });
          return first ? results.slice(1) : results;
        },
        async commit(statements) {
          if (!started) throw new Error('a scripted transaction commits after its first statements');
          committed = true;
          try {
            return (await script(c, [...statements, { sql: 'COMMIT', params: [] }], false)).slice(0, statements.length);
          } catch (e) {
            ended = true; // the COMMIT's outcome is unknown to this connection's next user: it goes
            end(c)();
            throw e;
          }
        },
      };
      /** After fn: a transaction left open is rolled back; the connection goes back to the pool, or away when its state is unknown. */
      const close = async () => {
        if (ended) return;
        if (started && !committed) {
          try {
            await script(c, [{ sql: 'ROLLBACK', params: [] }], true);
          } catch {
            end(c)();
            return;
          }
        }
        c.release();
      };
      try {
        return await fn(tx);
      } finally {
        await close();
      }
    });
  return {
    ...on(pool),
    scripted,
    // Sequelize's mysql dialect holds mysql2 connections of the same (callback) API
    transaction: (fn) =>
      retryOnDeadlock(() =>
        sequelize.transaction((t) => {
          const c = (t as unknown as { connection: mysql.Connection }).connection;
          return fn(on(c, end(c)), t);
        }),
      ),
    within: (t) => {
      const c = (t as unknown as { connection: mysql.Connection }).connection;
      return on(c, end(c));
    },
    close: () => new Promise<void>((resolve) => pool.end(() => resolve())),
  };
}

export function sqliteHotSql(sequelize: Sequelize): HotSql {
  const on = (transaction?: Transaction): HotTx => ({
    async select<T>(sql: string, params: readonly unknown[]) {
      return (await sequelize.query(sql, { replacements: params as unknown[], type: QueryTypes.SELECT, transaction })) as T[];
    },
    async run(sql: string, params: readonly unknown[]) {
      const type = /^\s*insert/i.test(sql) ? QueryTypes.INSERT : /^\s*delete/i.test(sql) ? QueryTypes.DELETE : QueryTypes.UPDATE;
      const r = (await sequelize.query(sql, { replacements: params as unknown[], type, transaction })) as unknown;
      // Sequelize's sqlite answers [lastID, changes] for INSERT, [undefined, changes] for UPDATE, undefined for DELETE
      if (type === QueryTypes.INSERT) {
        const [id, changes] = r as [number, number];
        return { insertId: Number(id), affectedRows: Number(changes) };
      }
      if (type === QueryTypes.UPDATE) return { insertId: 0, affectedRows: Number((r as [unknown, number])[1]) };
      return { insertId: 0, affectedRows: 0 };
    },
  });
  return {
    ...on(),
    transaction: (fn) => sequelize.transaction((t) => fn(on(t), t)),
    within: (t) => on(t),
    scripted: null,
    close: async () => {},
  };
}
