// Every call of the console to the server, typed with the contract (common/src/consoleApi.ts). The console
// is served by the API server at /admin/, so requests are same-origin and carry the httpOnly session
// cookie; the page never sees a token.
import type { ApiErrorBody, ErrorDetail } from '@bamin/common/api';
import type { AreaOption } from '@bamin/common/appApi';
import type {
  ActivationCodeIssued,
  ActivationCodeRequest,
  ActivationCodeView,
  AssociationRequest,
  CaChallenge,
  CaSignInRequest,
  ConsoleMe,
  ConsolePasswordRequest,
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
};

export type Api = typeof api;
