// Data-source import (G1): POST /api/v1/sources/{type} with a CSV, JSON array or XLSX body.
import type { Context } from 'koa';
import { SOURCE_IMPORT_LIMITS } from '../http/rateLimits';
import { ApiError } from '../errors';
import type { Deps } from '../deps';
import { isSourceType } from '../domain/sources';
import type { ApiRegistry } from '../http/openapi';
import { readBody } from '../http/middleware';
import { formatFromContentType, parseSourceBuffer } from '../services/import/parse';
import { importRecords } from '../services/importService';
import { writeAudit } from '../services/auditService';
import { ImportResultSchema, SOURCE_CONTENT_TYPES } from './sources.schemas';

export function sourceRoutes(api: ApiRegistry, deps: Deps): void {
  api.add(
    {
      method: 'post',
      path: '/api/v1/sources/:type',
      summary: 'Import a data-source file (whole or nothing); affected people are recomputed before the answer',
      tag: 'sources',
      auth: 'source',
      rawBody: SOURCE_CONTENT_TYPES,
      limits: SOURCE_IMPORT_LIMITS,
      responses: {
        200: { description: 'loaded', schema: ImportResultSchema },
        401: { description: 'missing or wrong SOURCE_TOKEN' },
        404: { description: 'unknown source type' },
        413: { description: 'body over 20 MiB: use npm run import' },
        415: { description: 'content type not CSV, JSON or XLSX' },
        422: { description: 'the file has errors; details list every bad line; nothing was written' },
      },
    },
    async (ctx: Context) => {
      const type = ctx.params.type;
      if (!isSourceType(type)) throw new ApiError('SOURCE_TYPE_UNKNOWN', [{ field: 'type', problem: `未知的数据源类型：${String(type).slice(0, 40)}` }]);
      const format = formatFromContentType(ctx.get('content-type'));
      if (!format) {
        throw new ApiError('UNSUPPORTED_MEDIA_TYPE', [{ problem: `内容类型必须是 ${SOURCE_CONTENT_TYPES.join('、')} 之一` }]);
      }
      const body = await readBody(ctx, deps.config.maxBodyBytes);
      const parsed = await parseSourceBuffer(type, format, body);
      if (parsed.errors.length) throw new ApiError('IMPORT_INVALID', parsed.errors);
      const result = await importRecords(deps, type, parsed.rows, {
        onLoaded: (loaded, transaction) =>
          writeAudit(
            deps,
            { actorKind: 'source', actorId: ctx.state.actor?.id, action: 'source.import', subjectKind: 'source', subjectId: type, outcome: 'ok', requestId: ctx.state.requestId, detail: { format, ...loaded } },
            transaction,
          ),
      });
      ctx.body = result;
    },
  );
}
