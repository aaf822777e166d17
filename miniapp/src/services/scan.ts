// Identifying a person at the scan point: the server call, sorted into a result, a refusal (shown loudly,
// never as a result) or, when the network is down and a token was scanned, the offline check (H1).
import { isNationalToken } from '@bamin/common/nationalApi';
import { ApiError } from './api';
import { checkWithCachedKeys } from './offlineCheck';
import { isNetworkError, postOcrScan, postScan } from './staff';
import type { ScanOutcome } from './staffStore';

/** Server answers that mean "do not let this person through on this code": shown as a red refusal. */
export const REFUSAL_CODES = [
  'TOKEN_MALFORMED',
  'TOKEN_BAD_SIGNATURE',
  'TOKEN_EXPIRED',
  'TOKEN_REVOKED',
  'TOKEN_WRONG_KIND',
  // a printed 健康码卡片 (H4) that was revoked (作废/补办) or has run out
  'CARD_REVOKED',
  'CARD_EXPIRED',
  'CODE_NOT_FOUND',
  // the national platform's 验码 said the 防疫健康信息码 is expired, revoked or forged (B2)
  'NATIONAL_CODE_INVALID',
] as const;

export function isRefusal(e: unknown): e is ApiError {
  return e instanceof ApiError && (REFUSAL_CODES as readonly string[]).includes(e.code);
}

/** The 12-digit code number typed by the staff member, or the problem to show. */
export function checkCodeNumberInput(raw: string): { ok: true; codeNumber: string } | { ok: false; problem: string } {
  const s = raw.replace(/\s+/g, '');
  if (!s) return { ok: false, problem: '请输入健康码上方的12位数字' };
  if (!/^\d+$/.test(s)) return { ok: false, problem: '健康码编号只能是数字' };
  if (s.length !== 12) return { ok: false, problem: `健康码编号应为12位数字（当前${s.length}位）` };
  return { ok: true, codeNumber: s };
}

/**
 * POST the identification. Throws (for the home page to show) on anything that is neither a result,
 * a refusal nor a network failure of a scanned token: no scan point, rate limit, validation, 401.
 */
export async function identify(req: { token: string } | { codeNumber: string }, now: () => Date = () => new Date()): Promise<ScanOutcome> {
  try {
    return { kind: 'result', result: await postScan(req) };
  } catch (e) {
    if (isRefusal(e)) return { kind: 'refused', code: e.code, message: e.message };
    if (isNetworkError(e) && 'token' in req) {
      const at = now();
      return { kind: 'offline', check: checkWithCachedKeys(req.token, at), checkedAt: at.toISOString(), cause: 'network' };
    }
    // The server is up but the national platform is not: the platform's signature can still be checked here.
    if (e instanceof ApiError && e.code === 'NATIONAL_UNAVAILABLE' && 'token' in req && isNationalToken(req.token.trim())) {
      const at = now();
      return { kind: 'offline', check: checkWithCachedKeys(req.token, at), checkedAt: at.toISOString(), cause: 'national_unavailable' };
    }
    throw e;
  }
}

/** POST the ID-card photo (老年人). OCR problems (under 60, no number found) are thrown for the home page. */
export async function identifyByIdCard(imageBase64: string): Promise<ScanOutcome> {
  try {
    return { kind: 'result', result: await postOcrScan(imageBase64) };
  } catch (e) {
    if (isRefusal(e)) return { kind: 'refused', code: e.code, message: e.message };
    throw e;
  }
}
