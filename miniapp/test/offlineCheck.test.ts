// Offline check (H1) with a real Ed25519 key pair: node:crypto signs, tweetnacl (what the app ships) verifies.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import Taro from '@tarojs/taro';
import { assembleToken, base64UrlEncode, encodeTokenPayload, type TokenPayload } from '@bamin/common/codeToken';
import { resetTaroMock } from './mocks/taro';
import { OFFLINE_NOTICE, checkTokenOffline, checkWithCachedKeys, refreshKeyCache, tweetnaclVerify } from '../src/services/offlineCheck';
import { identify } from '../src/services/scan';
import { setCachedKeys } from '../src/services/staffStorage';

const request = Taro.request as unknown as jest.Mock;

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'jwk' }).x as string; // base64url of the raw 32-byte key
  return { raw, privateKey };
}

const NOW = 1_796_000_000; // unix seconds
const KEY_ID = '0a1b2c3d';
const signer = keyPair();
const other = keyPair();

function token(over: Partial<TokenPayload> = {}, privateKey: KeyObject = signer.privateKey): string {
  const payload: TokenPayload = {
    version: 1,
    kind: 'code',
    keyId: KEY_ID,
    subject: '350100123456',
    colour: 'orange',
    issuedAt: NOW - 60,
    expiresAt: NOW + 240,
    ...over,
  };
  const bytes = encodeTokenPayload(payload);
  const sig = sign(null, Buffer.from(bytes), privateKey);
  return assembleToken(bytes, new Uint8Array(sig));
}

const keys = { [KEY_ID]: signer.raw };

beforeEach(() => {
  resetTaroMock();
  request.mockReset();
});

describe('offline token check', () => {
  it('accepts a genuine code token and reads its colour and number', () => {
    expect(checkTokenOffline(token(), keys, NOW)).toEqual({
      ok: true, kind: 'code', codeNumber: '350100123456', colour: 'orange', issuedAt: NOW - 60, expiresAt: NOW + 240,
    });
    expect(checkTokenOffline(token({ colour: 'green' }), keys, NOW)).toMatchObject({ ok: true, colour: 'green' });
  });

  it('refuses a token signed by another key (forged)', () => {
    expect(checkTokenOffline(token({}, other.privateKey), keys, NOW)).toMatchObject({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
  });

  it('refuses a token whose payload was changed after signing (orange → green)', () => {
    const genuine = token({ colour: 'orange' });
    const bytes = Buffer.from(genuine, 'base64url');
    bytes[11] = 1; // colour byte: green
    const tampered = base64UrlEncode(new Uint8Array(bytes));
    expect(checkTokenOffline(tampered, keys, NOW)).toMatchObject({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
  });

  it('refuses an unknown key id, an expired token, a point poster and garbage', () => {
    expect(checkTokenOffline(token({ keyId: 'ffffffff' }), keys, NOW)).toMatchObject({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
    expect(checkTokenOffline(token({ issuedAt: NOW - 900, expiresAt: NOW - 600 }), keys, NOW)).toMatchObject({ ok: false, code: 'TOKEN_EXPIRED' });
    expect(checkTokenOffline(token({ kind: 'point', subject: '42', colour: null }), keys, NOW)).toMatchObject({ ok: false, code: 'TOKEN_WRONG_KIND' });
    expect(checkTokenOffline('https://example.com/not-a-token', keys, NOW)).toMatchObject({ ok: false, code: 'TOKEN_MALFORMED' });
  });

  it('cannot check without cached keys', () => {
    expect(checkTokenOffline(token(), null, NOW)).toMatchObject({ ok: false, code: 'NO_KEYS' });
    expect(checkTokenOffline(token(), { [KEY_ID]: 'short' }, NOW)).toMatchObject({ ok: false, code: 'NO_KEYS' });
  });

  it('tweetnacl rejects wrong lengths instead of throwing', () => {
    expect(tweetnaclVerify(new Uint8Array(31), new Uint8Array(20), new Uint8Array(64))).toBe(false);
  });

  it('caches the published keys and checks with them', async () => {
    request.mockResolvedValue({ statusCode: 200, data: { keys: [{ keyId: KEY_ID, publicKey: signer.raw }] }, header: {} });
    await expect(refreshKeyCache()).resolves.toBe(true);
    expect(checkWithCachedKeys(token(), new Date(NOW * 1000))).toMatchObject({ ok: true, colour: 'orange' });
    // A failed refresh keeps the cache.
    request.mockRejectedValue(new Error('request:fail'));
    await expect(refreshKeyCache()).resolves.toBe(false);
    expect(checkWithCachedKeys(token(), new Date(NOW * 1000))).toMatchObject({ ok: true });
  });
});

describe('identify with the network down', () => {
  beforeEach(() => setCachedKeys({ keys, fetchedAt: new Date(NOW * 1000).toISOString() }));
  const at = () => new Date(NOW * 1000);

  it('falls back to the offline check for a scanned token', async () => {
    request.mockRejectedValue(new Error('request:fail'));
    const outcome = await identify({ token: token({ colour: 'green' }) }, at);
    expect(outcome).toMatchObject({ kind: 'offline', check: { ok: true, colour: 'green', codeNumber: '350100123456' } });
    expect(OFFLINE_NOTICE).toBe('网络不可用，已离线核验签名：颜色为二维码生成时的状态，可能不是最新；本次未生成扫码记录');
  });

  it('refuses a forged or expired token offline too', async () => {
    request.mockRejectedValue(new Error('request:fail'));
    expect(await identify({ token: token({}, other.privateKey) }, at)).toMatchObject({ kind: 'offline', check: { ok: false, code: 'TOKEN_BAD_SIGNATURE' } });
    expect(await identify({ token: token({ issuedAt: NOW - 900, expiresAt: NOW - 600 }) }, at)).toMatchObject({ kind: 'offline', check: { ok: false, code: 'TOKEN_EXPIRED' } });
  });

  it('does not check offline when the server answered (an HTTP error is not a network failure)', async () => {
    request.mockResolvedValue({ statusCode: 503, data: { error: { code: 'UNAVAILABLE', message: '服务暂时不可用' } }, header: {} });
    await expect(identify({ token: token() }, at)).rejects.toThrow('服务暂时不可用');
  });

  it('a server refusal is a refusal, not a result', async () => {
    request.mockResolvedValue({ statusCode: 400, data: { error: { code: 'TOKEN_REVOKED', message: '该二维码已作废' } }, header: {} });
    await expect(identify({ token: token() }, at)).resolves.toEqual({ kind: 'refused', code: 'TOKEN_REVOKED', message: '该二维码已作废' });
  });

  it('a typed number is never checked offline', async () => {
    request.mockRejectedValue(new Error('request:fail'));
    await expect(identify({ codeNumber: '350100123456' }, at)).rejects.toThrow('网络连接失败');
  });
});
