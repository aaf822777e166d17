// Contract of the PC console API (/api/v1/console/*), shared by the server and admin/ (manual 四 and 五;
// D1–D3, D6, E1, E5, E6). The console session lives in an httpOnly, SameSite=Strict cookie
// (`bamin_console`); the browser sends it with `credentials: 'same-origin'` (the console is served by the
// same server at /admin/). Every route declares which roles may call it; another unit's data is never
// returned or changed (404 for ids of other units).
//
// Errors are `{ error: { code, message, details?: [{ field?, line?, problem }] } }`.
import type { IdType } from './idDocuments';
import type { OrganisationKind } from './staffApi';

/** Who a console account acts for: the unit's kind. */
export type ConsoleRole = OrganisationKind; // 'health_department' | 'government' | 'enterprise'
export const CONSOLE_ROLE_TEXT: Record<ConsoleRole, string> = {
  health_department: '卫健委',
  government: '政府单位',
  enterprise: '企业',
};

/** How the session was opened: E6 (sub-accounts of an enterprise) needs 'ca'. */
export type ConsoleAuthMethod = 'password' | 'ca' | 'personal';

export interface ConsoleMe {
  accountId: number | null;
  /** Set for password and CA sessions. */
  loginName: string | null;
  role: ConsoleRole | null;
  authMethod: ConsoleAuthMethod;
  mustChangePassword: boolean;
  /** null only for a personal session not yet associated with an enterprise (it can only associate or sign out). */
  organisation: null | { id: number; name: string; kind: OrganisationKind; creditCode: string | null; areaCode: string | null };
  /** Personal sessions: the signed-in person's masked name. */
  personNameMasked: string | null;
}

// ---- sign-in -------------------------------------------------------------------------------------

/** POST /api/v1/console/sessions → 201 { me } + cookie. 401 CONSOLE_BAD_CREDENTIALS, 423 ACCOUNT_LOCKED (5 failures → 15 min). */
export interface ConsoleSignInRequest { loginName: string; password: string }
export interface ConsoleSessionResponse { me: ConsoleMe }
/** DELETE /api/v1/console/sessions/current → 204 (cookie cleared). GET /api/v1/console/me → ConsoleMe. */

/** POST /api/v1/console/password → ConsoleMe. The rule: checkNewPassword (common/src/passwords.ts). */
export interface ConsolePasswordRequest { currentPassword: string; newPassword: string }

/**
 * CA-certificate login (E1), standing in for the UKey: the enterprise holds a PEM file with its
 * certificate (ECDSA P-256, issued by the configured CA; the credit code in the subject's
 * organizationIdentifier, OID 2.5.4.97) and its PKCS#8 private key. The console asks for a challenge,
 * signs the challenge bytes with WebCrypto (ECDSA, SHA-256; the signature in WebCrypto's raw r||s form,
 * base64url) and sends the certificate with the signature.
 * POST /api/v1/console/ca/challenges → 201 CaChallenge
 * POST /api/v1/console/ca/sessions → 201 { me } + cookie. Refusals, each with its own message:
 * 400 CA_CERT_MALFORMED, 401 CA_CERT_EXPIRED (or not yet valid), 401 CA_CERT_UNTRUSTED (self-signed or
 * not issued by the configured CA), 401 CA_CERT_WRONG_ENTERPRISE (no registered enterprise has the
 * certificate's credit code), 401 CA_SIGNATURE_INVALID, 400 CA_CHALLENGE_EXPIRED (unknown, used or older
 * than 5 minutes).
 */
export interface CaChallenge { challengeId: string; /** base64url of 32 random bytes: sign these bytes */ challenge: string; expiresAt: string }
export interface CaSignInRequest { challengeId: string; certificatePem: string; /** base64url, raw r||s (64 bytes) */ signature: string }

/**
 * Personal real-name login (E1 (2)): a citizen account (phone + SMS code, purpose 'console', the same SMS
 * flow as the app: POST /api/v1/app/sms-codes) that has passed the L4 check. Not yet associated, it can
 * only associate with an enterprise: the personal account's verified ID number must equal the legal
 * representative's or the agent's ID number of that enterprise (403 ENTERPRISE_ASSOCIATION_REFUSED).
 * Every other console route answers 403 ENTERPRISE_NOT_ASSOCIATED until then.
 * POST /api/v1/console/personal/sessions → 201 { me } + cookie (403 L4_REQUIRED when not verified)
 * POST /api/v1/console/personal/association → ConsoleMe
 */
export interface PersonalSignInRequest { phone: string; smsCode: string }
export interface AssociationRequest { creditCode: string }

// ---- registration and account generation ------------------------------------------------------------

export const LEGAL_PERSON_TYPES = ['enterprise', 'public_institution', 'social_organisation', 'other'] as const;
export type LegalPersonType = (typeof LEGAL_PERSON_TYPES)[number];
export const LEGAL_PERSON_TYPE_TEXT: Record<LegalPersonType, string> = {
  enterprise: '企业法人',
  public_institution: '事业单位法人',
  social_organisation: '社会团体法人',
  other: '其他组织',
};
export const ENTERPRISE_PASSWORD_MIN = 6;
export const ENTERPRISE_PASSWORD_MAX = 16;

/**
 * POST /api/v1/console/enterprises → 201 EnterpriseRegistered (法人注册, E1). Every field checked and named
 * on error; the credit code by GB 32100 (409 CREDIT_CODE_TAKEN when registered already); resident ID
 * numbers by GB 11643; the agent's phone proved by an SMS code (purpose 'console'); password 6–16
 * characters, case-sensitive, equal to the confirmation; the agreement accepted.
 */
export interface EnterpriseRegistrationRequest {
  legalPersonType: LegalPersonType;
  name: string;
  creditCode: string;
  hasLicence: boolean;
  /** Required when hasLicence. */
  licenceNumber?: string | null;
  legalRepName: string;
  legalRepIdType: IdType;
  /** ISO 3166 alpha-3; 'CHN' for resident IDs. */
  legalRepCountry: string;
  legalRepIdNumber: string;
  agentPhone: string;
  smsCode: string;
  agentName: string;
  /** 经办人身份证: a resident ID number. */
  agentIdNumber: string;
  password: string;
  passwordConfirmation: string;
  agreed: boolean;
}
/** The enterprise logs in with its credit code as user name (or its CA certificate, or a personal account). */
export interface EnterpriseRegistered { organisationId: number; loginName: string }

/**
 * D1: POST /api/v1/console/government-accounts → 201 GovernmentAccountIssued: a government unit's name,
 * credit code and the activation code the health department issued for that credit code yield the user
 * name and a one-time initial password, shown once (must be changed at first login). 400
 * ACTIVATION_CODE_INVALID (unknown, used, expired or for another credit code / name).
 */
export interface GovernmentAccountRequest { name: string; creditCode: string; activationCode: string }
export interface GovernmentAccountIssued { loginName: string; initialPassword: string; organisationId: number }

/**
 * Health department only. POST /api/v1/console/activation-codes → 201 ActivationCodeIssued (shown once;
 * stored hashed; single use; valid 30 days). The unit sits under the department of `areaCode` in the
 * department tree (province → city → county). GET /api/v1/console/activation-codes?page → list without
 * the codes.
 */
export interface ActivationCodeRequest { unitName: string; creditCode: string; areaCode: string }
export interface ActivationCodeIssued { id: number; activationCode: string; expiresAt: string }
export interface ActivationCodeView { id: number; unitName: string; creditCode: string; areaCode: string; areaName: string; expiresAt: string; usedAt: string | null }

// ---- sub-accounts (D3, E6) -----------------------------------------------------------------------

/** The initial password of a new or reset sub-account, as the manual says (四(四)); it must be changed at first sign-in. */
export const SUB_ACCOUNT_INITIAL_PASSWORD = 'abc@123456';

/**
 * GET /api/v1/console/sub-accounts?page&pageSize&phone → Page<SubAccountView>
 * POST /api/v1/console/sub-accounts { phone, name } → 201 SubAccountView (government: authorised at once;
 *   enterprise: not authorised until POST …/:id/authorise). 409 SUB_ACCOUNT_PHONE_TAKEN.
 * POST /api/v1/console/sub-accounts/:id/authorise | /revoke | /disable | /enable | /reset-password → SubAccountView
 * Enterprises: every sub-account route needs a CA session (403 CA_SESSION_REQUIRED for password or personal sessions).
 */
export interface SubAccountRequest { phone: string; name: string }
export interface SubAccountView {
  id: number;
  name: string | null;
  phoneMasked: string;
  authorised: boolean;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: string;
}

// ---- the unit and its employees (D6, E5) ------------------------------------------------------------

/** GET /api/v1/console/organisation → OrganisationView; PUT (enterprises: name, legal representative, phone; the credit code cannot change). */
export interface OrganisationView {
  id: number;
  kind: OrganisationKind;
  name: string;
  creditCode: string | null;
  areaCode: string | null;
  areaName: string | null;
  legalRepName: string | null;
  legalRepPhoneMasked: string | null;
  parent: { id: number; name: string } | null;
}
export interface OrganisationUpdateRequest { name: string; legalRepName: string; legalRepPhone: string }

/**
 * GET /api/v1/console/employees?name=&idNumber=&page=1&pageSize=10 → Page<EmployeeView> (idNumber: exact
 * match through the keyed hash; name: contains)
 * POST /api/v1/console/employees → 201 EmployeeView (409 EMPLOYEE_EXISTS: same ID number in this unit)
 * PUT /api/v1/console/employees/:id → EmployeeView; DELETE /api/v1/console/employees/:id → 204
 * POST /api/v1/console/employees/batch-delete { ids } → { deleted } (all of this unit's, or nothing: 404)
 * GET /api/v1/console/employees/template.xlsx → the import template
 * POST /api/v1/console/employees/imports (the .xlsx as the body, Content-Type
 *   application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, ≤ 20 MiB) → 202 ImportJob
 * GET /api/v1/console/employees/imports/:jobId → ImportJob (poll for progress). The whole file loads or
 *   nothing; every bad row is reported with its row number and column.
 */
export interface EmployeeRequest {
  name: string;
  idType: IdType;
  idNumber: string;
  country?: string | null;
  phone?: string | null;
  department?: string | null;
}
export interface EmployeeView {
  id: number;
  name: string;
  idType: IdType;
  idMasked: string;
  phoneMasked: string | null;
  department: string | null;
  createdAt: string;
}
export interface Page<T> { items: T[]; page: number; pageSize: number; total: number }

export const EMPLOYEE_IMPORT_COLUMNS = ['姓名', '证件类型', '证件号码', '国家/地区', '手机号码', '部门'] as const;
export type ImportJobStatus = 'queued' | 'running' | 'done' | 'failed';
export interface ImportJob {
  jobId: string;
  status: ImportJobStatus;
  /** Data rows in the file (known once parsed). */
  total: number | null;
  processed: number;
  /** When done: rows added. */
  inserted: number | null;
  /** When failed: every problem, by row number (as Excel shows it) and column. Nothing was loaded. */
  errors: { line: number; field?: string; problem: string }[];
  createdAt: string;
  finishedAt: string | null;
}

// ---- scan records (D4, E7), issue 6 ---------------------------------------------------------------

/**
 * GET /api/v1/console/scan-records?name=&idNumber=&areaCode=&temperature=normal|abnormal|none&colour=green|orange
 *   &from=YYYY-MM-DD&to=YYYY-MM-DD&scannerId=&mode=passive|active&page=&pageSize= → Page<ScanRecordRow>
 *   (the unit's scan points and service points, passive and active; name contains; idNumber exact through
 *   the keyed hash; areaCode: the scan point's county, or a city/province prefix; dates are Asia/Shanghai days, inclusive)
 * GET /api/v1/console/scan-records/:id → ScanRecordDetail
 * GET /api/v1/console/scan-records/people/:personRef → PassPersonView (audited: who looked at whom)
 * GET /api/v1/console/scan-records/scanners/:accountId → ScannerView (the unit's own sub-accounts only)
 * personRef: an opaque reference from a row (never the ID number).
 */
export interface ScanRecordRow {
  id: number;
  personRef: string;
  nameMasked: string;
  idMasked: string;
  /** 通行区域: the scan point's county, full name. */
  areaName: string;
  /** 扫码点 */
  pointName: string;
  scanner: { id: number; nameMasked: string } | null;
  scannedAt: string;
  mode: 'passive' | 'active';
  method: 'camera' | 'typed' | 'ocr' | 'self';
  methodText: string;
  colour: 'green' | 'orange';
  colourText: string;
  temperatureText: string;
}
export interface ScanRecordDetail extends ScanRecordRow {
  location: string | null;
  passReasonText: string | null;
  temperatureCelsius: number | null;
  feedbackAt: string | null;
  servicePointName: string | null;
}
export interface PassPersonView {
  personRef: string;
  nameMasked: string;
  idMasked: string;
  phoneMasked: string | null;
  residence: string | null;
  colour: 'green' | 'orange';
  colourText: string;
  /** Their pass records at this unit, newest first (up to 50). */
  records: ScanRecordRow[];
  /** Their health reports, newest first (up to 50). */
  reports: import('./appApi').HealthReportView[];
}
export interface ScannerView {
  id: number;
  name: string | null;
  phoneMasked: string;
  authorised: boolean;
  disabled: boolean;
  records: ScanRecordRow[];
  total: number;
}

// ---- employee health management (D5, E4) -----------------------------------------------------------

/**
 * GET /api/v1/console/employee-health?name=&idNumber=&status=reported|not_reported&from=&to=&result=normal|abnormal&page=&pageSize=
 *   → Page<EmployeeHealthRow> (status is about today, Asia/Shanghai; from/to filter the latest report's day;
 *   result: latest report without / with symptoms or fever ≥ 37.3 ℃)
 * POST /api/v1/console/employee-health/reminders { employeeIds } → { reminded } (an in-app message each;
 *   409 ALREADY_REPORTED naming those who reported today: nobody is reminded then)
 * GET /api/v1/console/employee-health/:employeeId/reports?from=&to=&type=&page= → Page<HealthReportView>
 * GET /api/v1/console/employee-health/export.xlsx?from=YYYY-MM-DD&to=YYYY-MM-DD → the reports of the range (streamed)
 */
export interface EmployeeHealthRow {
  employeeId: number;
  name: string;
  idMasked: string;
  department: string | null;
  reportedToday: boolean;
  /** 已上报 / 未上报 */
  statusText: string;
  latestReportAt: string | null;
  /** 正常 / 异常 / null */
  latestResultText: string | null;
}
export interface RemindRequest { employeeIds: number[] }

// ---- dashboard (E3) and government 企业数据管理 ----------------------------------------------------

/** GET /api/v1/console/dashboard?days=30 → Dashboard (from the nightly daily_stats; as of yesterday) */
export interface Dashboard {
  asOf: string;
  /** 截至昨日: employees on yesterday's roll, employees who have ever reported, reports in all. */
  totals: { employees: number; reportedEmployees: number; reports: number };
  /** Per day: employees who reported that day, that day's roll, and the share (0–1). */
  trend: { day: string; reportedEmployees: number; employees: number; share: number }[];
}
/** GET /api/v1/console/enterprises?page= (government units) → Page<EnterpriseSummary> of enterprises registered in the unit's area */
export interface EnterpriseSummary {
  organisationId: number;
  name: string;
  creditCode: string;
  employees: number;
  /** Yesterday's share of employees who reported (0–1), null without a roll. */
  yesterdayShare: number | null;
  /** Scan records at its points yesterday. */
  yesterdayEntries: number;
}
