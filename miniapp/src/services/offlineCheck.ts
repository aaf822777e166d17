// Offline check of a scanned token (H1): when the scan cannot reach the server, the token's signature
// is verified on the device against the cached published keys, and its colour read from the token.
// That colour is the state when the QR was generated, and no scan record is written: the page says so.
// The national platform's 防疫健康信息码 (NHC1…, B2) is checked the same way against the platform's
// published keys, cached from GET /api/v1/national/keys (verifyNationalToken of common/nationalApi).
import nacl from 'tweetnacl';
import { base64UrlDecode, checkToken, type Ed25519Verify, type TokenErrorCode } from '@bamin/common/codeToken';
import type { Colour } from '@bamin/common/colours';
import {
  ORIGIN_COLOURS,
  ORIGIN_COLOUR_TEXT,
  isNationalToken,
  verifyNationalToken,
  type NationalKeySet,
  type NationalTokenCheck,
  type OriginColour,
} from '@bamin/common/nationalApi';
import { fetchCodeKeys, fetchNationalKeys } from './staff';
import { getCachedKeys, getCachedNationalKeys, setCachedKeys, setCachedNationalKeys } from './staffStorage';

/** Pure-JS Ed25519 (tweetnacl): runs the same in the mini-program and in H5, without WebCrypto. */
export const tweetnaclVerify: Ed25519Verify = (publicKeyRaw, message, signature) => {
  if (publicKeyRaw.length !== nacl.sign.publicKeyLength || signature.length !== nacl.sign.signatureLength) return false;
  return nacl.sign.detached.verify(message, signature, publicKeyRaw);
};

export const OFFLINE_NOTICE = '网络不可用，已离线核验签名：颜色为二维码生成时的状态，可能不是最新；本次未生成扫码记录';

/** A printed card (H4) carries no colour: offline only its signature and validity are known. */
export const OFFLINE_CARD_NOTICE = '网络不可用，已离线核验卡片签名；本次未生成扫码记录';

/** The server answered, but could not reach the national platform to verify a 防疫健康信息码 (503 NATIONAL_UNAVAILABLE). */
export const NATIONAL_UNAVAILABLE_NOTICE =
  '暂时无法连接国家政务服务平台，已离线核验签名：颜色为二维码生成时的状态，可能不是最新；本次未生成扫码记录';

type NationalRefusalCode = 'NATIONAL_MALFORMED' | 'NATIONAL_UNKNOWN_KEY' | 'NATIONAL_BAD_SIGNATURE' | 'NATIONAL_EXPIRED' | 'NO_NATIONAL_KEYS';
export type OfflineRefusalCode = TokenErrorCode | 'TOKEN_WRONG_KIND' | 'NO_KEYS' | NationalRefusalCode;

export const OFFLINE_REFUSAL_TEXT: Record<OfflineRefusalCode, string> = {
  TOKEN_MALFORMED: '无法识别的二维码：不是有效的八闽健康码',
  TOKEN_BAD_SIGNATURE: '二维码签名无效，可能是伪造的健康码，请人工核实',
  TOKEN_EXPIRED: '二维码已过期，请被扫人员刷新健康码后重新出示',
  TOKEN_WRONG_KIND: '该二维码不是个人健康码，不能用于出入核验',
  NO_KEYS: '网络不可用，且本机尚未缓存核验公钥，无法离线核验，请联网后重试',
  NATIONAL_MALFORMED: '无法识别的二维码：不是有效的防疫健康信息码',
  NATIONAL_UNKNOWN_KEY: '本机缓存的国家平台公钥中没有该二维码的签名密钥，无法离线核验，请联网后重试或人工核实',
  NATIONAL_BAD_SIGNATURE: '防疫健康信息码签名无效，可能是伪造的，请人工核实',
  NATIONAL_EXPIRED: '防疫健康信息码已过期，请对方刷新后重新出示',
  NO_NATIONAL_KEYS: '本机尚未缓存国家政务服务平台的核验公钥，无法离线核验防疫健康信息码，请联网后重试',
};

const NATIONAL_REASON_CODE: Record<Extract<NationalTokenCheck, { ok: false }>['reason'], NationalRefusalCode> = {
  malformed: 'NATIONAL_MALFORMED',
  unknown_key: 'NATIONAL_UNKNOWN_KEY',
  bad_signature: 'NATIONAL_BAD_SIGNATURE',
  expired: 'NATIONAL_EXPIRED',
};

export type OfflineCheck =
  | {
      ok: true;
      kind: 'code' | 'card';
      codeNumber: string;
      /** From the token (code); null for a printed card, whose colour is only known online. */
      colour: Colour | null;
      issuedAt: number;
      expiresAt: number;
    }
  | {
      ok: true;
      /** The national 防疫健康信息码 (B2): origin province, its pass colour and the masked holder, from the signed payload. */
      kind: 'national';
      passId: string;
      provinceCode: string;
      provinceName: string;
      colour: OriginColour;
      colourText: string;
      nameMasked: string;
      idMasked: string;
      issuedAt: number;
      expiresAt: number;
    }
  | { ok: false; code: OfflineRefusalCode; message: string };

/** Raw public keys from the cached base64url map; unparsable entries are dropped. */
export function decodeKeys(keys: Record<string, string>): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const [id, b64] of Object.entries(keys)) {
    const raw = typeof b64 === 'string' ? base64UrlDecode(b64) : null;
    if (raw && raw.length === 32) out[id] = raw;
  }
  return out;
}

function refuse(code: OfflineRefusalCode): OfflineCheck {
  return { ok: false, code, message: OFFLINE_REFUSAL_TEXT[code] };
}

/** Verify a scanned token against base64url public keys by key id, at `nowSeconds`. */
export function checkTokenOffline(token: string, keys: Record<string, string> | null | undefined, nowSeconds: number, verify: Ed25519Verify = tweetnaclVerify): OfflineCheck {
  const raw = decodeKeys(keys ?? {});
  if (Object.keys(raw).length === 0) return refuse('NO_KEYS');
  const checked = checkToken(token.trim(), raw, nowSeconds, verify);
  if (!checked.ok) return refuse(checked.code);
  const p = checked.payload;
  if (p.kind === 'point') return refuse('TOKEN_WRONG_KIND');
  return { ok: true, kind: p.kind, codeNumber: p.subject, colour: p.colour, issuedAt: p.issuedAt, expiresAt: p.expiresAt };
}

/** Verify a national 防疫健康信息码 against the platform's published keys, at `now`. */
export function checkNationalTokenOffline(token: string, keys: NationalKeySet | null | undefined, now: Date, verify: Ed25519Verify = tweetnaclVerify): OfflineCheck {
  if (!keys || !Array.isArray(keys.keys) || keys.keys.length === 0) return refuse('NO_NATIONAL_KEYS');
  const checked = verifyNationalToken(token.trim(), keys, now, verify);
  if (!checked.ok) return refuse(NATIONAL_REASON_CODE[checked.reason]);
  const p = checked.payload;
  const text = (v: unknown) => typeof v === 'string' && v.length > 0;
  // Signed, but the fields shown must be there: a payload without them is not one we understand.
  if (!(ORIGIN_COLOURS as readonly string[]).includes(p.colour) || ![p.passId, p.provinceCode, p.provinceName, p.nameMasked, p.idMasked].every(text) || typeof p.iat !== 'number') {
    return refuse('NATIONAL_MALFORMED');
  }
  return {
    ok: true,
    kind: 'national',
    passId: p.passId,
    provinceCode: p.provinceCode,
    provinceName: p.provinceName,
    colour: p.colour,
    colourText: ORIGIN_COLOUR_TEXT[p.colour],
    nameMasked: p.nameMasked,
    idMasked: p.idMasked,
    issuedAt: p.iat,
    expiresAt: p.exp,
  };
}

/** Check with the keys cached on this device: the national platform's for an NHC1 token, this system's otherwise. */
export function checkWithCachedKeys(token: string, now: Date = new Date()): OfflineCheck {
  if (isNationalToken(token.trim())) return checkNationalTokenOffline(token, getCachedNationalKeys()?.keys, now);
  return checkTokenOffline(token, getCachedKeys()?.keys, Math.floor(now.getTime() / 1000));
}

/** Fetch the published keys and cache them; a failure keeps the previous cache. */
export async function refreshKeyCache(now: Date = new Date()): Promise<boolean> {
  try {
    const keys = await fetchCodeKeys();
    if (Object.keys(keys).length === 0) return false;
    setCachedKeys({ keys, fetchedAt: now.toISOString() });
    return true;
  } catch {
    return false;
  }
}

/** Fetch the national platform's published keys (through this system's server) and cache them; a failure keeps the previous cache. */
export async function refreshNationalKeyCache(now: Date = new Date()): Promise<boolean> {
  try {
    const keys = await fetchNationalKeys();
    if (keys.keys.length === 0) return false;
    setCachedNationalKeys({ keys, fetchedAt: now.toISOString() });
    return true;
  } catch {
    return false;
  }
}
