// A database that accepts connections but does not answer (a stalled disk, a lock held without end, a
// network dropping packets; issue 12): the hot paths answer 503 DATABASE_UNAVAILABLE within their
// statement deadline instead of hanging, refuse at once what would wait beyond the queue limit (so a
// process's memory stays bounded however long the stall), never open more connections than their pools
// allow, write nothing of a scan whose transaction stalled, and work again by themselves once the
// database answers. The stall is real: a table locked from another connection (LOCK TABLES … WRITE).
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOT_POOL_SIZE } from '../../src/db/database';
import { citizenWithCode } from '../helpers/citizen';
import { createTestContext, TEST_MYSQL_URL, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/people';
import { bearer, codeTokenFor, personWithCode, staffAtPoint } from '../helpers/staff';

const UNAVAILABLE = { error: { code: 'DATABASE_UNAVAILABLE', message: '数据库暂不可用，请稍后再试' } };
const STATEMENT_TIMEOUT_MS = 400;
const QUEUE_LIMIT = 5;

describe.skipIf(!TEST_MYSQL_URL)('a database that stops answering (MariaDB: a table locked from another connection)', () => {
  let ctx: TestContext;
  const logLines: string[] = [];
  let locker: mysql.Connection;
  beforeAll(async () => {
    ctx = await createTestContext({
      now: '2026-03-15T10:00:00+08:00',
      logLines,
      env: { DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), DB_QUEUE_LIMIT: String(QUEUE_LIMIT) },
    });
    locker = await mysql.createConnection({ uri: ctx.env.DATABASE_URL });
  }, 60_000);
  afterAll(async () => {
    await locker?.query('UNLOCK TABLES').catch(() => undefined);
    await locker?.end();
    await ctx?.close();
  });

  /** connections to this test's database, from every pool of the server */
  const connections = async () => {
    const [rows] = await locker.query('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()');
    return Number((rows as { n: number }[])[0].n);
  };
  const loggedCodes = () => logLines.filter((l) => l.includes('database unavailable')).map((l) => /"code":"(\w+)"/.exec(l)?.[1]);

  it('code page: every request answers 503 while the table is locked, from far fewer statements than requests, and works again when it is released', async () => {
    const citizen = await citizenWithCode(ctx, '13800001111', residentId('350102', '19800101', 11));
    expect((await ctx.http.get('/api/v1/app/codes/self').set(citizen.bearer)).status).toBe(200);

    await locker.query('LOCK TABLES app_sessions WRITE');
    logLines.length = 0;
    // the page's reads are coalesced (db/coalescedReads.ts): the first statement waits on the lock, the other
    // reads wait for it to end and then on the lock in one statement of their own
    const n = HOT_POOL_SIZE + QUEUE_LIMIT + 7;
    const started = Date.now();
    const statementsBefore = ctx.deps.db.coalescedStats()['own code'].statements;
    const answers = await Promise.all(Array.from({ length: n }, () => ctx.http.get('/api/v1/app/codes/self').set(citizen.bearer)));
    for (const r of answers) {
      expect(r.status).toBe(503);
      expect(r.body).toEqual(UNAVAILABLE);
    }
    expect(Date.now() - started).toBeLessThan(20 * STATEMENT_TIMEOUT_MS);
    expect(ctx.deps.db.coalescedStats()['own code'].statements - statementsBefore).toBeLessThan(n / 4);
    expect(loggedCodes()).toEqual(Array(n).fill('DATABASE_TIMEOUT'));
    expect(await connections()).toBeLessThanOrEqual(HOT_POOL_SIZE + 10);

    await locker.query('UNLOCK TABLES');
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await ctx.http.get('/api/v1/app/codes/self').set(citizen.bearer)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    // a burst larger than the pool's queue is one statement's work, not refused
    const again = await Promise.all(Array.from({ length: n }, () => ctx.http.get('/api/v1/app/codes/self').set(citizen.bearer)));
    expect(again.map((r) => r.status)).toEqual(Array(n).fill(200));
  }, 60_000);

  it('a statement of its own (the verify route): the pool\'s connections wait on the lock, QUEUE_LIMIT more wait for a connection, the rest are refused at once; the pool heals', async () => {
    const staff = await staffAtPoint(ctx);
    const person = await personWithCode(ctx, { idNumber: residentId('350102', '19820202', 78), name: '顾客乙' });
    const token = await codeTokenFor(ctx, person.personId);
    const verify = () => ctx.http.post('/api/v1/codes/verify').set(bearer(staff.token)).send({ token });
    expect((await verify()).status).toBe(200);

    await locker.query('LOCK TABLES people WRITE');
    logLines.length = 0;
    const n = HOT_POOL_SIZE + QUEUE_LIMIT + 7;
    const answers = await Promise.all(Array.from({ length: n }, verify));
    for (const r of answers) {
      expect(r.status).toBe(503);
      expect(r.body).toEqual(UNAVAILABLE);
    }
    const codes = loggedCodes();
    expect(codes.filter((c) => c === 'DATABASE_BUSY')).toHaveLength(7);
    expect(codes.filter((c) => c === 'DATABASE_TIMEOUT')).toHaveLength(HOT_POOL_SIZE + QUEUE_LIMIT);
    // the stalled statements keep their connections (no new ones opened in their place): the hot pool's
    // limit, Sequelize's pool (10) and nothing more
    expect(await connections()).toBeLessThanOrEqual(HOT_POOL_SIZE + 10);

    await locker.query('UNLOCK TABLES');
    // the stalled statements finish, their connections return to the pool: the route works again
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await verify()).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  }, 60_000);

  it('scan: a transaction stalled mid-batch answers 503, is rolled back whole, and the next scan is written', async () => {
    const { ScanRecord } = ctx.deps.db.models;
    const staff = await staffAtPoint(ctx);
    const person = await personWithCode(ctx, { idNumber: residentId('350102', '19820202', 77), name: '顾客甲' });
    const token = await codeTokenFor(ctx, person.personId);
    const before = await ScanRecord.count({ where: { personId: person.personId } });

    // the scan's reads pass; its transaction writes the record, then stalls on the audit entry
    await locker.query('LOCK TABLES audit_log WRITE');
    logLines.length = 0;
    const stalled = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token });
    expect(stalled.status).toBe(503);
    expect(stalled.body).toEqual(UNAVAILABLE);
    expect(loggedCodes()).toEqual(['DATABASE_TIMEOUT']);
    await locker.query('UNLOCK TABLES');

    // the stalled transaction's connection was closed: the database rolls it back, record included
    for (let i = 0; i < 50; i++) {
      const [rows] = await locker.query('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND COMMAND <> "Sleep" AND ID <> CONNECTION_ID()');
      if (Number((rows as { n: number }[])[0].n) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await ScanRecord.count({ where: { personId: person.personId } })).toBe(before);

    const next = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    expect(await ScanRecord.count({ where: { personId: person.personId } })).toBe(before + 1);
    expect(Number((await ScanRecord.findByPk(next.body.scanId, { raw: true }) as unknown as { personId: number }).personId)).toBe(person.personId);
  }, 60_000);
});
