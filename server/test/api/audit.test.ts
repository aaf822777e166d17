// The audit trail (H3; issue 11) on a real database: every read of a person's record — a scanner's scan, a
// console drill-down, a record's detail, an employee's history, an export — is written with who, when,
// which person (the keyed hash of their ID number, never the number), why (the route) and for which unit;
// the console shows a unit its own trail and the health department everyone's, masked; the log is
// append-only through the application.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governmentUnit, healthDepartment, type Agent } from '../helpers/console';
import { createTestContext, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/people';
import { bearer, personWithCode, staffAtPoint } from '../helpers/staff';

let ctx: TestContext;
let hd: Agent;
let unitA: Awaited<ReturnType<typeof governmentUnit>>;
let unitB: Awaited<ReturnType<typeof governmentUnit>>;
let person: Awaited<ReturnType<typeof personWithCode>>;
let scanId: number;

type Entry = { action: string; route: string | null; organisationId: number | null; subjectHash: string | null; actorKind: string; detail: string | null };
const entries = async (action: string) => (await ctx.deps.db.models.AuditLog.findAll({ where: { action }, order: [['id', 'ASC']], raw: true })) as unknown as Entry[];

beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
  hd = await healthDepartment(ctx);
  unitA = await governmentUnit(ctx, hd, { name: '审计测试甲街道' });
  unitB = await governmentUnit(ctx, hd, { name: '审计测试乙街道' });
  person = await personWithCode(ctx, { name: '陈审计', idNumber: residentId('350102', '19800101', 611) });
  const staffA = await staffAtPoint(ctx, '350102', { organisationId: unitA.organisationId, name: '甲扫码员' });
  const r = await ctx.http.post('/api/v1/staff/scans').set(bearer(staffA.token)).send({ codeNumber: person.codeNumber });
  expect(r.status).toBe(201);
  scanId = r.body.scanId;
  const staffB = await staffAtPoint(ctx, '350102', { organisationId: unitB.organisationId, name: '乙扫码员' });
  expect((await ctx.http.post('/api/v1/staff/scans').set(bearer(staffB.token)).send({ codeNumber: person.codeNumber })).status).toBe(201);
}, 120_000);
afterAll(() => ctx.close());

describe('what is written', () => {
  it('a scanner\'s look-up: the route, the unit, the person by keyed hash, nothing in clear', async () => {
    const idHash = ((await ctx.deps.db.models.Person.findByPk(person.personId, { attributes: ['idHash'], raw: true })) as unknown as { idHash: string }).idHash;
    const typed = await entries('code.lookup_typed');
    expect(typed).toHaveLength(2);
    expect(typed[0]).toMatchObject({ route: 'POST /api/v1/staff/scans', organisationId: unitA.organisationId, subjectHash: idHash, actorKind: 'account' });
    expect(typed[1]).toMatchObject({ organisationId: unitB.organisationId, subjectHash: idHash });
    const all = JSON.stringify(await ctx.deps.db.models.AuditLog.findAll({ raw: true }));
    expect(all).not.toContain(person.idNumber);
    expect(all).not.toContain(person.codeNumber);
  });

  it('console drill-down, record detail, employee history and export are each audited for the unit', async () => {
    const ref = (await unitA.agent.get('/api/v1/console/scan-records')).body.items[0].personRef;
    expect((await unitA.agent.get(`/api/v1/console/scan-records/people/${ref}`)).status).toBe(200);
    expect((await unitA.agent.get(`/api/v1/console/scan-records/${scanId}`)).status).toBe(200);
    const emp = await unitA.agent.post('/api/v1/console/employees').send({ name: '陈审计', idType: 'resident_id', idNumber: person.idNumber });
    expect(emp.status, JSON.stringify(emp.body)).toBe(201);
    expect((await unitA.agent.get(`/api/v1/console/employee-health/${emp.body.id}/reports`)).status).toBe(200);
    expect((await unitA.agent.get('/api/v1/console/employee-health/export.xlsx?from=2026-03-01&to=2026-03-14')).status).toBe(200);
    for (const [action, route] of [
      ['console.pass_person_view', 'GET /api/v1/console/scan-records/people/:personRef'],
      ['console.scan_record_view', 'GET /api/v1/console/scan-records/:id'],
      ['console.employee_reports_view', 'GET /api/v1/console/employee-health/:employeeId/reports'],
      ['console.employee_reports_exported', 'GET /api/v1/console/employee-health/export.xlsx'],
    ]) {
      const [e] = await entries(action);
      expect(e, action).toMatchObject({ route, organisationId: unitA.organisationId });
    }
  });
});

describe('GET /api/v1/console/audit (审计日志)', () => {
  it('a unit sees its own trail, masked, newest first', async () => {
    const res = await unitA.agent.get('/api/v1/console/audit?from=2026-03-15&to=2026-03-15&pageSize=100');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const actions = res.body.items.map((i: { action: string }) => i.action);
    expect(actions).toContain('code.lookup_typed');
    expect(actions).toContain('console.pass_person_view');
    for (const i of res.body.items) expect(i.organisation).toEqual({ id: unitA.organisationId, name: '审计测试甲街道' });
    const look = res.body.items.find((i: { action: string }) => i.action === 'code.lookup_typed');
    expect(look).toMatchObject({ actionText: '人工输入查询', outcomeText: '成功', route: 'POST /api/v1/staff/scans', personMasked: { name: '**计', idMasked: person.idNumber.slice(0, 2) + '*****' + person.idNumber.slice(-3) }, actorText: expect.stringMatching(/^子账号 /) });
    expect(JSON.stringify(res.body)).not.toContain(person.idNumber);
    expect(res.body.items.find((i: { action: string }) => i.action === 'console.employee_reports_exported')).toMatchObject({ personMasked: null, subjectText: `单位 #${unitA.organisationId}`, actionText: '导出职工健康上报' });
    // the other unit's look-up is not in it
    expect(res.body.items.filter((i: { action: string }) => i.action === 'code.lookup_typed')).toHaveLength(1);
  });

  it('the health department sees every unit, and can narrow to one', async () => {
    const all = await hd.get('/api/v1/console/audit?from=2026-03-15&to=2026-03-15&action=code.lookup_typed');
    expect(all.body.total).toBe(2);
    expect(new Set(all.body.items.map((i: { organisation: { id: number } }) => i.organisation.id))).toEqual(new Set([unitA.organisationId, unitB.organisationId]));
    const one = await hd.get(`/api/v1/console/audit?from=2026-03-15&to=2026-03-15&action=code.lookup_typed&organisationId=${unitB.organisationId}`);
    expect(one.body.items.map((i: { organisation: { id: number } }) => i.organisation.id)).toEqual([unitB.organisationId]);
    // a unit cannot look into another's by the parameter
    const sneaky = await unitA.agent.get(`/api/v1/console/audit?from=2026-03-15&to=2026-03-15&action=code.lookup_typed&organisationId=${unitB.organisationId}`);
    expect(sneaky.body.items.map((i: { organisation: { id: number } }) => i.organisation.id)).toEqual([unitA.organisationId]);
  });

  it.each([
    ['?from=2026-02-30', 'from'],
    ['?from=2026-03-10&to=2026-03-01', 'to'],
    ['?from=2025-01-01&to=2026-03-15', 'to'],
    ['?action=DROP%20TABLE', 'action'],
    ['?outcome=maybe', 'outcome'],
  ])('refuses %s naming %s', async (q, field) => {
    const res = await unitA.agent.get(`/api/v1/console/audit${q}`);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe(field);
  });
});

describe('GET /api/v1/console/units (the 审计日志 unit filter)', () => {
  it('the health department finds units of every kind by part of their name, by name, paged', async () => {
    const found = await hd.get('/api/v1/console/units?q=审计测试&pageSize=1');
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body).toMatchObject({ page: 1, pageSize: 1, total: 2 });
    const second = await hd.get('/api/v1/console/units?q=审计测试&page=2&pageSize=1');
    // two pages, one unit each, both found (ordered by name in the database's collation)
    expect([...found.body.items, ...second.body.items].sort((a, b) => a.id - b.id)).toEqual([
      { id: unitA.organisationId, name: '审计测试甲街道', kind: 'government' },
      { id: unitB.organisationId, name: '审计测试乙街道', kind: 'government' },
    ]);
    // the health department itself is a unit too; without q, every unit
    const all = await hd.get('/api/v1/console/units?pageSize=50');
    expect(all.body.items.map((u: { kind: string }) => u.kind)).toContain('health_department');
    expect(all.body.total).toBe(await ctx.deps.db.models.Organisation.count());
    // typed wildcards are dropped, not matched as wildcards
    expect((await hd.get(`/api/v1/console/units?q=${encodeURIComponent('审计%乙')}`)).body.total).toBe(0);
    expect((await hd.get(`/api/v1/console/units?q=${encodeURIComponent('测试乙_')}`)).body.items.map((u: { id: number }) => u.id)).toEqual([unitB.organisationId]);
  });

  it('refuses other units, and a bad query by name', async () => {
    expect((await unitA.agent.get('/api/v1/console/units?q=审计')).status).toBe(403);
    const long = await hd.get(`/api/v1/console/units?q=${'单'.repeat(51)}`);
    expect(long.status).toBe(400);
    expect(long.body.error.details).toEqual([{ field: 'q', problem: '单位名称最多 50 个字' }]);
    const blank = await hd.get('/api/v1/console/units?q=%20%20');
    expect(blank.body.error.details).toEqual([{ field: 'q', problem: '请输入单位名称' }]);
    expect((await hd.get('/api/v1/console/units?pageSize=51')).status).toBe(400);
  });
});

describe('append-only', () => {
  it('no entry can be changed or removed through the application', async () => {
    const { AuditLog } = ctx.deps.db.models;
    const before = await AuditLog.count();
    await expect(AuditLog.update({ outcome: 'refused' }, { where: {} })).rejects.toThrow('append-only');
    await expect(AuditLog.destroy({ where: {} })).rejects.toThrow('append-only');
    const one = await AuditLog.findOne();
    await expect(one!.update({ action: 'x' })).rejects.toThrow('append-only');
    await expect(one!.destroy()).rejects.toThrow('append-only');
    expect(await AuditLog.count()).toBe(before);
  });
});
