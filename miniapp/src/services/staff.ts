// Every call of the scanner staff API (/api/v1/staff/*) goes through this module. The staff session is
// separate from the citizen's: its own token (staffStorage), and a 401 sends the user back to the staff
// sign-in page rather than the citizen one.
import Taro from '@tarojs/taro';
import type { AreaOption } from '@bamin/common/appApi';
import type {
  FeedbackRequest,
  MyScansPage,
  ScanHistoryPage,
  ScanPoint,
  ScanPointRequest,
  ScanRecordView,
  ScanRequest,
  ScanResult,
  StaffMe,
  StaffSessionResponse,
} from '@bamin/common/staffApi';
import type { NationalKeySet } from '@bamin/common/nationalApi';
import { ApiError } from './api';
import { clearStaffToken, getStaffToken } from './staffStorage';
import { STAFF_PAGES } from './staffRoutes';

declare const API_BASE: string | undefined;

function apiBase(): string {
  const base = typeof API_BASE === 'string' ? API_BASE : '';
  return base.replace(/\/+$/, '');
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface CallOptions {
  /** Send the staff bearer token (all routes but sign-in and the public key set). */
  auth?: boolean;
  /** Path outside /api/v1/staff (the public key set). */
  absolute?: boolean;
}

/** Parse Taro.request's answer into the body or an ApiError with the server's Chinese message. */
async function call<T>(method: Method, path: string, data?: unknown, opts: CallOptions = {}): Promise<T> {
  const auth = opts.auth !== false;
  const header: Record<string, string> = { 'Content-Type': 'application/json' };
  const token = auth ? getStaffToken() : '';
  if (token) header.Authorization = `Bearer ${token}`;
  let res: Taro.request.SuccessCallbackResult<any>;
  try {
    res = await Taro.request({
      url: `${apiBase()}${opts.absolute ? path : `/api/v1/staff${path}`}`,
      method,
      header,
      data: data === undefined ? undefined : (data as any),
      dataType: 'json',
    });
  } catch {
    // No HTTP answer at all: the offline check (H1) keys on this code.
    throw new ApiError('网络连接失败，请检查网络后重试', 0, 'NETWORK');
  }
  const status = res.statusCode;
  let body: any = res.data;
  if (typeof body === 'string' && body !== '') {
    try {
      body = JSON.parse(body);
    } catch {
      /* not JSON */
    }
  }
  if (status >= 200 && status < 300) return (status === 204 ? undefined : body) as T;
  const err = body && typeof body === 'object' && body.error ? body.error : null;
  if (status === 401 && auth) {
    clearStaffToken();
    Taro.reLaunch({ url: STAFF_PAGES.login });
  }
  throw new ApiError(
    err?.message || (status === 401 ? '登录已失效，请重新登录' : `服务暂时不可用（${status}）`),
    status,
    err?.code || `HTTP_${status}`,
    Array.isArray(err?.details) ? err.details : undefined,
  );
}

export function isNetworkError(e: unknown): boolean {
  return e instanceof ApiError && e.status === 0 && e.code === 'NETWORK';
}

/** Chinese names of request fields, for showing the server's field details. */
const FIELD_TEXT: Record<string, string> = {
  phone: '账号',
  password: '密码',
  currentPassword: '原密码',
  newPassword: '新密码',
  communityName: '社区名称',
  pointName: '监测点名称',
  areaCode: '所在区县',
  location: '具体位置',
  latitude: '纬度',
  longitude: '经度',
  servicePointId: '服务点',
  token: '二维码',
  codeNumber: '健康码编号',
  imageBase64: '身份证照片',
  passReason: '通行原因',
  temperatureResult: '体温结果',
  temperatureCelsius: '体温',
};

/** The message to show for any thrown value: the server's message plus its field details, one a line. */
export function staffErrorText(e: unknown): string {
  if (e instanceof ApiError) {
    const lines = (e.details ?? [])
      .filter((d) => d && typeof d.problem === 'string' && d.problem !== e.message)
      .map((d) => (d.field ? `${FIELD_TEXT[d.field] ?? d.field}：${d.problem}` : d.problem));
    return [e.message, ...lines].join('\n');
  }
  if (e && typeof e === 'object' && 'message' in e && typeof (e as any).message === 'string' && (e as any).message) {
    return (e as any).message;
  }
  return '操作失败，请稍后重试';
}

/** The server's problems by request field, for showing next to the inputs. */
export function fieldErrors(e: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (e instanceof ApiError) for (const d of e.details ?? []) if (d.field && !out[d.field]) out[d.field] = d.problem;
  return out;
}

export function staffSignIn(phone: string, password: string): Promise<StaffSessionResponse> {
  return call<StaffSessionResponse>('POST', '/sessions', { phone, password }, { auth: false });
}

export function staffSignOut(): Promise<void> {
  return call<void>('DELETE', '/sessions/current');
}

export function getStaffMe(): Promise<StaffMe> {
  return call<StaffMe>('GET', '/me');
}

export function changeStaffPassword(currentPassword: string, newPassword: string): Promise<StaffMe> {
  return call<StaffMe>('POST', '/password', { currentPassword, newPassword });
}

export function putScanPoint(req: ScanPointRequest): Promise<ScanPoint> {
  return call<ScanPoint>('PUT', '/scan-point', req);
}

export function postScan(req: ScanRequest): Promise<ScanResult> {
  return call<ScanResult>('POST', '/scans', req);
}

export function postOcrScan(imageBase64: string): Promise<ScanResult> {
  return call<ScanResult>('POST', '/scans/ocr', { imageBase64 });
}

export function putFeedback(scanId: number, req: FeedbackRequest): Promise<ScanRecordView> {
  return call<ScanRecordView>('PUT', `/scans/${encodeURIComponent(String(scanId))}/feedback`, req);
}

export function getScanHistory(scanId: number, page: number, pageSize: number): Promise<ScanHistoryPage> {
  return call<ScanHistoryPage>('GET', `/scans/${encodeURIComponent(String(scanId))}/history?page=${page}&pageSize=${pageSize}`);
}

export function getMyScans(page: number, pageSize: number): Promise<MyScansPage> {
  return call<MyScansPage>('GET', `/scans?page=${page}&pageSize=${pageSize}`);
}

/**
 * Areas for the scan point's county picker. NOTE: not in common/staffApi.ts yet (the citizen route
 * /api/v1/app/areas needs a citizen session); the same shape under the staff prefix is asked for.
 */
export async function listStaffAreas(parent?: string): Promise<AreaOption[]> {
  const q = parent ? `?parent=${encodeURIComponent(parent)}` : '';
  const body = await call<{ areas: AreaOption[] }>('GET', `/areas${q}`);
  return body?.areas ?? [];
}

/** GET /api/v1/codes/keys (no auth): the published public keys by key id. */
export async function fetchCodeKeys(): Promise<Record<string, string>> {
  const body = await call<{ keys: { keyId: string; publicKey: string }[] }>('GET', '/api/v1/codes/keys', undefined, { auth: false, absolute: true });
  const out: Record<string, string> = {};
  for (const k of body?.keys ?? []) if (k && typeof k.keyId === 'string' && typeof k.publicKey === 'string') out[k.keyId] = k.publicKey;
  return out;
}

/** GET /api/v1/national/keys (no auth): the national platform's published keys of the 防疫健康信息码 (B2). */
export async function fetchNationalKeys(): Promise<NationalKeySet> {
  const body = await call<NationalKeySet>('GET', '/api/v1/national/keys', undefined, { auth: false, absolute: true });
  const keys = (Array.isArray(body?.keys) ? body.keys : []).filter((k) => k && typeof k.keyId === 'string' && typeof k.publicKey === 'string');
  return { keys: keys.map((k) => ({ keyId: k.keyId, publicKey: k.publicKey })) };
}
