// 出入扫码记录 (D4, E7) and 职工健康管理 (D5, E4) in the console, on a real database: the records the
// scanner wrote, masked and filtered; drill-downs (audited); today's reporting status; reminders that land
// in the app's messages; history; export read back with exceljs; tenant isolation of every route.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenWithCode } from '../helpers/citizen';
import { governmentUnit, healthDepartment, type Agent } from '../helpers/console';
import { createTestContext, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/people';
import { bearer, codeTokenFor, personWithCode, staffAtPoint } from '../helpers/staff';

let ctx: TestContext;
let unit: Awaited<ReturnType<typeof governmentUnit>>;
let other: Awaited<ReturnType<typeof governmentUnit>>;
let staff: Awaited<ReturnType<typeof staffAtPoint>>;
let typedScanId: number;
let cameraScanId: number;
let personA: Awaited<ReturnType<typeof personWithCode>>;
let personB: Awaited<ReturnType<typeof personWithCode>>;

beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
  const hd = await healthDepartment(ctx);
  unit = await governmentUnit(ctx, hd, { name: '鼓楼区东街街道办事处' });
  other = await governmentUnit(ctx, hd, { name: '台江区茶亭街道办事处' });
  staff = await staffAtPoint(ctx, '350102', { organisationId: unit.organisationId, name: '张扫码' });
  personA = await personWithCode(ctx, { name: '王小明', idNumber: residentId('350102', '19800101', 501) });
  personB = await personWithCode(ctx, { name: '李大红', idNumber: residentId('350102', '19810101', 502) });
  typedScanId = (await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: personA.codeNumber })).body.scanId;
  ctx.clock.advance(60_000);
  cameraScanId = (await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token: await codeTokenFor(ctx, personB.personId) })).body.scanId;
  await ctx.http.put(`/api/v1/staff/scans/${cameraScanId}/feedback`).set(bearer(staff.token)).send({ passReason: 'work', temperatureResult: 'normal' });
  // the other unit's scanner scans person A too
  const otherStaff = await staffAtPoint(ctx, '350103', { organisationId: other.organisationId });
  await ctx.http.post('/api/v1/staff/scans').set(bearer(otherStaff.token)).send({ codeNumber: personA.codeNumber });
}, 120_000);
afterAll(() => ctx.close());

const list = (a: Agent, q = '') => a.get(`/api/v1/console/scan-records${q}`);

describe('GET /api/v1/console/scan-records (D4, E7)', () => {
  it('lists the unit\'s records, newest first, masked, with 未反馈 and 人工输入', async () => {
    const res = await list(unit.agent);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    expect(res.body.items).toMatchObject([
      { id: cameraScanId, nameMasked: '**红', idMasked: `35*****${personB.idNumber.slice(-3)}`, areaName: '福建省福州市鼓楼区', pointName: '鼓楼区东街社区东门检测点', scanner: { id: staff.accountId, nameMasked: '**码' }, mode: 'passive', method: 'camera', methodText: '扫码', colourText: '绿码', temperatureText: '体温正常' },
      { id: typedScanId, nameMasked: '**明', method: 'typed', methodText: '人工输入', temperatureText: '未反馈' },
    ]);
    expect(JSON.stringify(res.body)).not.toContain(personA.idNumber);
  });

  it.each([
    ['name', '?name=小明', [0]],
    ['exact ID number', `?idNumber=${residentId('350102', '19810101', 502)}`, [1]],
    ['part of an ID number (exact only)', `?idNumber=${residentId('350102', '19810101', 502).slice(0, 10)}`, []],
    ['未反馈', '?temperature=none', [0]],
    ['体温正常', '?temperature=normal', [1]],
    ['green', '?colour=green', [0, 1]],
    ['orange', '?colour=orange', []],
    ['the city of the point', '?areaCode=350100', [0, 1]],
    ['another county', '?areaCode=350103', []],
    ['today', '?from=2026-03-15&to=2026-03-15', [0, 1]],
    ['yesterday', '?from=2026-03-14&to=2026-03-14', []],
    ['the scanner', `?scannerId=${'SCANNER'}`, [0, 1]],
    ['active registrations', '?mode=active', []],
  ])('filters by %s', async (_n, q, which) => {
    const ids = [typedScanId, cameraScanId];
    const res = await list(unit.agent, q.replace('SCANNER', String(staff.accountId)));
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: { id: number }) => r.id).sort()).toEqual(which.map((i) => ids[i]).sort());
  });

  it('names a bad filter, and pages', async () => {
    const bad = await list(unit.agent, '?temperature=hot&from=2026-3-1');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['from', 'temperature']);
    const page2 = await list(unit.agent, '?pageSize=1&page=2');
    expect(page2.body).toMatchObject({ total: 2, page: 2, items: [{ id: typedScanId }] });
  });

  it('shows a record\'s detail, a person (audited) and a scanner; never another unit\'s', async () => {
    const detail = await unit.agent.get(`/api/v1/console/scan-records/${cameraScanId}`);
    expect(detail.body).toMatchObject({ id: cameraScanId, location: '东街 88 号', passReasonText: '工作', temperatureText: '体温正常' });
    const personRef = detail.body.personRef;
    const person = await unit.agent.get(`/api/v1/console/scan-records/people/${personRef}`);
    expect(person.body).toMatchObject({ nameMasked: '**红', colourText: '绿码', residence: '福建省福州市鼓楼区', records: [{ id: cameraScanId }], reports: [] });
    expect(await ctx.deps.db.models.AuditLog.count({ where: { action: 'console.pass_person_view', subjectId: String(personRef), outcome: 'ok' } })).toBe(1);
    const scanner = await unit.agent.get(`/api/v1/console/scan-records/scanners/${staff.accountId}`);
    expect(scanner.body).toMatchObject({ id: staff.accountId, name: '张扫码', total: 2 });
    // the other unit: 404 for each, and person A's records there do not show here
    expect((await other.agent.get(`/api/v1/console/scan-records/${cameraScanId}`)).status).toBe(404);
    expect((await other.agent.get(`/api/v1/console/scan-records/people/${personRef}`)).status).toBe(404);
    expect((await other.agent.get(`/api/v1/console/scan-records/scanners/${staff.accountId}`)).status).toBe(404);
    const aHere = await unit.agent.get(`/api/v1/console/scan-records/people/${personA.personId}`);
    expect(aHere.body.records.map((r: { id: number }) => r.id)).toEqual([typedScanId]);
  });
});

describe('职工健康管理 (D5, E4)', () => {
  let reporter: Awaited<ReturnType<typeof citizenWithCode>>;
  const ids = { reporter: residentId('350102', '19850505', 601), silent: residentId('350102', '19860606', 602) };
  const employeeIds: Record<string, number> = {};
  beforeAll(async () => {
    for (const [key, idNumber] of Object.entries(ids)) {
      const r = await unit.agent.post('/api/v1/console/employees').send({ name: key === 'reporter' ? '陈上报' : '林未报', idType: 'resident_id', idNumber, department: '综合科' });
      employeeIds[key] = r.body.id;
    }
    // the reporter reported yesterday with fever and today without symptoms (after the import: both count)
    reporter = await citizenWithCode(ctx, '13611112222', ids.reporter, '陈上报');
    ctx.clock.advance(-86400_000);
    await ctx.http.post('/api/v1/app/health-reports').set(reporter.bearer).send({ holder: 'self', temperatureCelsius: 37.6, symptoms: ['fever'], areaCode: '350102', location: '家' });
    ctx.clock.advance(86400_000);
    await ctx.http.post('/api/v1/app/health-reports').set(reporter.bearer).send({ holder: 'self', temperatureCelsius: 36.5, symptoms: ['none'], areaCode: '350102', location: '单位' });
  }, 60_000);

  it('shows today\'s 已上报 / 未上报 with the latest result, and filters', async () => {
    const res = await unit.agent.get('/api/v1/console/employee-health');
    expect(res.body.items).toEqual([
      { employeeId: employeeIds.silent, name: '林未报', idMasked: `35*****${ids.silent.slice(-3)}`, department: '综合科', reportedToday: false, statusText: '未上报', latestReportAt: null, latestResultText: null },
      { employeeId: employeeIds.reporter, name: '陈上报', idMasked: `35*****${ids.reporter.slice(-3)}`, department: '综合科', reportedToday: true, statusText: '已上报', latestReportAt: ctx.clock.now().toISOString(), latestResultText: '正常' },
    ]);
    expect((await unit.agent.get('/api/v1/console/employee-health?status=not_reported')).body.items.map((r: { name: string }) => r.name)).toEqual(['林未报']);
    expect((await unit.agent.get('/api/v1/console/employee-health?result=abnormal')).body.total).toBe(0);
    expect((await unit.agent.get(`/api/v1/console/employee-health?idNumber=${ids.reporter}`)).body.total).toBe(1);
    expect((await other.agent.get('/api/v1/console/employee-health')).body.total).toBe(0);
  });

  it('reminds who has not reported (the message reaches the app), and refuses to remind someone who has', async () => {
    const refused = await unit.agent.post('/api/v1/console/employee-health/reminders').send({ employeeIds: [employeeIds.silent, employeeIds.reporter] });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'ALREADY_REPORTED', details: [{ problem: '陈上报 今日已上报，无需提醒' }] });
    expect(await ctx.deps.db.models.Message.count()).toBe(0);
    const ok = await unit.agent.post('/api/v1/console/employee-health/reminders').send({ employeeIds: [employeeIds.silent] });
    expect(ok.body).toEqual({ reminded: 1 });
    // the silent employee signs in to the app later and finds the reminder
    const silent = await citizenWithCode(ctx, '13622223333', ids.silent, '林未报');
    const messages = await ctx.http.get('/api/v1/app/messages').set(silent.bearer);
    expect(messages.body).toMatchObject({ unread: 1, items: [{ kind: 'reminder', title: '健康上报提醒', senderName: '鼓楼区东街街道办事处' }] });
    expect((await other.agent.post('/api/v1/console/employee-health/reminders').send({ employeeIds: [employeeIds.silent] })).status).toBe(404);
  });

  it('shows one employee\'s history, and exports the range as .xlsx', async () => {
    const history = await unit.agent.get(`/api/v1/console/employee-health/${employeeIds.reporter}/reports`);
    expect(history.body).toMatchObject({ name: '陈上报', total: 2, items: [{ symptomText: '无症状', typeText: '本人上报' }, { symptomText: '发热', temperatureCelsius: 37.6 }] });
    expect((await unit.agent.get(`/api/v1/console/employee-health/${employeeIds.reporter}/reports?from=2026-03-15&to=2026-03-15`)).body.total).toBe(1);
    expect((await other.agent.get(`/api/v1/console/employee-health/${employeeIds.reporter}/reports`)).status).toBe(404);
    const res = await unit.agent
      .get('/api/v1/console/employee-health/export.xlsx?from=2026-03-14&to=2026-03-15')
      .buffer(true)
      .parse((r, cb) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => cb(null, Buffer.concat(parts)));
      });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const rows = wb.worksheets[0].getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(rows[0]).toEqual(['姓名', '证件号码', '部门', '上报时间', '上报类型', '体温(℃)', '症状', '所在地区', '具体位置']);
    expect(rows.slice(1).map((r) => [r[0], r[5], r[6]])).toEqual([
      ['陈上报', '37.6', '发热'],
      ['陈上报', '36.5', '无症状'],
    ]);
    expect((await unit.agent.get('/api/v1/console/employee-health/export.xlsx?from=2026-03-15&to=2026-03-14')).status).toBe(400);
  });
});
