// Opens the database chosen by DATABASE_URL and brings its schema up to date: numbered migrations from
// sql/ on MySQL/MariaDB (the production schema), tables from the models on the SQLite default.
import { AsyncLocalStorage } from 'node:async_hooks';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { Sequelize, type ModelAttributeColumnOptions, type Transaction } from 'sequelize';
import { DATABASE_LIMIT_DEFAULTS, REPO_ROOT } from '../config';
import type { Logger } from '../logger';
import { defineModels, type Models } from './models';
import { mysqlHotSql, sqliteHotSql, type HotSql } from './hotSql';
import { coalescedRead, type CoalescedRead, type CoalescedReadOptions } from './coalescedReads';
import { DatabaseBusyError } from './connectionErrors';

export interface Database {
  sequelize: Sequelize;
  models: Models;
  dialect: 'sqlite' | 'mysql';
  /** prepared hand-written statements of the hot paths (hotSql.ts) */
  hot: HotSql;
  /**
   * Where the reads marked stale-tolerant go: a read replica (DATABASE_READ_URL), or the primary itself.
   * Marked: console lists, the dashboard and statistics, the audit trail — never a session, a colour, a
   * code or anything read to decide a write. Every use is a call of `staleReads(db)`, so they can be found.
   */
  replica: { sequelize: Sequelize; models: Models };
  /**
   * The coalesced reader of a hot statement (coalescedReads.ts), one per `name` and database: requests that
   * ask for it at once share one statement. Its rows come from the hot path's connections. The first call of
   * a name makes its reader with `spec`: a name stands for one statement.
   */
  coalesced<R>(name: string, spec: Pick<CoalescedReadOptions<R>, 'sql' | 'keyOf' | 'inLists'>): CoalescedRead<R>;
  /** statements run and reads answered by each coalesced reader so far, by name */
  coalescedStats(): Record<string, { statements: number; reads: number }>;
  close(): Promise<void>;
}

export const SQL_DIR = path.join(REPO_ROOT, 'sql');

/** MySQL/MariaDB: a TCP connect to the database gives up after this long. */
export const CONNECT_TIMEOUT_MS = 3_000;
/** MySQL/MariaDB: a request waits this long for a pool connection, then answers 503 DATABASE_UNAVAILABLE. */
export const POOL_ACQUIRE_MS = 5_000;
/** MySQL/MariaDB: connections of the hot-path pool (hotSql.ts) per process, beside Sequelize's 10. */
export const HOT_POOL_SIZE = 20;

/** The replica (or the primary) for a read that may be a little behind (DATABASE_READ_URL). */
export function staleReads(db: Pick<Database, 'replica'>): Database['replica'] {
  return db.replica;
}

export function openDatabase(databaseUrl: string, logger?: Logger, readUrl?: string | null, limits = DATABASE_LIMIT_DEFAULTS): Database {
  const isSqlite = databaseUrl.startsWith('sqlite:');
  const sequelize = openSequelize(databaseUrl, logger);
  const models = defineModels(sequelize);
  // the replica serves only the stale-tolerant reads, all through Sequelize: no hot-path pool of its own
  const replica = readUrl ? openSequelize(readUrl, logger) : null;
  const hot = isSqlite ? sqliteHotSql(sequelize) : mysqlHotSql(sequelize, databaseUrl, { connectionLimit: HOT_POOL_SIZE, connectTimeoutMs: CONNECT_TIMEOUT_MS, ...limits });
  const readers = new Map<string, CoalescedRead<unknown>>();
  return {
    sequelize,
    models,
    dialect: isSqlite ? 'sqlite' : 'mysql',
    hot,
    replica: replica ? { sequelize: replica, models: defineModels(replica) } : { sequelize, models },
    coalesced<R>(name: string, spec: Pick<CoalescedReadOptions<R>, 'sql' | 'keyOf' | 'inLists'>) {
      let reader = readers.get(name) as CoalescedRead<R> | undefined;
      if (!reader) {
        reader = coalescedRead<R>({ ...spec, select: (sql, params) => hot.select<R>(sql, params) });
        readers.set(name, reader as CoalescedRead<unknown>);
      }
      return reader;
    },
    coalescedStats: () => Object.fromEntries([...readers].map(([name, r]) => [name, { ...r.stats }])),
    close: async () => {
      await hot.close();
      await sequelize.close();
      await replica?.close();
    },
  };
}

function openSequelize(databaseUrl: string, logger?: Logger): Sequelize {
  const isSqlite = databaseUrl.startsWith('sqlite:');
  // SQL text is logged only at trace level, and through the scrubbing logger; values are inlined by
  // Sequelize, so below trace nothing of a query is logged at all.
  const logging = logger && logger.isLevelEnabled('trace') ? (sql: string) => logger.trace({ sql }, 'sql') : false;
  let sequelize: Sequelize;
  if (isSqlite) {
    const storage = databaseUrl.slice('sqlite:'.length) || ':memory:';
    if (storage !== ':memory:') mkdirSync(path.dirname(path.resolve(storage)), { recursive: true });
    sequelize = new Sequelize({ dialect: 'sqlite', storage, logging, pool: { max: 1, min: 0 }, transactionType: 'IMMEDIATE' as never });
    configureSqliteConnections(sequelize, storage !== ':memory:');
    queueSqliteWriters(sequelize);
  } else {
    sequelize = new Sequelize(databaseUrl.replace(/^mariadb:/, 'mysql:'), {
      dialect: 'mysql',
      logging,
      timezone: '+00:00',
      // A database that went away must cost a request seconds, not a minute (H3, docs/RELIABILITY.md):
      // Sequelize waits up to 60 s for a pool connection and mysql2 10 s for a TCP connect by default.
      // Dead connections leave the pool by themselves (Sequelize's validate and its 'error' listener).
      pool: { max: 10, min: 0, idle: 10_000, acquire: POOL_ACQUIRE_MS, evict: 1_000 },
      dialectOptions: { charset: 'utf8mb4', connectTimeout: CONNECT_TIMEOUT_MS },
    });
  }
  return sequelize;
}

/** SQLite: how long a statement waits for another connection's (or process's) lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 15_000;

interface SqliteConnection {
  configure(option: 'busyTimeout', ms: number): void;
  run(sql: string, cb: (e: Error | null) => void): void;
}

/**
 * Every SQLite connection waits for a lock instead of failing, and the file is in WAL mode, so readers and
 * the one writer do not block each other. Sequelize's sqlite dialect opens a connection of its own for each
 * transaction (and one for everything else) and runs no connection hook — an `afterConnect` hook never
 * runs there, which left node-sqlite3's 1 s busy timeout and the rollback journal, whose readers block a
 * commit: a registration waiting behind the console's polling failed with SQLITE_BUSY on a loaded machine.
 * So the connection manager's own getConnection is wrapped. busyTimeout is queued on the connection
 * before any statement of the caller; WAL, a property of the file, is set once per process.
 */
function configureSqliteConnections(sequelize: Sequelize, file: boolean): void {
  const cm = sequelize.connectionManager as unknown as { getConnection(o?: unknown): Promise<SqliteConnection> };
  const getConnection = cm.getConnection.bind(cm);
  const configured = new WeakSet<SqliteConnection>();
  let wal: Promise<void> | null = null;
  cm.getConnection = async (o?: unknown) => {
    const c = await getConnection(o);
    if (!configured.has(c)) {
      configured.add(c);
      c.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
    }
    if (file) {
      wal ??= new Promise<void>((resolve, reject) => c.run('PRAGMA journal_mode = WAL', (e) => (e ? reject(e) : resolve())));
      await wal.catch((e) => {
        wal = null; // e.g. another process held the file past the busy timeout: tried again by the next statement
        throw e;
      });
    }
    return c;
  };
}

/** Inside a transaction whose writer's turn this process's SQLite queue has given (queueSqliteWriters). */
const sqliteWriting = new AsyncLocalStorage<true>();

/**
 * SQLite has one writer, and a statement waiting for its lock waits inside node-sqlite3, on one of libuv's
 * four threadpool threads (the busy handler sleeps there). Four writers waiting for a transaction's lock
 * left no thread for the transaction's own next statement: it could never commit, and all of them failed
 * after SQLITE_BUSY_TIMEOUT_MS — twelve citizens signing in at once got 500s ("cannot rollback - no
 * transaction is active") and 503s. So this process's writers take turns here, in JavaScript: a transaction
 * for its whole length, a write outside one (autocommit) for its statement; reads never wait (WAL). One
 * waiting longer than SQLITE_BUSY_TIMEOUT_MS for its turn is refused (DatabaseBusyError, 503), as the busy
 * handler refused it before. Another process on the same file (the import CLI) still meets the busy
 * handler: one waiting statement per process at most.
 */
function queueSqliteWriters(sequelize: Sequelize): void {
  let turn: Promise<void> = Promise.resolve();
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => {
    const previous = turn;
    let done!: () => void;
    turn = new Promise<void>((r) => (done = r));
    return new Promise<T>((resolve, reject) => {
      let refused = false;
      const timer = setTimeout(() => {
        refused = true;
        reject(new DatabaseBusyError('SQLite writer'));
      }, SQLITE_BUSY_TIMEOUT_MS);
      void previous.then(async () => {
        clearTimeout(timer);
        if (refused) return done();
        try {
          resolve(await fn());
        } catch (e) {
          reject(e);
        } finally {
          done();
        }
      });
    });
  };
  const transaction = sequelize.transaction.bind(sequelize) as (...a: unknown[]) => Promise<unknown>;
  sequelize.transaction = ((a?: unknown, b?: unknown) => {
    const managed = typeof a === 'function' || typeof b === 'function';
    // an unmanaged transaction (none in this code) or one begun inside a transaction's turn goes as it is
    if (!managed || sqliteWriting.getStore()) return transaction(a, b);
    return inTurn(() => sqliteWriting.run(true, () => transaction(a, b)));
  }) as typeof sequelize.transaction;
  const query = sequelize.query.bind(sequelize) as (...a: unknown[]) => Promise<unknown>;
  sequelize.query = ((sql: string | { query: string }, options?: { transaction?: unknown }) => {
    const text = typeof sql === 'string' ? sql : sql.query;
    if (options?.transaction || sqliteWriting.getStore() || /^\s*(SELECT|WITH|PRAGMA)\b/i.test(text)) return query(sql, options);
    return inTurn(() => query(sql, options));
  }) as typeof sequelize.query;
}

/** Brings the schema up to date. Safe to call from several instances at once on MySQL. */
export async function migrate(db: Database, databaseUrl: string, logger?: Logger): Promise<string[]> {
  if (db.dialect === 'sqlite') {
    // Columns first: sync() adds a model's missing indexes to existing tables, and a new index may be on a new column.
    const added = await addMissingSqliteColumns(db, logger);
    await db.sequelize.sync();
    return added;
  }
  return applySqlMigrations(databaseUrl, logger);
}

/**
 * sync() creates missing tables (and missing indexes) but adds no column to an existing table, so a
 * developer's SQLite file from an earlier version would lack the columns later migrations add. Adds them
 * (all additive, nullable or defaulted, as every later migration must be). Returns what it added.
 */
async function addMissingSqliteColumns(db: Database, logger?: Logger): Promise<string[]> {
  const qi = db.sequelize.getQueryInterface();
  const added: string[] = [];
  const tables = new Set(((await qi.showAllTables()) as unknown[]).map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName)));
  for (const model of Object.values(db.models)) {
    const table = model.getTableName() as string;
    if (!tables.has(table)) continue; // sync() creates it whole
    const existing = await qi.describeTable(table);
    for (const attribute of Object.values(model.getAttributes()) as ModelAttributeColumnOptions[]) {
      const column = (attribute as { field?: string }).field ?? '';
      if (!column || existing[column]) continue;
      await qi.addColumn(table, column, { type: attribute.type, allowNull: attribute.allowNull ?? true, defaultValue: attribute.defaultValue });
      added.push(`${table}.${column}`);
    }
  }
  if (added.length) logger?.info({ added }, 'SQLite schema brought up to date');
  return added;
}

export function listMigrationFiles(): string[] {
  return readdirSync(SQL_DIR)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort();
}

export async function applySqlMigrations(databaseUrl: string, logger?: Logger): Promise<string[]> {
  const conn = await mysql.createConnection({ uri: databaseUrl.replace(/^mariadb:/, 'mysql:'), multipleStatements: true, charset: 'utf8mb4' });
  const applied: string[] = [];
  try {
    // One instance migrates; the others wait here and then find nothing left to do.
    await conn.query("SELECT GET_LOCK('bamin_migrate', 120)");
    await conn.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version VARCHAR(64) NOT NULL PRIMARY KEY COMMENT 'migration file name', applied_at DATETIME NOT NULL COMMENT 'when applied', applied_by VARCHAR(100) NOT NULL COMMENT 'host:pid') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='applied sql/ migrations'",
    );
    const [rows] = await conn.query('SELECT version FROM schema_migrations');
    const done = new Set((rows as { version: string }[]).map((r) => r.version));
    for (const file of listMigrationFiles()) {
      if (done.has(file)) continue;
      logger?.info({ migration: file }, 'applying migration');
      await conn.query(readFileSync(path.join(SQL_DIR, file), 'utf8'));
      await conn.query('INSERT INTO schema_migrations (version, applied_at, applied_by) VALUES (?, UTC_TIMESTAMP(), ?)', [
        file,
        `${hostname()}:${process.pid}`,
      ]);
      applied.push(file);
    }
  } finally {
    await conn.query("SELECT RELEASE_LOCK('bamin_migrate')").catch(() => undefined);
    await conn.end();
  }
  return applied;
}

export type Tx = Transaction;
