// DATABASE_READ_URL (issue 12, docs/SCALING.md): the reads marked stale-tolerant (`staleReads`) go to the
// read replica, everything else to the primary. The "replica" here is a database of its own that nothing
// replicates to — a replica infinitely behind — so where each read went shows in its answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { runningReports } from '../../src/services/dataReportService';
import { governmentUnit, healthDepartment, healthDepartmentId } from '../helpers/console';
import { createTestContext, type TestContext } from '../helpers/context';
import { bearer, codeTokenFor, personWithCode, staffAtPoint } from '../helpers/staff';

let replica: TestContext;
let ctx: TestContext;
beforeAll(async () => {
  replica = await createTestContext({ now: '2026-03-15T10:00:00+08:00' }); // its schema made by its own start
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00', env: { DATABASE_READ_URL: replica.env.DATABASE_URL } });
}, 60_000);
afterAll(async () => {
  await ctx?.close();
  await replica?.close();
});

describe('DATABASE_READ_URL', () => {
  it('must be the same kind of database as DATABASE_URL', () => {
    expect(() => loadConfig({ ...ctx.env, DATABASE_URL: 'sqlite:/tmp/x.sqlite', DATABASE_READ_URL: 'mysql://root@127.0.0.1:3306/x' })).toThrow(/DATABASE_READ_URL/);
  });

  it('the console list and the dashboard read the replica; the scan and its own answer the primary', async () => {
    const hd = await healthDepartment(ctx);
    const gov = await governmentUnit(ctx, hd);
    const staff = await staffAtPoint(ctx, '350102', { organisationId: gov.organisationId });
    const p = await personWithCode(ctx);
    const scan = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token: await codeTokenFor(ctx, p.personId) });
    expect(scan.status, JSON.stringify(scan.body)).toBe(201);
    expect(scan.body.recentScans).toHaveLength(1); // read from the primary, with the record it wrote
    // the console's list is a stale-tolerant read: the replica has not got the record
    const list = await gov.agent.get('/api/v1/console/scan-records');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(0);
    // yesterday's statistics as the replica has them
    await replica.deps.db.models.DailyStat.create({ organisationId: gov.organisationId, day: '2026-03-14', employees: 40, reportedEmployees: 30, reports: 33 });
    const dash = await gov.agent.get('/api/v1/console/dashboard?days=7');
    expect(dash.status).toBe(200);
    expect(dash.body.totals).toMatchObject({ employees: 40, reports: 33 });
    // a 数据上报's file is written from the replica's records too; the report itself lives on the primary
    const hdId = await healthDepartmentId(ctx);
    const sent = await gov.agent.post('/api/v1/console/data-reports').send({ toOrganisationId: hdId, from: '2026-03-15', to: '2026-03-15' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    await Promise.all([...runningReports]);
    const report = await ctx.deps.db.models.DataReport.findByPk(sent.body.id, { raw: true });
    expect(report).toMatchObject({ status: 'delivered', rowCount: 0 });
    // without a replica the same list reads the primary
    const direct = await createTestContext({ now: '2026-03-15T10:00:00+08:00', env: { DATABASE_URL: ctx.env.DATABASE_URL, PII_HASH_KEY: ctx.env.PII_HASH_KEY, PII_ENCRYPTION_KEY: ctx.env.PII_ENCRYPTION_KEY, CODE_SIGNING_KEYS_FILE: ctx.env.CODE_SIGNING_KEYS_FILE } });
    try {
      expect(direct.deps.db.replica.sequelize).toBe(direct.deps.db.sequelize);
      const { listScanRecords } = await import('../../src/services/scanRecordsService');
      const page = await listScanRecords(direct.deps, { organisationId: gov.organisationId } as never, { page: 1, pageSize: 20 } as never);
      expect(page.total).toBe(1);
    } finally {
      await direct.close();
    }
  });
});
