// Liveness + database reachability, and the OpenAPI document of every route.
import type { Context } from 'koa';
import { z } from 'zod';
import type { Deps } from '../deps';
import { ApiError } from '../errors';
import type { ApiRegistry } from '../http/openapi';

export function healthRoutes(api: ApiRegistry, deps: Deps): void {
  api.add(
    {
      method: 'get',
      path: '/api/health',
      summary: 'Health check: 200 when the database answers, 503 when it does not',
      tag: 'system',
      auth: 'none',
      responses: {
        200: { description: 'up', schema: z.object({ status: z.literal('ok'), database: z.literal('up'), dialect: z.string() }) },
        503: { description: 'DATABASE_UNAVAILABLE' },
      },
    },
    async (ctx: Context) => {
      try {
        await Promise.race([
          deps.db.sequelize.query('SELECT 1'),
          new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000).unref()),
        ]);
      } catch (e) {
        ctx.state.log.error({ err: e }, 'health check: database unreachable');
        throw new ApiError('DATABASE_UNAVAILABLE');
      }
      ctx.body = { status: 'ok', database: 'up', dialect: deps.db.dialect };
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/openapi.json',
      summary: 'OpenAPI 3.1 document of every route',
      tag: 'system',
      auth: 'none',
      responses: { 200: { description: 'the document' } },
    },
    async (ctx: Context) => {
      ctx.body = api.document();
    },
  );
}
