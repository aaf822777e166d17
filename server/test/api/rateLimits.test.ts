// Abuse limits at their real values (issue 11): SMS codes 1 a minute and 10 a (Shanghai) day per phone and
// 20 an hour per address; sign-ins of every kind 30 per 10 minutes per address; host tickets 60 a minute;
// employee imports 20 an hour per account. Each refusal is 429 RATE_LIMITED with Retry-After and a message
// saying how long to wait, and the counters hold only keyed hashes, never a phone number or an address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerEnterprise, passwordSignIn } from '../helpers/console';
import { createTestContext, type TestContext } from '../helpers/context';

let ctx: TestContext;
const T0 = '2026-03-15T10:00:00+08:00';

beforeAll(async () => {
  ctx = await createTestContext({ now: T0, realRateLimits: true });
  // as behind a load balancer (TRUST_PROXY=1): the client's address from X-Forwarded-For
  ctx.app.koa.proxy = true;
}, 60_000);
afterAll(() => ctx.close());

const sms = (phone: string, ip = '10.0.0.1') => ctx.http.post('/api/v1/app/sms-codes').set('X-Forwarded-For', ip).send({ phone, purpose: 'sign_in' });

describe('SMS codes', () => {
  it('1 a minute per phone: the second within the minute is refused with Retry-After', async () => {
    ctx.clock.set(T0);
    expect((await sms('13900000001')).status).toBe(204);
    const again = await sms('13900000001');
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('RATE_LIMITED');
    expect(again.body.error.message).toBe('验证码发送过于频繁，请 60 秒后再试');
    expect(again.headers['retry-after']).toBe('60');
    ctx.clock.advance(61_000);
    expect((await sms('13900000001')).status).toBe(204);
  });

  it('10 a day per phone, the day being a Shanghai day', async () => {
    ctx.clock.set('2026-03-16T08:00:00+08:00');
    for (let i = 0; i < 10; i++) {
      expect((await sms('13900000002', `10.0.1.${i}`)).status, `send ${i + 1}`).toBe(204);
      ctx.clock.advance(61_000);
    }
    const eleventh = await sms('13900000002', '10.0.1.99');
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error.message).toMatch(/^该手机号今日获取验证码次数已达上限，请 \d+ 小时后再试$/);
    // 08:10:10 → midnight is 15 h 49 min 50 s away
    expect(Number(eleventh.headers['retry-after'])).toBe(15 * 3600 + 49 * 60 + 50);
    ctx.clock.set('2026-03-17T00:00:01+08:00');
    expect((await sms('13900000002', '10.0.1.99')).status).toBe(204);
  });

  it('20 an hour per address, whatever the phones', async () => {
    ctx.clock.set('2026-03-18T10:00:00+08:00');
    for (let i = 0; i < 20; i++) expect((await sms(`1390000${String(100 + i).padStart(4, '0')}`, '10.9.9.9')).status).toBe(204);
    const res = await sms('13900009999', '10.9.9.9');
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect((await sms('13900009999', '10.9.9.8')).status).toBe(204); // another address
  });

  it('keeps only keyed hashes in the counters', async () => {
    const rows = (await ctx.deps.db.models.RateLimit.findAll({ attributes: ['bucket'], raw: true })) as unknown as { bucket: string }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.bucket).not.toMatch(/139\d{8}/);
      expect(r.bucket).not.toMatch(/10\.\d+\.\d+\.\d+/);
    }
  });
});

describe('sign-ins: 30 per 10 minutes per address, every kind counted', () => {
  it.each([
    ['citizen', '/api/v1/app/sessions', { phone: '13900000003', smsCode: '000000' }],
    ['staff', '/api/v1/staff/sessions', { phone: '13900000004', password: 'Wrong2026x' }],
    ['console', '/api/v1/console/sessions', { loginName: 'nobody', password: 'Wrong2026x' }],
  ])('%s sign-in', async (_kind, path, body) => {
    ctx.clock.set('2026-03-19T10:00:00+08:00');
    const ip = `10.1.${path.length}.1`;
    for (let i = 0; i < 30; i++) {
      const r = await ctx.http.post(path).set('X-Forwarded-For', ip).send(body);
      expect(r.status, `attempt ${i + 1}: ${JSON.stringify(r.body)}`).not.toBe(429);
    }
    const r = await ctx.http.post(path).set('X-Forwarded-For', ip).send(body);
    expect(r.status).toBe(429);
    expect(r.body.error.message).toMatch(/^登录尝试过于频繁，请 \d+ (秒|分钟)后再试$/);
    ctx.clock.advance(10 * 60_000);
    expect((await ctx.http.post(path).set('X-Forwarded-For', ip).send(body)).status).not.toBe(429);
  });

  it('host tickets: 60 a minute per address', async () => {
    ctx.clock.set('2026-03-20T10:00:00+08:00');
    for (let i = 0; i < 60; i++) expect((await ctx.http.post('/api/v1/app/host-sessions').set('X-Forwarded-For', '10.2.0.1').send({ ticket: 'HT1.x.y' })).status).toBe(400);
    const r = await ctx.http.post('/api/v1/app/host-sessions').set('X-Forwarded-For', '10.2.0.1').send({ ticket: 'HT1.x.y' });
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBeDefined();
  });
});

describe('imports: 20 an hour per console account', () => {
  it('refuses the 21st upload of the hour', async () => {
    ctx.clock.set('2026-03-21T10:00:00+08:00');
    const ent = await registerEnterprise(ctx);
    const a = await passwordSignIn(ctx, ent.loginName, ent.password as string);
    const upload = () => a.post('/api/v1/console/employees/imports').set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(Buffer.from('not a workbook'));
    for (let i = 0; i < 20; i++) expect((await upload()).status, `upload ${i + 1}`).not.toBe(429);
    const r = await upload();
    expect(r.status).toBe(429);
    expect(r.body.error.message).toMatch(/^导入过于频繁/);
  });
});
