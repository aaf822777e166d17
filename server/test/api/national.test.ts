// 跨省互认 and corrections end to end on a real database with the stand-in national platform (B1, B2, H6;
// issue 9): 入闽申报 refusals; a declared arrival's origin pass merged into the code (green / yellow / red);
// the platform down, slow or malformed → the code from local data with the note, then the retry job; the
// national 防疫健康信息码 at the scanner; the correction life-cycle — local: filed, one open at a time,
// accepted by the health department (audited) → green, until new data arrives; rejected; origin:
// forwarded to the platform, retried when it was down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as retryJob } from '../../src/jobs/originRetry.job';
import { ORIGIN_RETRY_MS, refreshOrigin } from '../../src/services/originService';
import { citizenWithCode } from '../helpers/citizen';
import { governmentUnit, healthDepartment, type Agent } from '../helpers/console';
import { auth, createTestContext, type TestContext } from '../helpers/context';
import { startNationalStandInInProcess, type RunningStandIn } from '../helpers/national';
import { csv, residentId } from '../helpers/people';
import { bearer, staffAtPoint } from '../helpers/staff';

let ctx: TestContext;
let standIn: RunningStandIn;
let hd: Agent;
const T0 = '2026-03-15T10:00:00+08:00';

/** Both clocks move together: the platform refuses requests more than 5 minutes off its own clock. */
async function setNow(t: string | Date) {
  ctx.clock.set(t);
  await standIn.control.setClock(ctx.clock.now().toISOString());
}

async function arrival(phone: string, seq: number, colour: 'green' | 'yellow' | 'red' | null, name = '陈来闽') {
  const idNumber = residentId('440106', '19900101', seq);
  if (colour) await standIn.control.seedPass({ name, idNumber, provinceCode: '440000', colour, issuedAt: '2026-03-14T08:00:00+08:00', expiresAt: '2026-03-21T08:00:00+08:00' });
  const c = await citizenWithCode(ctx, phone, idNumber, name);
  return { ...c, idNumber };
}

const declare = (b: Record<string, string>, body: Record<string, unknown>) => ctx.http.post('/api/v1/app/arrival-declarations').set(b).send(body);
const codeOf = async (b: Record<string, string>) => {
  const res = await ctx.http.get('/api/v1/app/codes/self').set(b);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

beforeAll(async () => {
  standIn = await startNationalStandInInProcess();
  ctx = await createTestContext({ now: T0, nationalUrl: standIn.base, nationalKeysDir: standIn.dir });
  await standIn.control.setClock(ctx.clock.now().toISOString());
  hd = await healthDepartment(ctx);
}, 120_000);
afterAll(async () => {
  await ctx?.close();
  await standIn?.close();
});

let refusals = 0;
describe('入闽申报 (POST /api/v1/app/arrival-declarations)', () => {
  it.each([
    [{ originProvinceCode: '350000', arrivalDate: '2026-03-15' }, 'originProvinceCode', '省内出行无需入闽申报'],
    [{ originProvinceCode: '440100', arrivalDate: '2026-03-15' }, 'originProvinceCode', '请选择出发地所在省（自治区、直辖市）'],
    [{ originProvinceCode: '990000', arrivalDate: '2026-03-15' }, 'originProvinceCode', '请选择出发地所在省（自治区、直辖市）'],
    [{ originProvinceCode: '440000', arrivalDate: '2026-03-01' }, 'arrivalDate', '入闽日期须在近 14 天内或未来 3 天内'],
    [{ originProvinceCode: '440000', arrivalDate: '2026-03-19' }, 'arrivalDate', '入闽日期须在近 14 天内或未来 3 天内'],
    [{ originProvinceCode: '440000', arrivalDate: '2026-02-30' }, 'arrivalDate', '不是有效的日期'],
    [{ originProvinceCode: '440000' }, 'arrivalDate', undefined],
  ])('refuses %j naming %s', async (body, field, problem) => {
    refusals++;
    const c = await citizenWithCode(ctx, `139000010${String(refusals).padStart(2, '0')}`, residentId('350102', '19880808', 100 + refusals));
    const res = await declare(c.bearer, body);
    expect(res.status).toBe(400);
    const d = res.body.error.details.find((x: { field: string }) => x.field === field);
    expect(d, JSON.stringify(res.body)).toBeTruthy();
    if (problem) expect(d.problem).toBe(problem);
    expect(await ctx.deps.db.models.ArrivalDeclaration.count()).toBe(0);
  });
});

describe('the origin pass merged into the code (B1)', () => {
  it.each([
    ['green', 'green', []],
    ['yellow', 'orange', ['跨省互认：来源地健康码非绿码']],
    ['red', 'orange', ['跨省互认：来源地健康码非绿码']],
  ] as const)('a declared arrival with a %s 广东 pass reads %s', async (passColour, colour, reasons) => {
    await setNow(T0);
    const seq = { green: 201, yellow: 202, red: 203 }[passColour];
    const c = await arrival(`1370000${seq}0`, seq, passColour);
    expect((await codeOf(c.bearer)).origin).toBeNull(); // not an arrival yet: no origin pass asked for
    const res = await declare(c.bearer, { originProvinceCode: '440000', arrivalDate: '2026-03-14' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ originProvinceCode: '440000', originProvinceName: '广东省', arrivalDate: '2026-03-14' });
    const code = await codeOf(c.bearer);
    expect(code.colour).toBe(colour);
    expect(code.reasons.map((r: { text: string }) => r.text)).toEqual(reasons);
    expect(code.origin).toEqual({
      status: 'checked', provinceCode: '440000', provinceName: '广东省', colour: passColour, colourText: { green: '绿码', yellow: '黄码', red: '红码' }[passColour],
      checkedAt: ctx.clock.now().toISOString(), note: null,
    });
    // the red/yellow pass holds through its expiry day, then the code is green again
    if (colour === 'orange') expect(code.greenFrom).toBe('2026-03-22');
  });

  it('an arrival the platform has no pass for stays green with 未查询到', async () => {
    await setNow(T0);
    const c = await arrival('13700002040', 204, null);
    expect((await declare(c.bearer, { originProvinceCode: '420000', arrivalDate: '2026-03-15' })).status).toBe(201);
    expect(await codeOf(c.bearer)).toMatchObject({ colour: 'green', origin: { status: 'not_found', colour: null, note: null } });
  });

  it.each(['timeout', 'error500', 'malformed', 'bad_signature'] as const)(
    'platform %s: the code comes from local data at once with the note, and the retry job merges the pass later',
    async (mode) => {
      await setNow(T0);
      const seq = { timeout: 211, error500: 212, malformed: 213, bad_signature: 214 }[mode];
      const c = await arrival(`1370000${seq}0`, seq, 'red');
      await standIn.control.setMode(mode);
      const started = Date.now();
      try {
        expect((await declare(c.bearer, { originProvinceCode: '440000', arrivalDate: '2026-03-14' })).status).toBe(201);
        expect(Date.now() - started).toBeLessThan(2800); // the adapter gives up after 2 s
        const code = await codeOf(c.bearer);
        expect(code.colour).toBe('green');
        expect(code.origin).toMatchObject({ status: 'unavailable', colour: null, note: '暂未能核验您的来源地健康通行码，已按本省数据赋码，系统将自动重试' });
        // within the back-off, a refresh does not ask again (and so is never slow)
        const t = Date.now();
        await codeOf(c.bearer);
        expect(Date.now() - t).toBeLessThan(1500);
      } finally {
        await standIn.control.setMode('normal');
      }
      const row = (await ctx.deps.db.models.OriginPass.findOne({ where: { personId: (await personOf(c.idNumber)) }, raw: true })) as unknown as { failures: number; failure: string };
      expect(row.failures).toBe(1);
      expect(row.failure).toBe({ timeout: 'timeout', error500: 'http_5xx', malformed: 'malformed', bad_signature: 'bad_signature' }[mode]);
      expect(await retryJob(ctx.deps)).toMatchObject({ origins: 0 }); // not due yet
      await setNow(new Date(ctx.clock.now().getTime() + ORIGIN_RETRY_MS[0]));
      expect(await retryJob(ctx.deps)).toMatchObject({ origins: 1, stillFailing: 0 });
      expect(await codeOf(c.bearer)).toMatchObject({ colour: 'orange', origin: { status: 'checked', colour: 'red', note: null } });
    },
  );
});

describe('the origin pass kept only with the colour it gives (B1; all or none)', () => {
  /** Runs `fn` while the database refuses the first write of a colour (health_statuses); says how many it refused. */
  async function colourWriteRefused(fn: () => Promise<void>): Promise<number> {
    const { sequelize } = ctx.deps.db;
    const query = sequelize.query;
    let refused = 0;
    sequelize.query = ((sql: string | { query: string }, options?: unknown) => {
      if (/^INSERT INTO health_statuses/.test(typeof sql === 'string' ? sql : sql.query) && refused === 0) {
        refused++;
        return Promise.reject(new Error('health_statuses refused the write'));
      }
      return query.call(sequelize, sql as string, options as never);
    }) as typeof sequelize.query;
    try {
      await fn();
    } finally {
      sequelize.query = query;
    }
    return refused;
  }

  it('a pass whose colour could not be written is not kept: the next code page checks again and merges it', async () => {
    await setNow(T0);
    const c = await arrival('13700002150', 215, 'red');
    await standIn.control.setMode('error500');
    try {
      expect((await declare(c.bearer, { originProvinceCode: '440000', arrivalDate: '2026-03-14' })).status).toBe(201);
      expect(await codeOf(c.bearer)).toMatchObject({ colour: 'green', origin: { status: 'unavailable' } });
    } finally {
      await standIn.control.setMode('normal');
    }
    await setNow(new Date(ctx.clock.now().getTime() + ORIGIN_RETRY_MS[0]));
    // the platform answers red now, and the database refuses the colour's write once
    expect(await colourWriteRefused(async () => expect((await ctx.http.get('/api/v1/app/codes/self').set(c.bearer)).status).toBe(500))).toBe(1);
    const row = (await ctx.deps.db.models.OriginPass.findOne({ where: { personId: await personOf(c.idNumber) }, attributes: ['status', 'colour'], raw: true })) as unknown;
    expect(row).toEqual({ status: 'unavailable', colour: null });
    expect(await codeOf(c.bearer)).toMatchObject({ colour: 'orange', origin: { status: 'checked', colour: 'red', note: null } });
  });

  it('two first checks of one arrival at once both answer, and keep one row', async () => {
    await setNow(T0);
    const c = await arrival('13700002170', 217, 'red');
    const personId = await personOf(c.idNumber);
    await ctx.deps.db.models.ArrivalDeclaration.create({ personId, citizenUserId: null, originProvince: '440000', arrivalDate: '2026-03-14' });
    for (let round = 0; round < 3; round++) {
      await ctx.deps.db.models.OriginPass.destroy({ where: { personId } });
      const checks = await Promise.all([0, 1, 2].map(() => refreshOrigin(ctx.deps, personId, { force: true })));
      expect(checks.map((v) => v?.status)).toEqual(['checked', 'checked', 'checked']);
      expect(await ctx.deps.db.models.OriginPass.count({ where: { personId } })).toBe(1);
    }
    expect(await codeOf(c.bearer)).toMatchObject({ colour: 'orange', origin: { status: 'checked', colour: 'red' } });
  });

  it('入闽申报 sent again after its check failed is the same declaration, and the pass is merged', async () => {
    await setNow(T0);
    const c = await arrival('13700002160', 216, 'yellow');
    const body = { originProvinceCode: '440000', arrivalDate: '2026-03-14' };
    expect(await colourWriteRefused(async () => expect((await declare(c.bearer, body)).status).toBe(500))).toBe(1);
    const personId = await personOf(c.idNumber);
    expect(await ctx.deps.db.models.OriginPass.count({ where: { personId } })).toBe(0);
    const again = await declare(c.bearer, body);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    const declared = (await ctx.deps.db.models.ArrivalDeclaration.findAll({ where: { personId }, attributes: ['id'], raw: true })) as unknown as { id: number }[];
    expect(declared.map((d) => Number(d.id))).toEqual([again.body.id]);
    expect(await codeOf(c.bearer)).toMatchObject({ colour: 'orange', origin: { status: 'checked', colour: 'yellow' } });
    // another day is another declaration
    const later = await declare(c.bearer, { ...body, arrivalDate: '2026-03-15' });
    expect(later.body.id).not.toBe(again.body.id);
    expect(await ctx.deps.db.models.ArrivalDeclaration.count({ where: { personId } })).toBe(2);
  });
});

async function personOf(idNumber: string): Promise<number> {
  const res = await ctx.http.post('/api/v1/people/lookup').set(auth(ctx)).send({ idType: 'resident_id', idNumber });
  expect(res.status).toBe(200);
  const p = (await ctx.deps.db.models.Person.findAll({ attributes: ['id', 'idNumberEnc'], raw: true })) as unknown as { id: number; idNumberEnc: string }[];
  return Number(p.find((x) => ctx.deps.pii.decrypt(x.idNumberEnc) === idNumber)!.id);
}

describe('the national 防疫健康信息码 at the scanner (B2)', () => {
  it('verifies it online, shows the origin province and colour, and records the scan as national', async () => {
    await setNow(T0);
    const staff = await staffAtPoint(ctx, '350102');
    const idNumber = residentId('440106', '19851010', 301);
    const { token } = await standIn.control.seedPass({ name: '林国家', idNumber, provinceCode: '440000', colour: 'yellow' });
    const res = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      method: 'camera', colour: 'orange', colourText: '橙码',
      person: { nameMasked: '**家', idMasked: expect.stringMatching(/^44\*+\d{3}$/) },
      national: { provinceCode: '440000', provinceName: '广东省', colour: 'yellow', colourText: '黄码' },
    });
    const rec = (await ctx.deps.db.models.ScanRecord.findByPk(res.body.scanId, { raw: true })) as unknown as Record<string, unknown>;
    expect(rec).toMatchObject({ codeSource: 'national', originProvince: '440000', originColour: 'yellow', colour: 'orange' });
    expect(JSON.stringify(res.body)).not.toContain(idNumber);
  });

  it('refuses a tampered or revoked code (422) and says so when the platform is down (503), recording nothing', async () => {
    await setNow(T0);
    const staff = await staffAtPoint(ctx, '350102');
    const before = await ctx.deps.db.models.ScanRecord.count();
    const { pass, token } = await standIn.control.seedPass({ name: '郑国家', idNumber: residentId('440106', '19851010', 302), provinceCode: '440000', colour: 'green' });
    const parts = token.split('.');
    const tampered = `${parts[0]}.${parts[1]}.${parts[2].startsWith('A') ? 'B' : 'A'}${parts[2].slice(1)}`;
    const bad = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token: tampered });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('NATIONAL_CODE_INVALID');
    await standIn.control.revoke(pass.passId);
    expect((await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token })).body.error.code).toBe('NATIONAL_CODE_INVALID');
    await standIn.control.setMode('error500');
    try {
      const down = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token });
      expect(down.status).toBe(503);
      expect(down.body.error.code).toBe('NATIONAL_UNAVAILABLE');
    } finally {
      await standIn.control.setMode('normal');
    }
    expect(await ctx.deps.db.models.ScanRecord.count()).toBe(before);
  });

  it('publishes the platform\'s keys for offline checks', async () => {
    const res = await ctx.http.get('/api/v1/national/keys');
    expect(res.status).toBe(200);
    expect(res.body.keys[0]).toMatchObject({ keyId: expect.any(String), publicKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  });
});

describe('corrections (H6)', () => {
  it('local: filed, one open at a time, accepted (audited) → green until new data arrives', async () => {
    await setNow(T0);
    const idNumber = residentId('350102', '19770707', 401);
    const c = await citizenWithCode(ctx, '13600004010', idNumber, '黄申诉');
    const visit = (at: string) => ctx.http.post('/api/v1/sources/fever-clinic-visits').set(auth(ctx)).set('Content-Type', 'text/csv').send(csv('id_type,id_number,name,hospital,visited_at', `resident_id,${idNumber},黄申诉,福建省立医院,${at}`));
    expect((await visit('2026-03-14T09:00:00+08:00')).status).toBe(200);
    expect((await codeOf(c.bearer)).colour).toBe('orange');

    const short = await ctx.http.post('/api/v1/app/corrections').set(c.bearer).send({ holder: 'self', kind: 'local', reason: '没去' });
    expect(short.status).toBe(400);
    expect(short.body.error.details).toEqual([{ field: 'reason', problem: '请写明申诉理由（至少 5 个字）' }]);
    const noPass = await ctx.http.post('/api/v1/app/corrections').set(c.bearer).send({ holder: 'self', kind: 'origin', reason: '来源地码有误，请核实' });
    expect(noPass.body.error.details[0].field).toBe('kind');
    const filed = await ctx.http.post('/api/v1/app/corrections').set(c.bearer).send({ holder: 'self', kind: 'local', reason: '我 3 月 14 日没有去过发热门诊，是同名的人' });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body).toMatchObject({ kind: 'local', kindText: '本省健康码', status: 'pending', statusText: '待处理', decisionNote: null });
    expect((await ctx.http.post('/api/v1/app/corrections').set(c.bearer).send({ holder: 'self', kind: 'local', reason: '再申诉一次试试看' })).body.error.code).toBe('CORRECTION_OPEN');

    // only the health department decides
    const unit = await governmentUnit(ctx, hd);
    expect((await unit.agent.get('/api/v1/console/corrections')).status).toBe(403);
    expect((await unit.agent.post(`/api/v1/console/corrections/${filed.body.id}/decision`).send({ decision: 'accept' })).status).toBe(403);
    const list = await hd.get('/api/v1/console/corrections?status=pending');
    expect(list.body.items.find((x: { id: number }) => x.id === filed.body.id)).toMatchObject({
      nameMasked: '**诉', idMasked: expect.stringMatching(/^35\*+/), colourText: '橙码', reasonsText: ['14天内在我省有发热门诊就诊记录'], status: 'pending',
    });
    const decided = await hd.post(`/api/v1/console/corrections/${filed.body.id}/decision`).send({ decision: 'accept', note: '经核实为同名误报' });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body).toMatchObject({ status: 'accepted', statusText: '已采纳', decisionNote: '经核实为同名误报', decidedBy: expect.any(String), decidedAt: ctx.clock.now().toISOString() });
    expect((await hd.post(`/api/v1/console/corrections/${filed.body.id}/decision`).send({ decision: 'reject' })).body.error.code).toBe('CORRECTION_NOT_PENDING');
    const audit = await ctx.deps.db.models.AuditLog.findOne({ where: { action: 'correction.accepted' }, raw: true });
    expect(audit).toMatchObject({ actorKind: 'account', outcome: 'ok' });
    expect(await codeOf(c.bearer)).toMatchObject({ colour: 'green', reasons: [] });
    expect((await ctx.http.get('/api/v1/app/corrections?holder=self').set(c.bearer)).body[0]).toMatchObject({ status: 'accepted', decisionNote: '经核实为同名误报' });

    // the same data again changes nothing; a new visit recorded later ends the override
    ctx.clock.advance(60_000);
    expect((await visit('2026-03-14T09:00:00+08:00')).body).toMatchObject({ unchanged: 1 });
    expect((await codeOf(c.bearer)).colour).toBe('green');
    expect((await visit('2026-03-15T09:30:00+08:00')).status).toBe(200);
    expect(await codeOf(c.bearer)).toMatchObject({ colour: 'orange', reasons: [{ code: 'FEVER_CLINIC' }] });

    // rejected: stays orange
    const again = await ctx.http.post('/api/v1/app/corrections').set(c.bearer).send({ holder: 'self', kind: 'local', reason: '这次也不是我，请再核实' });
    const rejected = await hd.post(`/api/v1/console/corrections/${again.body.id}/decision`).send({ decision: 'reject', note: '医院核实为本人就诊' });
    expect(rejected.body).toMatchObject({ status: 'rejected', statusText: '未采纳' });
    expect((await codeOf(c.bearer)).colour).toBe('orange');
  });

  it('origin: forwarded to the national platform with a ticket; when it is down, retried by the job', async () => {
    await setNow(T0);
    const a = await arrival('13700005010', 501, 'yellow', '许来闽');
    expect((await declare(a.bearer, { originProvinceCode: '440000', arrivalDate: '2026-03-14' })).status).toBe(201);
    const filed = await ctx.http.post('/api/v1/app/corrections').set(a.bearer).send({ holder: 'self', kind: 'origin', reason: '广东的码应为绿码，已解除管控' });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body).toMatchObject({ kind: 'origin', status: 'forwarded', statusText: '已转国家平台' });
    const received = await standIn.control.corrections();
    expect(received.find((x) => x.localRef === String(filed.body.id))).toMatchObject({ reason: '广东的码应为绿码，已解除管控' });
    // only local ones are decided in the console
    expect((await hd.post(`/api/v1/console/corrections/${filed.body.id}/decision`).send({ decision: 'accept' })).body.error.code).toBe('CORRECTION_NOT_PENDING');

    const b = await arrival('13700005020', 502, 'red', '谢来闽');
    expect((await declare(b.bearer, { originProvinceCode: '440000', arrivalDate: '2026-03-14' })).status).toBe(201);
    await standIn.control.setMode('error500');
    let id: number;
    try {
      const res = await ctx.http.post('/api/v1/app/corrections').set(b.bearer).send({ holder: 'self', kind: 'origin', reason: '红码有误，请国家平台核实' });
      expect(res.body).toMatchObject({ status: 'forward_failed', statusText: '转国家平台失败，将自动重试' });
      id = res.body.id;
    } finally {
      await standIn.control.setMode('normal');
    }
    await setNow(new Date(ctx.clock.now().getTime() + ORIGIN_RETRY_MS[0]));
    expect(await retryJob(ctx.deps)).toMatchObject({ forwards: 1 });
    expect((await ctx.http.get('/api/v1/app/corrections?holder=self').set(b.bearer)).body[0]).toMatchObject({ id, status: 'forwarded' });
  });
});
