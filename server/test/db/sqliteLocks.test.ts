// The SQLite default under concurrent use: every connection Sequelize opens (one per transaction, one for
// the rest) waits SQLITE_BUSY_TIMEOUT_MS for a lock instead of failing, and the file is in WAL mode, so a
// read never waits for a writer. Before, only node-sqlite3's 1 s default applied and the rollback journal
// let readers block a commit: a transaction waiting longer than Sequelize's five 1 s tries (~5.5 s) failed
// with SQLITE_BUSY.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, SQLITE_BUSY_TIMEOUT_MS, type Database } from '../../src/db/database';
import { DatabaseBusyError } from '../../src/db/connectionErrors';

const dir = mkdtempSync(path.join(tmpdir(), 'bamin-sqlite-locks-'));
const url = `sqlite:${path.join(dir, 'locks.sqlite')}`;
let db: Database;
let other: Database; // a second process on the same file (the import CLI beside the server)

beforeAll(async () => {
  db = openDatabase(url);
  other = openDatabase(url);
  await db.sequelize.query('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
});
afterAll(async () => {
  await db.close();
  await other.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A transaction of `db` that has written `v` and holds the write lock until released; `done` when it has committed. */
async function holdingTheWriteLock(v: string): Promise<{ release: () => void; done: Promise<unknown> }> {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const writing = new Promise<void>((r) => (started = r));
  const done = db.sequelize.transaction(async (t) => {
    await db.sequelize.query('INSERT INTO t (v) VALUES (?)', { replacements: [v], transaction: t });
    started();
    await held;
  });
  await writing;
  return { release, done };
}
const one = async (d: Database, sql: string, transaction?: never) =>
  Object.values(((await d.sequelize.query(sql, { type: QueryTypes.SELECT, transaction })) as Record<string, unknown>[])[0]!)[0];

describe('SQLite locks', () => {
  it('the file is in WAL mode and every connection, a transaction\'s too, waits 15 s for a lock', async () => {
    expect(SQLITE_BUSY_TIMEOUT_MS).toBe(15_000);
    expect(await one(db, 'PRAGMA journal_mode')).toBe('wal');
    expect(await one(db, 'PRAGMA busy_timeout')).toBe(15_000);
    expect(await db.sequelize.transaction((t) => one(db, 'PRAGMA busy_timeout', t as never))).toBe(15_000);
  });

  it('a transaction waits for another one holding the write lock for 7 s, then commits; a read meanwhile does not wait', async () => {
    const { release, done: first } = await holdingTheWriteLock('first');
    const t0 = Date.now();
    const second = db.sequelize.transaction(async (t) => {
      await db.sequelize.query("INSERT INTO t (v) VALUES ('second')", { transaction: t });
    });
    const fromOther = other.sequelize.transaction(async (t) => {
      await other.sequelize.query("INSERT INTO t (v) VALUES ('third')", { transaction: t });
    });
    // a reader sees the last commit (none yet) at once, from either process
    expect(await one(db, 'SELECT COUNT(*) FROM t')).toBe(0);
    expect(await one(other, 'SELECT COUNT(*) FROM t')).toBe(0);
    await sleep(7_000);
    release();
    await Promise.all([first, second, fromOther]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(7_000);
    const rows = (await db.sequelize.query('SELECT v FROM t ORDER BY id', { type: QueryTypes.SELECT })) as { v: string }[];
    expect(rows.map((r) => r.v).sort()).toEqual(['first', 'second', 'third']);
    expect(rows[0]!.v).toBe('first');
  }, 20_000);

  it('twenty writers of one process at once — transactions and single statements — all commit in turn, at once', async () => {
    // Before the process's writers took turns (database.ts queueSqliteWriters), the statements waiting for the
    // write lock filled libuv's four threadpool threads, the lock holder's next statement found none, and every
    // writer failed after the 15 s busy timeout (twelve sign-ins at once: 500s and 503s).
    const before = Number(await one(db, 'SELECT COUNT(*) FROM t'));
    const t0 = Date.now();
    const writes = Array.from({ length: 20 }, (_, i) =>
      i % 2
        ? db.sequelize.transaction(async (t) => {
            await db.sequelize.query(`INSERT INTO t (v) VALUES ('tx${i}a')`, { transaction: t });
            await sleep(10);
            await db.sequelize.query(`INSERT INTO t (v) VALUES ('tx${i}b')`, { transaction: t });
          })
        : db.sequelize.query(`INSERT INTO t (v) VALUES ('single${i}')`),
    );
    const outcomes = await Promise.allSettled(writes);
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(Number(await one(db, 'SELECT COUNT(*) FROM t'))).toBe(before + 30);
    expect(Date.now() - t0).toBeLessThan(5_000);
  }, 40_000);

  it('a writer whose turn does not come within the busy timeout is refused with DatabaseBusyError, and the ones after it go on', async () => {
    const { release, done: long } = await holdingTheWriteLock('long');
    const t0 = Date.now();
    const refused = db.sequelize.query("INSERT INTO t (v) VALUES ('refused')").then(
      () => null,
      (e: Error) => e,
    );
    await sleep(SQLITE_BUSY_TIMEOUT_MS + 500);
    const error = await refused;
    expect(error).toBeInstanceOf(DatabaseBusyError);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(SQLITE_BUSY_TIMEOUT_MS);
    const after = db.sequelize.query("INSERT INTO t (v) VALUES ('after')");
    release();
    await Promise.all([long, after]);
    const rows = (await db.sequelize.query("SELECT v FROM t WHERE v IN ('long', 'refused', 'after') ORDER BY id", { type: QueryTypes.SELECT })) as { v: string }[];
    expect(rows.map((r) => r.v)).toEqual(['long', 'after']);
  }, 40_000);
});
