// Health reports (A8) and in-app messages (A9) through the citizen API, on a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWERS_OK, citizenWithCode, smsCode } from '../helpers/citizen';
import { createTestContext, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/people';

let ctx: TestContext;
let me: Awaited<ReturnType<typeof citizenWithCode>>;
let familyHolder: string;
let familyPersonId: number;
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
  me = await citizenWithCode(ctx, '13600001111', residentId('350102', '19800101', 1), '林上报');
  const fam = await ctx.http
    .post('/api/v1/app/family')
    .set(me.bearer)
    .send({ relation: 'parent', name: '林母', idType: 'resident_id', idNumber: residentId('350102', '19500101', 2), phone: '13600002222', smsCode: await smsCode(ctx, '13600002222', 'family'), answers: ANSWERS_OK, commitmentAccepted: true });
  expect(fam.status).toBe(201);
  familyHolder = fam.body.holder;
  const binding = (await ctx.deps.db.models.FamilyBinding.findByPk(Number(familyHolder), { raw: true })) as unknown as { memberPersonId: number };
  familyPersonId = Number(binding.memberPersonId);
}, 60_000);
afterAll(() => ctx.close());

const REPORT = { holder: 'self', temperatureCelsius: 36.6, symptoms: ['none'], areaCode: '350102', location: '五一路 1 号' };

describe('POST /api/v1/app/health-reports (A8)', () => {
  it('records a report for oneself (本人上报) and one for a family member (家人代报)', async () => {
    const own = await ctx.http.post('/api/v1/app/health-reports').set(me.bearer).send(REPORT);
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ reportType: 'self', typeText: '本人上报', temperatureCelsius: 36.6, symptoms: ['none'], symptomText: '无症状', areaName: '福建省福州市鼓楼区', location: '五一路 1 号', reportedAt: ctx.clock.now().toISOString() });
    const fam = await ctx.http
      .post('/api/v1/app/health-reports')
      .set(me.bearer)
      .send({ ...REPORT, holder: familyHolder, temperatureCelsius: 37.8, symptoms: ['other', 'fever'], otherSymptom: '头痛' });
    expect(fam.body).toMatchObject({ reportType: 'family', typeText: '家人代报', symptoms: ['fever', 'other'], symptomText: '发热、其他症状（头痛）' });
    expect(await ctx.deps.db.models.HealthReport.count({ where: { personId: familyPersonId } })).toBe(1);
    const list = await ctx.http.get(`/api/v1/app/health-reports?holder=${familyHolder}`).set(me.bearer);
    expect(list.body).toMatchObject({ total: 1, items: [{ id: fam.body.id }] });
    expect((await ctx.http.get('/api/v1/app/health-reports').set(me.bearer)).body.items.map((r: { id: number }) => r.id)).toEqual([own.body.id]);
  });

  it.each([
    ['无症状 with another symptom', { symptoms: ['none', 'fever'] }, 'symptoms'],
    ['no symptom chosen', { symptoms: [] }, 'symptoms'],
    ['其他症状 without its text', { symptoms: ['other'] }, 'otherSymptom'],
    ['a temperature of 34.9', { temperatureCelsius: 34.9 }, 'temperatureCelsius'],
    ['a temperature with two decimals', { temperatureCelsius: 36.55 }, 'temperatureCelsius'],
    ['a province for the area', { areaCode: '350000' }, 'areaCode'],
    ['no location', { location: ' ' }, 'location'],
    ['an unknown symptom', { symptoms: ['cough'] }, 'symptoms.0'],
  ])('refuses %s, naming the field, and writes nothing', async (_n, change, field) => {
    const before = await ctx.deps.db.models.HealthReport.count();
    const res = await ctx.http.post('/api/v1/app/health-reports').set(me.bearer).send({ ...REPORT, ...change });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await ctx.deps.db.models.HealthReport.count()).toBe(before);
  });

  it('refuses someone else\'s family member and a signed-out caller', async () => {
    const other = await citizenWithCode(ctx, '13600003333', residentId('350102', '19810101', 3), '别人');
    const res = await ctx.http.post('/api/v1/app/health-reports').set(other.bearer).send({ ...REPORT, holder: familyHolder });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('FAMILY_NOT_FOUND');
    expect((await ctx.http.post('/api/v1/app/health-reports').send(REPORT)).status).toBe(401);
  });
});

describe('站内消息 (A9)', () => {
  it('lists the user\'s messages with the unread count and marks one read, only their own', async () => {
    const user = (await ctx.deps.db.models.CitizenUser.findOne({ where: { phoneHash: ctx.deps.pii.hash('13600001111') }, raw: true })) as unknown as { personId: number };
    const org = await ctx.deps.db.models.Organisation.create({ kind: 'enterprise', name: '福州示例科技有限公司' });
    await ctx.deps.db.models.Message.create({ personId: user.personId, kind: 'reminder', title: '健康上报提醒', body: '请及时完成今日健康上报', senderOrganisationId: org.get('id') });
    ctx.clock.advance(1000);
    const second = await ctx.deps.db.models.Message.create({ personId: user.personId, kind: 'system', title: '系统通知', body: '欢迎使用', senderOrganisationId: null });
    const list = await ctx.http.get('/api/v1/app/messages').set(me.bearer);
    expect(list.body).toMatchObject({ unread: 2, total: 2, items: [{ title: '系统通知', senderName: null, readAt: null }, { title: '健康上报提醒', senderName: '福州示例科技有限公司' }] });
    const read = await ctx.http.post(`/api/v1/app/messages/${second.get('id')}/read`).set(me.bearer);
    expect(read.body.readAt).toBe(ctx.clock.now().toISOString());
    ctx.clock.advance(1000);
    expect((await ctx.http.post(`/api/v1/app/messages/${second.get('id')}/read`).set(me.bearer)).body.readAt).toBe(read.body.readAt);
    expect((await ctx.http.get('/api/v1/app/messages').set(me.bearer)).body.unread).toBe(1);
    const other = await citizenWithCode(ctx, '13600004444', residentId('350102', '19820101', 4), '他人');
    expect((await ctx.http.post(`/api/v1/app/messages/${second.get('id')}/read`).set(other.bearer)).status).toBe(404);
    expect((await ctx.http.get('/api/v1/app/messages').set(other.bearer)).body).toMatchObject({ total: 0, unread: 0, items: [] });
  });
});
