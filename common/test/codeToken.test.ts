import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  TOKEN_KINDS,
  TOKEN_MAX_LENGTH,
  TOKEN_VERSION,
  assembleToken,
  base64UrlDecode,
  base64UrlEncode,
  checkToken,
  decodeToken,
  encodeTokenPayload,
  type Ed25519Verify,
  type TokenPayload,
} from '../src/codeToken';

// The module under test is platform-neutral; the test supplies a real Ed25519 verify from Node.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const realVerify: Ed25519Verify = (raw, msg, sig) =>
  verify(null, msg, createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' }), sig);

function makeKey(): { privateKey: KeyObject; raw: Uint8Array } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x as string;
  return { privateKey, raw: new Uint8Array(Buffer.from(x, 'base64url')) };
}

const KEY_A = makeKey();
const KEY_B = makeKey();
const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z

function payload(over: Partial<TokenPayload> = {}): TokenPayload {
  return {
    version: TOKEN_VERSION,
    kind: 'code',
    keyId: '0a1b2c3d',
    subject: '350102000001',
    colour: 'green',
    issuedAt: NOW,
    expiresAt: NOW + 300,
    ...over,
  };
}

function signWith(key: KeyObject, p: TokenPayload): string {
  const bytes = encodeTokenPayload(p);
  return assembleToken(bytes, sign(null, bytes, key));
}

const keys = { '0a1b2c3d': KEY_A.raw };

describe('base64url', () => {
  it('round-trips every length and matches Node', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n * 11) & 0xff);
      const s = base64UrlEncode(bytes);
      expect(s).toBe(Buffer.from(bytes).toString('base64url'));
      expect(base64UrlDecode(s)).toEqual(bytes);
    }
  });

  it('rejects padding, foreign characters, impossible lengths and non-canonical trailing bits', () => {
    expect(base64UrlDecode('AA==')).toBeNull();
    expect(base64UrlDecode('AB+/')).toBeNull();
    expect(base64UrlDecode('A')).toBeNull();
    expect(base64UrlDecode('AAAAA')).toBeNull();
    expect(base64UrlDecode('AB')).toBeNull(); // 'B' leaves a set bit beyond the one byte
    expect(base64UrlDecode('AA')).toEqual(new Uint8Array([0]));
    expect(base64UrlDecode('A\u00e9AA')).toBeNull();
    expect(base64UrlDecode('')).toEqual(new Uint8Array(0));
  });
});

describe('encode / decode', () => {
  const cases: TokenPayload[] = [
    payload({ kind: 'code', subject: '350102000001', colour: 'green' }),
    payload({ kind: 'code', subject: '000000000007', colour: 'orange' }),
    payload({ kind: 'card', subject: '999999999999', colour: null, expiresAt: NOW + 5 * 365 * 86400 }),
    payload({ kind: 'point', subject: '1', colour: null }),
    payload({ kind: 'point', subject: String(2 ** 40 - 1), colour: null }),
  ];

  it.each(cases)('round-trips $kind $subject', (p) => {
    const token = signWith(KEY_A.privateKey, p);
    const decoded = decodeToken(token);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.payload).toEqual(p);
    expect(decoded.payloadBytes).toEqual(encodeTokenPayload(p));
    expect(decoded.signature).toHaveLength(64);
    expect(checkToken(token, keys, NOW, realVerify)).toEqual({ ok: true, payload: p });
  });

  it('covers every kind', () => {
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(TOKEN_KINDS));
  });

  it('fits a small QR even with the largest subject and times', () => {
    const token = signWith(KEY_A.privateKey, payload({ subject: '999999999999', issuedAt: 2 ** 32 - 2, expiresAt: 2 ** 32 - 1 }));
    expect(token.length).toBeLessThanOrEqual(TOKEN_MAX_LENGTH);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).toHaveLength(112);
  });

  it('lays out the version byte first and the kind second', () => {
    const bytes = encodeTokenPayload(payload({ kind: 'point', subject: '42', colour: null }));
    expect(bytes).toHaveLength(20);
    expect(bytes[0]).toBe(1);
    expect(bytes[1]).toBe(3);
    expect(Array.from(bytes.slice(2, 6))).toEqual([0x0a, 0x1b, 0x2c, 0x3d]);
    expect(Array.from(bytes.slice(6, 11))).toEqual([0, 0, 0, 0, 42]);
  });

  it.each<[string, Partial<TokenPayload>]>([
    ['wrong version', { version: 2 }],
    ['unknown kind', { kind: 'badge' as never }],
    ['upper-case keyId', { keyId: '0A1B2C3D' }],
    ['short keyId', { keyId: '0a1b2c' }],
    ['11-digit code subject', { subject: '35010200000' }],
    ['13-digit card subject', { kind: 'card', colour: null, subject: '3501020000012' }],
    ['non-digit subject', { subject: '35010200000x' }],
    ['point subject with leading zero', { kind: 'point', colour: null, subject: '042' }],
    ['point subject 0', { kind: 'point', colour: null, subject: '0' }],
    ['point subject ≥ 2^40', { kind: 'point', colour: null, subject: String(2 ** 40) }],
    ['code without colour', { colour: null }],
    ['card with colour', { kind: 'card', colour: 'green' }],
    ['point with colour', { kind: 'point', subject: '5', colour: 'orange' }],
    ['unknown colour', { colour: 'red' as never }],
    ['fractional time', { issuedAt: NOW + 0.5 }],
    ['negative time', { issuedAt: -1 }],
    ['time beyond u32', { expiresAt: 2 ** 32 }],
    ['expiry not after issue', { expiresAt: NOW }],
  ])('encode throws on %s', (_, over) => {
    expect(() => encodeTokenPayload(payload(over))).toThrow(/Invalid token payload/);
  });

  it('assembleToken rejects parts of the wrong length', () => {
    expect(() => assembleToken(new Uint8Array(19), new Uint8Array(64))).toThrow();
    expect(() => assembleToken(new Uint8Array(20), new Uint8Array(63))).toThrow();
  });
});

describe('decodeToken rejects garbage without throwing', () => {
  const good = signWith(KEY_A.privateKey, payload());

  /** Rebuilds a token from tampered payload bytes with a valid-length signature. */
  function withPayloadByte(index: number, value: number): string {
    const d = decodeToken(good);
    if (!d.ok) throw new Error('fixture');
    const bytes = d.payloadBytes.slice();
    bytes[index] = value;
    return assembleToken(bytes, d.signature);
  }

  it.each<[string, unknown]>([
    ['empty', ''],
    ['garbage', 'hello world'],
    ['non-base64url characters', good.slice(0, 100) + '+/+/+/+/+/+/'],
    ['truncated', good.slice(0, 111)],
    ['truncated by a block', good.slice(0, 108)],
    ['too long', good + 'AAAA'],
    ['way too long', good.repeat(100)],
    ['padded', good + '=='],
    ['a number', 12345],
    ['null', null],
    ['unknown version', withPayloadByte(0, 2)],
    ['version 0', withPayloadByte(0, 0)],
    ['unknown kind', withPayloadByte(1, 4)],
    ['kind 0', withPayloadByte(1, 0)],
    ['bad colour byte', withPayloadByte(11, 3)],
    ['code without colour', withPayloadByte(11, 0)],
    ['code subject ≥ 10^12', withPayloadByte(6, 0xff)],
  ])('%s → TOKEN_MALFORMED', (_, input) => {
    expect(decodeToken(input as string)).toEqual({ ok: false, code: 'TOKEN_MALFORMED' });
    expect(checkToken(input as string, keys, NOW, realVerify)).toEqual({ ok: false, code: 'TOKEN_MALFORMED' });
  });

  it('a card or point that claims a colour is malformed', () => {
    const card = signWith(KEY_A.privateKey, payload({ kind: 'card', colour: null }));
    const d = decodeToken(card);
    if (!d.ok) throw new Error('fixture');
    const bytes = d.payloadBytes.slice();
    bytes[11] = 1;
    expect(decodeToken(assembleToken(bytes, d.signature)).ok).toBe(false);
  });
});

describe('checkToken', () => {
  const p = payload();
  const token = signWith(KEY_A.privateKey, p);

  it('never accepts a token with any single character changed', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i++) {
      for (const shift of [1, 32]) {
        const replacement = alphabet[(alphabet.indexOf(token[i]) + shift) % 64];
        const tampered = token.slice(0, i) + replacement + token.slice(i + 1);
        const result = checkToken(tampered, keys, NOW, realVerify);
        expect(result.ok, `position ${i}`).toBe(false);
        if (!result.ok) expect(['TOKEN_MALFORMED', 'TOKEN_BAD_SIGNATURE']).toContain(result.code);
      }
    }
  });

  it('a token signed by another key under our keyId is a bad signature', () => {
    const forged = signWith(KEY_B.privateKey, p);
    expect(checkToken(forged, keys, NOW, realVerify)).toEqual({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
  });

  it('an unknown keyId is a bad signature', () => {
    const other = signWith(KEY_B.privateKey, payload({ keyId: 'ffffffff' }));
    expect(checkToken(other, keys, NOW, realVerify)).toEqual({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
    expect(checkToken(other, { ...keys, ffffffff: KEY_B.raw }, NOW, realVerify).ok).toBe(true);
  });

  it('an empty key set accepts nothing, even with a permissive verify', () => {
    expect(checkToken(token, {}, NOW, () => true)).toEqual({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
  });

  it('a verify function that throws is a bad signature, not a crash', () => {
    const throwing: Ed25519Verify = () => {
      throw new Error('boom');
    };
    expect(checkToken(token, keys, NOW, throwing)).toEqual({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
  });

  it('expires after expiresAt plus the clock skew', () => {
    expect(checkToken(token, keys, p.expiresAt, realVerify).ok).toBe(true);
    expect(checkToken(token, keys, p.expiresAt + 30, realVerify).ok).toBe(true);
    expect(checkToken(token, keys, p.expiresAt + 31, realVerify)).toEqual({ ok: false, code: 'TOKEN_EXPIRED' });
    expect(checkToken(token, keys, p.expiresAt + 1, realVerify, 0)).toEqual({ ok: false, code: 'TOKEN_EXPIRED' });
  });

  it('reports a forged expired token as a bad signature, not as expired', () => {
    const forged = signWith(KEY_B.privateKey, p);
    expect(checkToken(forged, keys, p.expiresAt + 3600, realVerify)).toEqual({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
  });

  it('rejects a token issued beyond the skew in the future as malformed', () => {
    expect(checkToken(token, keys, p.issuedAt - 30, realVerify).ok).toBe(true);
    expect(checkToken(token, keys, p.issuedAt - 31, realVerify)).toEqual({ ok: false, code: 'TOKEN_MALFORMED' });
  });
});
