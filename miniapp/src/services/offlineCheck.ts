// Offline check of a scanned token (H1): when the scan cannot reach the server, the token's signature
// is verified on the device against the cached published keys, and its colour read from the token.
// That colour is the state when the QR was generated, and no scan record is written: the page says so.
import nacl from 'tweetnacl';
import { base64UrlDecode, checkToken, type Ed25519Verify, type TokenErrorCode } from '@bamin/common/codeToken';
import type { Colour } from '@bamin/common/colours';
import { fetchCodeKeys } from './staff';
import { getCachedKeys, setCachedKeys } from './staffStorage';

/** Pure-JS Ed25519 (tweetnacl): runs the same in the mini-program and in H5, without WebCrypto. */
export const tweetnaclVerify: Ed25519Verify = (publicKeyRaw, message, signature) => {
  if (publicKeyRaw.length !== nacl.sign.publicKeyLength || signature.length !== nacl.sign.signatureLength) return false;
  return nacl.sign.detached.verify(message, signature, publicKeyRaw);
};

export const OFFLINE_NOTICE = '网络不可用，已离线核验签名：颜色为二维码生成时的状态，可能不是最新；本次未生成扫码记录';

export type OfflineRefusalCode = TokenErrorCode | 'TOKEN_WRONG_KIND' | 'NO_KEYS';

export const OFFLINE_REFUSAL_TEXT: Record<OfflineRefusalCode, string> = {
  TOKEN_MALFORMED: '无法识别的二维码：不是有效的八闽健康码',
  TOKEN_BAD_SIGNATURE: '二维码签名无效，可能是伪造的健康码，请人工核实',
  TOKEN_EXPIRED: '二维码已过期，请被扫人员刷新健康码后重新出示',
  TOKEN_WRONG_KIND: '该二维码不是个人健康码，不能用于出入核验',
  NO_KEYS: '网络不可用，且本机尚未缓存核验公钥，无法离线核验，请联网后重试',
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

/** Check with the keys cached on this device. */
export function checkWithCachedKeys(token: string, now: Date = new Date()): OfflineCheck {
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
