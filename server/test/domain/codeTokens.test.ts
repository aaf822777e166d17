import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_MAX_LENGTH, assembleToken, base64UrlDecode, checkToken, decodeToken } from '@bamin/common';
import { CODE_TOKEN_TTL_SECONDS, nodeEd25519Verify, signToken, verifyToken } from '../../src/domain/codeTokens';
import {
  generateSigningKey,
  keyRingFromJson,
  loadKeyRing,
  publishedKeys,
  rotateKeyRing,
  type KeyRing,
} from '../../src/integrations/signingKeys';

const NOW = new Date('2026-03-01T08:00:00Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bamin-keys-'));
  file = join(dir, 'keys', 'signing-keys.json');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function ringOf(...keys: ReturnType<typeof generateSigningKey>[]): KeyRing {
  return { current: keys[0], keys };
}

function codeToken(ring: KeyRing, now = NOW): string {
  return signToken(ring, { kind: 'code', subject: '350102000001', colour: 'green', now, ttlSeconds: CODE_TOKEN_TTL_SECONDS });
}

describe('signToken / verifyToken', () => {
  const ring = ringOf(generateSigningKey(NOW));

  it('round-trips each kind', () => {
    const cases = [
      { kind: 'code', subject: '350102000001', colour: 'orange', ttlSeconds: CODE_TOKEN_TTL_SECONDS },
      { kind: 'card', subject: '999999999999', colour: null, ttlSeconds: 3 * 365 * 86400 },
      { kind: 'point', subject: '1099511627775', colour: null, ttlSeconds: 5 * 365 * 86400 },
    ] as const;
    for (const c of cases) {
      const token = signToken(ring, { ...c, now: NOW });
      expect(token.length).toBeLessThanOrEqual(TOKEN_MAX_LENGTH);
      const result = verifyToken(ring, token, NOW);
      expect(result).toEqual({
        ok: true,
        payload: {
          version: 1,
          kind: c.kind,
          keyId: ring.current.keyId,
          subject: c.subject,
          colour: c.colour,
          issuedAt: NOW.getTime() / 1000,
          expiresAt: NOW.getTime() / 1000 + c.ttlSeconds,
        },
      });
    }
  });

  it('clients verify server tokens offline from the published keys alone', () => {
    const token = codeToken(ring);
    const keys = Object.fromEntries(
      publishedKeys(ring).map((k) => [k.keyId, base64UrlDecode(k.publicKey) as Uint8Array]),
    );
    expect(checkToken(token, keys, NOW.getTime() / 1000, nodeEd25519Verify).ok).toBe(true);
  });

  it('a code token expires after its TTL plus the clock skew', () => {
    const token = codeToken(ring);
    expect(verifyToken(ring, token, at(CODE_TOKEN_TTL_SECONDS)).ok).toBe(true);
    expect(verifyToken(ring, token, at(CODE_TOKEN_TTL_SECONDS + 30)).ok).toBe(true);
    expect(verifyToken(ring, token, at(CODE_TOKEN_TTL_SECONDS + 31))).toEqual({ ok: false, code: 'TOKEN_EXPIRED' });
  });

  it('floors sub-second times so the token covers the moment it was issued', () => {
    const token = codeToken(ring, new Date(NOW.getTime() + 999));
    const decoded = decodeToken(token);
    expect(decoded.ok && decoded.payload.issuedAt).toBe(NOW.getTime() / 1000);
  });

  it('a token signed by another key is a bad signature, even when expired', () => {
    const other = ringOf(generateSigningKey(NOW));
    const token = codeToken(other);
    expect(verifyToken(ring, token, NOW)).toEqual({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
    expect(verifyToken(ring, token, at(86400))).toEqual({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
  });

  it('a key with a stolen keyId still fails', () => {
    const thief = generateSigningKey(NOW);
    thief.keyId = ring.current.keyId;
    expect(verifyToken(ring, codeToken(ringOf(thief)), NOW)).toEqual({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
  });

  it('garbage and a changed character never verify', () => {
    expect(verifyToken(ring, '', NOW)).toEqual({ ok: false, code: 'TOKEN_MALFORMED' });
    expect(verifyToken(ring, 'not a token', NOW)).toEqual({ ok: false, code: 'TOKEN_MALFORMED' });
    const token = codeToken(ring);
    expect(verifyToken(ring, token.slice(0, -4), NOW)).toEqual({ ok: false, code: 'TOKEN_MALFORMED' });
    for (let i = 0; i < token.length; i++) {
      const changed = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      const result = verifyToken(ring, changed, NOW);
      expect(result.ok, `position ${i}`).toBe(false);
    }
  });

  it('refuses payloads that would encode wrongly', () => {
    expect(() => signToken(ring, { kind: 'card', subject: '350102000001', colour: 'green', now: NOW, ttlSeconds: 60 })).toThrow();
    expect(() => signToken(ring, { kind: 'code', subject: '350102000001', colour: 'green', now: NOW, ttlSeconds: 0 })).toThrow();
  });

  it('the server checks its own tokens by signing again, and answers exactly as Ed25519 verification does: genuine, changed, foreign, retired and non-canonical signatures', () => {
    const retired = generateSigningKey(at(-86_400));
    const current = generateSigningKey(NOW);
    const twoKeys: KeyRing = { current, keys: [current, retired] };
    const foreign = generateSigningKey(NOW);
    const publicKeys = Object.fromEntries(twoKeys.keys.map((k) => [k.keyId, k.publicKeyRaw]));
    const verified = (token: string) => checkToken(token, publicKeys, Math.floor(NOW.getTime() / 1000), nodeEd25519Verify);
    // Ed25519's group order L: S + L verifies in the arithmetic, but RFC 8032 refuses S ≥ L (malleability)
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const withSignature = (token: string, change: (sig: Uint8Array) => void) => {
      const d = decodeToken(token);
      if (!d.ok) throw new Error('undecodable');
      const sig = Uint8Array.from(d.signature);
      change(sig);
      return assembleToken(d.payloadBytes, sig);
    };
    const tokens: string[] = [];
    for (let i = 0; i < 40; i++) {
      const signer: KeyRing = i % 4 === 3 ? { current: retired, keys: [retired] } : i % 4 === 2 ? { current: { ...foreign, keyId: current.keyId }, keys: [foreign] } : twoKeys;
      const token = signToken(signer, { kind: 'code', subject: `3501020000${String(i).padStart(2, '0')}`, colour: i % 2 ? 'orange' : 'green', now: NOW, ttlSeconds: 600 });
      tokens.push(token);
      tokens.push(withSignature(token, (sig) => (sig[i % 64] ^= 1 << (i % 8))));
      tokens.push(
        withSignature(token, (sig) => {
          let s = 0n;
          for (let b = 63; b >= 32; b--) s = (s << 8n) | BigInt(sig[b]);
          s += L;
          for (let b = 32; b < 64; b++, s >>= 8n) sig[b] = Number(s & 0xffn);
        }),
      );
    }
    const answers = tokens.map((t) => verifyToken(twoKeys, t, NOW));
    expect(answers).toEqual(tokens.map(verified));
    // genuine: the current key's and the retired key's (30 of the 40); every changed, foreign or non-canonical one refused
    expect(answers.filter((a) => a.ok)).toHaveLength(30);
    expect(answers.filter((a, i) => a.ok && i % 3 !== 0)).toHaveLength(0);
  });

  it('nodeEd25519Verify returns false for wrong-sized inputs instead of throwing', () => {
    expect(nodeEd25519Verify(new Uint8Array(31), new Uint8Array(20), new Uint8Array(64))).toBe(false);
    expect(nodeEd25519Verify(ring.current.publicKeyRaw, new Uint8Array(20), new Uint8Array(10))).toBe(false);
  });
});

describe('key ring file', () => {
  it('creates the file with mode 0600 when allowed, and loads the same key afterwards', () => {
    const ring = loadKeyRing(file, { createIfMissing: true, now: NOW });
    expect(ring.keys).toHaveLength(1);
    expect(ring.current).toBe(ring.keys[0]);
    expect(ring.current.keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(ring.current.createdAt).toBe(NOW.toISOString());
    expect(ring.current.publicKeyRaw).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored.keys[0]).toEqual({ keyId: ring.current.keyId, createdAt: NOW.toISOString(), privateKeyPem: expect.stringContaining('PRIVATE KEY') });

    const again = loadKeyRing(file, { createIfMissing: true, now: at(60) });
    expect(again.current.keyId).toBe(ring.current.keyId);
    expect(verifyToken(again, codeToken(ring), NOW).ok).toBe(true);
  });

  it('throws a clear error naming the path when the file is missing and creation is not allowed', () => {
    expect(() => loadKeyRing(file, { createIfMissing: false, now: NOW })).toThrow(file);
    expect(() => loadKeyRing(file, { createIfMissing: false, now: NOW })).toThrow(/does not exist/);
  });

  it.each<[string, string, RegExp]>([
    ['not JSON', '{ keys: ', /not valid JSON/],
    ['no keys array', '{"key": []}', /"keys" array/],
    ['empty keys', '{"keys": []}', /empty/],
    ['bad keyId', '{"keys": [{"keyId": "XYZ", "createdAt": "2026-01-01T00:00:00Z", "privateKeyPem": ""}]}', /keyId/],
    ['bad createdAt', '{"keys": [{"keyId": "0a1b2c3d", "createdAt": "yesterday", "privateKeyPem": ""}]}', /createdAt/],
    ['bad PEM', '{"keys": [{"keyId": "0a1b2c3d", "createdAt": "2026-01-01T00:00:00Z", "privateKeyPem": "-----BEGIN nonsense"}]}', /privateKeyPem/],
  ])('a malformed file (%s) throws a clear error', (_, content, why) => {
    writeFileSync(join(dir, 'bad.json'), content);
    expect(() => loadKeyRing(join(dir, 'bad.json'), { createIfMissing: true, now: NOW })).toThrow(why);
    expect(() => loadKeyRing(join(dir, 'bad.json'), { createIfMissing: true, now: NOW })).toThrow(/malformed/);
  });

  it('rejects duplicate key ids and non-Ed25519 keys', () => {
    loadKeyRing(file, { createIfMissing: true, now: NOW });
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(() => keyRingFromJson(JSON.stringify({ keys: [doc.keys[0], doc.keys[0]] }))).toThrow(/more than once/);

    // A well-formed PEM of the wrong algorithm must be refused, not used to sign.
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    const entry = { keyId: '0a1b2c3d', createdAt: NOW.toISOString(), privateKeyPem: ec };
    expect(() => keyRingFromJson(JSON.stringify({ keys: [entry] }))).toThrow(/expected ed25519/);
  });

  it('never echoes private key material in errors', () => {
    loadKeyRing(file, { createIfMissing: true, now: NOW });
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const pem: string = doc.keys[0].privateKeyPem;
    const broken = { ...doc.keys[0], privateKeyPem: pem.slice(0, -40) };
    try {
      keyRingFromJson(JSON.stringify({ keys: [broken] }));
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain(pem.split('\n')[1]);
    }
  });

  it('keyRingFromJson reads the same shape as the file', () => {
    const ring = loadKeyRing(file, { createIfMissing: true, now: NOW });
    const fromEnv = keyRingFromJson(readFileSync(file, 'utf8'));
    expect(fromEnv.current.keyId).toBe(ring.current.keyId);
    expect(fromEnv.current.publicKeyRaw).toEqual(ring.current.publicKeyRaw);
    expect(verifyToken(fromEnv, codeToken(ring), NOW).ok).toBe(true);
  });
});

describe('rotation', () => {
  it('keeps tokens from the previous key verifiable, and voids them once that key is dropped', () => {
    const first = loadKeyRing(file, { createIfMissing: true, now: NOW });
    const card = signToken(first, { kind: 'card', subject: '350102000001', colour: null, now: NOW, ttlSeconds: 365 * 86400 });

    const second = rotateKeyRing(file, at(86400));
    expect(second.keys.map((k) => k.keyId)).toEqual([second.current.keyId, first.current.keyId]);
    expect(second.current.keyId).not.toBe(first.current.keyId);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(verifyToken(second, card, at(86400)).ok).toBe(true);
    // What is on disk is what was returned.
    expect(loadKeyRing(file, { createIfMissing: false, now: NOW }).keys.map((k) => k.keyId)).toEqual(second.keys.map((k) => k.keyId));

    const newCard = signToken(second, { kind: 'card', subject: '350102000002', colour: null, now: at(86400), ttlSeconds: 365 * 86400 });
    const decodedNew = decodeToken(newCard);
    expect(decodedNew.ok && decodedNew.payload.keyId).toBe(second.current.keyId);

    // Default keep=2: the first key falls off at the next rotation.
    const third = rotateKeyRing(file, at(2 * 86400));
    expect(third.keys).toHaveLength(2);
    expect(verifyToken(third, card, at(2 * 86400))).toEqual({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
    expect(verifyToken(third, newCard, at(2 * 86400)).ok).toBe(true);
  });

  it('keep=1 drops the previous key at once', () => {
    const first = loadKeyRing(file, { createIfMissing: true, now: NOW });
    const token = codeToken(first);
    const next = rotateKeyRing(file, at(10), 1);
    expect(next.keys).toEqual([next.current]);
    expect(verifyToken(next, token, at(10))).toEqual({ ok: false, code: 'TOKEN_BAD_SIGNATURE' });
  });

  it('refuses to rotate a ring that does not exist or with a nonsensical keep', () => {
    expect(() => rotateKeyRing(file, NOW)).toThrow(/does not exist/);
    loadKeyRing(file, { createIfMissing: true, now: NOW });
    expect(() => rotateKeyRing(file, NOW, 0)).toThrow(/keep/);
  });
});

describe('publishedKeys', () => {
  it('publishes public keys only, newest first, marking the current one', () => {
    loadKeyRing(file, { createIfMissing: true, now: NOW });
    const ring = rotateKeyRing(file, at(3600));
    const published = publishedKeys(ring);
    expect(published).toEqual([
      { keyId: ring.keys[0].keyId, algorithm: 'Ed25519', publicKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), current: true, createdAt: at(3600).toISOString() },
      { keyId: ring.keys[1].keyId, algorithm: 'Ed25519', publicKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), current: false, createdAt: NOW.toISOString() },
    ]);
    expect(base64UrlDecode(published[0].publicKey)).toEqual(ring.current.publicKeyRaw);
    expect(JSON.stringify(published)).not.toMatch(/PRIVATE/);
  });
});
