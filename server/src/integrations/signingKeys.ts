// Ed25519 key ring for code tokens. Keys are published by key id so the signing key can rotate
// while tokens signed by the previous key (printed cards, posters, codes on screen right now)
// keep verifying until that key is deliberately dropped.
//
// File / environment shape: { "keys": [ { "keyId", "createdAt", "privateKeyPem" } ] }, newest
// first; the first entry is the one that signs.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { base64UrlEncode } from '@bamin/common';

export interface SigningKey {
  keyId: string;
  /** ISO timestamp. */
  createdAt: string;
  privateKey: KeyObject;
  publicKeyRaw: Uint8Array;
}

export interface KeyRing {
  current: SigningKey;
  /** Newest first, current included. */
  keys: SigningKey[];
}

export interface PublishedKey {
  keyId: string;
  algorithm: 'Ed25519';
  /** base64url of the raw 32-byte public key. */
  publicKey: string;
  current: boolean;
  createdAt: string;
}

const KEY_ID_PATTERN = /^[0-9a-f]{8}$/;
// Private keys live in this file: owner read/write only.
const KEY_FILE_MODE = 0o600;

function rawPublicKey(privateKey: KeyObject): Uint8Array {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('Ed25519 public key export has no x coordinate');
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'));
}

function newKeyId(taken: ReadonlySet<string>): string {
  // 2^32 ids against a ring of a handful of keys: the loop is for correctness, not expected to spin.
  for (;;) {
    const id = randomBytes(4).toString('hex');
    if (!taken.has(id)) return id;
  }
}

function makeKey(createdAt: Date, taken: ReadonlySet<string>): SigningKey {
  if (Number.isNaN(createdAt.getTime())) throw new RangeError('generateSigningKey: createdAt is an invalid date');
  const { privateKey } = generateKeyPairSync('ed25519');
  return { keyId: newKeyId(taken), createdAt: createdAt.toISOString(), privateKey, publicKeyRaw: rawPublicKey(privateKey) };
}

export function generateSigningKey(createdAt: Date): SigningKey {
  return makeKey(createdAt, new Set());
}

/** Never puts key material into an error message: these messages end up in logs. */
function parseKeyRing(json: string, source: string): KeyRing {
  const fail = (why: string): never => {
    throw new Error(`Signing key ring ${source} is malformed: ${why}`);
  };
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return fail('not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { keys?: unknown }).keys)) {
    return fail('expected an object with a "keys" array');
  }
  const entries = (doc as { keys: unknown[] }).keys;
  if (entries.length === 0) return fail('"keys" is empty; at least one key is needed to sign');

  const seen = new Set<string>();
  const keys = entries.map((entry, i): SigningKey => {
    const where = `keys[${i}]`;
    if (typeof entry !== 'object' || entry === null) return fail(`${where} is not an object`);
    const { keyId, createdAt, privateKeyPem } = entry as Record<string, unknown>;
    if (typeof keyId !== 'string' || !KEY_ID_PATTERN.test(keyId)) {
      return fail(`${where}.keyId must be 8 lower-case hex characters`);
    }
    if (seen.has(keyId)) return fail(`${where}.keyId ${keyId} appears more than once`);
    seen.add(keyId);
    if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) {
      return fail(`${where}.createdAt must be an ISO timestamp`);
    }
    if (typeof privateKeyPem !== 'string') return fail(`${where}.privateKeyPem must be a PEM string`);
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey(privateKeyPem);
    } catch {
      return fail(`${where}.privateKeyPem (key ${keyId}) is not a readable private key`);
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') {
      return fail(`${where} (key ${keyId}) is ${String(privateKey.asymmetricKeyType)}, expected ed25519`);
    }
    return { keyId, createdAt, privateKey, publicKeyRaw: rawPublicKey(privateKey) };
  });
  return { current: keys[0], keys };
}

function serialiseKeyRing(ring: KeyRing): string {
  const keys = ring.keys.map((k) => ({
    keyId: k.keyId,
    createdAt: k.createdAt,
    privateKeyPem: k.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  }));
  return `${JSON.stringify({ keys }, null, 2)}\n`;
}

function isMissingFile(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

function readKeyFile(filePath: string): string | null {
  try {
    return readFileSync(filePath, 'utf8');
  } catch (err) {
    if (isMissingFile(err)) return null;
    throw new Error(`Cannot read signing key ring ${filePath}: ${(err as Error).message}`);
  }
}

/**
 * createIfMissing is the development default: a fresh ring with one key, written 0600. In
 * production it should be false so a wrong path fails loudly instead of silently minting a key
 * nobody has published.
 */
export function loadKeyRing(filePath: string, opts: { createIfMissing: boolean; now: Date }): KeyRing {
  const existing = readKeyFile(filePath);
  if (existing !== null) return parseKeyRing(existing, filePath);
  if (!opts.createIfMissing) {
    throw new Error(
      `Signing key ring ${filePath} does not exist. Create it (e.g. start once in development with key creation enabled) or point the configuration at the right file.`,
    );
  }

  const key = generateSigningKey(opts.now);
  const ring: KeyRing = { current: key, keys: [key] };
  mkdirSync(dirname(filePath), { recursive: true, mode: 0o700 });
  try {
    // 'wx': if another process created the file meanwhile, use theirs rather than overwrite it.
    writeFileSync(filePath, serialiseKeyRing(ring), { mode: KEY_FILE_MODE, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadKeyRing(filePath, { ...opts, createIfMissing: false });
    throw err;
  }
  // The mode passed to open() is filtered by umask; set it outright.
  chmodSync(filePath, KEY_FILE_MODE);
  return ring;
}

/**
 * Puts a new current key in front and keeps `keep` keys in all (default 2: the new one and its
 * predecessor), so tokens signed by the predecessor still verify. Lowering keep drops old keys
 * and voids every token they signed. The file is replaced atomically so a crash cannot leave a
 * half-written ring.
 */
export function rotateKeyRing(filePath: string, now: Date, keep = 2): KeyRing {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`rotateKeyRing: keep must be an integer ≥ 1, got ${keep}`);
  const old = loadKeyRing(filePath, { createIfMissing: false, now });
  const fresh = makeKey(now, new Set(old.keys.map((k) => k.keyId)));
  const keys = [fresh, ...old.keys].slice(0, keep);
  const ring: KeyRing = { current: fresh, keys };

  const tmp = `${filePath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, serialiseKeyRing(ring), { mode: KEY_FILE_MODE, flag: 'wx' });
    chmodSync(tmp, KEY_FILE_MODE);
    renameSync(tmp, filePath);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // Already renamed or never created; the original error is the one worth reporting.
    }
    throw err;
  }
  return ring;
}

/** What clients fetch to verify offline. Public keys only. */
export function publishedKeys(ring: KeyRing): PublishedKey[] {
  return ring.keys.map((k) => ({
    keyId: k.keyId,
    algorithm: 'Ed25519' as const,
    publicKey: base64UrlEncode(k.publicKeyRaw),
    current: k.keyId === ring.current.keyId,
    createdAt: k.createdAt,
  }));
}

/** Same JSON shape as the file, for deployments that inject the ring through an environment variable. */
export function keyRingFromJson(json: string): KeyRing {
  return parseKeyRing(json, '(from JSON)');
}
