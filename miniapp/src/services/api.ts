// Every call of the citizen app API (/api/v1/app/*) goes through this module.
import Taro from '@tarojs/taro';
import type {
  AreaOption,
  CodeSummary,
  CodeView,
  FamilyApplication,
  HealthAnswers,
  HealthReportRequest,
  HealthReportView,
  L4StartRequest,
  Me,
  MessagePage,
  MessageView,
  ProfileRequest,
  SessionResponse,
  SmsPurpose,
} from '@bamin/common/appApi';
import type { CardList, CardView } from '@bamin/common/cardApi';
import type { Page } from '@bamin/common/consoleApi';
import type { HostSignInResult } from '@bamin/common/hostApi';
import type { ArrivalDeclarationRequest, ArrivalDeclarationView, CorrectionRequest, CorrectionView } from '@bamin/common/nationalApi';
import type { PointPage, RegistrationRequest, RegistrationResult } from '@bamin/common/pointApi';
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

/** Sign-in by the host super-app's ticket (H7; the plugin's main.signIn): the same session as signIn's. */
export function signInWithHostTicket(ticket: string): Promise<HostSignInResult> {
  return request<HostSignInResult>('POST', '/host-sessions', { ticket });
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

/** One page of GET health-reports (newest first). */
export type HealthReportPage = Page<HealthReportView>;

/** 健康上报 (A8) for 'self' or a family holder of listCodes(). */
export function submitHealthReport(req: HealthReportRequest): Promise<HealthReportView> {
  return request<HealthReportView>('POST', '/health-reports', req);
}

export function listHealthReports(holder: string, page = 1, pageSize = 10): Promise<HealthReportPage> {
  const q = `holder=${encodeURIComponent(holder)}&page=${page}&pageSize=${pageSize}`;
  return request<HealthReportPage>('GET', `/health-reports?${q}`);
}

/** 站内消息 (A9), newest first, with the unread count. */
export function listMessages(page = 1, pageSize = 20): Promise<MessagePage> {
  return request<MessagePage>('GET', `/messages?page=${page}&pageSize=${pageSize}`);
}

/** The unread count for the code page's badge (the smallest page: only `unread` is used). */
export async function unreadMessageCount(): Promise<number> {
  const body = await listMessages(1, 1);
  return typeof body?.unread === 'number' ? body.unread : 0;
}

export function markMessageRead(id: number): Promise<MessageView> {
  return request<MessageView>('POST', `/messages/${encodeURIComponent(String(id))}/read`);
}

/** A scanned service-point poster (C1, C2): the point, its staff on duty and the members one may register. */
export function getServicePointByToken(token: string): Promise<PointPage> {
  return request<PointPage>('GET', `/service-points/by-token?token=${encodeURIComponent(token)}`);
}

/** 信息登记 (C3, C4): `counted` is false when a registration within 10 minutes was updated instead. */
export function submitRegistration(req: RegistrationRequest): Promise<RegistrationResult> {
  return request<RegistrationResult>('POST', '/registrations', req);
}

/** 入闽申报 (B1, manual 二): origin province and arrival day; the server checks the origin pass at once. */
export function submitArrivalDeclaration(req: ArrivalDeclarationRequest): Promise<ArrivalDeclarationView> {
  return request<ArrivalDeclarationView>('POST', '/arrival-declarations', req);
}

/** One's own 入闽申报, newest first. */
export async function listArrivalDeclarations(): Promise<ArrivalDeclarationView[]> {
  const body = await request<ArrivalDeclarationView[]>('GET', '/arrival-declarations');
  return Array.isArray(body) ? body : [];
}

/** 申诉纠错 (H6) of the holder's code ('local') or of the origin pass merged into it ('origin'). */
export function submitCorrection(req: CorrectionRequest): Promise<CorrectionView> {
  return request<CorrectionView>('POST', '/corrections', req);
}

/** The holder's corrections with their status, newest first. */
export async function listCorrections(holder: string): Promise<CorrectionView[]> {
  const body = await request<CorrectionView[]>('GET', `/corrections?holder=${encodeURIComponent(holder)}`);
  return Array.isArray(body) ? body : [];
}

/** 健康码卡片 (H4): the holder's printed cards, newest first. */
export async function listCards(holder: string): Promise<CardView[]> {
  const body = await request<CardList>('GET', `/cards?holder=${encodeURIComponent(holder)}`);
  return Array.isArray(body?.cards) ? body.cards : [];
}

/** A new card; 409 CARD_ACTIVE while one is active (then reissueCard). */
export function issueCard(holder: string): Promise<CardView> {
  return request<CardView>('POST', '/cards', { holder });
}

/** 作废. */
export function revokeCard(cardId: number, reason?: string): Promise<CardView> {
  return request<CardView>('POST', `/cards/${encodeURIComponent(String(cardId))}/revoke`, reason ? { reason } : {});
}

/** 补办: the old card revoked and a new one issued by the server in one step. */
export function reissueCard(cardId: number): Promise<CardView> {
  return request<CardView>('POST', `/cards/${encodeURIComponent(String(cardId))}/reissue`, {});
}

/**
 * The card's PDF or PNG: the address and the header it needs. The file routes need the citizen's bearer token
 * like every other route, so they are fetched with Taro.downloadFile and this header (services/cardFile.ts),
 * never put in an <img src> or a link.
 */
export function cardFileRequest(cardId: number, format: 'pdf' | 'png'): { url: string; header: Record<string, string> } {
  const token = getToken();
  return {
    url: `${apiBase()}/api/v1/app/cards/${encodeURIComponent(String(cardId))}/${format}`,
    header: token ? { Authorization: `Bearer ${token}` } : {},
  };
}

/** The message to show for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e && typeof e === 'object' && 'message' in e && typeof (e as any).message === 'string') {
    return (e as any).message;
  }
  return '操作失败，请稍后重试';
}
