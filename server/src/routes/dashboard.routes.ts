// Enterprise dashboard (manual 五(二)4 企业看板, E3) and the government's 企业数据管理 (G2); issue 6.
// Contract: common/src/consoleApi.ts, "dashboard (E3) and government 企业数据管理". Both read the
// nightly daily_stats; a unit sees only its own figures, and only the enterprises of its own area.
// The query schema lives here: it is this file's only one.
import type { Context } from 'koa';
import { z } from 'zod';
import type { Deps } from '../deps';
import { TREND_DEFAULT_DAYS, TREND_MAX_DAYS } from '../domain/dailyStats';
import type { ApiRegistry } from '../http/openapi';
import type { ConsoleSession } from '../services/consoleSessionService';
import { dashboard, enterpriseSummaries } from '../services/dailyStatsService';
import { CONSOLE_ROLES_ALL } from './console.roles';
import { PageQuery, parseQuery } from './staff.schemas';

export const DashboardQuery = z.object({
  days: z.coerce
    .number()
    .int('天数须为整数')
    .min(1, '天数至少为 1')
    .max(TREND_MAX_DAYS, `天数最多为 ${TREND_MAX_DAYS}`)
    .default(TREND_DEFAULT_DAYS),
});

/** A 'console' route's session always acts for a unit. */
const organisationOf = (ctx: Context): number => (ctx.state.console as ConsoleSession).organisationId!;

export function dashboardRoutes(api: ApiRegistry, deps: Deps): void {
  const tag = 'console';
  api.add(
    {
      method: 'get', path: '/api/v1/console/dashboard', tag, auth: 'console', roles: CONSOLE_ROLES_ALL,
      summary: '企业看板 (E3): totals as of yesterday and the daily reporting trend of the last ?days=1–90 days (default 30), the session\'s unit only',
      responses: { 200: { description: 'Dashboard' }, 400: { description: 'VALIDATION_FAILED (days)' } },
    },
    async (ctx) => {
      const q = parseQuery(DashboardQuery, ctx.query);
      ctx.body = await dashboard(deps, organisationOf(ctx), q.days);
    },
  );
  api.add(
    {
      method: 'get', path: '/api/v1/console/enterprises', tag, auth: 'console', roles: ['government', 'health_department'],
      summary: '企业数据管理 (G2): enterprises registered in the unit\'s area (credit code characters 3–8), with yesterday\'s roll, reporting share and scan records; read-only, paged',
      responses: { 200: { description: 'Page<EnterpriseSummary>' }, 403: { description: 'FORBIDDEN (enterprises)' } },
    },
    async (ctx) => {
      const q = parseQuery(PageQuery, ctx.query);
      ctx.body = await enterpriseSummaries(deps, organisationOf(ctx), q.page, q.pageSize);
    },
  );
}
