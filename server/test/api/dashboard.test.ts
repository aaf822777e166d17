// Enterprise dashboard (manual 五(二)4 企业看板, E3) and the government's 企业数据管理 (G2), issue 6:
// through supertest with console sessions, on daily_stats written by the job. Exact bodies; a unit sees
// only its own figures and only the enterprises registered in its own area.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as job from '../../src/jobs/dailyStats.job';
import {
  agent,
  caSignIn,
  certificateFor,
  creditCode,
  enterpriseWithCa,
  governmentUnit,
  healthDepartment,
  registerEnterprise,
  type Agent,
} from '../helpers/console';
import { createTestContext, type TestContext } from '../helpers/context';

let ctx: TestContext;
let hd: Agent;
let gov: Awaited<ReturnType<typeof governmentUnit>>; // 鼓楼区 (county 350102)
let xiamen: Awaited<ReturnType<typeof governmentUnit>>; // 厦门市 (city 350200)
let e1: { organisationId: number; name: string; creditCode: string; agent: Agent }; // 鼓楼区
let e2: { organisationId: number; name: string; creditCode: string; agent: Agent }; // 厦门市思明区
let e3: { organisationId: number; name: string; creditCode: string }; // 福州市台江区, no employees

const at = (s: string) => new Date(`${s}+08:00`);
const hashOf = (s: string) => createHash('sha256').update(s).digest('hex');

/** Employees with their reports, written straight to the tables (created_at is the test's, not the wall clock's). */
async function staff(organisationId: number, people: { key: string; createdAt: string; reports: string[] }[]) {
  const { Person, Employee, HealthReport } = ctx.deps.db.models;
  for (const p of people) {
    const person = await Person.findOne({ where: { idHash: hashOf(p.key) } }) ?? await Person.create({ idType: 'resident_id', idHash: hashOf(p.key), idNumberEnc: 'x', idMasked: '3501**', name: p.key });
    const personId = Number(person.get('id'));
    await Employee.create({ organisationId, name: p.key, idType: 'resident_id', idHash: hashOf(p.key), idNumberEnc: 'x', idMasked: '3501**', createdAt: at(p.createdAt), updatedAt: at(p.createdAt) });
    for (const r of p.reports) {
      await HealthReport.create({ personId, reporterPersonId: personId, reportType: 'self', temperatureTenths: 365, symptoms: 'none', reportedAt: at(r) });
    }
  }
}

async function scans(organisationId: number, times: string[]) {
  const personId = Number((await ctx.deps.db.models.Person.findOne({ where: { idHash: hashOf('q1') } }))!.get('id'));
  for (const t of times) {
    await ctx.deps.db.models.ScanRecord.create({ organisationId, personId, mode: 'passive', method: 'camera', colour: 'green', areaCode: '350102', scannedAt: at(t) });
  }
}

beforeAll(async () => {
  // yesterday is 14 March
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
  // Until app.ts registers the routes (or if it does already), mount them on the test's app.
  hd = await healthDepartment(ctx);
  gov = await governmentUnit(ctx, hd, { areaCode: '350102' });
  xiamen = await governmentUnit(ctx, hd, { areaCode: '350200' });
  e1 = await enterpriseWithCa(ctx);
  const r2 = await registerEnterprise(ctx, { creditCode: creditCode('350203') });
  const signed = await caSignIn(ctx, await certificateFor(ctx, r2.creditCode));
  expect(signed.res.status).toBe(201);
  e2 = { ...r2, agent: signed.agent };
  const code3 = creditCode('350103');
  const o3 = await ctx.deps.db.models.Organisation.create({ kind: 'enterprise', name: '福州台江某商贸有限公司', creditCode: code3, areaCode: '350103' });
  e3 = { organisationId: Number(o3.get('id')), name: '福州台江某商贸有限公司', creditCode: code3 };

  await staff(e1.organisationId, [
    { key: 'q1', createdAt: '2026-03-01T09:00:00', reports: ['2026-03-10T08:00:00', '2026-03-11T08:00:00', '2026-03-12T08:00:00', '2026-03-13T08:00:00', '2026-03-14T23:59:59.999', '2026-03-15T00:00:00'] },
    { key: 'q2', createdAt: '2026-03-01T09:00:00', reports: ['2026-03-14T08:00:00', '2026-03-14T18:00:00'] },
    { key: 'q3', createdAt: '2026-03-01T09:00:00', reports: ['2026-03-12T08:00:00'] },
    { key: 'q4', createdAt: '2026-03-01T09:00:00', reports: [] },
  ]);
  await staff(e2.organisationId, [
    { key: 'r1', createdAt: '2026-03-01T09:00:00', reports: ['2026-03-14T08:00:00'] },
    { key: 'r2', createdAt: '2026-03-01T09:00:00', reports: [] },
    { key: 'r3', createdAt: '2026-03-14T12:00:00', reports: ['2026-03-14T13:00:00'] }, // joined yesterday
    { key: 'q1', createdAt: '2026-03-15T09:00:00', reports: [] }, // joins today: not on yesterday's roll
  ]);
  // e1's points: two scans yesterday (first and last second), one the day before, one today
  await scans(e1.organisationId, ['2026-03-13T23:59:59.999', '2026-03-14T00:00:00', '2026-03-14T23:59:59', '2026-03-15T00:00:00']);
  expect((await job.run(ctx.deps)).ran).toBe(true);
}, 120_000);
afterAll(() => ctx.close());

describe('GET /api/v1/console/dashboard', () => {
  it('an enterprise: totals as of yesterday and the daily trend of its own employees', async () => {
    const res = await e1.agent.get('/api/v1/console/dashboard?days=5');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      asOf: '2026-03-14',
      // q1, q2, q3 have reported; 5 + 2 + 1 reports up to 23:59:59.999 yesterday (q1's 00:00:00 report is today's)
      totals: { employees: 4, reportedEmployees: 3, reports: 8 },
      trend: [
        { day: '2026-03-10', reportedEmployees: 1, employees: 4, share: 0.25 },
        { day: '2026-03-11', reportedEmployees: 1, employees: 4, share: 0.25 },
        { day: '2026-03-12', reportedEmployees: 2, employees: 4, share: 0.5 },
        { day: '2026-03-13', reportedEmployees: 1, employees: 4, share: 0.25 },
        { day: '2026-03-14', reportedEmployees: 2, employees: 4, share: 0.5 },
      ],
    });
  });

  it('another enterprise sees only its own figures (its roll grew yesterday; today\'s employee is not on it)', async () => {
    const res = await e2.agent.get('/api/v1/console/dashboard?days=3');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      asOf: '2026-03-14',
      totals: { employees: 3, reportedEmployees: 2, reports: 2 },
      trend: [
        { day: '2026-03-12', reportedEmployees: 0, employees: 2, share: 0 },
        { day: '2026-03-13', reportedEmployees: 0, employees: 2, share: 0 },
        { day: '2026-03-14', reportedEmployees: 2, employees: 3, share: 0.6667 },
      ],
    });
  });

  it('30 days by default; a unit without employees gets zeros, not an enterprise\'s figures', async () => {
    const res = await gov.agent.get('/api/v1/console/dashboard');
    expect(res.status).toBe(200);
    expect(res.body.asOf).toBe('2026-03-14');
    expect(res.body.totals).toEqual({ employees: 0, reportedEmployees: 0, reports: 0 });
    expect(res.body.trend).toHaveLength(30);
    expect(res.body.trend[0]).toEqual({ day: '2026-02-13', reportedEmployees: 0, employees: 0, share: 0 });
    expect(res.body.trend.every((t: { employees: number }) => t.employees === 0)).toBe(true);
    expect((await hd.get('/api/v1/console/dashboard?days=1')).body.trend).toEqual([{ day: '2026-03-14', reportedEmployees: 0, employees: 0, share: 0 }]);
  });

  it.each(['0', '91', '7.5', 'abc'])('days=%s → 400 naming days (1–90)', async (days) => {
    const res = await e1.agent.get(`/api/v1/console/dashboard?days=${days}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'days' }] });
  });

  it('90 days is the longest', async () => {
    const res = await e1.agent.get('/api/v1/console/dashboard?days=90');
    expect(res.status).toBe(200);
    expect(res.body.trend).toHaveLength(90);
  });

  it('without a console session → 401', async () => {
    const res = await agent(ctx).get('/api/v1/console/dashboard');
    expect(res.status).toBe(401);
  });
});

describe('GET /api/v1/console/enterprises', () => {
  const summary = (e: { organisationId: number; name: string; creditCode: string }, employees: number, yesterdayShare: number | null, yesterdayEntries: number) => ({
    organisationId: e.organisationId, name: e.name, creditCode: e.creditCode, employees, yesterdayShare, yesterdayEntries,
  });

  it('a county unit: the enterprises registered in its county, with yesterday\'s roll, share and scans', async () => {
    const res = await gov.agent.get('/api/v1/console/enterprises');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [summary(e1, 4, 0.5, 2)], page: 1, pageSize: 10, total: 1 });
  });

  it('a city unit: every county of its city (厦门市 sees 思明区, not 福州)', async () => {
    const res = await xiamen.agent.get('/api/v1/console/enterprises');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [summary(e2, 3, 0.6667, 0)], page: 1, pageSize: 10, total: 1 });
  });

  it('the health department: the whole province, paged; an enterprise without a roll has no share', async () => {
    const all = await hd.get('/api/v1/console/enterprises');
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ items: [summary(e1, 4, 0.5, 2), summary(e2, 3, 0.6667, 0), summary(e3, 0, null, 0)], page: 1, pageSize: 10, total: 3 });
    const second = await hd.get('/api/v1/console/enterprises?page=2&pageSize=2');
    expect(second.body).toEqual({ items: [summary(e3, 0, null, 0)], page: 2, pageSize: 2, total: 3 });
    expect((await hd.get('/api/v1/console/enterprises?pageSize=51')).status).toBe(400);
  });

  it('an enterprise → 403', async () => {
    const res = await e1.agent.get('/api/v1/console/enterprises');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'FORBIDDEN', message: '当前账号无权使用该功能' } });
  });
});
