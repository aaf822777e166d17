// Scanner staff API (issue 4, F1–F6) on a real database: sign-in, forced password change, scan point,
// identification by token and typed number with the record written at once, the 14-day area warning,
// recent records, feedback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/domain/codeTokens';
import { generateSigningKey } from '../../src/integrations/signingKeys';
import { auth, createTestContext, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/people';
import { bearer, codeTokenFor, createOrganisation, createStaff, personWithCode, scanRecordAt, setAreaLevel, staffAtPoint, staffSignIn } from '../helpers/staff';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
});
afterAll(() => ctx.close());

const signIn = (phone: string, password: string) => ctx.http.post('/api/v1/staff/sessions').send({ phone, password });
const POINT = { communityName: '东街社区', pointName: '东门检测点', areaCode: '350102', location: '东街 88 号' };

describe('POST /api/v1/staff/sessions (F1 sign-in)', () => {
  it('signs in an authorised sub-account and answers who it is, with the phone masked', async () => {
    const s = await createStaff(ctx, { phone: '13900001111', name: '林扫码' });
    const res = await signIn('13900001111', s.password);
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^[\w-]{43}$/);
    expect(res.body.me).toEqual({
      accountId: s.accountId,
      name: '林扫码',
      phoneMasked: '139****1111',
      mustChangePassword: false,
      organisation: { id: s.organisationId, name: '鼓楼区东街街道办事处', kind: 'government' },
      scanPoint: null,
      servicePoints: [],
    });
    const row = await ctx.deps.db.models.Account.findByPk(s.accountId, { raw: true });
    expect(JSON.stringify(row)).not.toContain('13900001111'); // phone stored encrypted and hashed only
  });

  it('refuses an enterprise sub-account the unit has not authorised, and admits it once authorised', async () => {
    const s = await createStaff(ctx, { orgKind: 'enterprise', authorised: false });
    const refused = await signIn(s.phone, s.password);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({ code: 'STAFF_NOT_AUTHORISED', message: '本账号尚未获单位授权扫码，请联系单位管理员授权' });
    await ctx.deps.db.models.Account.update({ authorised: true }, { where: { id: s.accountId } });
    expect((await signIn(s.phone, s.password)).status).toBe(201);
  });

  it('ends the sessions of a sub-account whose authorisation is withdrawn', async () => {
    const s = await createStaff(ctx);
    const token = await staffSignIn(ctx, s.phone, s.password);
    expect((await ctx.http.get('/api/v1/staff/me').set(bearer(token))).status).toBe(200);
    await ctx.deps.db.models.Account.update({ authorised: false }, { where: { id: s.accountId } });
    expect((await ctx.http.get('/api/v1/staff/me').set(bearer(token))).status).toBe(401);
  });

  it('gives the same answer for an unknown phone and a wrong password', async () => {
    const s = await createStaff(ctx);
    const unknown = await signIn('13700000000', 'whatever1');
    const wrong = await signIn(s.phone, 'wrongpass1');
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.error.code).toBe('STAFF_BAD_CREDENTIALS');
  });

  it('locks the account for 15 minutes after 5 wrong passwords in a row', async () => {
    const s = await createStaff(ctx);
    for (let i = 0; i < 5; i++) expect((await signIn(s.phone, `wrong${i}pass`)).status).toBe(401);
    const locked = await signIn(s.phone, s.password);
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(locked.body.error.message).toContain('15 分钟');
    ctx.clock.advance(15 * 60_000);
    expect((await signIn(s.phone, s.password)).status).toBe(201);
  });

  it('refuses a disabled account and names a bad phone field', async () => {
    const s = await createStaff(ctx);
    await ctx.deps.db.models.Account.update({ disabled: true }, { where: { id: s.accountId } });
    expect((await signIn(s.phone, s.password)).body.error.code).toBe('ACCOUNT_DISABLED');
    const bad = await signIn('12345', 'x');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('phone');
  });

  it('signs out: the token stops working', async () => {
    const s = await createStaff(ctx);
    const token = await staffSignIn(ctx, s.phone, s.password);
    expect((await ctx.http.delete('/api/v1/staff/sessions/current').set(bearer(token))).status).toBe(204);
    expect((await ctx.http.get('/api/v1/staff/me').set(bearer(token))).status).toBe(401);
  });
});

describe('POST /api/v1/staff/password (initial password must be replaced)', () => {
  it('allows nothing but me, the password change and sign-out until the initial password is replaced', async () => {
    const s = await createStaff(ctx, { mustChangePassword: true, password: 'Init2026pass' });
    const first = await signIn(s.phone, 'Init2026pass');
    expect(first.status).toBe(201);
    expect(first.body.me.mustChangePassword).toBe(true);
    const token = first.body.token;
    const other = await staffSignIn(ctx, s.phone, 'Init2026pass');

    const blocked = await ctx.http.put('/api/v1/staff/scan-point').set(bearer(token)).send(POINT);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await ctx.http.post('/api/v1/staff/scans').set(bearer(token)).send({ codeNumber: '123456789012' })).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await ctx.http.get('/api/v1/staff/me').set(bearer(token))).status).toBe(200);

    const change = (currentPassword: string, newPassword: string) =>
      ctx.http.post('/api/v1/staff/password').set(bearer(token)).send({ currentPassword, newPassword });
    const wrongCurrent = await change('nope12345', 'Better2026pw');
    expect(wrongCurrent.status).toBe(400);
    expect(wrongCurrent.body.error).toMatchObject({ code: 'PASSWORD_WRONG', details: [{ field: 'currentPassword' }] });
    for (const [weak, problem] of [
      ['short1', '长度须为 8–32 位'],
      ['onlyletters', '须同时包含字母和数字'],
      ['Init2026pass', '不能与原密码相同'],
      [`a${s.phone}`, '不能包含手机号'],
    ]) {
      const r = await change('Init2026pass', weak);
      expect(r.status).toBe(400);
      expect(r.body.error).toEqual({ code: 'PASSWORD_WEAK', message: '新密码不符合要求', details: [{ field: 'newPassword', problem }] });
    }
    const ok = await change('Init2026pass', 'Better2026pw');
    expect(ok.status).toBe(200);
    expect(ok.body.mustChangePassword).toBe(false);
    expect((await ctx.http.put('/api/v1/staff/scan-point').set(bearer(token)).send(POINT)).status).toBe(200);
    // the other session is signed out; the old password no longer works, the new one does
    expect((await ctx.http.get('/api/v1/staff/me').set(bearer(other))).status).toBe(401);
    expect((await signIn(s.phone, 'Init2026pass')).status).toBe(401);
    expect((await signIn(s.phone, 'Better2026pw')).status).toBe(201);
  });
});

describe('PUT /api/v1/staff/scan-point (F2)', () => {
  it('reports the scan point and changes it later (修改扫码点位置)', async () => {
    const s = await createStaff(ctx);
    const token = await staffSignIn(ctx, s.phone, s.password);
    const first = await ctx.http
      .put('/api/v1/staff/scan-point')
      .set(bearer(token))
      .send({ ...POINT, latitude: 26.074508, longitude: 119.296494 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ...POINT, areaName: '福建省福州市鼓楼区', latitude: 26.074508, longitude: 119.296494, servicePoint: null });
    const moved = await ctx.http
      .put('/api/v1/staff/scan-point')
      .set(bearer(token))
      .send({ communityName: '茶亭社区', pointName: '南门', areaCode: '350103', location: '八一七中路 1 号' });
    expect(moved.body).toMatchObject({ communityName: '茶亭社区', areaName: '福建省福州市台江区', latitude: null });
    const me = await ctx.http.get('/api/v1/staff/me').set(bearer(token));
    expect(me.body.scanPoint).toMatchObject({ communityName: '茶亭社区', pointName: '南门', areaCode: '350103' });
    expect(await ctx.deps.db.models.ScanPoint.count({ where: { accountId: s.accountId } })).toBe(1);
  });

  it('a first report sent twice at once (a double tap) answers both, and keeps one point', async () => {
    for (let round = 0; round < 5; round++) {
      const s = await createStaff(ctx);
      const token = await staffSignIn(ctx, s.phone, s.password);
      const answers = await Promise.all(['一号门', '二号门', '三号门'].map((pointName) => ctx.http.put('/api/v1/staff/scan-point').set(bearer(token)).send({ ...POINT, pointName })));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(await ctx.deps.db.models.ScanPoint.count({ where: { accountId: s.accountId } })).toBe(1);
      // the point the staff member now has is one of those sent, and the session reads it
      const me = await ctx.http.get('/api/v1/staff/me').set(bearer(token));
      expect(['一号门', '二号门', '三号门']).toContain(me.body.scanPoint.pointName);
    }
  });

  it('attaches the point to one of the unit\'s service points, never another unit\'s', async () => {
    const s = await createStaff(ctx, { orgKind: 'enterprise' });
    const own = await ctx.deps.db.models.ServicePoint.create({ organisationId: s.organisationId, name: '万达店', areaCode: '350102' });
    const foreign = await ctx.deps.db.models.ServicePoint.create({ organisationId: await createOrganisation(ctx, 'enterprise', '别家公司'), name: '别家店', areaCode: '350102' });
    const token = await staffSignIn(ctx, s.phone, s.password);
    expect((await ctx.http.get('/api/v1/staff/me').set(bearer(token))).body.servicePoints).toEqual([
      { id: Number(own.get('id')), name: '万达店', areaCode: '350102', address: null },
    ]);
    const bad = await ctx.http.put('/api/v1/staff/scan-point').set(bearer(token)).send({ ...POINT, servicePointId: Number(foreign.get('id')) });
    expect(bad.status).toBe(404);
    expect(bad.body.error.code).toBe('SERVICE_POINT_NOT_FOUND');
    const ok = await ctx.http.put('/api/v1/staff/scan-point').set(bearer(token)).send({ ...POINT, servicePointId: Number(own.get('id')) });
    expect(ok.body.servicePoint).toEqual({ id: Number(own.get('id')), name: '万达店' });
  });

  it.each([
    ['no community name', { ...POINT, communityName: ' ' }, 'communityName'],
    ['no point name', { ...POINT, pointName: undefined }, 'pointName'],
    ['a province instead of a county', { ...POINT, areaCode: '350000' }, 'areaCode'],
    ['a malformed area code', { ...POINT, areaCode: '35010' }, 'areaCode'],
    ['no location', { ...POINT, location: '' }, 'location'],
    ['a latitude out of range', { ...POINT, latitude: 91 }, 'latitude'],
  ])('refuses %s, naming the field', async (_n, body, field) => {
    const s = await createStaff(ctx);
    const res = await ctx.http.put('/api/v1/staff/scan-point').set(bearer(await staffSignIn(ctx, s.phone, s.password))).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });
});

describe('POST /api/v1/staff/scans (F3–F5): identification writes the record at once', () => {
  it('asks for the scan point first', async () => {
    const s = await createStaff(ctx);
    const p = await personWithCode(ctx);
    const res = await ctx.http.post('/api/v1/staff/scans').set(bearer(await staffSignIn(ctx, s.phone, s.password))).send({ codeNumber: p.codeNumber });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SCAN_POINT_REQUIRED');
  });

  it('identifies a scanned token: masked person, residence, colour, record with 未反馈', async () => {
    const staff = await staffAtPoint(ctx);
    const p = await personWithCode(ctx, { idNumber: residentId('350102', '19800101', 17), name: '陈小斌', residenceArea: '350104' });
    const token = await codeTokenFor(ctx, p.personId);
    const now = ctx.clock.now().toISOString();
    const expires = new Date(ctx.clock.now().getTime() + 300_000).toISOString();
    const res = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      method: 'camera',
      methodText: '扫码',
      scannedAt: now,
      person: { nameMasked: '**斌', idMasked: `35*****${p.idNumber.slice(-3)}`, residence: '福建省福州市仓山区' },
      colour: 'green',
      colourText: '绿码',
      areaWarning: null,
      hasMoreScans: false,
      tokenIssuedAt: now,
      tokenExpiresAt: expires,
    });
    expect(JSON.stringify(res.body)).not.toContain(p.idNumber);
    expect(res.body.recentScans).toEqual([
      {
        id: res.body.scanId,
        address: '鼓楼区东街社区东门检测点',
        scannedAt: now,
        method: 'camera',
        methodText: '扫码',
        colour: 'green',
        temperatureResult: null,
        temperatureText: '未反馈',
        temperatureCelsius: null,
        passReason: null,
        passReasonText: null,
      },
    ]);
    const row = await ctx.deps.db.models.ScanRecord.findByPk(res.body.scanId, { raw: true });
    expect(row).toMatchObject({
      organisationId: staff.organisationId,
      personId: p.personId,
      scannerAccountId: staff.accountId,
      mode: 'passive',
      method: 'camera',
      colour: 'green',
      areaCode: '350102',
      location: '东街 88 号',
      scanPointName: '东街社区东门检测点',
      temperatureResult: null,
      passReason: null,
      feedbackAt: null,
    });
  });

  it('records the colour at the time of the scan (orange for a close contact)', async () => {
    const staff = await staffAtPoint(ctx);
    const p = await personWithCode(ctx);
    const imp = await ctx.http
      .post('/api/v1/sources/close-contacts')
      .set(auth(ctx))
      .set('Content-Type', 'text/csv')
      .send(`id_type,id_number,name,identified_at,released_at\nresident_id,${p.idNumber},${p.name},2026-03-14T09:00:00,\n`);
    expect(imp.status).toBe(200);
    const res = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token: await codeTokenFor(ctx, p.personId) });
    expect(res.body).toMatchObject({ colour: 'orange', colourText: '橙码' });
    expect(await ctx.deps.db.models.ScanRecord.findByPk(res.body.scanId, { raw: true })).toMatchObject({ colour: 'orange' });
  });

  it('refuses a stale, forged or place token loudly and writes no record', async () => {
    const staff = await staffAtPoint(ctx);
    const p = await personWithCode(ctx);
    const stale = await codeTokenFor(ctx, p.personId);
    ctx.clock.advance(10 * 60_000);
    const before = await ctx.deps.db.models.ScanRecord.count();
    const forgeKey = generateSigningKey(ctx.clock.now());
    const forged = signToken({ current: forgeKey, keys: [forgeKey] }, { kind: 'code', subject: p.codeNumber, colour: 'green', now: ctx.clock.now(), ttlSeconds: 300 });
    const shop = await ctx.deps.db.models.ServicePoint.create({ organisationId: staff.organisationId, name: '一号店', areaCode: '350102' });
    const place = signToken(ctx.deps.keyRing, { kind: 'point', subject: String(shop.get('id')), colour: null, now: ctx.clock.now(), ttlSeconds: 3600 });
    for (const [token, code] of [
      [stale, 'TOKEN_EXPIRED'],
      [forged, 'TOKEN_BAD_SIGNATURE'],
      [place, 'TOKEN_WRONG_KIND'],
      ['garbage', 'TOKEN_MALFORMED'],
    ]) {
      const res = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token });
      expect(res.status, code).toBe(400);
      expect(res.body.error.code).toBe(code);
    }
    expect(await ctx.deps.db.models.ScanRecord.count()).toBe(before);
  });

  it('marks a typed 12-digit number 人工输入, audits every look-up, and refuses unknown numbers', async () => {
    const staff = await staffAtPoint(ctx);
    const p = await personWithCode(ctx);
    const res = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: p.codeNumber });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ method: 'typed', methodText: '人工输入', tokenIssuedAt: null, tokenExpiresAt: null });
    expect(await ctx.deps.db.models.ScanRecord.findByPk(res.body.scanId, { raw: true })).toMatchObject({ method: 'typed' });
    const audits = await ctx.deps.db.models.AuditLog.findAll({ where: { action: 'code.lookup_typed', actorId: String(staff.accountId) }, raw: true });
    expect(audits).toMatchObject([{ actorKind: 'account', subjectKind: 'person', subjectId: String(p.personId), outcome: 'ok' }]);
    const unknown = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: '000000000007' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('CODE_NOT_FOUND');
    expect(await ctx.deps.db.models.AuditLog.count({ where: { action: 'code.lookup_typed', actorId: String(staff.accountId), outcome: 'not_found' } })).toBe(1);
    const short = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: '12345' });
    expect(short.status).toBe(400);
  });

  it('limits typed look-ups per staff account per window, counting misses too', async () => {
    const limit = ctx.deps.config.typedLookupLimit;
    ctx.deps.config.typedLookupLimit = 3;
    try {
      const a = await staffAtPoint(ctx);
      const b = await staffAtPoint(ctx);
      const p = await personWithCode(ctx);
      const typed = (token: string, codeNumber = p.codeNumber) => ctx.http.post('/api/v1/staff/scans').set(bearer(token)).send({ codeNumber });
      expect((await typed(a.token)).status).toBe(201);
      expect((await typed(a.token, '000000000009')).status).toBe(404);
      expect((await typed(a.token)).status).toBe(201);
      const limited = await typed(a.token);
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('RATE_LIMITED');
      expect(limited.body.error.message).toContain('最多 3 次');
      // through /codes/verify too: it is the same limit
      expect((await ctx.http.post('/api/v1/codes/verify').set(bearer(a.token)).send({ codeNumber: p.codeNumber })).status).toBe(429);
      // a scanned token is not limited, and another account has its own count
      expect((await ctx.http.post('/api/v1/staff/scans').set(bearer(a.token)).send({ token: await codeTokenFor(ctx, p.personId) })).status).toBe(201);
      expect((await typed(b.token)).status).toBe(201);
      expect(await ctx.deps.db.models.AuditLog.count({ where: { action: 'code.lookup_typed', actorId: String(a.accountId), outcome: 'refused' } })).toBe(2);
      ctx.clock.advance(ctx.deps.config.typedLookupWindowSeconds * 1000);
      expect((await typed(a.token)).status).toBe(201);
    } finally {
      ctx.deps.config.typedLookupLimit = limit;
    }
  });
});

describe('the 14-day area rule in the result (F4)', () => {
  const POLICY = '从该区无确诊病例的乡镇（街道）“点对点”前往其他区域务工的人员，实行监督性医学观察，无发热、乏力、咳嗽、腹泻、结膜充血等不适症状的可上岗。';
  let org: number;
  beforeAll(async () => {
    await setAreaLevel(ctx, '350111', 'sporadic', POLICY); // 晋安区
    await setAreaLevel(ctx, '350121', 'community', '社区传播疫情区防控策略'); // 闽侯县
    org = await createOrganisation(ctx);
  });
  const scanAtJinan = async (codeArea: string | null, earlier: Date[]) => {
    const staff = await staffAtPoint(ctx, '350181'); // 福清市: no level
    const p = await personWithCode(ctx, { codeArea });
    for (const at of earlier) await scanRecordAt(ctx, { personId: p.personId, organisationId: org, areaCode: '350111', at, pointName: '晋安检测点' });
    return (await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: p.codeNumber })).body;
  };

  it('warns of a more severe area scanned earlier, with its level and policy, as the manual words it', async () => {
    const body = await scanAtJinan('350181', [new Date(ctx.clock.now().getTime() - 3 * 86400_000)]);
    expect(body.areaWarning).toEqual({
      areaCode: '350111',
      areaName: '福州市晋安区',
      level: 'sporadic',
      levelText: '零星散发疫情区',
      policy: POLICY,
      text: '14天内去过的最严重地区是在 福州市晋安区，目前该地区为零星散发疫情区。',
    });
    expect(body.recentScans.map((r: { address: string; temperatureText: string }) => [r.address, r.temperatureText])).toEqual([
      ['福清市东街社区东门检测点', '未反馈'],
      ['晋安区晋安检测点', '未反馈'],
    ]);
  });

  it('counts a scan 13 days ago but not one 14 days ago (Asia/Shanghai days)', async () => {
    expect(new Date(ctx.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10)).toBe('2026-03-15'); // today, Asia/Shanghai
    expect((await scanAtJinan('350181', [new Date('2026-03-02T00:00:00+08:00')])).areaWarning?.areaCode).toBe('350111');
    expect((await scanAtJinan('350181', [new Date('2026-03-01T23:59:59+08:00')])).areaWarning).toBeNull();
  });

  it('finds an area beyond the 100 latest records of the last 14 days (a person scanned very often)', async () => {
    const staff = await staffAtPoint(ctx, '350181');
    const p = await personWithCode(ctx, { codeArea: '350181' });
    const now = ctx.clock.now().getTime();
    await scanRecordAt(ctx, { personId: p.personId, organisationId: org, areaCode: '350111', at: new Date(now - 10 * 86400_000), pointName: '晋安检测点' });
    await ctx.deps.db.models.ScanRecord.bulkCreate(
      Array.from({ length: 105 }, (_, i) => ({ organisationId: org, personId: p.personId, mode: 'passive', method: 'camera', colour: 'green', areaCode: '350181', location: `福清点${i}`, scanPointName: `福清点${i}`, scannedAt: new Date(now - (i + 1) * 60_000) })),
    );
    const res = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token: await codeTokenFor(ctx, p.personId) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.areaWarning).toMatchObject({ areaCode: '350111', level: 'sporadic' });
    expect(res.body.recentScans.map((r: { id: number }) => r.id)[0]).toBe(res.body.scanId);
    expect(res.body.recentScans[1].address).toBe('福清市福清点0');
    expect(res.body.hasMoreScans).toBe(true);
  });

  it('uses the starting area (where the code was first generated) when there are no scans', async () => {
    const body = await scanAtJinan('350121', []);
    expect(body.areaWarning).toMatchObject({ areaCode: '350121', areaName: '福州市闽侯县', level: 'community', levelText: '社区传播疫情区' });
  });

  it('says nothing when the scan point\'s area is as severe', async () => {
    const staff = await staffAtPoint(ctx, '350111');
    const p = await personWithCode(ctx, { codeArea: '350181' });
    await scanRecordAt(ctx, { personId: p.personId, organisationId: org, areaCode: '350111', at: new Date(ctx.clock.now().getTime() - 86400_000) });
    const body = (await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: p.codeNumber })).body;
    expect(body.areaWarning).toBeNull();
  });
});

describe('recent records, 更多 and feedback (F5, F6)', () => {
  it('shows the 3 newest with 更多, pages the rest, and only for the staff member\'s own scan', async () => {
    const staff = await staffAtPoint(ctx);
    const other = await staffAtPoint(ctx);
    const p = await personWithCode(ctx);
    const org = await createOrganisation(ctx);
    for (let d = 1; d <= 4; d++) await scanRecordAt(ctx, { personId: p.personId, organisationId: org, areaCode: '350103', at: new Date(ctx.clock.now().getTime() - d * 3600_000), pointName: `点${d}` });
    const res = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: p.codeNumber });
    expect(res.body.recentScans.map((r: { address: string }) => r.address)).toEqual(['鼓楼区东街社区东门检测点', '台江区点1', '台江区点2']);
    expect(res.body.hasMoreScans).toBe(true);
    const page2 = await ctx.http.get(`/api/v1/staff/scans/${res.body.scanId}/history?page=2&pageSize=3`).set(bearer(staff.token));
    expect(page2.status).toBe(200);
    expect(page2.body).toMatchObject({ page: 2, pageSize: 3, total: 5 });
    expect(page2.body.items.map((r: { address: string }) => r.address)).toEqual(['台江区点3', '台江区点4']);
    const foreign = await ctx.http.get(`/api/v1/staff/scans/${res.body.scanId}/history`).set(bearer(other.token));
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('SCAN_NOT_OWN');
    const badPage = await ctx.http.get(`/api/v1/staff/scans/${res.body.scanId}/history?pageSize=500`).set(bearer(staff.token));
    expect(badPage.status).toBe(400);
    expect(badPage.body.error.details[0].field).toBe('pageSize');
    const mine = await ctx.http.get('/api/v1/staff/scans').set(bearer(staff.token));
    expect(mine.body).toMatchObject({ total: 1, items: [{ id: res.body.scanId, personNameMasked: '**斌', temperatureText: '未反馈' }] });
  });

  it('completes the record; submitting twice updates it and never duplicates', async () => {
    const staff = await staffAtPoint(ctx);
    const p = await personWithCode(ctx);
    const scan = (await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: p.codeNumber })).body;
    const count = await ctx.deps.db.models.ScanRecord.count();
    const put = (body: object) => ctx.http.put(`/api/v1/staff/scans/${scan.scanId}/feedback`).set(bearer(staff.token)).send(body);
    const first = await put({ passReason: 'work', temperatureResult: 'normal', temperatureCelsius: 36.5 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: scan.scanId, temperatureResult: 'normal', temperatureText: '体温正常', temperatureCelsius: 36.5, passReason: 'work', passReasonText: '工作' });
    ctx.clock.advance(60_000);
    const second = await put({ passReason: 'medical', temperatureResult: 'abnormal', temperatureCelsius: 38.2 });
    expect(second.body).toMatchObject({ temperatureText: '体温异常', temperatureCelsius: 38.2, passReasonText: '就医' });
    const third = await put({ passReason: 'medical', temperatureResult: 'abnormal' });
    expect(third.body.temperatureCelsius).toBeNull();
    expect(await ctx.deps.db.models.ScanRecord.count()).toBe(count);
    const row = await ctx.deps.db.models.ScanRecord.findByPk(scan.scanId, { raw: true });
    expect(row).toMatchObject({ passReason: 'medical', temperatureResult: 'abnormal', temperatureTenths: null });
    const history = await ctx.http.get(`/api/v1/staff/scans/${scan.scanId}/history?pageSize=3`).set(bearer(staff.token));
    expect(history.body.items[0]).toMatchObject({ id: scan.scanId, temperatureText: '体温异常', passReasonText: '就医' });
  });

  it('refuses feedback on another staff member\'s record, an unknown record, and bad values by field', async () => {
    const staff = await staffAtPoint(ctx);
    const other = await staffAtPoint(ctx);
    const p = await personWithCode(ctx);
    const scan = (await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: p.codeNumber })).body;
    const ok = { passReason: 'work', temperatureResult: 'normal' };
    const foreign = await ctx.http.put(`/api/v1/staff/scans/${scan.scanId}/feedback`).set(bearer(other.token)).send(ok);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('SCAN_NOT_OWN');
    expect((await ctx.http.put('/api/v1/staff/scans/99999999/feedback').set(bearer(staff.token)).send(ok)).status).toBe(404);
    expect((await ctx.http.put('/api/v1/staff/scans/abc/feedback').set(bearer(staff.token)).send(ok)).status).toBe(400);
    for (const [body, field] of [
      [{ ...ok, temperatureCelsius: 34.9 }, 'temperatureCelsius'],
      [{ ...ok, temperatureCelsius: 42.1 }, 'temperatureCelsius'],
      [{ ...ok, temperatureCelsius: 36.55 }, 'temperatureCelsius'],
      [{ temperatureResult: 'normal' }, 'passReason'],
      [{ ...ok, temperatureResult: 'hot' }, 'temperatureResult'],
    ] as const) {
      const r = await ctx.http.put(`/api/v1/staff/scans/${scan.scanId}/feedback`).set(bearer(staff.token)).send(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    for (const edge of [35.0, 42.0]) {
      expect((await ctx.http.put(`/api/v1/staff/scans/${scan.scanId}/feedback`).set(bearer(staff.token)).send({ ...ok, temperatureCelsius: edge })).status).toBe(200);
    }
    expect(await ctx.deps.db.models.ScanRecord.findByPk(scan.scanId, { raw: true })).toMatchObject({ temperatureTenths: 420 });
  });
});

describe('GET /api/v1/staff/areas (the scan point\'s county picker)', () => {
  it('lists provinces, then a city\'s counties, for a staff session only', async () => {
    const s = await createStaff(ctx);
    const token = await staffSignIn(ctx, s.phone, s.password);
    const provinces = await ctx.http.get('/api/v1/staff/areas').set(bearer(token));
    expect(provinces.status).toBe(200);
    expect(provinces.body.areas).toContainEqual({ code: '350000', name: '福建省', level: 'province' });
    const fuzhou = await ctx.http.get('/api/v1/staff/areas?parent=350100').set(bearer(token));
    expect(fuzhou.body.areas).toContainEqual({ code: '350102', name: '鼓楼区', level: 'county' });
    expect((await ctx.http.get('/api/v1/staff/areas?parent=35').set(bearer(token))).body.error.details[0].field).toBe('parent');
    expect((await ctx.http.get('/api/v1/staff/areas')).status).toBe(401);
  });
});
