// The national 防疫健康信息码 at the scan point (B2): online result with the origin province and colour, and
// the offline check against the national platform's published keys — signed with node:crypto Ed25519,
// verified with tweetnacl as the app ships it.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { base64UrlDecode, base64UrlEncode } from '@bamin/common/codeToken';
import { canonicalJson, signNationalToken, type NationalKeySet, type NationalTokenPayload } from '@bamin/common/nationalApi';
import { resetTaroMock } from './mocks/taro';
import StaffResult from '../src/pages/staff/result/index';
import {
  NATIONAL_UNAVAILABLE_NOTICE,
  OFFLINE_NOTICE,
  OFFLINE_REFUSAL_TEXT,
  checkNationalTokenOffline,
  checkWithCachedKeys,
  refreshNationalKeyCache,
} from '../src/services/offlineCheck';
import { identify } from '../src/services/scan';
import { setOutcome } from '../src/services/staffStore';
import { getCachedNationalKeys, setCachedNationalKeys } from '../src/services/staffStorage';
import { scanResult } from './staffFixtures';

const request = Taro.request as unknown as jest.Mock;

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { raw: publicKey.export({ format: 'jwk' }).x as string, privateKey };
}

const NOW = 1_796_000_000; // unix seconds
const at = new Date(NOW * 1000);
const KEY_ID = 'nhc-2026-1';
const platform = keyPair();
const forger = keyPair();
const KEYS: NationalKeySet = { keys: [{ keyId: KEY_ID, publicKey: platform.raw }] };

function payload(over: Partial<NationalTokenPayload> = {}): NationalTokenPayload {
  return {
    v: 1, keyId: KEY_ID, passId: 'GD-0001', provinceCode: '440000', provinceName: '广东省', colour: 'yellow',
    nameMasked: '*明', idMasked: '44**************12', iat: NOW - 60, exp: NOW + 600, ...over,
  };
}

function nationalToken(over: Partial<NationalTokenPayload> = {}, key: KeyObject = platform.privateKey): string {
  return signNationalToken(payload(over), (m) => new Uint8Array(sign(null, Buffer.from(m), key)));
}

beforeEach(() => {
  resetTaroMock();
  request.mockReset();
  setOutcome(null);
});

describe('扫码结果 of a national 防疫健康信息码', () => {
  it.each([
    ['yellow', '黄码', '橙码', 'orange'],
    ['red', '红码', '橙码', 'orange'],
    ['green', '绿码', '绿码', 'green'],
  ] as const)('%s pass: 防疫健康信息码 · 来源地 广东省 · %s beside the Bamin colour %s', (colour, colourText, bamin, bColour) => {
    setOutcome({ kind: 'result', result: scanResult({
      method: 'camera', methodText: '扫码', colour: bColour, colourText: bamin,
      national: { provinceCode: '440000', provinceName: '广东省', colour, colourText },
    }) });
    render(<StaffResult />);
    const n = screen.getByTestId('result-national');
    expect(n.textContent).toBe(`防疫健康信息码 · 来源地 广东省 · ${colourText}`);
    expect(n.getAttribute('data-colour')).toBe(colour);
    expect(n.className).toContain(`national-${colour}`);
    expect(screen.getByTestId('result-colour').textContent).toContain(bamin);
    // the rest of the layout stays
    expect(screen.getByTestId('result-name').textContent).toBe('*斌');
    expect(screen.getByTestId('recent-scans')).toBeTruthy();
    expect(screen.getByTestId('feedback-open')).toBeTruthy();
  });

  it('has no national block for a Bamin code', () => {
    setOutcome({ kind: 'result', result: scanResult({ national: null }) });
    render(<StaffResult />);
    expect(screen.queryByTestId('result-national')).toBeNull();
  });
});

describe('offline check of a national token', () => {
  it('accepts a genuine token and reads province, colour and the masked holder', () => {
    expect(checkNationalTokenOffline(nationalToken(), KEYS, at)).toEqual({
      ok: true, kind: 'national', passId: 'GD-0001', provinceCode: '440000', provinceName: '广东省', colour: 'yellow', colourText: '黄码',
      nameMasked: '*明', idMasked: '44**************12', issuedAt: NOW - 60, expiresAt: NOW + 600,
    });
  });

  it('refuses a token whose payload was changed after signing (yellow → green)', () => {
    const [prefix, , sig] = nationalToken().split('.');
    const tampered = `${prefix}.${base64UrlEncode(new TextEncoder().encode(canonicalJson(payload({ colour: 'green' }))))}.${sig}`;
    expect(checkNationalTokenOffline(tampered, KEYS, at)).toEqual({ ok: false, code: 'NATIONAL_BAD_SIGNATURE', message: '防疫健康信息码签名无效，可能是伪造的，请人工核实' });
    expect(checkNationalTokenOffline(nationalToken({}, forger.privateKey), KEYS, at)).toMatchObject({ ok: false, code: 'NATIONAL_BAD_SIGNATURE' });
  });

  it('refuses an expired token, at exp exactly', () => {
    expect(checkNationalTokenOffline(nationalToken({ iat: NOW - 600, exp: NOW }), KEYS, at)).toEqual({
      ok: false, code: 'NATIONAL_EXPIRED', message: '防疫健康信息码已过期，请对方刷新后重新出示',
    });
    expect(checkNationalTokenOffline(nationalToken({ exp: NOW + 1 }), KEYS, at)).toMatchObject({ ok: true });
  });

  it('says why it cannot check: unknown key, no keys cached, garbage, a signed payload without the shown fields', () => {
    expect(checkNationalTokenOffline(nationalToken({ keyId: 'nhc-2027-1' }), KEYS, at)).toMatchObject({ ok: false, code: 'NATIONAL_UNKNOWN_KEY' });
    expect(checkNationalTokenOffline(nationalToken(), null, at)).toMatchObject({ ok: false, code: 'NO_NATIONAL_KEYS' });
    expect(checkNationalTokenOffline(nationalToken(), { keys: [] }, at)).toMatchObject({ ok: false, code: 'NO_NATIONAL_KEYS' });
    expect(checkNationalTokenOffline('NHC1.abc.def', KEYS, at)).toMatchObject({ ok: false, code: 'NATIONAL_MALFORMED' });
    expect(checkNationalTokenOffline(nationalToken({ provinceName: '' }), KEYS, at)).toMatchObject({ ok: false, code: 'NATIONAL_MALFORMED' });
    expect(checkNationalTokenOffline(nationalToken({ colour: 'purple' as never }), KEYS, at)).toMatchObject({ ok: false, code: 'NATIONAL_MALFORMED' });
  });

  it('caches the keys of GET /api/v1/national/keys; a failed refresh keeps them; an NHC1 token uses them', async () => {
    expect(checkWithCachedKeys(nationalToken(), at)).toMatchObject({ ok: false, code: 'NO_NATIONAL_KEYS' });
    request.mockResolvedValue({ statusCode: 200, data: KEYS, header: {} });
    await expect(refreshNationalKeyCache(at)).resolves.toBe(true);
    expect(request).toHaveBeenCalledWith(expect.objectContaining({ url: '/api/v1/national/keys', method: 'GET' }));
    expect(request.mock.calls[0][0].header.Authorization).toBeUndefined();
    expect(getCachedNationalKeys()).toEqual({ keys: KEYS, fetchedAt: at.toISOString() });
    request.mockResolvedValue({ statusCode: 503, data: { error: { code: 'NATIONAL_UNAVAILABLE', message: '…' } }, header: {} });
    await expect(refreshNationalKeyCache(at)).resolves.toBe(false);
    expect(checkWithCachedKeys(nationalToken(), at)).toMatchObject({ ok: true, kind: 'national', provinceName: '广东省' });
    // a Bamin token still goes to the Bamin keys (none cached here)
    expect(checkWithCachedKeys('AQEAAAAB', at)).toMatchObject({ ok: false, code: 'NO_KEYS' });
  });
});

describe('identify a national token when the server cannot be used', () => {
  beforeEach(() => setCachedNationalKeys({ keys: KEYS, fetchedAt: at.toISOString() }));

  it('network down: checked on the device', async () => {
    request.mockRejectedValue(new Error('request:fail'));
    await expect(identify({ token: nationalToken() }, () => at)).resolves.toMatchObject({
      kind: 'offline', cause: 'network', check: { ok: true, kind: 'national', colour: 'yellow' },
    });
  });

  it('server up, national platform down (503 NATIONAL_UNAVAILABLE): checked on the device too', async () => {
    request.mockResolvedValue({ statusCode: 503, data: { error: { code: 'NATIONAL_UNAVAILABLE', message: '暂时无法连接国家政务服务平台核验防疫健康信息码' } }, header: {} });
    await expect(identify({ token: nationalToken() }, () => at)).resolves.toMatchObject({
      kind: 'offline', cause: 'national_unavailable', check: { ok: true, kind: 'national' },
    });
  });

  it("the platform's own verdict (422 NATIONAL_CODE_INVALID) is a refusal", async () => {
    request.mockResolvedValue({ statusCode: 422, data: { error: { code: 'NATIONAL_CODE_INVALID', message: '防疫健康信息码无效' } }, header: {} });
    await expect(identify({ token: nationalToken() }, () => at)).resolves.toEqual({ kind: 'refused', code: 'NATIONAL_CODE_INVALID', message: '防疫健康信息码无效' });
  });

  it('tampered and expired tokens are refused offline', async () => {
    request.mockRejectedValue(new Error('request:fail'));
    await expect(identify({ token: nationalToken({}, forger.privateKey) }, () => at)).resolves.toMatchObject({ kind: 'offline', check: { ok: false, code: 'NATIONAL_BAD_SIGNATURE' } });
    await expect(identify({ token: nationalToken({ exp: NOW - 1 }) }, () => at)).resolves.toMatchObject({ kind: 'offline', check: { ok: false, code: 'NATIONAL_EXPIRED' } });
  });
});

describe('扫码结果 of an offline national check', () => {
  const checkedAt = at.toISOString();

  it('shows province, colour (at generation), masked name and ID under the stale / not recorded notice', () => {
    setOutcome({ kind: 'offline', cause: 'network', checkedAt, check: checkNationalTokenOffline(nationalToken(), KEYS, at) });
    render(<StaffResult />);
    expect(screen.getByTestId('offline-notice').textContent).toBe(OFFLINE_NOTICE);
    expect(OFFLINE_NOTICE).toContain('可能不是最新；本次未生成扫码记录');
    const n = screen.getByTestId('result-national');
    expect(n.textContent).toBe('防疫健康信息码 · 来源地 广东省 · 黄码（生成时）');
    expect(n.getAttribute('data-colour')).toBe('yellow');
    expect(screen.getByTestId('offline-name').textContent).toBe('*明');
    expect(screen.getByTestId('offline-id').textContent).toBe('44**************12');
    expect(screen.queryByTestId('feedback-open')).toBeNull();
  });

  it('names the national platform when only it was unreachable', () => {
    setOutcome({ kind: 'offline', cause: 'national_unavailable', checkedAt, check: checkNationalTokenOffline(nationalToken({ colour: 'red' }), KEYS, at) });
    render(<StaffResult />);
    expect(screen.getByTestId('offline-notice').textContent).toBe(NATIONAL_UNAVAILABLE_NOTICE);
    expect(screen.getByTestId('result-national').getAttribute('data-colour')).toBe('red');
  });

  it.each([
    ['tampered', () => nationalToken({}, forger.privateKey), 'NATIONAL_BAD_SIGNATURE'],
    ['expired', () => nationalToken({ exp: NOW - 1 }), 'NATIONAL_EXPIRED'],
  ] as const)('a %s token is a red refusal saying why', (_name, make, code) => {
    setOutcome({ kind: 'offline', cause: 'network', checkedAt, check: checkNationalTokenOffline(make(), KEYS, at) });
    render(<StaffResult />);
    expect(screen.getByTestId('scan-refusal').getAttribute('data-code')).toBe(code);
    expect(screen.getByTestId('scan-refusal-message').textContent).toBe(OFFLINE_REFUSAL_TEXT[code]);
    expect(screen.queryByTestId('result-national')).toBeNull();
  });
});

it('the token text survives base64url as the QR carries it', () => {
  const t = nationalToken();
  expect(t.startsWith('NHC1.')).toBe(true);
  expect(base64UrlDecode(t.split('.')[2])?.length).toBe(64);
});
