// Contract of the scanner staff API (/api/v1/staff/*), shared by the server and the mini-program
// (manual 六, F1–F6). Staff are legal-person sub-accounts (扫码员): they sign in with their phone number
// and password and get a bearer session. Every route needs `Authorization: Bearer <staff token>` except
// sign-in. Until the initial password is changed only `me`, `password` and sign-out answer; the others
// refuse with 403 PASSWORD_CHANGE_REQUIRED. A sub-account the unit has not authorised cannot sign in
// (403 STAFF_NOT_AUTHORISED), and loses its sessions' scanning rights when authorisation is withdrawn.
import type { OriginColour } from './nationalApi';
import type { AreaLevel } from './areaLevels';
import type { Colour } from './colours';

/** POST /api/v1/staff/sessions → 201 StaffSessionResponse. 5 wrong passwords lock the account for 15 minutes (423 ACCOUNT_LOCKED). */
export interface StaffSignInRequest { phone: string; password: string }
export interface StaffSessionResponse { token: string; expiresAt: string; me: StaffMe }
/** DELETE /api/v1/staff/sessions/current → 204 */

/** POST /api/v1/staff/password → StaffMe. Other sessions of the account are signed out. */
export interface StaffPasswordRequest { currentPassword: string; newPassword: string }
/** The rule itself: checkNewPassword in common/src/passwords.ts. */
export const STAFF_PASSWORD_RULE_TEXT = '新密码须为 8–32 位，同时包含字母和数字，不能有空格，不能与原密码相同，不能包含手机号';

export const ORGANISATION_KINDS = ['health_department', 'government', 'enterprise'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** GET /api/v1/staff/me */
export interface StaffMe {
  accountId: number;
  name: string | null;
  phoneMasked: string;
  mustChangePassword: boolean;
  organisation: { id: number; name: string; kind: OrganisationKind };
  /** The current scan point; null until the staff member has reported one (the home page then asks for it). */
  scanPoint: ScanPoint | null;
  /** Service points of the unit the staff member may attach the scan point to (crowd flow counts their scans there). */
  servicePoints: { id: number; name: string; areaCode: string; address: string | null }[];
}

/** GET /api/v1/staff/areas?parent=<code> → { areas: AreaOption[] } (the county picker; provinces without parent). */

/** PUT /api/v1/staff/scan-point → ScanPoint (扫码点信息; 修改扫码点位置 uses the same call). */
export interface ScanPointRequest {
  communityName: string;
  pointName: string;
  /** GB/T 2260 county code (6 digits, county level). */
  areaCode: string;
  /** Text of the location; filled by "定位当前位置" or typed. */
  location: string;
  latitude?: number | null;
  longitude?: number | null;
  servicePointId?: number | null;
}
export interface ScanPoint {
  communityName: string;
  pointName: string;
  areaCode: string;
  /** e.g. 福建省福州市鼓楼区 */
  areaName: string;
  location: string;
  latitude: number | null;
  longitude: number | null;
  servicePoint: { id: number; name: string } | null;
  updatedAt: string;
}

export const SCAN_METHODS = ['camera', 'typed', 'ocr', 'self'] as const;
export type ScanMethod = (typeof SCAN_METHODS)[number];
export const SCAN_METHOD_TEXT: Record<ScanMethod, string> = {
  camera: '扫码',
  typed: '人工输入',
  ocr: '身份证识别',
  self: '主动登记',
};

export const TEMPERATURE_RESULTS = ['normal', 'abnormal'] as const;
export type TemperatureResult = (typeof TEMPERATURE_RESULTS)[number];
export const TEMPERATURE_RESULT_TEXT: Record<TemperatureResult, string> = { normal: '体温正常', abnormal: '体温异常' };
/** What a record without feedback shows. */
export const NO_FEEDBACK_TEXT = '未反馈';
export const TEMPERATURE_MIN_CELSIUS = 35.0;
export const TEMPERATURE_MAX_CELSIUS = 42.0;

export const PASS_REASONS = ['work', 'life', 'medical', 'visit', 'delivery', 'other'] as const;
export type PassReason = (typeof PASS_REASONS)[number];
export const PASS_REASON_TEXT: Record<PassReason, string> = {
  work: '工作',
  life: '生活',
  medical: '就医',
  visit: '探亲访友',
  delivery: '快递外卖',
  other: '其他',
};

/**
 * Identify a person; the scan record is written at once, with temperature 未反馈.
 * POST /api/v1/staff/scans { token } (camera; token of kind code or card) or { codeNumber } (typed:
 * rate-limited per staff account, 429 RATE_LIMITED; the record is marked 人工输入) → 201 ScanResult.
 * POST /api/v1/staff/scans/ocr { imageBase64 } (photo of an ID card front, JPEG or PNG, at most 6 MiB;
 * only people aged 60 or over: 422 OCR_UNDER_60, 422 OCR_NO_ID_NUMBER) → 201 ScanResult.
 * Refusals: 400 TOKEN_MALFORMED / TOKEN_BAD_SIGNATURE / TOKEN_EXPIRED / TOKEN_REVOKED / TOKEN_WRONG_KIND,
 * 410 CARD_REVOKED / CARD_EXPIRED (a printed card, H4), 404 CODE_NOT_FOUND, 409 SCAN_POINT_REQUIRED (no scan point reported yet).
 */
export type ScanRequest = { token: string } | { codeNumber: string };
export interface OcrScanRequest { imageBase64: string }

export interface ScanRecordView {
  id: number;
  /** 监测地址, e.g. 鼓楼区福建省经济信息中心 */
  address: string;
  scannedAt: string;
  method: ScanMethod;
  methodText: string;
  colour: Colour;
  temperatureResult: TemperatureResult | null;
  /** 体温正常 / 体温异常 / 未反馈 */
  temperatureText: string;
  temperatureCelsius: number | null;
  passReason: PassReason | null;
  passReasonText: string | null;
}

export interface AreaWarningView {
  areaCode: string;
  /** e.g. 福州市鼓楼区 */
  areaName: string;
  level: AreaLevel;
  levelText: string;
  policy: string | null;
  /** 14天内去过的最严重地区是在 福州市鼓楼区，目前该地区为零星散发疫情区。 */
  text: string;
}

/** How many of the person's newest records the result shows; the rest behind 更多. */
export const RECENT_SCANS_SHOWN = 3;

export interface ScanResult {
  /** The record written by this identification; feedback goes to it. */
  scanId: number;
  method: ScanMethod;
  methodText: string;
  scannedAt: string;
  person: {
    nameMasked: string;
    idMasked: string;
    /** 居住地址: the residence county's full name, or null when the person has not given it. */
    residence: string | null;
  };
  colour: Colour;
  colourText: string;
  /** The 14-day area rule (六(二)4 D); null when nothing is more severe than this scan point's area. */
  areaWarning: AreaWarningView | null;
  /** The person's most recent scan records, newest first (this one included); more via the history route. */
  recentScans: ScanRecordView[];
  hasMoreScans: boolean;
  /** Token times when identified by a token; null for typed numbers and OCR. */
  tokenIssuedAt: string | null;
  tokenExpiresAt: string | null;
  /**
   * When the code shown was the national platform's 防疫健康信息码 (B2): its origin province and colour.
   * `colour` above is then orange unless both the national pass and the person's Bamin status are green.
   */
  national?: { provinceCode: string; provinceName: string; colour: OriginColour; colourText: string } | null;
  /**
   * When the QR was a printed 健康码卡片 (H4): its validity. The colour above is still the current one, looked
   * up now; the card itself carries none. Absent or null for a code on a phone.
   */
  card?: { expiresAt: string; validUntil: string; text: string } | null;
}

/** GET /api/v1/staff/scans/:scanId/history?page=1&pageSize=10 → the scanned person's records (更多); only for the staff member's own scan. */
export interface ScanHistoryPage { items: ScanRecordView[]; page: number; pageSize: number; total: number }

/** GET /api/v1/staff/scans?page=1&pageSize=20 → this staff member's own scans today and before, newest first. */
export interface MyScansPage { items: (ScanRecordView & { personNameMasked: string })[]; page: number; pageSize: number; total: number }

/**
 * PUT /api/v1/staff/scans/:scanId/feedback → ScanRecordView (反馈结果). Submitting again updates the
 * same record; another staff member's record is refused (403 SCAN_NOT_OWN).
 */
export interface FeedbackRequest {
  passReason: PassReason;
  temperatureResult: TemperatureResult;
  /** Optional measured temperature, 35.0–42.0 °C, one decimal. */
  temperatureCelsius?: number | null;
}
