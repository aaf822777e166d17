import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../helpers/context';
import { ANSWERS_OK, citizenWithCode, residentId, signIn, smsCode } from '../helpers/citizen';
import { csv } from '../helpers/people';
import { bearer as staffBearer, createStaff, staffSignIn } from '../helpers/staff';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
});
afterAll(() => ctx.close());

describe('POST /api/v1/app/sessions (A1 sign-in)', () => {
  it('refuses a wrong SMS code, then an expired one, and signs in with the right one', async () => {
    const phone = '13800000001';
    const code = await smsCode(ctx, phone, 'sign_in');
    const wrong = await ctx.http.post('/api/v1/app/sessions').send({ phone, smsCode: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toEqual({ code: 'SMS_CODE_WRONG', message: '验证码错误', details: [{ field: 'smsCode', problem: '验证码错误' }] });
    ctx.clock.advance(5 * 60_000);
    const expired = await ctx.http.post('/api/v1/app/sessions').send({ phone, smsCode: code });
    expect(expired.status).toBe(400);
    expect(expired.body.error.code).toBe('SMS_CODE_EXPIRED');
    const fresh = await smsCode(ctx, phone, 'sign_in');
    const ok = await ctx.http.post('/api/v1/app/sessions').send({ phone, smsCode: fresh });
    expect(ok.status).toBe(201);
    expect(ok.body.me).toEqual({ phoneMasked: '138****0001', l4Verified: false, person: null });
    const again = await ctx.http.post('/api/v1/app/sessions').send({ phone, smsCode: fresh });
    expect(again.body.error.code).toBe('SMS_CODE_EXPIRED'); // a code is used once
  });

  it('sends at most one code a minute per phone', async () => {
    await smsCode(ctx, '13800000002', 'sign_in');
    const res = await ctx.http.post('/api/v1/app/sms-codes').send({ phone: '13800000002', purpose: 'sign_in' });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('SMS_TOO_FREQUENT');
  });

  it('a signed-out session is refused', async () => {
    const token = await signIn(ctx, '13800000003');
    expect((await ctx.http.delete('/api/v1/app/sessions/current').set('Authorization', `Bearer ${token}`)).status).toBe(204);
    expect((await ctx.http.get('/api/v1/app/me').set('Authorization', `Bearer ${token}`)).status).toBe(401);
  });
});

describe('L4 check and the personal code (A1, A2, A3, H1, H2)', () => {
  it('a failed face check leaves no code; a passed one links the person', async () => {
    const token = await signIn(ctx, '13800000010');
    const bearer = { Authorization: `Bearer ${token}` };
    expect((await ctx.http.post('/api/v1/app/code').set(bearer).send({ currentArea: '350102' })).body.error.code).toBe('L4_REQUIRED');
    const bad = await ctx.http.post('/api/v1/app/l4/start').set(bearer).send({ name: '王斌', idType: 'resident_id', idNumber: '350102199001011230' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('idNumber');
    const id = residentId('350102', '19900101', 201);
    const start = await ctx.http.post('/api/v1/app/l4/start').set(bearer).send({ name: '王斌', idType: 'resident_id', idNumber: id });
    const failed = await ctx.http.post('/api/v1/app/l4/confirm').set(bearer).send({ checkId: start.body.checkId, confirmed: false });
    expect(failed.status).toBe(400);
    expect(failed.body.error.code).toBe('L4_FAILED');
    expect((await ctx.http.get('/api/v1/app/me').set(bearer)).body).toEqual({ phoneMasked: '138****0010', l4Verified: false, person: null });
    expect((await ctx.http.get('/api/v1/app/codes/self').set(bearer)).body.error.code).toBe('L4_REQUIRED');
  });

  it('after L4 and profile the code is green, 12 digits, and its token verifies against the published keys', async () => {
    const id = residentId('350102', '19900101', 202);
    const { bearer, code } = await citizenWithCode(ctx, '13800000011', id, '王斌');
    expect(code).toMatchObject({ holder: 'self', relation: 'self', nameMasked: '*斌', colour: 'green', colourText: '绿码', reasons: [], greenFrom: null, nucleicAcidTests: [] });
    expect(code.codeNumber).toMatch(/^\d{12}$/);
    expect(code.token.length).toBeLessThanOrEqual(120);
    const staff = await createStaff(ctx);
    const v = await ctx.http.post('/api/v1/codes/verify').set(staffBearer(await staffSignIn(ctx, staff.phone, staff.password))).send({ token: code.token });
    expect(v.body).toMatchObject({ codeNumber: code.codeNumber, colour: 'green' });
    const me = await ctx.http.get('/api/v1/app/me').set(bearer);
    expect(me.body.person).toEqual({ nameMasked: '*斌', idMasked: `35*****${id.slice(-3)}`, residenceArea: '350102', residenceAddress: '五一路 1 号', codeNumber: code.codeNumber });
    const person = await ctx.deps.db.models.Person.findOne({ where: { codeNumber: code.codeNumber }, raw: true });
    expect(person).toMatchObject({ codeArea: '350102' });
  });

  it('turns orange with reasons and greenFrom after a fever-clinic visit is imported', async () => {
    const id = residentId('350102', '19900101', 203);
    const { bearer } = await citizenWithCode(ctx, '13800000012', id, '林南');
    await ctx.http
      .post('/api/v1/sources/fever-clinic-visits')
      .set(auth(ctx))
      .set('Content-Type', 'text/csv')
      .send(csv('id_type,id_number,name,hospital,visited_at', `resident_id,${id},林南,福建省立医院,2026-03-15T08:00:00`));
    const view = await ctx.http.get('/api/v1/app/codes/self').set(bearer);
    expect(view.body).toMatchObject({ colour: 'orange', colourText: '橙码', reasons: [{ code: 'FEVER_CLINIC', text: '14天内在我省有发热门诊就诊记录' }], greenFrom: '2026-03-29' });
  });

  it('one ID number can be verified by one account only', async () => {
    const id = residentId('350102', '19900101', 202);
    const token = await signIn(ctx, '13800000013');
    const start = await ctx.http.post('/api/v1/app/l4/start').set('Authorization', `Bearer ${token}`).send({ name: '王斌', idType: 'resident_id', idNumber: id });
    expect(start.status).toBe(409);
    expect(start.body.error.code).toBe('IDENTITY_TAKEN');
  });

  it('refuses an unknown county', async () => {
    const token = await signIn(ctx, '13800000014');
    const bearer = { Authorization: `Bearer ${token}` };
    const start = await ctx.http.post('/api/v1/app/l4/start').set(bearer).send({ name: '赵六', idType: 'resident_id', idNumber: residentId('350102', '19900101', 204) });
    await ctx.http.post('/api/v1/app/l4/confirm').set(bearer).send({ checkId: start.body.checkId, confirmed: true });
    const res = await ctx.http.put('/api/v1/app/profile').set(bearer).send({ residenceArea: '359999', residenceAddress: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'AREA_UNKNOWN', details: [{ field: 'residenceArea' }] });
    expect((await ctx.http.post('/api/v1/app/code').set(bearer).send({ currentArea: '350102' })).body.error.code).toBe('PROFILE_REQUIRED');
  });
});

describe('POST /api/v1/app/family (A5, A6)', () => {
  let bearer: { Authorization: string };
  let applicantId: string;
  let n = 300;
  beforeAll(async () => {
    applicantId = residentId('350102', '19800101', 299);
    ({ bearer } = await citizenWithCode(ctx, '13900000000', applicantId, '陈明'));
  });

  const apply = async (relation: string, birth: string, extra: Record<string, unknown> = {}, who = bearer) => {
    const phone = `1370000${String(n).padStart(4, '0')}`;
    const idNumber = (extra.idNumber as string) ?? residentId('350102', birth.replace(/-/g, ''), n++ % 1000);
    const smsCodeValue = await smsCode(ctx, phone, 'family');
    return ctx.http
      .post('/api/v1/app/family')
      .set(who)
      .send({ relation, name: '家人', idType: 'resident_id', idNumber, phone, smsCode: smsCodeValue, answers: ANSWERS_OK, commitmentAccepted: true, ...extra });
  };

  it.each([
    ['a parent aged 54 (55 tomorrow)', 'parent', '1971-03-16', 400, 'FAMILY_PARENT_TOO_YOUNG'],
    ['a child aged 17 today', 'child', '2009-03-15', 400, 'FAMILY_CHILD_TOO_OLD'],
  ])('refuses %s', async (_n, relation, birth, status, code) => {
    const res = await apply(relation, birth);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it('accepts 4 parents aged 55 or over (own and spouse), 3 children aged 16 or under, 1 spouse; refuses the 5th, 4th and 2nd', async () => {
    for (const [rel, birth] of [['parent', '1971-03-15'], ['parent', '1950-01-01'], ['spouse_parent', '1952-02-02'], ['spouse_parent', '1953-03-03']]) {
      const r = await apply(rel, birth);
      expect(r.status, `${rel} ${birth}`).toBe(201);
    }
    expect((await apply('parent', '1950-06-01')).body.error.code).toBe('FAMILY_LIMIT_PARENTS');
    for (const birth of ['2009-03-16', '2015-01-01', '2020-01-01']) expect((await apply('child', birth)).status).toBe(201);
    expect((await apply('child', '2018-01-01')).body.error.code).toBe('FAMILY_LIMIT_CHILDREN');
    expect((await apply('spouse', '1981-01-01')).status).toBe(201);
    const second = await apply('spouse', '1982-01-01');
    expect(second.body.error).toEqual({ code: 'FAMILY_LIMIT_TOTAL', message: '最多可为 8 名家人申领健康码' });
    const codes = await ctx.http.get('/api/v1/app/codes').set(bearer);
    expect(codes.body.codes).toHaveLength(9);
    expect(codes.body.codes[0]).toMatchObject({ holder: 'self', relation: 'self', nameMasked: '*明' });
    expect(codes.body.codes.map((c: { relation: string }) => c.relation)).toEqual(['self', 'parent', 'parent', 'spouse_parent', 'spouse_parent', 'child', 'child', 'child', 'spouse']);
  });

  it('refuses claiming oneself, an ID already claimed by another user, a wrong SMS code, and an unaccepted commitment', async () => {
    const other = await citizenWithCode(ctx, '13900000001', residentId('350102', '19850101', 298), '李华');
    expect((await apply('spouse', '1985-01-01', {}, other.bearer)).status).toBe(201);
    const claimedId = residentId('350102', '19850101', (n - 1) % 1000);
    const byThird = await citizenWithCode(ctx, '13900000002', residentId('350102', '19850101', 297), '周八');
    const taken = await apply('spouse', '1985-01-01', { idNumber: claimedId }, byThird.bearer);
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('FAMILY_ALREADY_CLAIMED');
    const self = await apply('spouse', '1985-01-01', { idNumber: residentId('350102', '19850101', 297) }, byThird.bearer);
    expect(self.body.error.code).toBe('FAMILY_SELF');
    const wrong = await apply('spouse', '1985-01-01', { smsCode: '999999' }, byThird.bearer);
    expect(wrong.body.error.code).toMatch(/SMS_CODE_WRONG|SMS_CODE_EXPIRED/);
    const noCommit = await apply('spouse', '1985-01-01', { commitmentAccepted: false }, byThird.bearer);
    expect(noCommit.status).toBe(400);
    expect(noCommit.body.error.details).toEqual([expect.objectContaining({ field: 'commitmentAccepted' })]);
  });

  it('a "yes" health answer makes the member orange (SELF_DECLARED) until day 14; removal lets another applicant claim them', async () => {
    const a = await citizenWithCode(ctx, '13900000003', residentId('350102', '19750101', 296), '吴斌');
    const childId = residentId('350102', '20150505', 295);
    const res = await apply('child', '2015-05-05', { idNumber: childId, answers: { ...ANSWERS_OK, feverOrRespiratorySymptoms: true } }, a.bearer);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ relation: 'child', colour: 'orange', reasons: [{ code: 'SELF_DECLARED' }], greenFrom: expect.any(String) });
    const holder = res.body.holder;
    const greenFrom = res.body.greenFrom;
    expect(greenFrom).toBe('2026-03-29'); // answered on 03-15: orange on S … S+13
    const look = () => ctx.http.post('/api/v1/people/lookup').set(auth(ctx)).send({ idType: 'resident_id', idNumber: childId });
    ctx.clock.set('2026-03-28T23:59:59+08:00');
    expect((await look()).body).toMatchObject({ colour: 'orange', reasons: ['SELF_DECLARED'] });
    ctx.clock.set('2026-03-29T00:00:00+08:00');
    expect((await look()).body).toMatchObject({ colour: 'green', reasons: [] });
    ctx.clock.set('2026-03-15T12:00:00+08:00');
    // another user cannot see it
    const b = await citizenWithCode(ctx, '13900000004', residentId('350102', '19760101', 294), '郑文');
    expect((await ctx.http.get(`/api/v1/app/codes/${holder}`).set(b.bearer)).status).toBe(404);
    expect((await apply('child', '2015-05-05', { idNumber: childId }, b.bearer)).body.error.code).toBe('FAMILY_ALREADY_CLAIMED');
    expect((await ctx.http.delete(`/api/v1/app/family/${holder}`).set(a.bearer)).status).toBe(204);
    expect(await ctx.deps.db.models.AuditLog.count({ where: { action: 'family.remove' } })).toBe(1);
    expect((await apply('child', '2015-05-05', { idNumber: childId }, b.bearer)).status).toBe(201);
  });
});
