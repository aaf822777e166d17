// Abuse limits (issue 11): every limit of the API in one place, declared on the routes (RouteSpec.limits)
// and checked by the registry after the credential and the body, so a route cannot forget one. Counters
// are fixed windows in the database (services/rateLimitService.ts), shared by every instance. Past a
// limit the answer is 429 RATE_LIMITED with Retry-After and a Chinese message saying how long to wait.
import type { Context } from 'koa';

export interface RateRule {
  /** bucket prefix, also the audit name */
  name: string;
  /** what is counted: the caller's IP, the signed-in account, or a key taken from the request */
  key: 'ip' | 'account' | ((ctx: Context, body: any) => string | null);
  limit: number;
  windowSeconds: number;
  /** windows of a day start at 00:00 Asia/Shanghai (e.g. "10 a day") instead of 08:00 */
  shanghaiDay?: boolean;
  /** what the citizen is told, e.g. 验证码发送过于频繁 */
  what: string;
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

const phoneOf = (_ctx: Context, body: { phone?: unknown }) => (typeof body?.phone === 'string' ? body.phone.replace(/\D/g, '').slice(-11) : null);

/**
 * SMS codes: 20 an hour per IP (one machine cannot spray numbers), 1 a minute and 10 a day per phone.
 * Rules are counted in order and the first refusal stops: the address first, so a request refused for its
 * address does not use up the phone's quota.
 */
export const SMS_LIMITS: RateRule[] = [
  { name: 'sms_ip_hour', key: 'ip', limit: 20, windowSeconds: HOUR, what: '验证码发送过于频繁' },
  { name: 'sms_phone_minute', key: phoneOf, limit: 1, windowSeconds: MINUTE, what: '验证码发送过于频繁' },
  { name: 'sms_phone_day', key: phoneOf, limit: 10, windowSeconds: DAY, shanghaiDay: true, what: '该手机号今日获取验证码次数已达上限' },
];
/** Sign-ins of every kind: 30 per 10 minutes per IP (accounts also lock after 5 wrong passwords). */
export const SIGN_IN_LIMITS: RateRule[] = [{ name: 'sign_in_ip', key: 'ip', limit: 30, windowSeconds: 10 * MINUTE, what: '登录尝试过于频繁' }];
/** Host tickets: 60 a minute per IP (a host's users come through its own servers' IPs, not the plugin's). */
export const HOST_TICKET_LIMITS: RateRule[] = [{ name: 'host_ticket_ip', key: 'ip', limit: 60, windowSeconds: MINUTE, what: '登录票据提交过于频繁' }];
/** Imports: 20 an hour per console account; data sources 120 an hour per IP. */
export const IMPORT_LIMITS: RateRule[] = [{ name: 'import_account', key: 'account', limit: 20, windowSeconds: HOUR, what: '导入过于频繁' }];
export const SOURCE_IMPORT_LIMITS: RateRule[] = [{ name: 'source_import_ip', key: 'ip', limit: 120, windowSeconds: HOUR, what: '数据导入过于频繁' }];

/** The signed-in account of any kind, for 'account' keys. */
export function accountKey(ctx: Context): string | null {
  const st = ctx.state as { citizen?: { userId: number }; staff?: { accountId: number }; console?: { accountId: number | null; citizenUserId: number | null } };
  if (st.console) return st.console.accountId != null ? `a${st.console.accountId}` : `c${st.console.citizenUserId}`;
  if (st.staff) return `a${st.staff.accountId}`;
  if (st.citizen) return `c${st.citizen.userId}`;
  return null;
}

export function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} 秒`;
  if (seconds < 5400) return `${Math.ceil(seconds / 60)} 分钟`;
  return `${Math.ceil(seconds / 3600)} 小时`;
}
