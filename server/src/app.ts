// Builds the Koa application from its dependencies. No listen() here: tests import the app.
import { hostRoutes } from './routes/host.routes';
import { nationalRoutes } from './routes/national.routes';
import { hitRateLimit } from './services/rateLimitService';
import Koa from 'koa';
import type { Deps } from './deps';
import { ApiRegistry } from './http/openapi';
import { RouteTable } from './http/routeTable';
import { serveStatic } from './http/static';
import { REPO_ROOT } from './config';
import path from 'node:path';
import { errorHandler, readJson, requestContext, requireCitizenSession, requireSourceToken, requireStaffSession, requireConsoleSession } from './http/middleware';
import { appRoutes } from './routes/app.routes';
import { cardRoutes } from './routes/cards.routes';
import { resolveSession } from './services/citizenService';
import { resolveStaffSession } from './services/staffService';
import { CONSOLE_COOKIE, resolveConsoleSession } from './services/consoleSessionService';
import { consoleRoutes } from './routes/console.routes';
import { dashboardRoutes } from './routes/dashboard.routes';
import { staffRoutes } from './routes/staff.routes';
import { codeRoutes } from './routes/codes.routes';
import { healthRoutes } from './routes/health.routes';
import { peopleRoutes } from './routes/people.routes';
import { sourceRoutes } from './routes/sources.routes';

export interface App {
  koa: Koa;
  api: ApiRegistry;
  routes: RouteTable;
}

export function createApp(deps: Deps): App {
  const koa = new Koa({ proxy: deps.config.trustProxy });
  // what reaches Koa past errorHandler is the connection's own trouble (a client gone mid-answer, a
  // malformed request): one line through the scrubbing logger, not Koa's stack trace on stderr
  koa.on('error', (err: NodeJS.ErrnoException) => deps.logger.warn({ err: { message: err.message, code: err.code } }, 'client connection error'));
  const routes = new RouteTable();
  const api = new ApiRegistry(routes, {
    auth: {
      source: requireSourceToken(deps.config.sourceToken),
      citizen: requireCitizenSession((token) => resolveSession(deps, token)),
      citizenCode: requireCitizenSession((token) => resolveSession(deps, token, { withOwnCode: true })),
      staff: requireStaffSession((token) => resolveStaffSession(deps, token), { allowInitialPassword: false }),
      staffAny: requireStaffSession((token) => resolveStaffSession(deps, token), { allowInitialPassword: true }),
      staffScan: requireStaffSession((token) => resolveStaffSession(deps, token, { cached: true }), { allowInitialPassword: false }),
      console: requireConsoleSession(CONSOLE_COOKIE, (token) => resolveConsoleSession(deps, token), { requireUnit: true }),
      consoleAny: requireConsoleSession(CONSOLE_COOKIE, (token) => resolveConsoleSession(deps, token), { requireUnit: false }),
    },
    readJson: (ctx, schema) => readJson(ctx, schema, deps.config.maxBodyBytes),
    // the counted key (a phone, an address) is stored only as its keyed hash
    rateLimit: (rule, key) =>
      hitRateLimit(deps, `${rule.name}:${deps.pii.hash(key).slice(0, 40)}`, rule.limit * deps.config.rateLimitScale, rule.windowSeconds, rule.shanghaiDay ? 8 * 3600_000 : 0),
  });
  healthRoutes(api, deps);
  sourceRoutes(api, deps);
  codeRoutes(api, deps);
  peopleRoutes(api, deps);
  appRoutes(api, deps);
  cardRoutes(api, deps);
  staffRoutes(api, deps);
  consoleRoutes(api, deps);
  dashboardRoutes(api, deps);
  nationalRoutes(api, deps);
  hostRoutes(api, deps);

  koa.use(requestContext(deps.logger));
  koa.use(errorHandler());
  koa.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'no-store');
    await next();
  });
  // The citizen H5 build (npm run build:h5 in miniapp/), when it has been built.
  koa.use(serveStatic('/h5/', path.join(REPO_ROOT, 'miniapp/dist/h5')));
  // The PC console (npm run build:admin), when it has been built.
  koa.use(serveStatic('/admin/', path.join(REPO_ROOT, 'admin/dist')));
  koa.use(async (ctx, next) => (ctx.path === '/' ? ctx.redirect('/h5/') : next()));
  koa.use(routes.middleware());
  return { koa, api, routes };
}
