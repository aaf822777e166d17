// Every route is declared once, with its schemas; the declaration both mounts the handler and writes
// the route into GET /api/openapi.json, so the document cannot drift from the code. The credential
// check and the body validation a spec declares are applied here, so no route can forget them.
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { ApiError } from '../errors';
import { accountKey, waitText, type RateRule } from './rateLimits';
import { currentScope, runInScope } from './requestScope';
import type { RouteTable } from './routeTable';

/**
 * citizenCode: the citizen's session read together with their own code (the code page, issue 12's hot path).
 * staff: a scanning staff member past the initial password; staffAny: also one still on it; staffScan: as staff,
 * possibly from the instance's session cache, which the route confirms before it writes or answers
 * (staffService.confirmStaffSession; the scan, issue 12's other hot path).
 * console: a console session past the initial password and acting for a unit; consoleAny: any console
 * session (me, password change, sign-out, personal association).
 */
export type Auth = 'none' | 'source' | 'citizen' | 'citizenCode' | 'staff' | 'staffAny' | 'staffScan' | 'console' | 'consoleAny';

/** The console roles (unit kinds) a console route admits; checked here, so no route can forget it. */
export type ConsoleRoleName = 'health_department' | 'government' | 'enterprise';

const SECURITY_SCHEME: Record<Exclude<Auth, 'none'>, string> = {
  source: 'sourceToken',
  citizen: 'citizenSession',
  citizenCode: 'citizenSession',
  staff: 'staffSession',
  staffAny: 'staffSession',
  staffScan: 'staffSession',
  console: 'consoleSession',
  consoleAny: 'consoleSession',
};

export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Koa path, e.g. /api/v1/sources/:type */
  path: string;
  summary: string;
  tag: string;
  auth: Auth;
  /** Console routes: the roles that may call it (every console route must declare them). */
  roles?: ConsoleRoleName[];
  /** JSON body schema, validated before the handler runs. */
  body?: z.ZodType;
  /** Non-JSON bodies accepted (documentation only; the handler reads them). */
  rawBody?: string[];
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /** Abuse limits (http/rateLimits.ts), checked after the credential and the body: 429 RATE_LIMITED with Retry-After. */
  limits?: RateRule[];
}

/** Receives the body already checked against `spec.body` (undefined when the route has none). */
export type Handler = (ctx: Context, body: any) => Promise<void>;

export interface RegistryOptions {
  /** Middleware that admits the callers of each kind of credential, or throws 401/403. */
  auth: Record<Exclude<Auth, 'none'>, Middleware>;
  /** Reads and validates a JSON body. */
  readJson: <T>(ctx: Context, schema: z.ZodType<T>) => Promise<T>;
  /** Counts one call of `rule` for `key`; says whether it is allowed and for how long to wait. */
  rateLimit?: (rule: RateRule, key: string) => Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

const ERROR_SCHEMA = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ line: z.number().int().optional(), field: z.string().optional(), problem: z.string() })).optional(),
  }),
});

export class ApiRegistry {
  readonly specs: RouteSpec[] = [];
  constructor(
    readonly routes: RouteTable,
    private readonly options: RegistryOptions,
  ) {}

  /** Mounts the route behind the credential check its spec declares, with its body validated. */
  add(spec: RouteSpec, handler: Handler): void {
    this.specs.push(spec);
    const { body } = spec;
    const chain: Middleware[] = [];
    const route = `${spec.method.toUpperCase()} ${spec.path}`;
    // the audit trail's "why" and "for which unit" (http/requestScope.ts)
    chain.push((ctx, next) => runInScope({ route, requestId: (ctx.state as { requestId?: string }).requestId }, next));
    if (spec.auth !== 'none') chain.push(this.options.auth[spec.auth]);
    if (spec.auth === 'console' || spec.auth === 'consoleAny') {
      if (!spec.roles?.length) throw new Error(`console route ${spec.method.toUpperCase()} ${spec.path} declares no roles`);
      const roles = spec.roles;
      chain.push(async (ctx, next) => {
        const role = (ctx.state as { console?: { role: ConsoleRoleName | null } }).console?.role ?? null;
        // A personal session not yet associated has no role: only consoleAny routes that admit every role let it in.
        if (role ? !roles.includes(role) : spec.auth === 'console') throw new ApiError('FORBIDDEN', undefined, '当前账号无权使用该功能');
        await next();
      });
    }
    chain.push(async (ctx, next) => {
      const st = ctx.state as { console?: { organisationId: number | null }; staff?: { organisationId: number } };
      const scope = currentScope();
      if (scope) scope.organisationId = st.console?.organisationId ?? st.staff?.organisationId ?? null;
      await next();
    });
    const limits = spec.limits ?? [];
    const rateLimit = this.options.rateLimit;
    chain.push(async (kctx) => {
      const ctx = kctx as unknown as Context;
      const value = body ? await this.options.readJson(ctx, body) : undefined;
      if (rateLimit) {
        for (const rule of limits) {
          const key = rule.key === 'ip' ? ctx.ip : rule.key === 'account' ? accountKey(ctx) : rule.key(ctx, value);
          if (!key) continue;
          const d = await rateLimit(rule, key);
          if (!d.allowed) throw new ApiError('RATE_LIMITED', undefined, `${rule.what}，请 ${waitText(d.retryAfterSeconds)}后再试`).withRetryAfter(d.retryAfterSeconds);
        }
      }
      await handler(ctx, value);
    });
    this.routes.add(spec.method.toUpperCase() as Uppercase<RouteSpec['method']>, spec.path, chain);
  }

  document(): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const s of this.specs) {
      const oaPath = s.path.replace(/:(\w+)/g, '{$1}');
      const params = [...s.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
      const content: Record<string, unknown> = {};
      if (s.body) content['application/json'] = { schema: z.toJSONSchema(s.body, { io: 'input', unrepresentable: 'any' }) };
      for (const ct of s.rawBody ?? []) content[ct] = { schema: { type: 'string', format: 'binary' } };
      const responses: Record<string, unknown> = {};
      const declared = s.limits?.length && !s.responses[429] ? { ...s.responses, 429: { description: `RATE_LIMITED (${s.limits.map((l) => `${l.limit}/${l.windowSeconds}s per ${typeof l.key === 'string' ? l.key : 'key'}`).join(', ')}), with Retry-After` } } : s.responses;
      for (const [status, r] of Object.entries(declared)) {
        const schema = r.schema ?? (Number(status) >= 400 ? ERROR_SCHEMA : undefined);
        responses[status] = {
          description: r.description,
          ...(schema ? { content: { 'application/json': { schema: z.toJSONSchema(schema, { unrepresentable: 'any' }) } } } : {}),
        };
      }
      (paths[oaPath] ??= {})[s.method] = {
        summary: s.summary,
        tags: [s.tag],
        ...(s.roles ? { 'x-roles': s.roles } : {}),
        ...(params.length ? { parameters: params } : {}),
        ...(s.auth !== 'none' ? { security: [{ [SECURITY_SCHEME[s.auth]]: [] }] } : {}),
        ...(Object.keys(content).length ? { requestBody: { required: true, content } } : {}),
        responses,
      };
    }
    return {
      openapi: '3.1.0',
      info: { title: '八闽健康码 API', version: '1.0.0', description: 'Bamin health-code platform. Errors: { error: { code, message, details? } }.' },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          sourceToken: { type: 'http', scheme: 'bearer', description: 'SOURCE_TOKEN of a data source or partner' },
          citizenSession: { type: 'http', scheme: 'bearer', description: 'citizen session token from POST /api/v1/app/sessions' },
          consoleSession: { type: 'apiKey', in: 'cookie', name: 'bamin_console', description: 'PC console session cookie (httpOnly, SameSite=Strict)' },
          staffSession: {
            type: 'http',
            scheme: 'bearer',
            description: 'scanning staff session token from POST /api/v1/staff/sessions (routes other than me, password and sign-out need the initial password changed)',
          },
        },
      },
      paths,
    };
  }
}
