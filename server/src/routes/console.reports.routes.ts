// Console: 数据上报 / 数据接收 (manual 四(八); D7). Contract: common/src/reportApi.ts.
import { COLOURS } from '@bamin/common';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Deps } from '../deps';
import { ApiError } from '../errors';
import type { ApiRegistry } from '../http/openapi';
import type { ConsoleSession } from '../services/consoleSessionService';
import * as reports from '../services/dataReportService';
import { CONSOLE_ROLES_ALL } from './console.roles';
import { parseQuery } from './staff.schemas';

const session = (ctx: Context): ConsoleSession => ctx.state.console;
const ALL = CONSOLE_ROLES_ALL;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

const DataReportBody = z
  .object({
    toOrganisationId: z.number('请选择上报部门').int().positive('请选择上报部门'),
    from: day,
    to: day,
    servicePointIds: z.array(z.number().int().positive()).max(200, '最多选择 200 个服务点').optional(),
    colour: z.enum(COLOURS, '健康码状态应为 green 或 orange').optional(),
    temperature: z.enum(['normal', 'abnormal', 'none'], '体温结果应为 normal、abnormal 或 none').optional(),
  })
  .strict();
const PageQuery = z.object({
  page: z.coerce.number().int('页码须为整数').min(1, '页码从 1 开始').max(100000).default(1),
  pageSize: z.coerce.number().int().min(1, '每页至少 1 条').max(100, '每页最多 100 条').default(10),
});

function idParam(raw: unknown): number {
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) throw new ApiError('VALIDATION_FAILED', [{ field: 'id', problem: '编号须为数字' }]);
  return Number(raw);
}

export function consoleReportRoutes(api: ApiRegistry, deps: Deps): void {
  const tag = 'console';
  api.add(
    { method: 'get', path: '/api/v1/console/data-reports/receivers', tag, auth: 'console', roles: ALL, summary: 'Departments the unit may report to: its ancestors in the department tree, nearest first', responses: { 200: { description: 'ReceiverOption[]' } } },
    async (ctx) => {
      ctx.body = await reports.receiversOf(deps, session(ctx).organisationId!);
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/console/data-reports', tag, auth: 'console', roles: ALL, body: DataReportBody,
      summary: '发起上报 (D7): the unit\'s scan records of the range, as an .xlsx generated in the background, to an ancestor department',
      responses: { 202: { description: 'DataReportView (生成中)' }, 400: { description: 'VALIDATION_FAILED naming the field' }, 403: { description: 'REPORT_RECEIVER_NOT_ALLOWED (toOrganisationId)' } },
    },
    async (ctx, body: z.infer<typeof DataReportBody>) => {
      ctx.status = 202;
      ctx.body = await reports.startDataReport(deps, session(ctx), body, {}, ctx.state.requestId);
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/console/data-reports/sent', tag, auth: 'console', roles: ALL, summary: '数据上报: reports the unit sent (paged)', responses: { 200: { description: 'Page<DataReportView>' } } },
    async (ctx) => {
      const q = parseQuery(PageQuery, ctx.query);
      ctx.body = await reports.sentReports(deps, session(ctx), q.page, q.pageSize);
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/console/data-reports/received', tag, auth: 'console', roles: ALL, summary: '数据接收: reports delivered to the unit, 未读/已读 (paged)', responses: { 200: { description: 'Page<DataReportView>' } } },
    async (ctx) => {
      const q = parseQuery(PageQuery, ctx.query);
      ctx.body = await reports.receivedReports(deps, session(ctx), q.page, q.pageSize);
    },
  );
  api.add(
    {
      method: 'get', path: '/api/v1/console/data-reports/:id/file', tag, auth: 'console', roles: ALL,
      summary: 'The report\'s .xlsx for its sender or receiver (checksum verified; the receiver\'s first download marks it 已读)',
      responses: { 200: { description: 'xlsx' }, 404: { description: 'DATA_REPORT_NOT_FOUND' }, 409: { description: 'REPORT_FILE_CORRUPT' } },
    },
    async (ctx) => {
      const f = await reports.reportFile(deps, session(ctx), idParam(ctx.params.id), ctx.state.requestId);
      ctx.set('Content-Type', XLSX);
      ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName)}`);
      ctx.body = f.body;
    },
  );
}
