// Contract of the national platform adapter (B3, B2, H6; issue 9): createHttpNationalPlatform against the
// stand-in platform running as a process of its own, as the real platform would. Signatures are checked
// both ways, every failure of the platform surfaces as a NationalUnavailableError of the right kind, and
// the adapter never waits longer than its time-out.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import {
  NATIONAL_TIMEOUT_MS,
  verifyNationalToken,
  type NationalKeySet,
} from '@bamin/common';
import jsQR from 'jsqr';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../src/clock';
import { ConfigError, loadConfig } from '../../src/config';
import { nodeEd25519Verify } from '../../src/domain/codeTokens';
import { ensureDevNationalKeys, loadNationalClientKey, loadPinnedPlatformKeys, type NationalClientKey } from '../../src/integrations/nationalKeys';
import { NationalUnavailableError, type NationalFailure, type NationalPlatform } from '../../src/integrations/nationalPlatform';
import { createHttpNationalPlatform, NATIONAL_KEYS_CACHE_MS, type HttpNationalPlatformOptions } from '../../src/integrations/nationalPlatformHttp';
import { createLogger } from '../../src/logger';
import { createTestContext } from '../helpers/context';
import { startNationalStandIn, type RunningStandIn } from '../helpers/national';

// Resident ID numbers with valid check digits.
const ZHANG = { name: '张伟', idNumber: '440106199003071231' };
const LI = { name: '李娟', idNumber: '420102198805162465' };

let s: RunningStandIn;
let clientKey: NationalClientKey;
let pinned: NationalKeySet;
let logLines: string[];

beforeAll(async () => {
  s = await startNationalStandIn();
  clientKey = loadNationalClientKey(s.keys.clientKeyFile);
  pinned = loadPinnedPlatformKeys(s.keys.platformPublicKeysFile);
});
afterAll(async () => {
  await s?.close();
});
beforeEach(async () => {
  logLines = [];
  await s.control.reset();
});

/** The adapter as bootstrap builds it, with a 1 s time-out unless a test says otherwise. */
function adapter(o: Partial<HttpNationalPlatformOptions> = {}): NationalPlatform {
  return createHttpNationalPlatform({
    baseUrl: s.base,
    appId: 'fujian-bamin',
    clientKey,
    platformKeys: pinned,
    timeoutMs: 1000,
    clock: systemClock,
    logger: createLogger('info', { write: (line: string) => void logLines.push(line) }),
    ...o,
  });
}

async function failureOf(p: Promise<unknown>): Promise<{ failure: NationalFailure; message: string }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(NationalUnavailableError);
    return { failure: (e as NationalUnavailableError).failure, message: (e as Error).message };
  }
  throw new Error('expected the call to fail');
}

const daysFromNow = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const query = (idNumber: string) => ({ idType: 'resident_id' as const, idNumber });

/** A proxy in front of the stand-in that can rewrite what comes back (someone in between). */
async function startProxy(rewrite: (body: string, n: number) => string): Promise<{ base: string; close(): Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const upstream = await fetch(`${s.base}${req.url}`, { method: req.method, headers: { 'content-type': 'application/json' }, body: req.method === 'POST' ? Buffer.concat(chunks) : undefined });
      const body = rewrite(await upstream.text(), n++);
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('the stand-in runs as its own process', () => {
  it('is another process than the test, listening on the port it printed', async () => {
    const pid = (s as RunningStandIn & { pid: number }).pid;
    expect(pid).not.toBe(process.pid);
    const res = await fetch(`${s.base}/`);
    expect(await res.json()).toEqual({ name: '国家政务服务平台（模拟）', passes: 0, mode: 'normal' });
  });
});

describe('healthInfoQuery', () => {
  it('returns the latest current pass of the ID number', async () => {
    await s.control.seedPass({ ...ZHANG, provinceCode: '420000', colour: 'yellow', issuedAt: daysFromNow(-2) });
    const { pass } = await s.control.seedPass({ ...ZHANG, provinceCode: '440000', colour: 'green' });
    await s.control.seedPass({ ...LI, provinceCode: '110000', colour: 'red' });

    expect(await adapter().healthInfoQuery(query(ZHANG.idNumber))).toEqual({
      passId: pass.passId,
      provinceCode: '440000',
      provinceName: '广东省',
      colour: 'green',
      issuedAt: pass.issuedAt,
      expiresAt: pass.expiresAt,
    });
  });

  it('NOT_FOUND → null for an ID number the platform has no pass of', async () => {
    await s.control.seedPass({ ...LI, provinceCode: '110000', colour: 'red' });
    expect(await adapter().healthInfoQuery(query(ZHANG.idNumber))).toBeNull();
  });

  it('an expired pass → null', async () => {
    await s.control.seedPass({ ...ZHANG, provinceCode: '440000', colour: 'red', issuedAt: daysFromNow(-8), expiresAt: daysFromNow(-1) });
    expect(await adapter().healthInfoQuery(query(ZHANG.idNumber))).toBeNull();
  });

  it('a revoked pass → null', async () => {
    const { pass } = await s.control.seedPass({ ...ZHANG, provinceCode: '440000', colour: 'red' });
    await s.control.revoke(pass.passId);
    expect(await adapter().healthInfoQuery(query(ZHANG.idNumber))).toBeNull();
  });

  it('logs the call with a masked ID number only', async () => {
    await adapter().healthInfoQuery(query(ZHANG.idNumber));
    const log = logLines.join('');
    expect(log).toContain('"national":"healthInfoQuery"');
    expect(log).toContain('44*****231');
    expect(log).not.toContain(ZHANG.idNumber);
  });
});

describe('codeVerification', () => {
  it('a valid token → the holder in full and the pass', async () => {
    const { pass, token } = await s.control.seedPass({ ...ZHANG, provinceCode: '440000', colour: 'green' });
    expect(await adapter().codeVerification(token)).toEqual({
      valid: true,
      reason: null,
      holder: { name: ZHANG.name, idType: 'resident_id', idNumber: ZHANG.idNumber },
      pass,
    });
  });

  it('an expired token → expired, no holder', async () => {
    const { pass } = await s.control.seedPass({ ...ZHANG, provinceCode: '440000', colour: 'green' });
    const token = await s.control.token(pass.passId, new Date(Date.now() - 1000).toISOString());
    expect(await adapter().codeVerification(token)).toEqual({ valid: false, reason: 'expired', holder: null, pass });
  });

  it('a token expires 300 s after it was made (both clocks moved on)', async () => {
    const { token } = await s.control.seedPass({ ...ZHANG, provinceCode: '440000', colour: 'green' });
    const later = new Date(Date.now() + 301_000).toISOString();
    await s.control.setClock(later);
    const r = await adapter({ clock: new ManualClock(later) }).codeVerification(token);
    expect([r.valid, r.reason, r.holder]).toEqual([false, 'expired', null]);
  });

  it('a revoked pass → revoked', async () => {
    const { pass, token } = await s.control.seedPass({ ...ZHANG, provinceCode: '440000', colour: 'green' });
    await s.control.revoke(pass.passId);
    expect(await adapter().codeVerification(token)).toEqual({ valid: false, reason: 'revoked', holder: null, pass: { ...pass } });
  });

  it('a tampered token → bad_signature; not a token at all → malformed', async () => {
    const { token } = await s.control.seedPass({ ...ZHANG, provinceCode: '440000', colour: 'green' });
    const [prefix, payload, sig] = token.split('.');
    const tampered = `${prefix}.${payload}.${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
    expect(await adapter().codeVerification(tampered)).toEqual({ valid: false, reason: 'bad_signature', holder: null, pass: null });
    expect(await adapter().codeVerification('NHC1.bm90.anNvbg')).toEqual({ valid: false, reason: 'malformed', holder: null, pass: null });
  });
});

describe('correction', () => {
  it('is stored at the platform with a ticket; the same localRef again gets the same ticket', async () => {
    const { pass } = await s.control.seedPass({ ...ZHANG, provinceCode: '440000', colour: 'red' });
    const body = { passId: pass.passId, idType: 'resident_id' as const, idNumber: ZHANG.idNumber, reason: '已在广东完成核酸检测，结果阴性', localRef: '17' };
    const first = await adapter().correction(body);
    expect(first).toEqual({ ticket: expect.stringMatching(/^NC\d{8}[0-9A-F]{8}$/), status: 'received' });
    expect(await adapter().correction(body)).toEqual(first);

    const stored = await s.control.corrections();
    expect(stored).toEqual([{ ...body, appId: 'fujian-bamin', ticket: first.ticket, receivedAt: expect.any(String) }]);
  });
});

describe('signatures, both ways', () => {
  it('a request signed with a wrong client key is refused (BAD_SIGNATURE)', async () => {
    const impostor = { ...clientKey, privateKey: generateKeyPairSync('ed25519').privateKey };
    const r = await failureOf(adapter({ clientKey: impostor }).healthInfoQuery(query(ZHANG.idNumber)));
    expect(r.failure).toBe('refused');
    expect(r.message).toContain('BAD_SIGNATURE');
  });

  it('an appId the platform does not know is refused (UNKNOWN_APP)', async () => {
    const r = await failureOf(adapter({ appId: 'zhejiang-health', clientKey: { ...clientKey, appId: 'zhejiang-health' } }).healthInfoQuery(query(ZHANG.idNumber)));
    expect([r.failure, r.message.includes('UNKNOWN_APP')]).toEqual(['refused', true]);
  });

  it('a replayed request (same requestId) is refused (REPLAYED)', async () => {
    const platform = adapter({ newRequestId: () => 'b3-replay-0001' });
    expect(await platform.healthInfoQuery(query(ZHANG.idNumber))).toBeNull();
    const r = await failureOf(platform.healthInfoQuery(query(ZHANG.idNumber)));
    expect([r.failure, r.message.includes('REPLAYED')]).toEqual(['refused', true]);
  });

  it('a request stamped more than 300 s away from the platform clock is refused', async () => {
    const stale = new ManualClock(new Date(Date.now() - 301_000));
    const r = await failureOf(adapter({ clock: stale }).healthInfoQuery(query(ZHANG.idNumber)));
    expect([r.failure, r.message.includes('REPLAYED')]).toEqual(['refused', true]);
  });

  it('a response signed with a key that is not pinned → bad_signature', async () => {
    await s.control.seedPass({ ...ZHANG, provinceCode: '440000', colour: 'green' });
    await s.control.setMode('bad_signature');
    expect((await failureOf(adapter().healthInfoQuery(query(ZHANG.idNumber)))).failure).toBe('bad_signature');
  });

  it('a response whose body was changed on the way → bad_signature', async () => {
    await s.control.seedPass({ ...ZHANG, provinceCode: '440000', colour: 'green' });
    const proxy = await startProxy((body) => body.replace('"colour":"green"', '"colour":"red"'));
    try {
      const r = await failureOf(adapter({ baseUrl: proxy.base }).healthInfoQuery(query(ZHANG.idNumber)));
      expect(r.failure).toBe('bad_signature');
      // Untouched, the same path works: it was the change that was caught.
      const clean = await startProxy((body) => body);
      try {
        expect((await adapter({ baseUrl: clean.base }).healthInfoQuery(query(ZHANG.idNumber)))?.colour).toBe('green');
      } finally {
        await clean.close();
      }
    } finally {
      await proxy.close();
    }
  });

  it('a genuine response to another request, played back → bad_signature', async () => {
    await s.control.seedPass({ ...ZHANG, provinceCode: '440000', colour: 'green' });
    let first = '';
    const proxy = await startProxy((body, n) => (n === 0 ? (first = body) : first));
    try {
      const platform = adapter({ baseUrl: proxy.base });
      expect((await platform.healthInfoQuery(query(ZHANG.idNumber)))?.colour).toBe('green');
      expect((await failureOf(platform.healthInfoQuery(query(ZHANG.idNumber)))).failure).toBe('bad_signature');
    } finally {
      await proxy.close();
    }
  });
});

describe('when the platform fails', () => {
  afterEach(async () => {
    await s.control.setMode('normal');
  });

  it('HTTP 500 → http_5xx', async () => {
    await s.control.setMode('error500');
    expect((await failureOf(adapter().healthInfoQuery(query(ZHANG.idNumber)))).failure).toBe('http_5xx');
  });

  it('an answer that is not JSON → malformed', async () => {
    await s.control.setMode('malformed');
    expect((await failureOf(adapter().codeVerification('NHC1.x.y'))).failure).toBe('malformed');
  });

  it('no answer → timeout after timeoutMs (300 ms), and the platform serves the next call normally', async () => {
    await s.control.setMode('timeout');
    const started = Date.now();
    const r = await failureOf(adapter({ timeoutMs: 300 }).healthInfoQuery(query(ZHANG.idNumber)));
    const elapsed = Date.now() - started;
    expect(r.failure).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1000);
    await s.control.setMode('normal');
    expect(await adapter().healthInfoQuery(query(ZHANG.idNumber))).toBeNull();
  });

  it(`no answer → timeout at the default ${NATIONAL_TIMEOUT_MS} ms, within 2.5 s`, async () => {
    await s.control.setMode('timeout');
    const started = Date.now();
    const r = await failureOf(adapter({ timeoutMs: undefined }).correction({ passId: 'np_x', idType: 'resident_id', idNumber: ZHANG.idNumber, reason: '测试', localRef: '1' }));
    const elapsed = Date.now() - started;
    expect(r.failure).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(NATIONAL_TIMEOUT_MS - 10);
    expect(elapsed).toBeLessThan(2500);
  });

  it('nothing listening → network', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const r = await failureOf(adapter({ baseUrl: `http://127.0.0.1:${port}` }).healthInfoQuery(query(ZHANG.idNumber)));
    expect(r.failure).toBe('network');
  });
});

describe('publishedKeys and the offline token check', () => {
  it('returns the platform key set, cached for 10 minutes', async () => {
    const clock = new ManualClock(new Date());
    const platform = adapter({ clock });
    expect(await platform.publishedKeys()).toEqual(pinned);
    await s.control.setMode('error500');
    try {
      clock.advance(NATIONAL_KEYS_CACHE_MS - 1000);
      expect(await platform.publishedKeys()).toEqual(pinned);
      clock.advance(2000);
      expect((await failureOf(platform.publishedKeys())).failure).toBe('http_5xx');
      await s.control.setMode('malformed');
      expect((await failureOf(platform.publishedKeys())).failure).toBe('malformed');
    } finally {
      await s.control.setMode('normal');
    }
  });

  it('verifyNationalToken: a token from the platform is valid, expired 300 s later, bad_signature when a character changes', async () => {
    const keys = await adapter().publishedKeys();
    const { pass, token } = await s.control.seedPass({ ...LI, provinceCode: '420000', colour: 'yellow' });
    const now = new Date();
    const ok = verifyNationalToken(token, keys, now, nodeEd25519Verify);
    expect(ok).toEqual({
      ok: true,
      payload: expect.objectContaining({ v: 1, passId: pass.passId, provinceCode: '420000', provinceName: '湖北省', colour: 'yellow', nameMasked: '*娟', idMasked: '42*****465' }),
    });
    expect(verifyNationalToken(token, keys, new Date(now.getTime() + 301_000), nodeEd25519Verify)).toEqual({ ok: false, reason: 'expired' });
    const i = token.lastIndexOf('.') + 20;
    const changed = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    expect(verifyNationalToken(changed, keys, now, nodeEd25519Verify)).toEqual({ ok: false, reason: 'bad_signature' });
  });
});

describe('GET /code/:passId (the national 防疫健康信息码 page)', () => {
  it('shows province, masked name and colour word, with a QR a camera can read holding a fresh valid token', async () => {
    const { pass } = await s.control.seedPass({ ...ZHANG, provinceCode: '440000', colour: 'green' });
    const res = await fetch(`${s.base}/code/${pass.passId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('防疫健康信息码');
    expect(html).toMatch(/data-testid="national-colour"[^>]*>绿码</);
    expect(html).toMatch(/data-testid="national-province">广东省</);
    expect(html).toMatch(/data-testid="national-name">\*伟</);
    expect(html).not.toContain(ZHANG.idNumber);

    const svg = html.match(/<svg[^>]*data-testid="national-qr"[\s\S]*?<\/svg>/)?.[0];
    expect(svg).toBeDefined();
    const image = await loadImage(Buffer.from(svg!));
    expect(image.width).toBeGreaterThanOrEqual(280);
    const canvas = createCanvas(image.width, image.height);
    const g = canvas.getContext('2d');
    g.drawImage(image, 0, 0);
    const pixels = g.getImageData(0, 0, image.width, image.height);
    const decoded = jsQR(new Uint8ClampedArray(pixels.data), image.width, image.height);
    expect(decoded).not.toBeNull();
    const check = verifyNationalToken(decoded!.data, pinned, new Date(), nodeEd25519Verify);
    expect(check.ok && [check.payload.passId, check.payload.exp - check.payload.iat]).toEqual([pass.passId, 300]);
    expect(await adapter().codeVerification(decoded!.data)).toMatchObject({ valid: true, holder: { idNumber: ZHANG.idNumber } });
  });

  it('a revoked pass shows no QR; an unknown passId is a 404 page', async () => {
    const { pass } = await s.control.seedPass({ ...ZHANG, provinceCode: '440000', colour: 'red' });
    await s.control.revoke(pass.passId);
    const revoked = await (await fetch(`${s.base}/code/${pass.passId}`)).text();
    expect(revoked).toContain('红码');
    expect(revoked).toContain('已被出发地撤销');
    expect(revoked).not.toContain('national-qr');

    const missing = await fetch(`${s.base}/code/np_nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('未找到该防疫健康信息码');
  });
});

describe('wiring', () => {
  it('createTestContext({ nationalUrl }) gives deps.national talking to the stand-in; without it, not_configured', async () => {
    const ctx = await createTestContext({ nationalUrl: s.base, nationalKeysDir: s.dir });
    const plain = await createTestContext();
    try {
      // The test server's clock stands on another day: the platform's clock follows it.
      await s.control.setClock(ctx.clock.now().toISOString());
      const { pass } = await s.control.seedPass({ ...ZHANG, provinceCode: '440000', colour: 'green' });
      expect(await ctx.deps.national.healthInfoQuery(query(ZHANG.idNumber))).toEqual(pass);
      expect((await failureOf(plain.deps.national.healthInfoQuery(query(ZHANG.idNumber)))).failure).toBe('not_configured');
    } finally {
      await ctx.close();
      await plain.close();
    }
  });

  it('on MySQL a platform URL without key files stops the boot; on SQLite the dev keys are used', () => {
    const secrets = { SOURCE_TOKEN: 'x'.repeat(24), PII_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'), PII_HASH_KEY: Buffer.alloc(32).toString('base64'), CODE_SIGNING_KEYS_FILE: '/tmp/k.json' };
    expect(() => loadConfig({ ...secrets, DATABASE_URL: 'mysql://root@127.0.0.1/x', NATIONAL_PLATFORM_URL: 'https://national.example/' })).toThrow(ConfigError);
    expect(loadConfig({ ...secrets, DATABASE_URL: 'mysql://root@127.0.0.1/x' }).nationalPlatformUrl).toBeNull();
    const dev = loadConfig({ ...secrets, DATABASE_URL: `sqlite:${s.dir}/x.sqlite`, DATA_DIR: s.dir });
    expect([dev.nationalPlatformUrl, dev.nationalClientKeyFile, dev.nationalPlatformKeysFile, dev.createDevNationalKeys]).toEqual([
      'http://127.0.0.1:3100',
      s.keys.clientKeyFile,
      s.keys.platformPublicKeysFile,
      true,
    ]);
    expect(loadConfig({ ...secrets, DATABASE_URL: `sqlite:${s.dir}/x.sqlite`, DATA_DIR: s.dir, NATIONAL_PLATFORM_URL: 'off' }).nationalPlatformUrl).toBeNull();
  });

  it('dev keys are created once, owner-only, and the same on every call', () => {
    const before = readFileSync(s.keys.clientKeyFile, 'utf8');
    const again = ensureDevNationalKeys(s.dir);
    expect(readFileSync(again.clientKeyFile, 'utf8')).toBe(before);
    for (const f of [again.clientKeyFile, again.platformKeysFile, again.platformPublicKeysFile]) expect(statSync(f).mode & 0o777).toBe(0o600);
  });
});
