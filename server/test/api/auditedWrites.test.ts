// A use case and its audit entry are written together or not at all (H3; the house rule "all or none"): for
// each console and app write that is audited, the audit entry's INSERT is made to fail (helpers/auditFaults.ts)
// and the test finds every row the use case would have written as it was — and the same request, sent again
// once the audit log takes entries, succeeds (nothing half-used: an activation code, an SMS code, a phone or
// ID number, an open correction). Both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Op } from 'sequelize';
import { runningReports } from '../../src/services/dataReportService';
import { auditRefusing } from '../helpers/auditFaults';
import { citizenWithCode, smsCode } from '../helpers/citizen';
import { agent, creditCode, enterpriseWithCa, governmentUnit, healthDepartment, healthDepartmentId, registerEnterprise, registration, type Agent } from '../helpers/console';
import { auth, createTestContext, type TestContext } from '../helpers/context';
import { csv, residentId } from '../helpers/people';
import { bearer, personWithCode, staffAtPoint } from '../helpers/staff';

let ctx: TestContext;
let hd: Agent;
let unit: Awaited<ReturnType<typeof enterpriseWithCa>>;
let gov: Awaited<ReturnType<typeof governmentUnit>>;

beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
  hd = await healthDepartment(ctx);
  unit = await enterpriseWithCa(ctx);
  gov = await governmentUnit(ctx, hd);
}, 120_000);
afterAll(() => ctx.close());

const entries = (action: string) => ctx.deps.db.models.AuditLog.count({ where: { action, outcome: 'ok' } });

describe('console writes with their audit entry, all or none', () => {
  it('签发激活码: no code without its entry', async () => {
    const before = await ctx.deps.db.models.ActivationCode.count();
    const body = { unitName: '鼓楼区某社区居委会', creditCode: creditCode('350102', '11'), areaCode: '350102' };
    expect(await auditRefusing(ctx, 'console.activation_code_issued', async () => expect((await hd.post('/api/v1/console/activation-codes').send(body)).status).toBe(500))).toBe(1);
    expect(await ctx.deps.db.models.ActivationCode.count()).toBe(before);
    expect((await hd.post('/api/v1/console/activation-codes').send(body)).status).toBe(201);
    expect(await ctx.deps.db.models.ActivationCode.count()).toBe(before + 1);
  });

  it('生成政府单位账号: the activation code is not used up by an account that was not made', async () => {
    const name = '台江区某街道办事处';
    const code = creditCode('350103', '11');
    const issued = await hd.post('/api/v1/console/activation-codes').send({ unitName: name, creditCode: code, areaCode: '350103' });
    const body = { name, creditCode: code, activationCode: issued.body.activationCode };
    const entriesBefore = await entries('console.government_account');
    expect(await auditRefusing(ctx, 'console.government_account', async () => expect((await agent(ctx).post('/api/v1/console/government-accounts').send(body)).status).toBe(500))).toBe(1);
    expect(await ctx.deps.db.models.Organisation.count({ where: { creditCode: code } })).toBe(0);
    expect(await ctx.deps.db.models.ActivationCode.findOne({ where: { id: issued.body.id }, attributes: ['usedAt'], raw: true })).toEqual({ usedAt: null });
    const made = await agent(ctx).post('/api/v1/console/government-accounts').send(body);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(await entries('console.government_account')).toBe(entriesBefore + 1);
  });

  it('法人注册: no enterprise without its entry, and the SMS code still works', async () => {
    const form = registration();
    form.smsCode = await smsCode(ctx, form.agentPhone as string, 'console');
    expect(await auditRefusing(ctx, 'console.enterprise_registered', async () => expect((await agent(ctx).post('/api/v1/console/enterprises').send(form)).status).toBe(500))).toBe(1);
    expect(await ctx.deps.db.models.Organisation.count({ where: { creditCode: form.creditCode } })).toBe(0);
    expect(await ctx.deps.db.models.Account.count({ where: { loginName: form.creditCode } })).toBe(0);
    const res = await agent(ctx).post('/api/v1/console/enterprises').send(form);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });

  it('新增子账号: no scanning account without its entry', async () => {
    const body = { phone: '13922220001', name: '审计扫码员' };
    expect(await auditRefusing(ctx, 'console.sub_account_added', async () => expect((await unit.agent.post('/api/v1/console/sub-accounts').send(body)).status).toBe(500))).toBe(1);
    expect(await ctx.deps.db.models.Account.count({ where: { phoneHash: ctx.deps.pii.hash('13922220001') } })).toBe(0);
    expect((await unit.agent.post('/api/v1/console/sub-accounts').send(body)).status).toBe(201);
  });

  it('修改单位信息: the unit keeps its details', async () => {
    const before = (await unit.agent.get('/api/v1/console/organisation')).body;
    const body = { name: '改名失败的公司', legalRepName: '新法人', legalRepPhone: '13800138000' };
    expect(await auditRefusing(ctx, 'console.organisation_updated', async () => expect((await unit.agent.put('/api/v1/console/organisation').send(body)).status).toBe(500))).toBe(1);
    expect((await unit.agent.get('/api/v1/console/organisation')).body).toEqual(before);
    expect((await unit.agent.put('/api/v1/console/organisation').send(body)).body).toMatchObject({ name: '改名失败的公司', legalRepName: '新法人' });
  });

  it('职工: not added or changed without the entry', async () => {
    const employee = { name: '审计职工', idType: 'resident_id', idNumber: residentId('350102', '19900101', 901) };
    expect(await auditRefusing(ctx, 'console.employee_added', async () => expect((await gov.agent.post('/api/v1/console/employees').send(employee)).status).toBe(500))).toBe(1);
    expect((await gov.agent.get('/api/v1/console/employees')).body.total).toBe(0);
    const added = await gov.agent.post('/api/v1/console/employees').send(employee);
    expect(added.status).toBe(201);
    expect(await auditRefusing(ctx, 'console.employee_updated', async () => expect((await gov.agent.put(`/api/v1/console/employees/${added.body.id}`).send({ ...employee, name: '改名职工' })).status).toBe(500))).toBe(1);
    expect((await gov.agent.get('/api/v1/console/employees')).body.items.map((e: { name: string }) => e.name)).toEqual(['审计职工']);
  });

  it('定时上报: created, stopped and deleted only with their entries', async () => {
    const hdId = await healthDepartmentId(ctx);
    const body = { toOrganisationId: hdId, frequency: 'daily' };
    const list = async () => (await gov.agent.get('/api/v1/console/data-report-schedules')).body as { id: number; enabled: boolean }[];
    expect(await auditRefusing(ctx, 'console.report_schedule_created', async () => expect((await gov.agent.post('/api/v1/console/data-report-schedules').send(body)).status).toBe(500))).toBe(1);
    expect(await list()).toEqual([]);
    const created = await gov.agent.post('/api/v1/console/data-report-schedules').send(body);
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(await auditRefusing(ctx, 'console.report_schedule_disabled', async () => expect((await gov.agent.patch(`/api/v1/console/data-report-schedules/${id}`).send({ enabled: false })).status).toBe(500))).toBe(1);
    expect((await list()).map((s) => s.enabled)).toEqual([true]);
    expect(await auditRefusing(ctx, 'console.report_schedule_deleted', async () => expect((await gov.agent.delete(`/api/v1/console/data-report-schedules/${id}`)).status).toBe(500))).toBe(1);
    expect((await list()).map((s) => s.id)).toEqual([id]);
  });

  it('重新生成服务点健康码 and 删除服务点: no poster revoked without the new issue time and the entry', async () => {
    const created = await unit.agent.post('/api/v1/console/service-points').send({ name: '审计门店', address: '福州市鼓楼区软件大道89号', areaCode: '350102', type: 'canteen', staffEmployeeIds: [] });
    const id = created.body.id;
    const point = async () => ctx.deps.db.models.ServicePoint.findByPk(id, { attributes: ['posterIssuedAt'], raw: true });
    const revocations = () => ctx.deps.db.models.CodeRevocation.count({ where: { kind: 'point', subject: String(id) } });
    const before = await point();
    ctx.clock.advance(5000);
    expect(await auditRefusing(ctx, 'console.service_point_poster_regenerated', async () => expect((await unit.agent.post(`/api/v1/console/service-points/${id}/poster/regenerate`)).status).toBe(500))).toBe(1);
    expect(await point()).toEqual(before);
    expect(await revocations()).toBe(0);
    expect(await auditRefusing(ctx, 'console.service_point_deleted', async () => expect((await unit.agent.delete(`/api/v1/console/service-points/${id}`)).status).toBe(500))).toBe(1);
    expect(await point()).toEqual(before);
    expect(await revocations()).toBe(0);
    expect((await unit.agent.delete(`/api/v1/console/service-points/${id}`)).status).toBe(204);
    expect(await point()).toBeNull();
    expect(await revocations()).toBe(1);
  });

  it('下载数据上报: the receiver\'s 已读 only with the download\'s entry', async () => {
    const staff = await staffAtPoint(ctx, '350102', { organisationId: gov.organisationId, name: '审计扫码' });
    const p = await personWithCode(ctx, { idNumber: residentId('350102', '19850505', 902) });
    expect((await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: p.codeNumber })).status).toBe(201);
    const hdId = await healthDepartmentId(ctx);
    expect(((await gov.agent.get('/api/v1/console/data-reports/receivers')).body as { id: number }[]).map((r) => r.id)).toContain(hdId);
    const sent = await gov.agent.post('/api/v1/console/data-reports').send({ toOrganisationId: hdId, from: '2026-03-15', to: '2026-03-15' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    await Promise.all([...runningReports]);
    const readAt = async () => ((await ctx.deps.db.models.DataReport.findByPk(sent.body.id, { attributes: ['readAt'], raw: true })) as unknown as { readAt: unknown }).readAt;
    expect(await auditRefusing(ctx, 'console.data_report_download', async () => expect((await hd.get(`/api/v1/console/data-reports/${sent.body.id}/file`)).status).toBe(500))).toBe(1);
    expect(await readAt()).toBeNull();
    expect((await hd.get(`/api/v1/console/data-reports/${sent.body.id}/file`)).status).toBe(200);
    expect(await readAt()).not.toBeNull();
  });
  it('关联企业: no association without its entry', async () => {
    const repId = residentId('350102', '19700707', 905);
    const e = await registerEnterprise(ctx, { legalRepIdNumber: repId });
    await citizenWithCode(ctx, '13733339050', repId, '杨凡');
    const a = agent(ctx);
    expect((await a.post('/api/v1/console/personal/sessions').send({ phone: '13733339050', smsCode: await smsCode(ctx, '13733339050', 'console') })).status).toBe(201);
    expect(await auditRefusing(ctx, 'console.associate', async () => expect((await a.post('/api/v1/console/personal/association').send({ creditCode: e.creditCode })).status).toBe(500))).toBe(1);
    expect((await a.get('/api/v1/console/organisation')).body.error.code).toBe('ENTERPRISE_NOT_ASSOCIATED');
    expect(await ctx.deps.db.models.EnterpriseAssociation.count({ where: { organisationId: e.organisationId } })).toBe(0);
    expect((await a.post('/api/v1/console/personal/association').send({ creditCode: e.creditCode })).body).toMatchObject({ organisation: { id: e.organisationId } });
  });
});

describe('app and source writes with their audit entry, all or none', () => {
  it('纠错申诉: no correction without its entry, so it can be filed again', async () => {
    const c = await citizenWithCode(ctx, '13600009010', residentId('350102', '19770707', 903), '审计申诉');
    const body = { holder: 'self', kind: 'local', reason: '我没有去过发热门诊，是同名的人' };
    expect(await auditRefusing(ctx, 'correction.filed', async () => expect((await ctx.http.post('/api/v1/app/corrections').set(c.bearer).send(body)).status).toBe(500))).toBe(1);
    expect(await ctx.deps.db.models.Correction.count({ where: { citizenUserId: { [Op.ne]: null }, reason: body.reason } })).toBe(0);
    expect((await ctx.http.post('/api/v1/app/corrections').set(c.bearer).send(body)).status).toBe(201);
  });

  it('数据源导入: the file\'s rows and colours only with the import\'s entry', async () => {
    const idNumber = residentId('350102', '19660606', 904);
    const c = await citizenWithCode(ctx, '13600009020', idNumber, '审计导入');
    const load = () =>
      ctx.http.post('/api/v1/sources/fever-clinic-visits').set(auth(ctx)).set('Content-Type', 'text/csv').send(csv('id_type,id_number,name,hospital,visited_at', `resident_id,${idNumber},审计导入,福建省立医院,2026-03-15T08:00:00`));
    const visits = () => ctx.deps.db.models.FeverClinicVisit.count();
    const before = await visits();
    expect(await auditRefusing(ctx, 'source.import', async () => expect((await load()).status).toBe(500))).toBe(1);
    expect(await visits()).toBe(before);
    expect((await ctx.http.get('/api/v1/app/codes/self').set(c.bearer)).body.colour).toBe('green');
    expect((await load()).status).toBe(200);
    expect(await visits()).toBe(before + 1);
    expect((await ctx.http.get('/api/v1/app/codes/self').set(c.bearer)).body.colour).toBe('orange');
  });
});
