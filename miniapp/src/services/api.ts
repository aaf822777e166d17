// Every call of the citizen app API (/api/v1/app/*) goes through this module.
import Taro from '@tarojs/taro';
import type {
  AreaOption,
  CodeSummary,
  CodeView,
  FamilyApplication,
  HealthAnswers,
  L4StartRequest,
  Me,
  ProfileRequest,
  SessionResponse,
  SmsPurpose,
} from '@bamin/common/appApi';
import { clearToken, getToken } from './storage';

declare const API_BASE: string | undefined;

function apiBase(): string {
  const base = typeof API_BASE === 'string' ? API_BASE : '';
  return base.replace(/\/+$/, '');
}

/** A failed call: `message` is the server's Chinese message, meant for the user. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details?: { field?: string; problem: string }[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

async function request<T>(method: Method, path: string, data?: unknown): Promise<T> {
  const header: Record<string, string> = { 'Content-Type': 'application/json' };
  const token = getToken();
  if (token) header.Authorization = `Bearer ${token}`;
  let res: Taro.request.SuccessCallbackResult<any>;
  try {
    res = await Taro.request({
      url: `${apiBase()}/api/v1/app${path}`,
      method,
      header,
      data: data === undefined ? undefined : (data as any),
      dataType: 'json',
    });
  } catch (e) {
    throw new ApiError('网络连接失败，请稍后重试', 0, 'NETWORK');
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
  if (status === 401) clearToken();
  throw new ApiError(
    err?.message || (status === 401 ? '登录已失效，请重新登录' : `服务暂时不可用（${status}）`),
    status,
    err?.code || `HTTP_${status}`,
    err?.details,
  );
}

export function sendSmsCode(phone: string, purpose: SmsPurpose): Promise<void> {
  return request<void>('POST', '/sms-codes', { phone, purpose });
}

export function signIn(phone: string, smsCode: string): Promise<SessionResponse> {
  return request<SessionResponse>('POST', '/sessions', { phone, smsCode });
}

export function signOut(): Promise<void> {
  return request<void>('DELETE', '/sessions/current');
}

export function getMe(): Promise<Me> {
  return request<Me>('GET', '/me');
}

export function startL4(req: L4StartRequest): Promise<{ checkId: string }> {
  return request<{ checkId: string }>('POST', '/l4/start', req);
}

export function confirmL4(checkId: string, confirmed: boolean): Promise<Me> {
  return request<Me>('POST', '/l4/confirm', { checkId, confirmed });
}

export function updateProfile(req: ProfileRequest): Promise<Me> {
  return request<Me>('PUT', '/profile', req);
}

export function generateCode(currentArea: string): Promise<CodeView> {
  return request<CodeView>('POST', '/code', { currentArea });
}

export async function listCodes(): Promise<CodeSummary[]> {
  const body = await request<{ codes: CodeSummary[] }>('GET', '/codes');
  return body?.codes ?? [];
}

export function getCode(holder: string): Promise<CodeView> {
  return request<CodeView>('GET', `/codes/${encodeURIComponent(holder)}`);
}

export function applyFamily(application: FamilyApplication): Promise<CodeSummary> {
  return request<CodeSummary>('POST', '/family', application);
}

export function updateFamilyAnswers(id: string, answers: HealthAnswers): Promise<CodeView> {
  return request<CodeView>('PUT', `/family/${encodeURIComponent(id)}/answers`, answers);
}

export function removeFamily(id: string): Promise<void> {
  return request<void>('DELETE', `/family/${encodeURIComponent(id)}`);
}

export async function listAreas(parent?: string): Promise<AreaOption[]> {
  const q = parent ? `?parent=${encodeURIComponent(parent)}` : '';
  const body = await request<{ areas: AreaOption[] }>('GET', `/areas${q}`);
  return body?.areas ?? [];
}

/** The message to show for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e && typeof e === 'object' && 'message' in e && typeof (e as any).message === 'string') {
    return (e as any).message;
  }
  return '操作失败，请稍后重试';
}
