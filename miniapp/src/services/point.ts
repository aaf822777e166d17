// 扫一扫 → 服务单位健康码 → 信息登记 (manual 三(二); C1–C4): what a scanned text means, how the server's
// refusals are shown, and the point page's answer kept in memory for the registration page.
import { decodeToken } from '@bamin/common/codeToken';
import type { PointPage } from '@bamin/common/pointApi';
import { ApiError, errorMessage } from './api';
import { PAGES } from './routes';

/**
 * The poster token in a scanned text: the token itself (what the poster's QR carries) or a link with
 * `token=` (the H5 page's address `…#/pages/point/index?token=…`, or a mini-program path).
 */
export function tokenFromScan(text: string): string {
  const s = (text ?? '').trim();
  const m = /[?&#]token=([^&#\s]+)/.exec(s);
  if (!m) return s;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

export type ScanTarget = { ok: true; token: string } | { ok: false; problem: string };

/**
 * Where a scanned text leads. A text that parses as a point token goes to the point page (whose server
 * call verifies it: a forged or revoked poster is refused there, loudly); a personal code or anything
 * else is turned away here.
 */
export function scanTarget(text: string): ScanTarget {
  const token = tokenFromScan(text);
  const decoded = decodeToken(token);
  if (decoded.ok && decoded.payload.kind === 'point') return { ok: true, token };
  if (decoded.ok) return { ok: false, problem: '这是个人健康码，不是服务单位健康码，请扫描服务单位张贴的二维码' };
  return { ok: false, problem: '未识别到服务单位健康码，请扫描服务单位张贴的二维码' };
}

export function pointUrl(token: string): string {
  return `${PAGES.point}?token=${encodeURIComponent(token)}`;
}

export function registerUrl(token: string): string {
  return `${PAGES.register}?token=${encodeURIComponent(token)}`;
}

/** Answers that mean "this QR is not a valid service point": a red banner, never a point. */
const REFUSALS = ['TOKEN_MALFORMED', 'TOKEN_BAD_SIGNATURE', 'TOKEN_EXPIRED', 'TOKEN_REVOKED', 'TOKEN_WRONG_KIND', 'CODE_NOT_FOUND'];

/** What the citizen reads for a refusal: the server's words, with what to do next where it helps. */
const REFUSAL_HINT: Record<string, string> = {
  TOKEN_REVOKED: '该服务单位已更换二维码，请扫描现场张贴的最新二维码。',
  TOKEN_EXPIRED: '请联系服务单位更换二维码。',
  CODE_NOT_FOUND: '该服务单位健康码已失效，请联系服务单位。',
};

export type PointProblem =
  | { kind: 'code-required'; message: string }
  | { kind: 'refused'; code: string; message: string; hint: string | null }
  | { kind: 'signed-out' }
  | { kind: 'failed'; message: string };

export function pointProblem(e: unknown): PointProblem {
  if (e instanceof ApiError) {
    if (e.status === 401) return { kind: 'signed-out' };
    // manual 三(二)4: registration only after one's own code was generated at least once (C1).
    if (e.code === 'CODE_REQUIRED_FIRST') return { kind: 'code-required', message: e.message };
    if (REFUSALS.includes(e.code)) return { kind: 'refused', code: e.code, message: e.message, hint: REFUSAL_HINT[e.code] ?? null };
  }
  return { kind: 'failed', message: errorMessage(e) };
}

/** The point page's answer, for the registration page (members and names), keyed by its token. */
let current: { token: string; page: PointPage } | null = null;

export function rememberPoint(token: string, page: PointPage): void {
  current = { token, page };
}

export function rememberedPoint(token: string): PointPage | null {
  return current && current.token === token ? current.page : null;
}

export function forgetPoint(): void {
  current = null;
}
