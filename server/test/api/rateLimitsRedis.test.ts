// Abuse limits with REDIS_URL set (issue 11; DESIGN: shared counters in Redis when configured), against the
// real Redis of this machine: the same limits and answers as with the database, the counters in Redis (none
// in rate_limits), one count across two server instances, and keys that expire with their window. Skipped
// only when no Redis answers at REDIS_TEST_URL (default redis://127.0.0.1:6379); CI sets REQUIRE_REDIS=1.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context';

const URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(): Promise<boolean> {
  const r = new Redis(URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

const available = await redisAnswers();
if (!available && process.env.REQUIRE_REDIS === '1') throw new Error(`REQUIRE_REDIS=1 but no Redis answers at ${URL}`);

describe.skipIf(!available)(`rate limits in Redis (${URL})`, () => {
  const prefix = `t${Date.now().toString(36)}:`;
  let a: TestContext;
  let b: TestContext;
  let probe: Redis;
  beforeAll(async () => {
    // two server instances sharing one Redis (and each its own database)
    a = await createTestContext({ now: '2026-03-15T10:00:00+08:00', realRateLimits: true, redisUrl: URL, redisKeyPrefix: prefix });
    // a second instance of the same deployment: the same secrets (the counters are keyed by a keyed hash)
    b = await createTestContext({ now: '2026-03-15T10:00:00+08:00', realRateLimits: true, redisUrl: URL, redisKeyPrefix: prefix, env: { PII_HASH_KEY: a.env.PII_HASH_KEY, PII_ENCRYPTION_KEY: a.env.PII_ENCRYPTION_KEY } });
    a.app.koa.proxy = true;
    b.app.koa.proxy = true;
    probe = new Redis(URL);
  }, 60_000);
  afterAll(async () => {
    const keys = await probe.keys(`${prefix}*`);
    if (keys.length) await probe.del(...keys);
    probe.disconnect();
    await a?.close();
    await b?.close();
  });

  const sms = (ctx: TestContext, phone: string, ip: string) => ctx.http.post('/api/v1/app/sms-codes').set('X-Forwarded-For', ip).send({ phone, purpose: 'sign_in' });

  it('counts per address across both instances: the 21st SMS of the hour is refused, whichever instance gets it', async () => {
    for (let i = 0; i < 20; i++) {
      const ctx = i % 2 ? b : a;
      expect((await sms(ctx, `1370000${String(2000 + i)}`, '10.7.7.7')).status, `send ${i + 1}`).toBe(204);
    }
    const refused = await sms(a, '13700002999', '10.7.7.7');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await sms(b, '13700002998', '10.7.7.7')).status).toBe(429);
  });

  it('keeps the counters in Redis under keyed hashes, none in the database, each expiring with its window', async () => {
    expect(await a.deps.db.models.RateLimit.count()).toBe(0);
    expect(await b.deps.db.models.RateLimit.count()).toBe(0);
    const keys = await probe.keys(`${prefix}rl:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) {
      expect(k).not.toMatch(/1370000\d{4}|10\.7\.7\.7/);
      const ttl = await probe.pttl(k);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(86_400_000 + 60_000);
    }
  });

  it('1 a minute per phone, as with the database', async () => {
    expect((await sms(a, '13700003001', '10.7.7.8')).status).toBe(204);
    const again = await sms(b, '13700003001', '10.7.7.9');
    expect(again.status).toBe(429);
    expect(again.body.error.message).toBe('验证码发送过于频繁，请 60 秒后再试');
  });
});
