// Service points with their poster (D8, E8), active registration (C1–C4) and crowd-flow warnings (D9, E9)
// on a real database: the poster's QR read back from the PNG, revoked and forged posters, the 10-minute
// de-duplication, and 预警 / 已超标 announced once per change.
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/domain/codeTokens';
import { generateSigningKey } from '../../src/integrations/signingKeys';
import { auditRefusing } from '../helpers/auditFaults';
import { ANSWERS_OK, citizenWithCode, signIn, smsCode } from '../helpers/citizen';
import { enterpriseWithCa, governmentUnit, healthDepartment, type Agent } from '../helpers/console';
import { createTestContext, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/people';
import { bearer, personWithCode, staffAtPoint } from '../helpers/staff';

let ctx: TestContext;
let unit: Awaited<ReturnType<typeof enterpriseWithCa>>;
let other: Awaited<ReturnType<typeof governmentUnit>>;
let pointId: number;
let staffEmployeeId: number;
let staffCitizen: Awaited<ReturnType<typeof citizenWithCode>>;
const staffId = residentId('350102', '19900909', 801);

beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-11T08:00:00+08:00' });
  const hd = await healthDepartment(ctx);
  unit = await enterpriseWithCa(ctx);
  other = await governmentUnit(ctx, hd);
  staffEmployeeId = (await unit.agent.post('/api/v1/console/employees').send({ name: '食堂员工', idType: 'resident_id', idNumber: staffId })).body.id;
  staffCitizen = await citizenWithCode(ctx, '13500000001', staffId, '食堂员工');
  await ctx.http.post('/api/v1/app/health-reports').set(staffCitizen.bearer).send({ holder: 'self', temperatureCelsius: 36.4, symptoms: ['none'], areaCode: '350102', location: '食堂' });
}, 120_000);
afterAll(() => ctx.close());

const POINT = { name: '软件园9号食堂（第一分店）', address: '福州市鼓楼区软件大道89号', areaCode: '350102', type: 'canteen' };

async function posterToken(a: Agent, id: number): Promise<string> {
  const res = await a
    .get(`/api/v1/console/service-points/${id}/poster.png`)
    .buffer(true)
    .parse((r, cb) => {
      const parts: Buffer[] = [];
      r.on('data', (c: Buffer) => parts.push(c));
      r.on('end', () => cb(null, Buffer.concat(parts)));
    });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('image/png');
  const png = PNG.sync.read(res.body as Buffer);
  const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(qr).not.toBeNull();
  return qr!.data;
}

describe('企业服务点管理 (D8, E8)', () => {
  it('adds a point with staff on duty from the unit\'s employees, edits it, and keeps other units out', async () => {
    const created = await unit.agent.post('/api/v1/console/service-points').send({ ...POINT, staffEmployeeIds: [staffEmployeeId] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: POINT.name, areaName: '福建省福州市鼓楼区', type: 'canteen', typeText: '食堂', staff: [{ employeeId: staffEmployeeId, name: '食堂员工' }] });
    pointId = created.body.id;
    const foreignEmployee = (await other.agent.post('/api/v1/console/employees').send({ name: '外单位', idType: 'resident_id', idNumber: residentId('350102', '19910909', 802) })).body.id;
    const bad = await unit.agent.post('/api/v1/console/service-points').send({ ...POINT, staffEmployeeIds: [foreignEmployee] });
    expect(bad.status).toBe(404);
    expect((await unit.agent.post('/api/v1/console/service-points').send({ ...POINT, areaCode: '350100' })).body.error.details[0].field).toBe('areaCode');
    for (const attempt of [
      () => other.agent.put(`/api/v1/console/service-points/${pointId}`).send({ ...POINT, name: 'x' }),
      () => other.agent.delete(`/api/v1/console/service-points/${pointId}`),
      () => other.agent.get(`/api/v1/console/service-points/${pointId}/poster.png`),
      () => other.agent.post(`/api/v1/console/service-points/${pointId}/poster/regenerate`),
      () => other.agent.put(`/api/v1/console/crowd-flow/${pointId}`).send({ capacity: 3, warningLine: 2, windowMinutes: 30 }),
    ]) expect((await attempt()).status).toBe(404);
    expect((await other.agent.get('/api/v1/console/service-points')).body.total).toBe(0);
  });

  it('重新生成 at the same moment: every request answers, one revocation row (its unique key met by one upsert)', async () => {
    for (let round = 0; round < 5; round++) {
      const created = await unit.agent.post('/api/v1/console/service-points').send({ ...POINT, name: `并发重生成门店${round}`, staffEmployeeIds: [] });
      const id = created.body.id;
      ctx.clock.advance(2000);
      const answers = await Promise.all([0, 1, 2].map(() => unit.agent.post(`/api/v1/console/service-points/${id}/poster/regenerate`)));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(await ctx.deps.db.models.CodeRevocation.count({ where: { kind: 'point', subject: String(id) } })).toBe(1);
    }
  });

  it('gives a PDF poster too', async () => {
    const res = await unit.agent.get(`/api/v1/console/service-points/${pointId}/poster.pdf`).buffer(true).parse((r, cb) => {
      const parts: Buffer[] = [];
      r.on('data', (c: Buffer) => parts.push(c));
      r.on('end', () => cb(null, Buffer.concat(parts)));
    });
    expect(res.headers['content-type']).toBe('application/pdf');
    expect((res.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('active registration (C1–C4)', () => {
  it('refuses a user who never generated a code (C1)', async () => {
    const token = await posterToken(unit.agent, pointId);
    const fresh = await signIn(ctx, '13500000002');
    const res = await ctx.http.get(`/api/v1/app/service-points/by-token?token=${token}`).set({ Authorization: `Bearer ${fresh}` });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CODE_REQUIRED_FIRST');
  });

  it('shows the point, its staff on duty (colour, latest temperature) and the members (C2)', async () => {
    const visitor = await citizenWithCode(ctx, '13500000003', residentId('350102', '19850303', 803), '访客甲');
    const token = await posterToken(unit.agent, pointId);
    const page = await ctx.http.get(`/api/v1/app/service-points/by-token?token=${token}`).set(visitor.bearer);
    expect(page.status).toBe(200);
    expect(page.body.servicePoint).toMatchObject({ id: pointId, name: POINT.name, typeText: '食堂', areaName: '福建省福州市鼓楼区' });
    expect(page.body.staff).toEqual([{ nameMasked: '***工', colour: 'green', colourText: '绿码', latestTemperatureCelsius: 36.4, latestReportAt: expect.any(String) }]);
    expect(page.body.members).toEqual([{ holder: 'self', relationText: '本人', nameMasked: '**甲', gender: '男', idType: 'resident_id', idMasked: expect.stringMatching(/^35\*+\d{3}$/), phoneMasked: '135****0003' }]);
  });

  it('refuses forged, revoked and personal-code QRs', async () => {
    const visitor = await citizenWithCode(ctx, '13500000004', residentId('350102', '19850404', 804), '访客乙');
    const forgeKey = generateSigningKey(ctx.clock.now());
    const forged = signToken({ current: forgeKey, keys: [forgeKey] }, { kind: 'point', subject: String(pointId), colour: null, now: ctx.clock.now(), ttlSeconds: 3600 });
    const get = (t: string) => ctx.http.get(`/api/v1/app/service-points/by-token?token=${t}`).set(visitor.bearer);
    expect((await get(forged)).body.error.code).toBe('TOKEN_BAD_SIGNATURE');
    expect((await get(visitor.code.token)).body.error.code).toBe('TOKEN_WRONG_KIND');
    const old = await posterToken(unit.agent, pointId);
    ctx.clock.advance(1500);
    expect((await unit.agent.post(`/api/v1/console/service-points/${pointId}/poster/regenerate`)).status).toBe(200);
    const revoked = await get(old);
    expect(revoked.status).toBe(400);
    expect(revoked.body.error.code).toBe('TOKEN_REVOKED');
    expect((await get(await posterToken(unit.agent, pointId))).status).toBe(200);
  });

  it('registers oneself and a family member: an active record and a 扫码登记 report each; again within 10 minutes updates', async () => {
    const visitor = await citizenWithCode(ctx, '13500000005', residentId('350102', '19850505', 805), '访客丙');
    const fam = await ctx.http
      .post('/api/v1/app/family')
      .set(visitor.bearer)
      .send({ relation: 'parent', name: '丙母', idType: 'resident_id', idNumber: residentId('350102', '19550505', 806), phone: '13500000006', smsCode: await smsCode(ctx, '13500000006', 'family'), answers: ANSWERS_OK, commitmentAccepted: true });
    const token = await posterToken(unit.agent, pointId);
    const reg = (holder: string, symptoms = ['none']) => ctx.http.post('/api/v1/app/registrations').set(visitor.bearer).send({ token, holder, symptoms });
    const first = await reg('self');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ counted: true, servicePointName: POINT.name, colourText: '绿码' });
    const family = await reg(fam.body.holder, ['fever']);
    expect(family.body.counted).toBe(true);
    ctx.clock.advance(9 * 60_000);
    const again = await reg('self', ['dry_cough']);
    expect(again.body).toMatchObject({ counted: false, scanId: first.body.scanId });
    const visitorPerson = (await ctx.deps.db.models.ScanRecord.findByPk(first.body.scanId, { raw: true })) as unknown as { personId: number; mode: string; method: string; servicePointId: number };
    expect(visitorPerson).toMatchObject({ mode: 'active', method: 'self', servicePointId: pointId });
    expect(await ctx.deps.db.models.ScanRecord.count({ where: { personId: visitorPerson.personId, servicePointId: pointId } })).toBe(1);
    const reports = await ctx.http.get('/api/v1/app/health-reports').set(visitor.bearer);
    expect(reports.body.items).toMatchObject([{ reportType: 'scan', typeText: '扫码登记', symptomText: '干咳' }]);
    // ten minutes after the (updated) registration it counts again
    ctx.clock.advance(10 * 60_000 + 1000);
    expect((await reg('self')).body.counted).toBe(true);
    // the unit's console shows them as active records
    const records = await unit.agent.get('/api/v1/console/scan-records?mode=active');
    expect(records.body.total).toBe(3);
    expect(records.body.items[0]).toMatchObject({ mode: 'active', methodText: '主动登记', pointName: POINT.name });
    const bad = await ctx.http.post('/api/v1/app/registrations').set(visitor.bearer).send({ token, holder: 'self', symptoms: ['none', 'fever'] });
    expect(bad.body.error.details[0].field).toBe('symptoms');
  });
});

describe('人流预警 (D9, E9)', () => {
  it('turns 预警 at the line and 已超标 at capacity, announcing each change once, and counts per window', async () => {
    const created = await unit.agent.post('/api/v1/console/service-points').send({ ...POINT, name: '二号门店', staffEmployeeIds: [staffEmployeeId] });
    const id = created.body.id;
    const bad = await unit.agent.put(`/api/v1/console/crowd-flow/${id}`).send({ capacity: 3, warningLine: 4, windowMinutes: 30 });
    expect(bad.body.error.details[0].field).toBe('warningLine');
    expect((await unit.agent.put(`/api/v1/console/crowd-flow/${id}`).send({ capacity: 3, warningLine: 2, windowMinutes: 30 })).status).toBe(200);
    const token = await posterToken(unit.agent, id);
    const staffMessages = async () => (await ctx.http.get('/api/v1/app/messages').set(staffCitizen.bearer)).body.items.filter((m: { kind: string }) => m.kind === 'crowd_warning');
    const card = async () => (await unit.agent.get('/api/v1/console/crowd-flow/live')).body.find((c: { servicePointId: number }) => c.servicePointId === id);
    const visitors: Awaited<ReturnType<typeof citizenWithCode>>[] = [];
    for (let i = 0; i < 4; i++) visitors.push(await citizenWithCode(ctx, `1350000010${i}`, residentId('350102', '19860101', 810 + i), `访客${i}`));
    const register = (v: (typeof visitors)[number]) => ctx.http.post('/api/v1/app/registrations').set(v.bearer).send({ token, holder: 'self', symptoms: ['none'] });

    const r0 = await register(visitors[0]);
    expect(r0.status, JSON.stringify(r0.body)).toBe(201);
    expect(await card()).toMatchObject({ current: 1, state: 'normal', stateText: '正常', capacity: 3 });
    await register(visitors[0]); // the same person again: still one
    expect((await card()).current).toBe(1);
    const r1 = await register(visitors[1]);
    expect(r1.status, JSON.stringify(r1.body)).toBe(201);
    expect(await card()).toMatchObject({ current: 2, state: 'warning', stateText: '预警' });
    expect((await staffMessages()).map((m: { body: string }) => m.body)).toEqual([expect.stringContaining('人流状态：预警')]);
    const r2 = await register(visitors[2]);
    expect(r2.status, JSON.stringify(r2.body)).toBe(201);
    expect(await card()).toMatchObject({ current: 3, state: 'exceeded', stateText: '已超标' });
    await register(visitors[3]);
    expect((await card()).current).toBe(4);
    // the count the registrations kept (from presence, crowdFlowService.countVisits) is the card's
    const kept = (await ctx.deps.db.models.CrowdFlowState.findOne({ where: { servicePointId: id }, raw: true })) as unknown as { state: string; currentCount: number };
    expect({ state: kept.state, count: Number(kept.currentCount) }).toEqual({ state: 'exceeded', count: 4 });
    const messages = await staffMessages();
    expect(messages).toHaveLength(2); // 预警 once, 已超标 once — not once per scan
    expect(messages[0]).toMatchObject({ title: '人员超标预警：二号门店', senderName: unit.name });
    // a visit exactly one window ago is out
    ctx.clock.advance(30 * 60_000);
    expect(await card()).toMatchObject({ current: 0, state: 'normal' });
  });

  it('registrations and staff scans at the point at the same moment keep one count, the records\' (C4, G4)', async () => {
    const created = await unit.agent.post('/api/v1/console/service-points').send({ ...POINT, name: '四号门店', staffEmployeeIds: [] });
    const id = created.body.id;
    await unit.agent.put(`/api/v1/console/crowd-flow/${id}`).send({ capacity: 100, warningLine: 50, windowMinutes: 30 });
    const token = await posterToken(unit.agent, id);
    const staff = await staffAtPoint(ctx, '350102', { organisationId: unit.organisationId });
    await ctx.http
      .put('/api/v1/staff/scan-point')
      .set(bearer(staff.token))
      .send({ communityName: '软件园', pointName: '四号门店入口', areaCode: '350102', location: '软件大道 89 号', servicePointId: id });
    const visitors: Awaited<ReturnType<typeof citizenWithCode>>[] = [];
    for (let i = 0; i < 4; i++) visitors.push(await citizenWithCode(ctx, `1350000020${i}`, residentId('350102', '19860101', 840 + i), `来访${i}`));
    const scanned = [];
    for (let i = 0; i < 6; i++) scanned.push(await personWithCode(ctx, { idNumber: residentId('350102', '19870303', 850 + i) }));
    const answers = await Promise.all([
      ...visitors.map((v) => ctx.http.post('/api/v1/app/registrations').set(v.bearer).send({ token, holder: 'self', symptoms: ['none'] })),
      ...scanned.map((p) => ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: p.codeNumber })),
    ]);
    for (const r of answers) expect(r.status, JSON.stringify(r.body)).toBe(201);
    const card = (await unit.agent.get('/api/v1/console/crowd-flow/live')).body.find((c: { servicePointId: number }) => c.servicePointId === id);
    expect(card.current).toBe(10);
    const kept = (await ctx.deps.db.models.CrowdFlowState.findOne({ where: { servicePointId: id }, raw: true })) as unknown as { currentCount: number };
    expect(Number(kept.currentCount)).toBe(10);
  });

  it('counts the scans of staff whose scan point is attached to the service point (G4)', async () => {
    const created = await unit.agent.post('/api/v1/console/service-points').send({ ...POINT, name: '三号门店', staffEmployeeIds: [] });
    const id = created.body.id;
    await unit.agent.put(`/api/v1/console/crowd-flow/${id}`).send({ capacity: 10, warningLine: 5, windowMinutes: 30 });
    const staff = await staffAtPoint(ctx, '350102', { organisationId: unit.organisationId });
    const attach = await ctx.http
      .put('/api/v1/staff/scan-point')
      .set(bearer(staff.token))
      .send({ communityName: '软件园', pointName: '三号门店入口', areaCode: '350102', location: '软件大道 89 号', servicePointId: id });
    expect(attach.body.servicePoint).toEqual({ id, name: '三号门店' });
    const p = await personWithCode(ctx, { idNumber: residentId('350102', '19870303', 830) });
    expect((await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: p.codeNumber })).status).toBe(201);
    const card = (await unit.agent.get('/api/v1/console/crowd-flow/live')).body.find((c: { servicePointId: number }) => c.servicePointId === id);
    expect(card).toMatchObject({ current: 1, state: 'normal' });
    const row = await ctx.deps.db.models.ScanRecord.findOne({ where: { personId: p.personId }, raw: true });
    expect(row).toMatchObject({ servicePointId: id, mode: 'passive', method: 'typed' });
  });

  it('saves and removes a setting with its state, presence and audit entry all or none', async () => {
    const created = await unit.agent.post('/api/v1/console/service-points').send({ ...POINT, name: '五号门店', staffEmployeeIds: [] });
    const id = created.body.id;
    expect((await unit.agent.put(`/api/v1/console/crowd-flow/${id}`).send({ capacity: 2, warningLine: 1, windowMinutes: 30 })).status).toBe(200);
    const visitor = await citizenWithCode(ctx, '13500000150', residentId('350102', '19880505', 850), '五号访客');
    const token = await posterToken(unit.agent, id);
    expect((await ctx.http.post('/api/v1/app/registrations').set(visitor.bearer).send({ token, holder: 'self', symptoms: ['none'] })).status).toBe(201);
    const { CrowdFlowSetting, CrowdFlowState, CrowdPresence, AuditLog } = ctx.deps.db.models;
    const rows = async () => ({
      setting: (await CrowdFlowSetting.findOne({ where: { servicePointId: id }, attributes: ['capacity', 'warningLine', 'windowMinutes'], raw: true })) as unknown,
      state: (await CrowdFlowState.findOne({ where: { servicePointId: id }, attributes: ['state', 'currentCount'], raw: true })) as unknown,
      presence: await CrowdPresence.count({ where: { servicePointId: id } }),
      audit: ((await AuditLog.findAll({ where: { subjectKind: 'service_point', subjectId: String(id) }, attributes: ['action'], order: [['id', 'ASC']], raw: true })) as unknown as { action: string }[])
        .map((a) => a.action)
        .filter((a) => a.startsWith('console.crowd_setting_')),
    });
    const saved = await rows();
    expect(saved).toMatchObject({ setting: { capacity: 2, warningLine: 1, windowMinutes: 30 }, state: { state: 'warning' }, presence: 1, audit: ['console.crowd_setting_saved'] });
    expect(Number((saved.state as { currentCount: number }).currentCount)).toBe(1);

    // the audit entry cannot be written: nothing of the save (nor of the state it would give: 已超标 at 1) or of the removal stays
    const refused = await auditRefusing(ctx, 'console.crowd_setting_', async () => {
      expect((await unit.agent.put(`/api/v1/console/crowd-flow/${id}`).send({ capacity: 1, warningLine: 1, windowMinutes: 60 })).status).toBe(500);
      expect(await rows()).toEqual(saved);
      expect((await unit.agent.delete(`/api/v1/console/crowd-flow/${id}`)).status).toBe(500);
      expect(await rows()).toEqual(saved);
    });
    expect(refused).toBe(2);

    expect((await unit.agent.delete(`/api/v1/console/crowd-flow/${id}`)).status).toBe(204);
    expect(await rows()).toEqual({ setting: null, state: null, presence: 0, audit: ['console.crowd_setting_saved', 'console.crowd_setting_deleted'] });
    const card = (await unit.agent.get('/api/v1/console/crowd-flow/live')).body.find((c: { servicePointId: number }) => c.servicePointId === id);
    expect(card).toBeUndefined();
  });
});
