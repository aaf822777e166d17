// Signed, short-lived tokens carried by every QR the system shows or prints. A token names a code
// number or a service point and never carries personal data. This module runs on the server, in
// the mini-program and in the browser, so it avoids Buffer and node:crypto: the caller supplies
// the Ed25519 verify function.
//
// Layout, version 1 (84 bytes, 112 base64url characters):
//   0     version    u8   (first, so a later version can change everything after it)
//   1     kind       u8   1 code, 2 card, 3 point
//   2-5   keyId      4 bytes
//   6-10  subject    u40 big-endian (10^12 < 2^40)
//   11    colour     u8   0 none, 1 green, 2 orange
//   12-15 issuedAt   u32 big-endian, unix seconds
//   16-19 expiresAt  u32 big-endian, unix seconds
//   20-83 Ed25519 signature over bytes 0-19
import type { Colour } from './colours';

export const TOKEN_VERSION = 1;
export const TOKEN_KINDS = ['code', 'card', 'point'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];
export const TOKEN_MAX_LENGTH = 120;

export interface TokenPayload {
  version: number;
  kind: TokenKind;
  /** 8 lower-case hex characters. */
  keyId: string;
  /** Decimal digits: the 12-digit code number for code/card, the service-point id for point. */
  subject: string;
  /** Required for code; null for card and point, whose colour is looked up when scanned. */
  colour: Colour | null;
  /** Unix seconds. */
  issuedAt: number;
  /** Unix seconds. */
  expiresAt: number;
}

export type TokenErrorCode = 'TOKEN_MALFORMED' | 'TOKEN_BAD_SIGNATURE' | 'TOKEN_EXPIRED';

export type Ed25519Verify = (publicKeyRaw: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

export type DecodedToken =
  | { ok: true; payload: TokenPayload; payloadBytes: Uint8Array; signature: Uint8Array }
  | { ok: false; code: 'TOKEN_MALFORMED' };

export type CheckedToken = { ok: true; payload: TokenPayload } | { ok: false; code: TokenErrorCode };

export const TOKEN_PAYLOAD_LENGTH = 20;
export const TOKEN_SIGNATURE_LENGTH = 64;
export const TOKEN_DEFAULT_CLOCK_SKEW_SECONDS = 30;

const TOKEN_BYTES = TOKEN_PAYLOAD_LENGTH + TOKEN_SIGNATURE_LENGTH;
const MAX_U32 = 0xffff_ffff;
const MAX_U40 = 2 ** 40 - 1;

const KIND_BYTES: Record<TokenKind, number> = { code: 1, card: 2, point: 3 };
// Typed as Record<Colour, …> so adding a colour breaks the build here rather than silently
// encoding it as "none".
const COLOUR_BYTES: Record<Colour, number> = { green: 1, orange: 2 };

function kindFromByte(b: number): TokenKind | undefined {
  return TOKEN_KINDS.find((k) => KIND_BYTES[k] === b);
}

function colourFromByte(b: number): Colour | null | undefined {
  if (b === 0) return null;
  return (Object.keys(COLOUR_BYTES) as Colour[]).find((c) => COLOUR_BYTES[c] === b);
}

/**
 * Why a payload cannot be encoded, or null when it can. Shared by encode and decode so that
 * anything decodeToken accepts re-encodes to the same bytes (one token, one meaning).
 */
function payloadProblem(p: TokenPayload): string | null {
  if (p.version !== TOKEN_VERSION) return `unsupported version ${String(p.version)}`;
  if (!(TOKEN_KINDS as readonly string[]).includes(p.kind)) return `unknown kind ${String(p.kind)}`;
  if (typeof p.keyId !== 'string' || !/^[0-9a-f]{8}$/.test(p.keyId)) return 'keyId must be 8 lower-case hex characters';
  if (typeof p.subject !== 'string') return 'subject must be a string';
  if (p.kind === 'point') {
    // Canonical form only (no leading zeros): the number is what is stored, so "007" would
    // decode as "7" and a point id of 0 is never issued.
    if (!/^[1-9][0-9]{0,12}$/.test(p.subject) || Number(p.subject) > MAX_U40) {
      return 'point subject must be a positive integer below 2^40 without leading zeros';
    }
  } else if (!/^[0-9]{12}$/.test(p.subject)) {
    return `${p.kind} subject must be exactly 12 digits`;
  }
  if (p.kind === 'code') {
    if (p.colour === null || !Object.prototype.hasOwnProperty.call(COLOUR_BYTES, p.colour)) return 'code token needs a colour';
  } else if (p.colour !== null) {
    // Printed cards and posters outlive any colour, so they must never claim one.
    return `${p.kind} token must not carry a colour`;
  }
  for (const field of ['issuedAt', 'expiresAt'] as const) {
    const v = p[field];
    if (!Number.isInteger(v) || v < 0 || v > MAX_U32) return `${field} must be an integer within u32`;
  }
  if (p.expiresAt <= p.issuedAt) return 'expiresAt must be after issuedAt';
  return null;
}

/** Throws on an invalid payload: callers build payloads themselves, so that is a programming error. */
export function encodeTokenPayload(p: TokenPayload): Uint8Array {
  const problem = payloadProblem(p);
  if (problem) throw new RangeError(`Invalid token payload: ${problem}`);

  const bytes = new Uint8Array(TOKEN_PAYLOAD_LENGTH);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, p.version);
  view.setUint8(1, KIND_BYTES[p.kind]);
  view.setUint32(2, parseInt(p.keyId, 16));
  const subject = Number(p.subject);
  view.setUint8(6, Math.floor(subject / 2 ** 32));
  view.setUint32(7, subject % 2 ** 32);
  view.setUint8(11, p.colour === null ? 0 : COLOUR_BYTES[p.colour]);
  view.setUint32(12, p.issuedAt);
  view.setUint32(16, p.expiresAt);
  return bytes;
}

/** Throws when the parts have the wrong length (a programming error, not bad input). */
export function assembleToken(payloadBytes: Uint8Array, signature: Uint8Array): string {
  if (payloadBytes.length !== TOKEN_PAYLOAD_LENGTH) {
    throw new RangeError(`Token payload must be ${TOKEN_PAYLOAD_LENGTH} bytes, got ${payloadBytes.length}`);
  }
  if (signature.length !== TOKEN_SIGNATURE_LENGTH) {
    throw new RangeError(`Token signature must be ${TOKEN_SIGNATURE_LENGTH} bytes, got ${signature.length}`);
  }
  const all = new Uint8Array(TOKEN_BYTES);
  all.set(payloadBytes, 0);
  all.set(signature, TOKEN_PAYLOAD_LENGTH);
  return base64UrlEncode(all);
}

const MALFORMED = { ok: false, code: 'TOKEN_MALFORMED' } as const;

/** Parses without verifying. Never throws: anything scanned off a QR may be garbage. */
export function decodeToken(token: string): DecodedToken {
  // Length first, so a hostile megabyte-long scan costs nothing.
  if (typeof token !== 'string' || token.length === 0 || token.length > TOKEN_MAX_LENGTH) return MALFORMED;
  const bytes = base64UrlDecode(token);
  if (!bytes || bytes.length < 1) return MALFORMED;
  if (bytes[0] !== TOKEN_VERSION || bytes.length !== TOKEN_BYTES) return MALFORMED;

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = kindFromByte(view.getUint8(1));
  const colour = colourFromByte(view.getUint8(11));
  if (kind === undefined || colour === undefined) return MALFORMED;

  const subjectNumber = view.getUint8(6) * 2 ** 32 + view.getUint32(7);
  const payload: TokenPayload = {
    version: TOKEN_VERSION,
    kind,
    keyId: view.getUint32(2).toString(16).padStart(8, '0'),
    subject: kind === 'point' ? String(subjectNumber) : String(subjectNumber).padStart(12, '0'),
    colour,
    issuedAt: view.getUint32(12),
    expiresAt: view.getUint32(16),
  };
  if (payloadProblem(payload)) return MALFORMED;

  return {
    ok: true,
    payload,
    payloadBytes: bytes.slice(0, TOKEN_PAYLOAD_LENGTH),
    signature: bytes.slice(TOKEN_PAYLOAD_LENGTH),
  };
}

/**
 * Full offline check: structure, then signature, then time. The order matters: a forged or
 * garbled token is never reported as merely "expired", which would invite a refresh instead of
 * raising suspicion.
 *
 * Unknown keyId → TOKEN_BAD_SIGNATURE: to this verifier it is signed by a key it does not trust.
 *
 * issuedAt later than now + skew → TOKEN_MALFORMED. We never issue tokens dated in the future, so
 * a genuinely signed one means a broken clock on the signer or the verifier; accepting it would
 * stretch its life past what the signer intended, and "expired" would be a lie. It is checked
 * after the signature so a forgery still reads as a forgery.
 *
 * Revocation of card and point tokens is the server's decision against the database, not here.
 */
export function checkToken(
  token: string,
  publicKeys: Record<string, Uint8Array>,
  nowSeconds: number,
  verify: Ed25519Verify,
  clockSkewSeconds: number = TOKEN_DEFAULT_CLOCK_SKEW_SECONDS,
): CheckedToken {
  const decoded = decodeToken(token);
  if (!decoded.ok) return decoded;
  const { payload, payloadBytes, signature } = decoded;

  // own keys only (hasOwnProperty.call, not Object.hasOwn, which iOS < 15.4 lacks): keyIds are hex so cannot collide with prototype names, but the map may come from JSON.
  const key = Object.prototype.hasOwnProperty.call(publicKeys, payload.keyId) ? publicKeys[payload.keyId] : undefined;
  if (!key) return { ok: false, code: 'TOKEN_BAD_SIGNATURE' };
  let valid = false;
  try {
    valid = verify(key, payloadBytes, signature) === true;
  } catch {
    // A verify that throws (bad key length, platform quirk) must not turn into an acceptance or a crash.
    valid = false;
  }
  if (!valid) return { ok: false, code: 'TOKEN_BAD_SIGNATURE' };

  if (payload.issuedAt > nowSeconds + clockSkewSeconds) return { ok: false, code: 'TOKEN_MALFORMED' };
  if (nowSeconds > payload.expiresAt + clockSkewSeconds) return { ok: false, code: 'TOKEN_EXPIRED' };
  return { ok: true, payload };
}

const B64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64URL_LOOKUP: Int16Array = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64URL_ALPHABET.length; i++) table[B64URL_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** base64url without padding (RFC 4648 §5). */
export function base64UrlEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64URL_ALPHABET[n >> 18] + B64URL_ALPHABET[(n >> 12) & 63] + B64URL_ALPHABET[(n >> 6) & 63] + B64URL_ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64URL_ALPHABET[n >> 18] + B64URL_ALPHABET[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64URL_ALPHABET[n >> 18] + B64URL_ALPHABET[(n >> 12) & 63] + B64URL_ALPHABET[(n >> 6) & 63];
  }
  return out;
}

/**
 * Strict decode: unpadded base64url only, and non-zero leftover bits are rejected, so each byte
 * string has exactly one textual form and a changed character can never decode to the same bytes.
 * Returns null instead of throwing.
 */
export function base64UrlDecode(s: string): Uint8Array | null {
  if (typeof s !== 'string' || s.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64URL_LOOKUP[c] : -1;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) return null;
  return out;
}
