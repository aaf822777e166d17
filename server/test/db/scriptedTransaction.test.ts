// Scripted transactions (hotSql.ts ScriptTx; issue 12): several statements to a round trip on a hot-path
// connection — the scan's batch in two. All or nothing as any transaction: what it sent before a failure, an
// ending without its commit, a deadline or a lost deadlock is not written; the connection goes back to the
// pool usable, or away when its state is unknown. MariaDB only (SQLite has no scripts: `scripted` is null).
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database';
import { DatabaseTimeoutError } from '../../src/db/connectionErrors';
import type { HotResult } from '../../src/db/hotSql';
import { createMysqlDatabase, TEST_MYSQL_URL } from '../helpers/context';

const STATEMENT_TIMEOUT_MS = 500;

describe.skipIf(!TEST_MYSQL_URL)('scripted transactions (MariaDB)', () => {
  let scratch: { url: string; drop(): Promise<void> };
  let db: Database;
  let other: mysql.Connection;
  beforeAll(async () => {
    scratch = await createMysqlDatabase(TEST_MYSQL_URL!);
    other = await mysql.createConnection({ uri: scratch.url });
    await other.query('CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL, UNIQUE KEY v (v)) ENGINE=InnoDB');
    await other.query('CREATE TABLE l (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB');
    await other.query('INSERT INTO l (id, n) VALUES (1, 0), (2, 0)');
    db = openDatabase(scratch.url, undefined, null, { statementTimeoutMs: STATEMENT_TIMEOUT_MS, queueLimit: 5 });
  }, 60_000);
  afterAll(async () => {
    await other?.query('UNLOCK TABLES').catch(() => undefined);
    await other?.end();
    await db?.close();
    await scratch?.drop();
  });

  const values = async () => ((await other.query('SELECT v FROM t ORDER BY v'))[0] as { v: number }[]).map((r) => r.v);
  /** the scratch database's connections, from every pool */
  const connections = async () =>
    Number(((await other.query('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()'))[0] as { n: number }[])[0].n);

  it('sends each call as one round trip, answers each statement\'s result in order, and writes everything at its commit', async () => {
    await other.query('DELETE FROM t');
    const results = await db.hot.scripted!(async (tx) => {
      const first = await tx.send([
        { sql: 'INSERT INTO t (v) VALUES (?), (?) RETURNING id, v', params: [10, 11] },
        { sql: 'INSERT INTO t (v) VALUES (?)', params: [12] },
        { sql: 'SELECT v FROM t WHERE v >= ? ORDER BY v', params: [11] },
      ]);
      // not visible outside before the commit
      expect(await values()).toEqual([]);
      const last = await tx.commit([{ sql: 'UPDATE t SET v = v WHERE v IN (?, ?)', params: [10, 11] }]);
      return [...first, ...last];
    });
    const [returned, inserted, selected, updated] = results;
    expect((returned as { id: number; v: number }[]).map((r) => r.v)).toEqual([10, 11]);
    expect((inserted as HotResult).insertId).toBeGreaterThan((returned as { id: number }[])[1].id);
    expect(selected).toEqual([{ v: 11 }, { v: 12 }]);
    // the rows the WHERE matched, changed or not, as on SQLite
    expect((updated as HotResult).affectedRows).toBe(2);
    expect(await values()).toEqual([10, 11, 12]);
  });

  it('a statement failing within a round trip fails the call, the ones after it are not run, and nothing of the transaction stays', async () => {
    await other.query('DELETE FROM t');
    await expect(
      db.hot.scripted!(async (tx) => {
        await tx.send([{ sql: 'INSERT INTO t (v) VALUES (?)', params: [1] }]);
        // the second INSERT breaks the unique key: the third is never run
        await tx.send([
          { sql: 'INSERT INTO t (v) VALUES (?)', params: [2] },
          { sql: 'INSERT INTO t (v) VALUES (?)', params: [2] },
          { sql: 'INSERT INTO t (v) VALUES (?)', params: [3] },
        ]);
        await tx.commit([]);
      }),
    ).rejects.toMatchObject({ errno: 1062 });
    expect(await values()).toEqual([]);
    // the connection went back to the pool rolled back: the next transaction on it starts clean
    await db.hot.scripted!(async (tx) => {
      await tx.send([{ sql: 'INSERT INTO t (v) VALUES (?)', params: [4] }]);
      await tx.commit([]);
    });
    expect(await values()).toEqual([4]);
  });

  it('one that ends without its commit, by answering or by throwing, is rolled back', async () => {
    await other.query('DELETE FROM t');
    const answer = await db.hot.scripted!(async (tx) => {
      await tx.send([{ sql: 'INSERT INTO t (v) VALUES (?)', params: [5] }]);
      return 'not this one';
    });
    expect(answer).toBe('not this one');
    await expect(
      db.hot.scripted!(async (tx) => {
        await tx.send([{ sql: 'INSERT INTO t (v) VALUES (?)', params: [6] }]);
        throw new Error('changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    expect(await values()).toEqual([]);
  });

  it('a transaction that loses a deadlock is run again whole, and both end written', async () => {
    await other.query('UPDATE l SET n = 0');
    let attempts = 0;
    let bothHoldOne!: () => void;
    const held = new Promise<void>((r) => (bothHoldOne = r));
    let holding = 0;
    // each locks one row, waits until the other holds its own, then asks for the other's: one of them loses
    const crossing = (first: number, second: number) =>
      db.hot.scripted!(async (tx) => {
        attempts++;
        await tx.send([{ sql: 'UPDATE l SET n = n + 1 WHERE id = ?', params: [first] }]);
        if (++holding === 2) bothHoldOne();
        await held;
        await tx.send([{ sql: 'UPDATE l SET n = n + 1 WHERE id = ?', params: [second] }]);
        await tx.commit([]);
      });
    await Promise.all([crossing(1, 2), crossing(2, 1)]);
    expect(attempts).toBe(3);
    const [rows] = await other.query('SELECT n FROM l ORDER BY id');
    expect((rows as { n: number }[]).map((r) => r.n)).toEqual([2, 2]);
  });

  it('a round trip past the statement deadline fails with DatabaseTimeoutError, its connection ended, nothing written', async () => {
    await other.query('DELETE FROM t');
    const before = await connections();
    await other.query('LOCK TABLES l WRITE');
    try {
      const started = Date.now();
      await expect(
        db.hot.scripted!(async (tx) => {
          await tx.send([
            { sql: 'INSERT INTO t (v) VALUES (?)', params: [7] },
            { sql: 'SELECT n FROM l WHERE id = ? FOR UPDATE', params: [1] },
          ]);
          await tx.commit([]);
        }),
      ).rejects.toBeInstanceOf(DatabaseTimeoutError);
      expect(Date.now() - started).toBeLessThan(STATEMENT_TIMEOUT_MS * 4);
    } finally {
      await other.query('UNLOCK TABLES');
    }
    // the database rolled the ended connection's transaction back; the pool opens another when asked
    await expect.poll(connections, { timeout: 5_000 }).toBeLessThanOrEqual(before);
    expect(await values()).toEqual([]);
    await db.hot.scripted!(async (tx) => {
      await tx.send([{ sql: 'INSERT INTO t (v) VALUES (?)', params: [8] }]);
      await tx.commit([]);
    });
    expect(await values()).toEqual([8]);
  });
});
