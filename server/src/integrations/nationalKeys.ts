// Key material of the link with the national government service platform (B1–B3, H6; issue 9).
//
// Two keys sign on that link (common/src/nationalApi.ts): this province's client key signs requests
// (the platform knows its public key by appId) and the platform's keys sign responses and national
// tokens (this server pins their public keys; a response under any other key is refused).
//
// Files:
// - client key        { "appId", "keyId", "privateKeyPem" }                      (NATIONAL_CLIENT_KEY_FILE)
// - pinned keys       { "keys": [ { "keyId", "publicKey" (base64url raw) } ] }  (NATIONAL_PLATFORM_KEYS_FILE)
// Development (SQLite default, tests) keeps them in <dataDir>/national/, created by
// ensureDevNationalKeys together with the stand-in platform's own private key set, platform-keys.json
// ({ "keys": [ { "keyId", "createdAt", "privateKeyPem" } ] }, newest first, the signing-key ring
// format), so the server and the stand-in started beside it trust each other.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { base64UrlDecode, base64UrlEncode, type Ed25519Sign, type NationalKeySet } from '@bamin/common';
import { generateSigningKey, keyRingFromJson, type KeyRing } from './signingKeys';

export const DEV_NATIONAL_APP_ID = 'fujian-bamin';

export interface NationalClientKey {
  appId: string;
  keyId: string;
  privateKey: KeyObject;
  /** 32 bytes raw, what the platform registers for the appId. */
  publicKeyRaw: Uint8Array;
}

export interface DevNationalKeyFiles {
  dir: string;
  /** The stand-in's private key set (signing-key ring format). */
  platformKeysFile: string;
  /** Public half of platformKeysFile: what the server pins (NATIONAL_PLATFORM_KEYS_FILE). */
  platformPublicKeysFile: string;
  /** This province's client key (NATIONAL_CLIENT_KEY_FILE). */
  clientKeyFile: string;
}

// Private keys: owner read/write only.
const KEY_FILE_MODE = 0o600;

export function devNationalKeyFiles(dataDir: string): DevNationalKeyFiles {
  const dir = path.join(dataDir, 'national');
  return {
    dir,
    platformKeysFile: path.join(dir, 'platform-keys.json'),
    platformPublicKeysFile: path.join(dir, 'platform-public-keys.json'),
    clientKeyFile: path.join(dir, 'client-key.json'),
  };
}

export function rawEd25519PublicKey(privateKey: KeyObject): Uint8Array {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('Ed25519 public key export has no x coordinate');
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'));
}

export function ed25519Signer(privateKey: KeyObject): Ed25519Sign {
  return (message) => new Uint8Array(cryptoSign(null, message, privateKey));
}

/**
 * Writes `content` to `file` unless it exists, never leaving a half-written file and never replacing
 * one: the content goes to a temporary file first and is then hard-linked into place, which fails
 * with EEXIST when another process (the server and the stand-in start together) got there first.
 * Either way the caller reads back whatever is in place.
 */
function createOnce(file: string, content: () => string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    readFileSync(file);
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  writeFileSync(tmp, content(), { mode: KEY_FILE_MODE, flag: 'wx' });
  try {
    // The mode passed to open() is filtered by umask; set it outright.
    chmodSync(tmp, KEY_FILE_MODE);
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
}

function serialiseClientKey(appId: string, keyId: string, privateKey: KeyObject): string {
  return `${JSON.stringify({ appId, keyId, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) }, null, 2)}\n`;
}

/**
 * Development and tests: creates the stand-in's key set, its public half and this province's client key
 * under <dataDir>/national/ when missing (0600). Idempotent, and safe when two processes race.
 */
export function ensureDevNationalKeys(dataDir: string, now: Date = new Date()): DevNationalKeyFiles {
  const files = devNationalKeyFiles(dataDir);
  mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  createOnce(files.platformKeysFile, () => {
    const key = generateSigningKey(now);
    const keys = [{ keyId: key.keyId, createdAt: key.createdAt, privateKeyPem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }) }];
    return `${JSON.stringify({ keys }, null, 2)}\n`;
  });
  createOnce(files.clientKeyFile, () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    return serialiseClientKey(DEV_NATIONAL_APP_ID, randomBytes(4).toString('hex'), privateKey);
  });
  // Derived from whichever platform key set won the race above, so any writer produces the same bytes.
  const ring = loadPlatformKeyRing(files.platformKeysFile);
  createOnce(files.platformPublicKeysFile, () => `${JSON.stringify(publicKeySet(ring), null, 2)}\n`);
  return files;
}

function readFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** The stand-in platform's private keys (newest first; the first signs). */
export function loadPlatformKeyRing(file: string): KeyRing {
  return keyRingFromJson(readFile(file, 'national platform key set'));
}

export function publicKeySet(ring: KeyRing): NationalKeySet {
  return { keys: ring.keys.map((k) => ({ keyId: k.keyId, publicKey: base64UrlEncode(k.publicKeyRaw) })) };
}

/** Never puts key material into an error message: these messages end up in logs. */
export function parseClientKey(json: string, source: string): NationalClientKey {
  const fail = (why: string): never => {
    throw new Error(`National client key ${source} is malformed: ${why}`);
  };
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return fail('not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null) return fail('expected an object');
  const { appId, keyId, privateKeyPem } = doc;
  if (typeof appId !== 'string' || !appId) return fail('appId must be a non-empty string');
  if (typeof keyId !== 'string' || !keyId) return fail('keyId must be a non-empty string');
  if (typeof privateKeyPem !== 'string') return fail('privateKeyPem must be a PEM string');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch {
    return fail('privateKeyPem is not a readable private key');
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') return fail(`the key is ${String(privateKey.asymmetricKeyType)}, expected ed25519`);
  return { appId, keyId, privateKey, publicKeyRaw: rawEd25519PublicKey(privateKey) };
}

export function loadNationalClientKey(file: string): NationalClientKey {
  return parseClientKey(readFile(file, 'national client key'), file);
}

/** The platform's public keys this server trusts: { keys: [{ keyId, publicKey }] } (extra fields ignored). */
export function parsePinnedKeys(json: string, source: string): NationalKeySet {
  const fail = (why: string): never => {
    throw new Error(`National platform key file ${source} is malformed: ${why}`);
  };
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return fail('not valid JSON');
  }
  const entries = (doc as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(entries) || entries.length === 0) return fail('expected an object with a non-empty "keys" array');
  const keys = entries.map((entry: unknown, i) => {
    const { keyId, publicKey } = (entry ?? {}) as Record<string, unknown>;
    if (typeof keyId !== 'string' || !keyId) return fail(`keys[${i}].keyId must be a non-empty string`);
    if (typeof publicKey !== 'string' || base64UrlDecode(publicKey)?.length !== 32) {
      return fail(`keys[${i}].publicKey (key ${keyId}) must be a base64url raw 32-byte Ed25519 key`);
    }
    return { keyId, publicKey };
  });
  return { keys };
}

export function loadPinnedPlatformKeys(file: string): NationalKeySet {
  return parsePinnedKeys(readFile(file, 'national platform key file'), file);
}
