// @vitest-environment node
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64UrlDecode, base64UrlEncode, CaFileError, signChallenge, splitCaPem } from './sign';

const subtle = webcrypto.subtle as unknown as SubtleCrypto;

function pem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').trim();
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

async function keyPair() {
  const pair = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey));
  return { pair, pkcs8 };
}

// The certificate's content is the server's business; the helper only cuts it out of the file.
const CERT = pem('CERTIFICATE', new Uint8Array([0x30, 0x82, 0x01, 0x00, 1, 2, 3, 4]));

describe('CA file / splitCaPem', () => {
  it('finds the certificate and the PKCS#8 key in either order, with text around them', async () => {
    const { pkcs8 } = await keyPair();
    for (const text of [CERT + pem('PRIVATE KEY', pkcs8), `Bag Attributes\n${pem('PRIVATE KEY', pkcs8)}subject=...\n${CERT}`]) {
      const parts = splitCaPem(text);
      expect(parts.certificatePem).toBe(CERT);
      expect(Array.from(parts.privateKeyPkcs8)).toEqual(Array.from(pkcs8));
    }
  });

  it.each([
    ['no certificate', () => pem('PRIVATE KEY', new Uint8Array([1, 2, 3])), '没有证书'],
    ['no key', () => CERT, '没有私钥'],
    ['a SEC1 key instead of PKCS#8', () => CERT + pem('EC PRIVATE KEY', new Uint8Array([1, 2, 3])), 'PKCS#8'],
    ['an encrypted key', () => CERT + pem('ENCRYPTED PRIVATE KEY', new Uint8Array([1, 2, 3])), '已加密'],
    ['not PEM at all', () => 'hello', '没有证书'],
  ])('refuses a file with %s', (_name, make, message) => {
    expect(() => splitCaPem(make())).toThrow(CaFileError);
    expect(() => splitCaPem(make())).toThrow(message);
  });
});

describe('CA file / base64url', () => {
  it.each([[[]], [[0]], [[0xff, 0xfe]], [[0xfb, 0xff, 0xbf]], [Array.from({ length: 32 }, (_, i) => i * 8)]])('round-trips %j without padding', (bytes) => {
    const text = base64UrlEncode(new Uint8Array(bytes));
    expect(text).not.toMatch(/[+/=]/);
    expect(Array.from(base64UrlDecode(text)!)).toEqual(bytes);
  });

  it('rejects text that is not base64url', () => {
    expect(base64UrlDecode('ab+c')).toBeNull();
    expect(base64UrlDecode('a')).toBeNull();
  });
});

describe('CA file / signChallenge', () => {
  it('signs the challenge bytes with ECDSA P-256/SHA-256 in raw r||s form that the public key verifies', async () => {
    const { pair, pkcs8 } = await keyPair();
    const challengeBytes = webcrypto.getRandomValues(new Uint8Array(32));
    const signature = await signChallenge(subtle, pkcs8, base64UrlEncode(challengeBytes));
    const raw = base64UrlDecode(signature)!;
    expect(raw.length).toBe(64);
    expect(await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pair.publicKey, raw as Uint8Array<ArrayBuffer>, challengeBytes)).toBe(true);
    const other = new Uint8Array(challengeBytes);
    other[0] ^= 1;
    expect(await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pair.publicKey, raw as Uint8Array<ArrayBuffer>, other)).toBe(false);
  });

  it('refuses a key that is not P-256', async () => {
    const p384 = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign'])) as CryptoKeyPair;
    const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', p384.privateKey));
    await expect(signChallenge(subtle, pkcs8, base64UrlEncode(new Uint8Array(32)))).rejects.toThrow('ECDSA P-256');
  });

  it('refuses a malformed challenge', async () => {
    const { pkcs8 } = await keyPair();
    await expect(signChallenge(subtle, pkcs8, 'not base64url!')).rejects.toThrow(CaFileError);
  });
});
