// Cross-province mutual recognition (manual 二; B1–B3, H6; issue 9). Two contracts live here:
//
// 1. The wire contract with the national government service platform (国家政务服务平台). Its operations
//    follow the interface verbs of GB/T 38963-2020 (个人健康信息码 应用接口). This system uses three of
//    them: healthInfoQuery (the origin province's pass of a person), codeVerification (验码: a national
//    防疫健康信息码 shown to a scanner) and correction (纠错). The stand-in platform of development and
//    tests (server/src/standins/nationalPlatform.ts, `npm run national-platform`) implements the same wire contract.
// 2. The national 防疫健康信息码 token, which a scanner may verify offline with the platform's
//    published keys (verifyNationalToken, pure, shared with the mini-program).
//
// Signatures: Ed25519 over canonicalJson(envelope without `signature`), base64url. Requests are signed
// with the calling province's key (registered with the platform by appId); responses with the
// platform's key. Either side refuses an envelope whose signature does not verify against a key it
// trusts, whose timestamp is more than NATIONAL_MAX_SKEW_SECONDS away from its clock, or (requests)
// whose requestId it has seen in that window.
import { base64UrlDecode, base64UrlEncode, type Ed25519Verify } from './codeToken';
import type { Day } from './dates';

/** Ed25519 signing, injected like Ed25519Verify (node:crypto on the server, tweetnacl in a client). */
export type Ed25519Sign = (message: Uint8Array) => Uint8Array;

/** GB/T 38963-2020 interface verbs, named as in the standard's order. */
export const NATIONAL_OPERATIONS = [
  'healthDeclaration', // 健康申报
  'itineraryDeclaration', // 行程申报
  'healthInfoQuery', // 健康信息查询
  'codeRequest', // 申码
  'codeGeneration', // 制码
  'codeVerification', // 验码
  'correction', // 纠错
] as const;
export type NationalOperation = (typeof NATIONAL_OPERATIONS)[number];
/** The operations this system calls (the others are named for completeness and answer 501 on the stand-in). */
export const NATIONAL_OPERATIONS_USED = ['healthInfoQuery', 'codeVerification', 'correction'] as const satisfies readonly NationalOperation[];

export const NATIONAL_MAX_SKEW_SECONDS = 300;
/** The adapter gives up on a call after this long (the citizen is never kept waiting longer). */
export const NATIONAL_TIMEOUT_MS = 2000;

/** Colours of other provinces' health passes (健康通行码). */
export const ORIGIN_COLOURS = ['green', 'yellow', 'red'] as const;
export type OriginColour = (typeof ORIGIN_COLOURS)[number];
export const ORIGIN_COLOUR_TEXT: Record<OriginColour, string> = { green: '绿码', yellow: '黄码', red: '红码' };

/** POST {base}/gbt38963/v1/{operation}, Content-Type application/json. */
export interface NationalRequest<B = unknown> {
  appId: string;
  operation: NationalOperation;
  /** Unique per request (replays are refused). */
  requestId: string;
  /** ISO 8601 */
  timestamp: string;
  keyId: string;
  body: B;
  signature: string;
}

export const NATIONAL_RESULT_CODES = ['OK', 'NOT_FOUND', 'BAD_REQUEST', 'BAD_SIGNATURE', 'REPLAYED', 'UNKNOWN_APP', 'NOT_IMPLEMENTED'] as const;
export type NationalResultCode = (typeof NATIONAL_RESULT_CODES)[number];

/** Every answer, 2xx or 4xx, is such a signed envelope; a 5xx or a time-out is not. */
export interface NationalResponse<B = unknown> {
  requestId: string;
  timestamp: string;
  keyId: string;
  code: NationalResultCode;
  message: string;
  body: B | null;
  signature: string;
}

/** An origin province's health pass as the national platform holds it. */
export interface OriginPass {
  passId: string;
  /** GB/T 2260 province code, e.g. 440000 */
  provinceCode: string;
  provinceName: string;
  colour: OriginColour;
  /** ISO 8601 */
  issuedAt: string;
  expiresAt: string;
}

export interface NationalIdentity {
  name: string;
  idType: 'resident_id';
  idNumber: string;
}

/** healthInfoQuery: the latest valid origin pass of a person. NOT_FOUND when there is none. */
export interface HealthInfoQueryBody {
  idType: 'resident_id';
  idNumber: string;
  name?: string;
}
export interface HealthInfoQueryResult {
  pass: OriginPass;
}

/** codeVerification (验码): a national token → who holds it and their pass. */
export interface CodeVerificationBody {
  token: string;
}
export interface CodeVerificationResult {
  valid: boolean;
  /** when not valid */
  reason: 'expired' | 'revoked' | 'bad_signature' | 'malformed' | null;
  holder: NationalIdentity | null;
  pass: OriginPass | null;
}

/** correction (纠错): the holder disputes an origin pass. */
export interface CorrectionBody {
  passId: string;
  idType: 'resident_id';
  idNumber: string;
  reason: string;
  /** The filing province's own reference (corrections.id). */
  localRef: string;
}
export interface CorrectionResult {
  ticket: string;
  status: 'received';
}

/** GET {base}/gbt38963/v1/keys → { keys: [{ keyId, publicKey (base64url raw 32 bytes) }] } (signed tokens and responses). */
export interface NationalKeySet {
  keys: { keyId: string; publicKey: string }[];
}

// ---- canonical JSON and signatures ----

/** JSON with object keys sorted at every level: the bytes both sides sign. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Signs an envelope (everything but `signature`). */
export function signEnvelope(envelope: Record<string, unknown>, sign: Ed25519Sign): string {
  const { signature: _ignored, ...rest } = envelope;
  return base64UrlEncode(sign(utf8(canonicalJson(rest))));
}

/** True when `signature` is the Ed25519 signature of the rest of the envelope under `publicKey` (32 bytes raw). */
export function verifyEnvelope(envelope: Record<string, unknown>, publicKey: Uint8Array, verify: Ed25519Verify): boolean {
  const { signature, ...rest } = envelope;
  if (typeof signature !== 'string') return false;
  const sig = base64UrlDecode(signature);
  if (!sig || sig.length !== 64 || publicKey.length !== 32) return false;
  try {
    return verify(publicKey, utf8(canonicalJson(rest)), sig) === true;
  } catch {
    return false;
  }
}

// ---- the national 防疫健康信息码 token ----
//
// Text of the QR: "NHC1.<payload>.<signature>", payload = base64url(canonicalJson(NationalTokenPayload)),
// signature = base64url(Ed25519(payload text bytes)) under one of the platform's published keys. It
// carries masked identity only (the full one comes from codeVerification, online).

export const NATIONAL_TOKEN_PREFIX = 'NHC1';

export interface NationalTokenPayload {
  v: 1;
  keyId: string;
  passId: string;
  provinceCode: string;
  provinceName: string;
  colour: OriginColour;
  nameMasked: string;
  idMasked: string;
  /** seconds since the epoch */
  iat: number;
  exp: number;
}

export function isNationalToken(text: string): boolean {
  return typeof text === 'string' && text.startsWith(`${NATIONAL_TOKEN_PREFIX}.`);
}

export function signNationalToken(payload: NationalTokenPayload, sign: Ed25519Sign): string {
  const body = base64UrlEncode(utf8(canonicalJson(payload)));
  return `${NATIONAL_TOKEN_PREFIX}.${body}.${base64UrlEncode(sign(utf8(body)))}`;
}

export type NationalTokenCheck =
  | { ok: true; payload: NationalTokenPayload }
  | { ok: false; reason: 'malformed' | 'unknown_key' | 'bad_signature' | 'expired' };

/** Offline check (scanner): signature under a published key, then expiry at `now`. */
export function verifyNationalToken(token: string, keys: NationalKeySet, now: Date, verify: Ed25519Verify): NationalTokenCheck {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3 || parts[0] !== NATIONAL_TOKEN_PREFIX) return { ok: false, reason: 'malformed' };
  const raw = base64UrlDecode(parts[1]);
  const sig = base64UrlDecode(parts[2]);
  if (!raw || !sig || sig.length !== 64) return { ok: false, reason: 'malformed' };
  let payload: NationalTokenPayload;
  try {
    payload = JSON.parse(new TextDecoder().decode(raw)) as NationalTokenPayload;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (payload?.v !== 1 || typeof payload.keyId !== 'string' || typeof payload.exp !== 'number') return { ok: false, reason: 'malformed' };
  const key = keys.keys.find((k) => k.keyId === payload.keyId);
  const pub = key && base64UrlDecode(key.publicKey);
  if (!pub || pub.length !== 32) return { ok: false, reason: 'unknown_key' };
  let good = false;
  try {
    good = verify(pub, utf8(parts[1]), sig) === true;
  } catch {
    good = false;
  }
  if (!good) return { ok: false, reason: 'bad_signature' };
  if (now.getTime() / 1000 >= payload.exp) return { ok: false, reason: 'expired' };
  return { ok: true, payload };
}

// ---- this system's own API around it (app and console) ----

/**
 * POST /api/v1/app/arrival-declarations (入闽申报, citizen, for oneself) → 201 ArrivalDeclarationView
 *   originProvinceCode: a province other than Fujian (350000); arrivalDate: YYYY-MM-DD, within the last
 *   14 days or the next 3 (入闽前 1 至 3 天); 400 naming the field otherwise.
 * GET /api/v1/app/arrival-declarations → ArrivalDeclarationView[] (newest first)
 * Declaring triggers an origin-pass check at once (as a code refresh does).
 */
/** 入闽申报: the arrival day lies within the last 14 days (today included) or up to 3 days ahead (入闽前 1 至 3 天). */
export const ARRIVAL_PAST_DAYS = 14;
export const ARRIVAL_FUTURE_DAYS = 3;
/** 福建省: never an origin. */
export const FUJIAN_PROVINCE_CODE = '350000';

export interface ArrivalDeclarationRequest {
  originProvinceCode: string;
  arrivalDate: Day;
}
export interface ArrivalDeclarationView {
  id: number;
  originProvinceCode: string;
  originProvinceName: string;
  arrivalDate: Day;
  createdAt: string;
}

/** How the last origin-pass check of a code went; part of CodeView when the person is an arrival. */
export interface OriginCheckView {
  /**
   * checked: the platform answered with a pass (province and colour set); not_found: it answered that there
   * is none; unavailable: the last attempt failed and the code is from local data (province and colour are
   * those of the last pass found, if any, else null)
   */
  status: 'checked' | 'not_found' | 'unavailable';
  provinceCode: string | null;
  provinceName: string | null;
  colour: OriginColour | null;
  colourText: string | null;
  checkedAt: string | null;
  /** Shown to the holder, e.g. 未能核验来源地健康通行码，已按本省数据赋码，系统将自动重试 */
  note: string | null;
}
export const ORIGIN_UNAVAILABLE_NOTE = '暂未能核验您的来源地健康通行码，已按本省数据赋码，系统将自动重试';

/** A correction's reason, in characters as a person counts them (a CJK character or an emoji is one), trimmed. */
export const CORRECTION_REASON_MIN = 5;
export const CORRECTION_REASON_MAX = 500;
export function correctionReasonLength(text: string): number {
  return Array.from(text.trim()).length;
}

/** Corrections (纠错/申诉, H6). */
export const CORRECTION_KINDS = ['local', 'origin'] as const;
export type CorrectionKind = (typeof CORRECTION_KINDS)[number];
export const CORRECTION_KIND_TEXT: Record<CorrectionKind, string> = { local: '本省健康码', origin: '来源地健康通行码' };
export const CORRECTION_STATUSES = ['pending', 'accepted', 'rejected', 'forwarded', 'forward_failed'] as const;
export type CorrectionStatus = (typeof CORRECTION_STATUSES)[number];
export const CORRECTION_STATUS_TEXT: Record<CorrectionStatus, string> = {
  pending: '待处理',
  accepted: '已采纳',
  rejected: '未采纳',
  forwarded: '已转国家平台',
  forward_failed: '转国家平台失败，将自动重试',
};

/**
 * POST /api/v1/app/corrections (citizen; holder 'self' or a family holder id) → 201 CorrectionView
 *   kind 'local': the Bamin code itself; 'origin': the origin pass merged into it (needs one on record).
 *   reason 5–500 characters. One open (pending/forwarded) correction per holder and kind: 409 CORRECTION_OPEN.
 * GET /api/v1/app/corrections?holder=self → CorrectionView[] (newest first)
 * Console (health department only):
 * GET /api/v1/console/corrections?status=pending&page&pageSize → Page<CorrectionConsoleView>
 * POST /api/v1/console/corrections/:id/decision { decision: 'accept' | 'reject', note } → CorrectionConsoleView
 *   only local, pending ones (409 CORRECTION_NOT_PENDING). Accepting records an override: the code is
 *   green until new data about the person arrives (a source row or origin pass recorded after it).
 */
export interface CorrectionRequest {
  holder: string;
  kind: CorrectionKind;
  reason: string;
}
export interface CorrectionView {
  id: number;
  kind: CorrectionKind;
  kindText: string;
  reason: string;
  status: CorrectionStatus;
  statusText: string;
  /** the health department's note on a decision */
  decisionNote: string | null;
  decidedAt: string | null;
  createdAt: string;
}
export interface CorrectionConsoleView extends CorrectionView {
  nameMasked: string;
  idMasked: string;
  /** colour and reasons when filed */
  colourText: string;
  reasonsText: string[];
  decidedBy: string | null;
}
