// Every call of the console to the server, typed with the contract (common/src/consoleApi.ts). The console
// is served by the API server at /admin/, so requests are same-origin and carry the httpOnly session
// cookie; the page never sees a token.
import type { ApiErrorBody, ErrorDetail } from '@bamin/common/api';
import type { AreaOption, HealthReportView } from '@bamin/common/appApi';
import type { CrowdFlowCard, CrowdFlowRequest, CrowdFlowRow, ServicePointRequest, ServicePointView } from '@bamin/common/pointApi';
import type { AuditPage, UnitOption } from '@bamin/common/auditApi';
import type { CorrectionConsoleView, CorrectionStatus } from '@bamin/common/nationalApi';
import type { DataReportRequest, DataReportView, ReceiverOption, ReportScheduleRequest, ReportScheduleView } from '@bamin/common/reportApi';
import type {
  ActivationCodeIssued,
  ActivationCodeRequest,
  ActivationCodeView,
  AssociationRequest,
  CaChallenge,
  CaSignInRequest,
  ConsoleMe,
  ConsolePasswordRequest,
  Dashboard,
  EmployeeHealthRow,
  EnterpriseSummary,
  PassPersonView,
  ScanRecordDetail,
  ScanRecordRow,
  ScannerView,
  ConsoleSessionResponse,
  ConsoleSignInRequest,
  EmployeeRequest,
  EmployeeView,
  EnterpriseRegistered,
  EnterpriseRegistrationRequest,
  GovernmentAccountIssued,
  GovernmentAccountRequest,
  ImportJob,
  OrganisationUpdateRequest,
  OrganisationView,
  Page,
  PersonalSignInRequest,
  SubAccountRequest,
  SubAccountView,
} from '@bamin/common/consoleApi';

const CONSOLE = '/api/v1/console';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A refusal from the server (or the network), with the server's Chinese message and field details. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export function isApiFailure(e: unknown): e is ApiFailure {
  return e instanceof ApiFailure;
}

let onUnauthorised: (() => void) | null = null;
/** Called when a request that needs a session gets 401 (expired, signed out elsewhere): the app shows the login page. */
export function setUnauthorisedHandler(handler: (() => void) | null) {
  onUnauthorised = handler;
}

interface RequestOptions {
  body?: unknown;
  /** Raw body (the Excel upload) with its content type. */
  raw?: { data: Blob; type: string };
  /** Sign-in calls answer 401 for bad credentials: that is not a lost session. */
  session?: boolean;
}

/** Fetches a file with the session cookie (PNG/PDF poster, Excel export): refusals become ApiFailure as for JSON calls. */
async function fetchFile(path: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, { method: 'GET', credentials: 'same-origin' });
  } catch {
    throw new ApiFailure(0, 'NETWORK', '网络连接失败，请检查网络后重试');
  }
  if (!res.ok) {
    let err: ApiErrorBody['error'] | undefined;
    try {
      err = ((await res.json()) as ApiErrorBody | null)?.error;
    } catch {
      err = undefined;
    }
    if (res.status === 401 && onUnauthorised) onUnauthorised();
    throw new ApiFailure(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? `下载失败（${res.status}），请稍后重试`, err?.details ?? []);
  }
  return res;
}

async function download(path: string): Promise<Blob> {
  return (await fetchFile(path)).blob();
}

/**
 * The file name a response's Content-Disposition gives: RFC 6266's `filename*=UTF-8''…` (the server's
 * Chinese names) before a plain `filename="…"`; null when neither is there.
 */
export function fileNameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // a malformed escape: fall back to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain ? plain[1].trim() : null;
}

/** A file together with the name the server gave it. */
async function downloadNamed(path: string): Promise<{ blob: Blob; fileName: string | null }> {
  const res = await fetchFile(path);
  return { blob: await res.blob(), fileName: fileNameFromDisposition(res.headers.get('Content-Disposition')) };
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.raw) {
    headers['Content-Type'] = opts.raw.type;
    body = opts.raw.data;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiFailure(0, 'NETWORK', '网络连接失败，请检查网络后重试');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const err = (json as ApiErrorBody | null)?.error;
    const failure = new ApiFailure(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? `服务暂时不可用（${res.status}），请稍后重试`, err?.details ?? []);
    if (res.status === 401 && opts.session !== false && onUnauthorised) onUnauthorised();
    throw failure;
  }
  return json as T;
}

const qs = (params: Record<string, string | number | undefined | null>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const t = s.toString();
  return t ? `?${t}` : '';
};

export const api = {
  // ---- session ----
  /** 401 when nobody is signed in: the caller shows the login page itself. */
  me: () => request<ConsoleMe>('GET', `${CONSOLE}/me`, { session: false }),
  signIn: (body: ConsoleSignInRequest) => request<ConsoleSessionResponse>('POST', `${CONSOLE}/sessions`, { body, session: false }),
  signOut: () => request<void>('DELETE', `${CONSOLE}/sessions/current`, { session: false }),
  changePassword: (body: ConsolePasswordRequest) => request<ConsoleMe>('POST', `${CONSOLE}/password`, { body }),
  caChallenge: () => request<CaChallenge>('POST', `${CONSOLE}/ca/challenges`, { body: {}, session: false }),
  caSignIn: (body: CaSignInRequest) => request<ConsoleSessionResponse>('POST', `${CONSOLE}/ca/sessions`, { body, session: false }),
  sendSmsCode: (phone: string) => request<unknown>('POST', '/api/v1/app/sms-codes', { body: { phone, purpose: 'console' }, session: false }),
  personalSignIn: (body: PersonalSignInRequest) => request<ConsoleSessionResponse>('POST', `${CONSOLE}/personal/sessions`, { body, session: false }),
  associate: (body: AssociationRequest) => request<ConsoleMe>('POST', `${CONSOLE}/personal/association`, { body }),

  // ---- registration and account generation ----
  registerEnterprise: (body: EnterpriseRegistrationRequest) => request<EnterpriseRegistered>('POST', `${CONSOLE}/enterprises`, { body, session: false }),
  generateGovernmentAccount: (body: GovernmentAccountRequest) => request<GovernmentAccountIssued>('POST', `${CONSOLE}/government-accounts`, { body, session: false }),
  issueActivationCode: (body: ActivationCodeRequest) => request<ActivationCodeIssued>('POST', `${CONSOLE}/activation-codes`, { body }),
  activationCodes: (page: number) => request<Page<ActivationCodeView>>('GET', `${CONSOLE}/activation-codes${qs({ page })}`),
  areas: (parent?: string) => request<{ areas: AreaOption[] }>('GET', `${CONSOLE}/areas${qs({ parent })}`),

  // ---- sub-accounts ----
  subAccounts: (params: { page: number; pageSize: number; phone?: string }) => request<Page<SubAccountView>>('GET', `${CONSOLE}/sub-accounts${qs(params)}`),
  createSubAccount: (body: SubAccountRequest) => request<SubAccountView>('POST', `${CONSOLE}/sub-accounts`, { body }),
  subAccountAction: (id: number, action: 'authorise' | 'revoke' | 'disable' | 'enable' | 'reset-password') =>
    request<SubAccountView>('POST', `${CONSOLE}/sub-accounts/${id}/${action}`, { body: {} }),

  // ---- organisation and employees ----
  organisation: () => request<OrganisationView>('GET', `${CONSOLE}/organisation`),
  updateOrganisation: (body: OrganisationUpdateRequest) => request<OrganisationView>('PUT', `${CONSOLE}/organisation`, { body }),
  employees: (params: { name?: string; idNumber?: string; page: number; pageSize: number }) => request<Page<EmployeeView>>('GET', `${CONSOLE}/employees${qs(params)}`),
  createEmployee: (body: EmployeeRequest) => request<EmployeeView>('POST', `${CONSOLE}/employees`, { body }),
  updateEmployee: (id: number, body: EmployeeRequest) => request<EmployeeView>('PUT', `${CONSOLE}/employees/${id}`, { body }),
  deleteEmployee: (id: number) => request<void>('DELETE', `${CONSOLE}/employees/${id}`),
  batchDeleteEmployees: (ids: number[]) => request<{ deleted: number }>('POST', `${CONSOLE}/employees/batch-delete`, { body: { ids } }),
  /** A plain link: the browser sends the session cookie with it. */
  employeeTemplateUrl: `${CONSOLE}/employees/template.xlsx`,
  importEmployees: (file: Blob) => request<ImportJob>('POST', `${CONSOLE}/employees/imports`, { raw: { data: file, type: XLSX_TYPE } }),
  importJob: (jobId: string) => request<ImportJob>('GET', `${CONSOLE}/employees/imports/${encodeURIComponent(jobId)}`),

  // ---- dashboard and enterprises (E3, G2) ----
  dashboard: (days = 30) => request<Dashboard>('GET', `${CONSOLE}/dashboard${qs({ days })}`),
  enterprises: (params: { page: number; pageSize: number }) => request<Page<EnterpriseSummary>>('GET', `${CONSOLE}/enterprises${qs(params)}`),

  // ---- scan records (D4, E7) ----
  scanRecords: (params: ScanRecordQuery & { page: number; pageSize: number }) => request<Page<ScanRecordRow>>('GET', `${CONSOLE}/scan-records${qs({ ...params })}`),
  scanRecord: (id: number) => request<ScanRecordDetail>('GET', `${CONSOLE}/scan-records/${id}`),
  passPerson: (personRef: string) => request<PassPersonView>('GET', `${CONSOLE}/scan-records/people/${encodeURIComponent(personRef)}`),
  scanner: (accountId: number, page = 1, pageSize = 10) => request<ScannerView>('GET', `${CONSOLE}/scan-records/scanners/${accountId}${qs({ page, pageSize })}`),

  // ---- employee health (D5, E4) ----
  employeeHealth: (params: EmployeeHealthQuery & { page: number; pageSize: number }) => request<Page<EmployeeHealthRow>>('GET', `${CONSOLE}/employee-health${qs({ ...params })}`),
  remind: (employeeIds: number[]) => request<{ reminded: number }>('POST', `${CONSOLE}/employee-health/reminders`, { body: { employeeIds } }),
  employeeReports: (employeeId: number, params: { from?: string; to?: string; type?: string; page: number; pageSize: number }) =>
    request<Page<HealthReportView>>('GET', `${CONSOLE}/employee-health/${employeeId}/reports${qs(params)}`),
  exportReports: (from: string, to: string) => download(`${CONSOLE}/employee-health/export.xlsx${qs({ from, to })}`),

  // ---- service points (D8, E8) ----
  servicePoints: (params: { name?: string; page: number; pageSize: number }) => request<Page<ServicePointView>>('GET', `${CONSOLE}/service-points${qs(params)}`),
  createServicePoint: (body: ServicePointRequest) => request<ServicePointView>('POST', `${CONSOLE}/service-points`, { body }),
  updateServicePoint: (id: number, body: ServicePointRequest) => request<ServicePointView>('PUT', `${CONSOLE}/service-points/${id}`, { body }),
  deleteServicePoint: (id: number) => request<void>('DELETE', `${CONSOLE}/service-points/${id}`),
  regeneratePoster: (id: number) => request<ServicePointView>('POST', `${CONSOLE}/service-points/${id}/poster/regenerate`, { body: {} }),
  poster: (id: number, format: 'png' | 'pdf') => download(`${CONSOLE}/service-points/${id}/poster.${format}`),

  // ---- crowd flow (D9, E9) ----
  crowdFlow: () => request<CrowdFlowRow[]>('GET', `${CONSOLE}/crowd-flow`),
  saveCrowdFlow: (servicePointId: number, body: CrowdFlowRequest) => request<CrowdFlowRow>('PUT', `${CONSOLE}/crowd-flow/${servicePointId}`, { body }),
  deleteCrowdFlow: (servicePointId: number) => request<void>('DELETE', `${CONSOLE}/crowd-flow/${servicePointId}`),
  crowdFlowLive: () => request<CrowdFlowCard[]>('GET', `${CONSOLE}/crowd-flow/live`),

  // ---- 数据上报 / 数据接收 (D7) and 定时上报 (G3); contract: common/src/reportApi.ts ----
  reportReceivers: () => request<ReceiverOption[]>('GET', `${CONSOLE}/data-reports/receivers`),
  sendReport: (body: DataReportRequest) => request<DataReportView>('POST', `${CONSOLE}/data-reports`, { body }),
  sentReports: (params: { page: number; pageSize: number }) => request<Page<DataReportView>>('GET', `${CONSOLE}/data-reports/sent${qs(params)}`),
  receivedReports: (params: { page: number; pageSize: number }) => request<Page<DataReportView>>('GET', `${CONSOLE}/data-reports/received${qs(params)}`),
  /** The receiver's first download marks the report 已读 on the server. */
  reportFile: (id: number) => downloadNamed(`${CONSOLE}/data-reports/${id}/file`),
  reportSchedules: () => request<ReportScheduleView[]>('GET', `${CONSOLE}/data-report-schedules`),
  createReportSchedule: (body: ReportScheduleRequest) => request<ReportScheduleView>('POST', `${CONSOLE}/data-report-schedules`, { body }),
  setReportScheduleEnabled: (id: number, enabled: boolean) => request<ReportScheduleView>('PATCH', `${CONSOLE}/data-report-schedules/${id}`, { body: { enabled } }),
  deleteReportSchedule: (id: number) => request<void>('DELETE', `${CONSOLE}/data-report-schedules/${id}`),

  // ---- 健康码申诉 (H6, health department); contract: common/src/nationalApi.ts ----
  corrections: (params: { status?: CorrectionStatus; page: number; pageSize: number }) =>
    request<Page<CorrectionConsoleView>>('GET', `${CONSOLE}/corrections${qs(params)}`),
  decideCorrection: (id: number, body: { decision: 'accept' | 'reject'; note: string }) =>
    request<CorrectionConsoleView>('POST', `${CONSOLE}/corrections/${id}/decision`, { body }),

  // ---- 审计日志 (H3); contract: common/src/auditApi.ts ----
  audit: (params: AuditQuery & { page: number; pageSize: number }) => request<AuditPage>('GET', `${CONSOLE}/audit${qs({ ...params })}`),
  /** the health department's unit filter: units of every kind by part of their name */
  units: (params: { q?: string; page: number; pageSize: number }) => request<Page<UnitOption>>('GET', `${CONSOLE}/units${qs({ ...params })}`),
};

export type Api = typeof api;

/** 出入扫码记录 filters, named as the server's query parameters. */
export interface ScanRecordQuery {
  name?: string;
  idNumber?: string;
  areaCode?: string;
  temperature?: 'normal' | 'abnormal' | 'none';
  colour?: 'green' | 'orange';
  from?: string;
  to?: string;
  scannerId?: number;
  mode?: 'passive' | 'active';
}

/** 审计日志 filters, named as the server's query parameters; organisationId is the health department's only. */
export interface AuditQuery {
  from?: string;
  to?: string;
  action?: string;
  outcome?: 'ok' | 'not_found' | 'refused';
  organisationId?: number;
}

/** 职工健康管理 filters, named as the server's query parameters. */
export interface EmployeeHealthQuery {
  name?: string;
  idNumber?: string;
  status?: 'reported' | 'not_reported';
  from?: string;
  to?: string;
  result?: 'normal' | 'abnormal';
}

/** Saves a downloaded blob under `fileName` through an object URL (the cookie session cannot ride on a plain link for a POST-free fetch with error handling). */
export function saveBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
