// Graceful shutdown of the real `npm start` process (H3; issue 11 "Faults"): SIGTERM while a large
// source import is in flight and a data report is being written. The import answers 200 with every
// row, new connections are refused from the signal on, the report ends 已送达 with its whole file, and
// the process exits 0 within the deadline. The data is made beforehand through the services on the
// same SQLite file; the server then runs as its own process, as in production.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { shanghaiDay, addDays } from '@bamin/common';
import { REPO_ROOT } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import Koa from 'koa';
import { handlersInFlight, installGracefulShutdown, SHUTDOWN_DEADLINE_MS } from '../../src/shutdown';
import { bigVisitsCsv } from '../helpers/bigFile';
import { creditCode, healthDepartment, healthDepartmentId, NEW_PASSWORD } from '../helpers/console';
import { createTestContext, TEST_MYSQL_URL, type TestContext } from '../helpers/context';
import { personWithCode } from '../helpers/staff';

/** Scan records the report reads: enough that writing its file takes a few seconds. */
const REPORT_ROWS = 40_000;

let ctx: TestContext;
let server: ChildProcess | null = null;
let out = '';

afterAll(async () => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  if (ctx) rmSync(ctx.dir, { recursive: true, force: true });
});

/** A unit's console cookie, its organisation, and the health department it reports to. */
async function prepare() {
  ctx = await createTestContext({ mysqlUrl: null, now: new Date().toISOString() });
  const hd = await healthDepartment(ctx);
  const unitName = '鼓楼区停机测试街道办事处';
  const code = creditCode('350102', '11');
  const issued = await hd.post('/api/v1/console/activation-codes').send({ unitName, creditCode: code, areaCode: '350102' });
  const gen = await request(ctx.app.koa.callback()).post('/api/v1/console/government-accounts').send({ name: unitName, creditCode: code, activationCode: issued.body.activationCode });
  const first = request.agent(ctx.app.koa.callback());
  await first.post('/api/v1/console/sessions').send({ loginName: gen.body.loginName, password: gen.body.initialPassword });
  await first.post('/api/v1/console/password').send({ currentPassword: gen.body.initialPassword, newPassword: NEW_PASSWORD });
  const signIn = await request(ctx.app.koa.callback()).post('/api/v1/console/sessions').send({ loginName: gen.body.loginName, password: NEW_PASSWORD });
  expect(signIn.status).toBe(201);
  const cookie = String(signIn.headers['set-cookie']).split(';')[0];
  const organisationId = Number(gen.body.organisationId);
  const hdId = await healthDepartmentId(ctx);

  const person = await personWithCode(ctx);
  const yesterday = addDays(shanghaiDay(new Date()), -1);
  const start = new Date(`${yesterday}T00:00:00+08:00`).getTime();
  for (let i = 0; i < REPORT_ROWS; i += 5000) {
    await ctx.deps.db.models.ScanRecord.bulkCreate(
      Array.from({ length: Math.min(5000, REPORT_ROWS - i) }, (_, j) => ({
        organisationId, personId: person.personId, mode: 'passive', method: 'camera', colour: 'green', areaCode: '350102',
        location: '东街 1 号', scanPointName: '东街社区东门', scannedAt: new Date(start + (i + j) * 2000),
      })),
    );
  }
  // the server process opens the same file and data folder
  await ctx.deps.ocr.close();
  await ctx.deps.db.close();
  return { cookie, hdId, from: yesterday, to: shanghaiDay(new Date()) };
}

/** Starts `node --import tsx server/src/server.ts` as scripts/smoke.sh does; resolves with its port. */
function startServer(env: Record<string, string>): Promise<number> {
  server = spawn(process.execPath, ['--import', 'tsx', 'server/src/server.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', SEED_DEMO: '0', JOBS_ENABLED: '0', NATIONAL_PLATFORM_URL: 'off', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (c) => (out += c));
  server.stderr!.on('data', (c) => (out += c));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const check = () => {
      const m = /health:\s+http:\/\/localhost:(\d+)\/api\/health/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    server!.stdout!.on('data', check);
    server!.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) while starting:\n${out}`));
    });
  });
}

/** A POST whose body has been handed to the server once `sent` resolves; `answer` is its response. */
function post(port: number, pathName: string, headers: Record<string, string>, body: string | Buffer) {
  let sent!: () => void;
  const sentP = new Promise<void>((r) => (sent = r));
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathName, method: 'POST', headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.on('finish', sent);
    req.end(body);
  });
  return { sent: sentP, answer };
}

const refused = (port: number) =>
  new Promise<string>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });

// The server runs on SQLite here whatever DATABASE_URL says: the MariaDB pass of CI skips this file.
if (TEST_MYSQL_URL) it.skip('graceful shutdown: runs in the SQLite pass of npm test', () => undefined);

describe.skipIf(!!TEST_MYSQL_URL)('SIGTERM to npm start', () => {
  it('finishes the import in flight and the report being written, refuses new connections, and exits 0', async () => {
    const prepared = await prepare();
    const port = await startServer(ctx.env);
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => server!.once('exit', (code) => resolve({ code, at: Date.now() })));

    // the report first: its file is being written in the background when the signal comes
    const report = post(port, '/api/v1/console/data-reports', { 'Content-Type': 'application/json', Cookie: prepared.cookie }, JSON.stringify({ toOrganisationId: prepared.hdId, from: prepared.from, to: prepared.to }));
    const started = await report.answer;
    expect(started.status, started.body).toBe(202);
    const reportId = JSON.parse(started.body).id as number;

    const big = bigVisitsCsv(2_500_000);
    const importing = post(port, '/api/v1/sources/fever-clinic-visits', { 'Content-Type': 'text/csv', Authorization: `Bearer ${ctx.sourceToken}` }, big.text);
    await importing.sent;
    await new Promise((r) => setTimeout(r, 150)); // the server has the request
    const signalledAt = Date.now();
    server!.kill('SIGTERM');

    await expect.poll(() => refused(port), { timeout: 5_000, interval: 50 }).toBe('ECONNREFUSED');
    const imported = await importing.answer;
    expect(imported.status, imported.body).toBe(200);
    expect(JSON.parse(imported.body)).toMatchObject({ type: 'fever-clinic-visits', rows: big.rows, inserted: big.rows });

    const { code, at } = await exited;
    expect(code, out).toBe(0);
    expect(at - signalledAt).toBeLessThan(SHUTDOWN_DEADLINE_MS);
    // it waited for both: the request and the report were still running when the signal came
    const shuttingDown = out.split('\n').find((l) => l.includes('shutting down'));
    expect(JSON.parse(shuttingDown!)).toMatchObject({ signal: 'SIGTERM', requests: 1, reports: 1 });
    expect(out).toContain('"msg":"shut down"');

    // the file on disk is the whole report the row describes
    const db = openDatabase(ctx.env.DATABASE_URL);
    try {
      const row = (await db.models.DataReport.findByPk(reportId, { raw: true })) as unknown as { status: string; rowCount: number; filePath: string; checksum: string };
      expect(row).toMatchObject({ status: 'delivered', rowCount: REPORT_ROWS });
      const file = readFileSync(path.join(ctx.dir, row.filePath));
      expect(createHash('sha256').update(file).digest('hex')).toBe(row.checksum);
      expect(await db.models.FeverClinicVisit.count()).toBe(big.rows);
    } finally {
      await db.close();
    }
  }, 120_000);
});

describe('installGracefulShutdown past its deadline', () => {
  it('exits 1 with a log line naming what still ran, and a second signal exits at once', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (s: string) => void lines.push(s) });
    const srv = http.createServer(() => undefined); // never answers
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const exits: number[] = [];
    const never = new Promise<unknown>(() => undefined);
    const { stop } = installGracefulShutdown({
      server: srv, logger, tasks: [], background: { reports: new Set([never]) }, close: [], deadlineMs: 300, exit: (c) => void exits.push(c), signals: false,
    });
    const received = new Promise((r) => srv.once('request', r));
    const hanging = http.get({ host: '127.0.0.1', port: (srv.address() as { port: number }).port, path: '/' }).on('error', () => undefined);
    await received;
    const t = Date.now();
    void stop('SIGTERM');
    await expect.poll(() => exits, { timeout: 3_000 }).toEqual([1]);
    expect(Date.now() - t).toBeLessThan(1_500);
    const last = JSON.parse(lines.find((l) => l.includes('shutdown deadline passed'))!);
    expect(last).toMatchObject({ level: 50, deadlineMs: 300, requests: 1, reports: 1 });
    await stop('SIGINT');
    expect(exits).toEqual([1, 1]);
    hanging.destroy();
    srv.closeAllConnections();
  });
});

describe('installGracefulShutdown with a request whose client went away', () => {
  it('keeps the database open until the request\'s handler has ended, then exits 0', async () => {
    const logger = createLogger('silent', { write: () => undefined });
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const handling = new Promise<void>((r) => (started = r));
    const koa = new Koa();
    const handlers = handlersInFlight();
    koa.use(handlers.middleware as Koa.Middleware);
    koa.use(async (ctx) => {
      started();
      await held; // a scan in its group commit, say
      order.push('handler done');
      ctx.body = 'ok';
    });
    const srv = koa.listen(0, '127.0.0.1');
    await new Promise((r) => srv.once('listening', r));
    const exits: number[] = [];
    const { stop } = installGracefulShutdown({
      server: srv, logger, tasks: [], background: { handlers: handlers.running },
      close: [{ name: 'database', close: async () => void order.push('database closed') }],
      deadlineMs: 10_000, exit: (c) => void exits.push(c), signals: false,
    });
    const client = http.get({ host: '127.0.0.1', port: (srv.address() as { port: number }).port, path: '/' }).on('error', () => undefined);
    await handling;
    client.destroy(); // the client gives up: its socket closes while the handler runs
    await new Promise((r) => setTimeout(r, 100));
    void stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(order).toEqual([]); // the connection is gone, the handler is not: nothing closed yet
    expect(exits).toEqual([]);
    release();
    await expect.poll(() => exits, { timeout: 3_000 }).toEqual([0]);
    expect(order).toEqual(['handler done', 'database closed']);
  });
});

