// The outer layers of every request: request id and access log, the error shape, body reading with a
// size limit, and credential checks.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import { z } from 'zod';
import { isDatabaseUnavailable } from '../db/connectionErrors';
import { ApiError, ERRORS, isApiError, STAFF_SIGN_IN_FIRST } from '../errors';
import type { Logger } from '../logger';

z.config(z.locales.zhCN());

declare module 'koa' {
  interface DefaultState {
    requestId: string;
    log: Logger;
  }
}

export function requestContext(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    const given = ctx.get('x-request-id');
    const requestId = /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ reqId: requestId });
    ctx.set('X-Request-Id', requestId);
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      // The path only: queries are not logged, and personal data is never in a URL.
      const line = { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 };
      if (ctx.status >= 500) ctx.state.log.error(line, 'request failed');
      else if (ctx.status >= 400) ctx.state.log.warn(line, 'request refused');
      else ctx.state.log.info(line, 'request');
    }
  };
}

export function errorHandler() {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new ApiError('ROUTE_NOT_FOUND');
    } catch (e) {
      const err = isApiError(e) ? e : toApiError(e, ctx);
      ctx.status = err.status;
      ctx.body = { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
      if (err.status === 413) ctx.set('Connection', 'close');
      if (err.retryAfterSeconds) ctx.set('Retry-After', String(err.retryAfterSeconds));
    }
  };
}

function toApiError(e: unknown, ctx: Context): ApiError {
  const status = (e as { status?: number })?.status;
  if (status === 413) return new ApiError('PAYLOAD_TOO_LARGE');
  if (status === 405) return new ApiError('METHOD_NOT_ALLOWED');
  if (isDatabaseUnavailable(e)) {
    ctx.state.log?.error({ err: e }, 'database unavailable');
    return new ApiError('DATABASE_UNAVAILABLE');
  }
  ctx.state.log?.error({ err: e }, 'unhandled error');
  return new ApiError('INTERNAL');
}

/** Reads the raw body, refusing more than `limit` bytes with 413 without buffering the excess. */
export async function readBody(ctx: Context, limit: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || NaN);
  if (declared > limit) {
    ctx.req.resume(); // let the rest go by so the client can read the answer
    throw new ApiError('PAYLOAD_TOO_LARGE');
  }
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of ctx.req) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        ctx.req.resume();
        throw new ApiError('PAYLOAD_TOO_LARGE');
      }
      parts.push(chunk as Buffer);
    }
  } catch (e) {
    // a client that goes away mid-body: Node's ECONNRESET "aborted" is the client's socket, not the
    // database's (isDatabaseUnavailable would log it as an outage)
    if (!isApiError(e) && ctx.req.destroyed) throw new ApiError('REQUEST_ABORTED');
    throw e;
  }
  return Buffer.concat(parts, size);
}

export function zodDetails(error: z.ZodError) {
  return error.issues.flatMap((i) =>
    // a key the schema does not know is named itself, not its parent object
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ field: [...i.path, k].join('.'), problem: '不支持的字段' }))
      : [{ field: i.path.join('.') || undefined, problem: i.message }],
  );
}

/** JSON body → schema-checked value, or 400/415 naming the field. */
export async function readJson<T>(ctx: Context, schema: z.ZodType<T>, limit: number): Promise<T> {
  if (!ctx.is('application/json')) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', [{ problem: '请求体必须是 application/json' }]);
  const raw = await readBody(ctx, limit);
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ApiError('BAD_JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError('VALIDATION_FAILED', zodDetails(parsed.error));
  return parsed.data;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Bearer credential of data sources and partners (SOURCE_TOKEN), compared in constant time. */
export function requireSourceToken(sourceToken: string) {
  const expected = digest(sourceToken);
  return async (ctx: Context, next: Next) => {
    const m = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'));
    if (!m || !timingSafeEqual(digest(m[1]), expected)) throw new ApiError('UNAUTHENTICATED');
    ctx.state.actor = { kind: 'source' as const, id: 'source-token' };
    await next();
  };
}

export { ERRORS };

/** Bearer session of a signed-in citizen (server-side, expiring, revocable). */
export function requireCitizenSession(resolve: (token: string) => Promise<unknown | null>) {
  return async (ctx: Context, next: Next) => {
    const m = /^Bearer\s+([\w-]{20,100})$/i.exec(ctx.get('authorization'));
    const session = m ? await resolve(m[1]) : null;
    if (!session) throw new ApiError('UNAUTHENTICATED', undefined, '请先登录');
    ctx.state.citizen = session;
    await next();
  };
}

/**
 * Bearer session of a scanning staff member. `allowInitialPassword`: the routes a staff member still on
 * the initial password may call (me, password change, sign-out); every other route refuses with 403.
 */
export function requireStaffSession(
  resolve: (token: string) => Promise<{ mustChangePassword: boolean } | null>,
  options: { allowInitialPassword: boolean },
) {
  return async (ctx: Context, next: Next) => {
    const m = /^Bearer\s+([\w-]{20,100})$/i.exec(ctx.get('authorization'));
    const session = m ? await resolve(m[1]) : null;
    if (!session) throw new ApiError('UNAUTHENTICATED', undefined, STAFF_SIGN_IN_FIRST);
    if (session.mustChangePassword && !options.allowInitialPassword) throw new ApiError('PASSWORD_CHANGE_REQUIRED');
    ctx.state.staff = session;
    await next();
  };
}

/**
 * The console session cookie. `requireUnit`: the route acts for a unit, so a personal session not yet
 * associated with an enterprise is refused, and so is an account still on its initial password.
 */
export function requireConsoleSession(
  cookieName: string,
  resolve: (token: string) => Promise<{ mustChangePassword: boolean; organisationId: number | null } | null>,
  options: { requireUnit: boolean },
) {
  return async (ctx: Context, next: Next) => {
    const token = ctx.cookies.get(cookieName);
    const session = token && /^[\w-]{20,100}$/.test(token) ? await resolve(token) : null;
    if (!session) throw new ApiError('UNAUTHENTICATED', undefined, '请先登录管理侧');
    if (options.requireUnit) {
      if (session.organisationId == null) throw new ApiError('ENTERPRISE_NOT_ASSOCIATED');
      if (session.mustChangePassword) throw new ApiError('PASSWORD_CHANGE_REQUIRED', undefined, '首次登录请先修改初始密码');
    }
    ctx.state.console = session;
    await next();
  };
}
