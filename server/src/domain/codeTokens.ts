// Signing and verifying code tokens with the server's key ring. The format and the offline check
// live in @bamin/common so clients verify exactly what the server signs.
import { createPublicKey, sign as cryptoSign, timingSafeEqual, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import {
  TOKEN_VERSION,
  assembleToken,
  checkToken,
  encodeTokenPayload,
  type Colour,
  type Ed25519Verify,
  type TokenErrorCode,
  type TokenKind,
  type TokenPayload,
} from '@bamin/common';
import type { KeyRing } from '../integrations/signingKeys';

/** A shown code refreshes well before this; a screenshot goes stale. */
export const CODE_TOKEN_TTL_SECONDS = 300;

// DER SubjectPublicKeyInfo header for Ed25519 (RFC 8410); the raw 32-byte key follows it.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Public keys as node KeyObjects by their raw bytes: building one cost as much as the verification itself. */
const publicKeyObjects = new Map<string, KeyObject>();
const PUBLIC_KEY_CACHE_SIZE = 64;

function publicKeyObject(raw: Uint8Array): KeyObject {
  const id = Buffer.from(raw).toString('base64');
  let key = publicKeyObjects.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    if (publicKeyObjects.size >= PUBLIC_KEY_CACHE_SIZE) publicKeyObjects.clear();
    publicKeyObjects.set(id, key);
  }
  return key;
}

export const nodeEd25519Verify: Ed25519Verify = (publicKeyRaw, message, signature) => {
  if (publicKeyRaw.length !== 32 || signature.length !== 64) return false;
  try {
    return cryptoVerify(null, message, publicKeyObject(publicKeyRaw), signature);
  } catch {
    return false;
  }
};

export function signToken(
  ring: KeyRing,
  p: { kind: TokenKind; subject: string; colour: Colour | null; now: Date; ttlSeconds: number },
): string {
  if (!Number.isInteger(p.ttlSeconds) || p.ttlSeconds <= 0) {
    throw new RangeError(`signToken: ttlSeconds must be a positive integer, got ${p.ttlSeconds}`);
  }
  const issuedAt = Math.floor(p.now.getTime() / 1000);
  const payloadBytes = encodeTokenPayload({
    version: TOKEN_VERSION,
    kind: p.kind,
    keyId: ring.current.keyId,
    subject: p.subject,
    colour: p.colour,
    issuedAt,
    expiresAt: issuedAt + p.ttlSeconds,
  });
  const signature = cryptoSign(null, payloadBytes, ring.current.privateKey);
  return assembleToken(payloadBytes, signature);
}

/**
 * The ring's check of its own tokens. Ed25519 signatures (RFC 8032) are deterministic: the signature a key
 * makes of a payload is the only one this server ever issued for it, so a token is genuine when its signature
 * is that one — made again and compared in constant time. Making one costs about a third of verifying one
 * (28 against 77 µs here; the verification was a fifth of the scan's server CPU, issue 12). It accepts a
 * subset of what verification accepts: another valid signature of the same payload (another nonce) can only
 * be made with the private key. A key of the ring without its private key (never, today) is verified.
 * Clients, who have the public keys only, verify (checkToken with their platform's Ed25519).
 */
function ownKeysVerify(ring: KeyRing): Ed25519Verify {
  const privateKeys = new Map(ring.keys.map((k) => [Buffer.from(k.publicKeyRaw).toString('base64'), k.privateKey]));
  return (publicKeyRaw, message, signature) => {
    const privateKey = privateKeys.get(Buffer.from(publicKeyRaw).toString('base64'));
    if (!privateKey) return nodeEd25519Verify(publicKeyRaw, message, signature);
    if (signature.length !== 64) return false;
    return timingSafeEqual(cryptoSign(null, message, privateKey), signature);
  };
}

/** Per ring: its public keys by id, and its own-keys check (a ring is replaced whole when rotated). */
const ringChecks = new WeakMap<KeyRing, { publicKeys: Record<string, Uint8Array>; verify: Ed25519Verify }>();

/** Signature and time only; whether a card or poster has been revoked is the caller's database check. */
export function verifyToken(
  ring: KeyRing,
  token: string,
  now: Date,
): { ok: true; payload: TokenPayload } | { ok: false; code: TokenErrorCode } {
  let check = ringChecks.get(ring);
  if (!check) {
    const publicKeys: Record<string, Uint8Array> = Object.create(null);
    for (const k of ring.keys) publicKeys[k.keyId] = k.publicKeyRaw;
    check = { publicKeys, verify: ownKeysVerify(ring) };
    ringChecks.set(ring, check);
  }
  return checkToken(token, check.publicKeys, Math.floor(now.getTime() / 1000), check.verify);
}
