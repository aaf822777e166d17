// Console: 数据上报 / 数据接收 (manual 四(八); D7). Contract: common/src/reportApi.ts.
import { COLOURS, REPORT_FREQUENCIES } from '@bamin/common';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Deps } from '../deps';
import type { ApiRegistry } from '../http/openapi';
import type { ConsoleSession } from '../services/consoleSessionService';
import { auditTrail, searchUnits } from '../services/auditTrailService';
import * as reports from '../services/dataReportService';
import * as schedules from '../services/reportScheduleService';
import { CONSOLE_ROLES_ALL } from './console.roles';
import { idParam, PageQuery, parseQuery } from './staff.schemas';

const session = (ctx: Context): ConsoleSession => ctx.state.console;
const ALL = CONSOLE_ROLES_ALL;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

const filterFields = {
  toOrganisationId: z.number('请选择上报部门').int().positive('请选择上报部门'),
  servicePointIds: z.array(z.number().int().positive()).max(200, '最多选择 200 个服务点').optional(),
  colour: z.enum(COLOURS, '健康码状态应为 green 或 orange').optional(),
  temperature: z.enum(['normal', 'abnormal', 'none'], '体温结果应为 normal、abnormal 或 none').optional(),
};
const DataReportBody = z.object({ ...filterFields, from: day, to: day }).strict();
const ScheduleBody = z.object({ ...filterFields, frequency: z.enum(REPORT_FREQUENCIES, '上报频率应为 daily（每日）或 weekly（每周）') }).strict();
const ScheduleEnabledBody = z.object({ enabled: z.boolean('enabled 应为 true 或 false') }).strict();
const ReportPageQuery = z.object({
  page: z.coerce.number().int('页码须为整数').min(1, '页码从 1 开始').max(100000).default(1),
  pageSize: z.coerce.number().int().min(1, '每页至少 1 条').max(100, '每页最多 100 条').default(10),
});


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
      const q = parseQuery(ReportPageQuery, ctx.query);
      ctx.body = await reports.sentReports(deps, session(ctx), q.page, q.pageSize);
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/console/data-reports/received', tag, auth: 'console', roles: ALL, summary: '数据接收: reports delivered to the unit, 未读/已读 (paged)', responses: { 200: { description: 'Page<DataReportView>' } } },
    async (ctx) => {
      const q = parseQuery(ReportPageQuery, ctx.query);
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
  api.add(
    { method: 'get', path: '/api/v1/console/data-report-schedules', tag, auth: 'console', roles: ALL, summary: '定时上报 (G3): the unit\'s automatic daily or weekly reports, newest first', responses: { 200: { description: 'ReportScheduleView[]' } } },
    async (ctx) => {
      ctx.body = await schedules.listSchedules(deps, session(ctx));
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/console/data-report-schedules', tag, auth: 'console', roles: ALL, body: ScheduleBody,
      summary: '新增定时上报 (G3): every day (the previous day) or every Monday (the previous week), to an ancestor department',
      responses: { 201: { description: 'ReportScheduleView' }, 400: { description: 'VALIDATION_FAILED naming the field' }, 403: { description: 'REPORT_RECEIVER_NOT_ALLOWED' }, 409: { description: 'REPORT_SCHEDULE_LIMIT, REPORT_SCHEDULE_DUPLICATE' } },
    },
    async (ctx, body: z.infer<typeof ScheduleBody>) => {
      ctx.status = 201;
      ctx.body = await schedules.createSchedule(deps, session(ctx), body, ctx.state.requestId);
    },
  );
  api.add(
    {
      method: 'patch', path: '/api/v1/console/data-report-schedules/:id', tag, auth: 'console', roles: ALL, body: ScheduleEnabledBody,
      summary: '停用 / 启用 a 定时上报 (enabling starts again from the current period)',
      responses: { 200: { description: 'ReportScheduleView' }, 404: { description: 'REPORT_SCHEDULE_NOT_FOUND' } },
    },
    async (ctx, body: z.infer<typeof ScheduleEnabledBody>) => {
      ctx.body = await schedules.setScheduleEnabled(deps, session(ctx), idParam(ctx.params.id), body.enabled, ctx.state.requestId);
    },
  );
  api.add(
    {
      method: 'delete', path: '/api/v1/console/data-report-schedules/:id', tag, auth: 'console', roles: ALL,
      summary: '删除 a 定时上报 (reports already sent stay)', responses: { 204: { description: 'deleted' }, 404: { description: 'REPORT_SCHEDULE_NOT_FOUND' } },
    },
    async (ctx) => {
      await schedules.deleteSchedule(deps, session(ctx), idParam(ctx.params.id), ctx.state.requestId);
      ctx.status = 204;
    },
  );
}

const AuditQuerySchema = z.object({
  from: day.optional(),
  to: day.optional(),
  action: z.string().regex(/^[a-z_.]{1,64}$/, '操作类型不正确').optional(),
  outcome: z.enum(['ok', 'not_found', 'refused'], '结果应为 ok、not_found 或 refused').optional(),
  organisationId: z.coerce.number().int().positive('单位编号须为正整数').optional(),
  page: z.coerce.number().int('页码须为整数').min(1, '页码从 1 开始').max(100000).default(1),
  pageSize: z.coerce.number().int().min(1, '每页至少 1 条').max(100, '每页最多 100 条').default(20),
});

const UnitsQuery = PageQuery.extend({ q: z.string().trim().min(1, '请输入单位名称').max(50, '单位名称最多 50 个字').optional() });

/** 审计日志 (H3): a unit's own trail; the health department's, everyone's. */
export function consoleAuditRoutes(api: ApiRegistry, deps: Deps): void {
  api.add(
    {
      method: 'get', path: '/api/v1/console/units', tag: 'console', auth: 'console', roles: ['health_department'],
      summary: "审计日志's unit filter: units of every kind whose name contains ?q (paged, by name); health department only",
      responses: { 200: { description: 'Page<UnitOption>' }, 400: { description: 'VALIDATION_FAILED naming q, page or pageSize' }, 403: { description: 'FORBIDDEN' } },
    },
    async (ctx) => {
      const q = parseQuery(UnitsQuery, ctx.query);
      ctx.body = await searchUnits(deps, q.q, q.page, q.pageSize);
    },
  );
  api.add(
    {
      method: 'get', path: '/api/v1/console/audit', tag: 'console', auth: 'console', roles: ALL,
      summary: '审计日志 (H3): who read or changed whose record, when and why (route) — the unit\'s own; the health department\'s, all (paged, ≤ 92 days)',
      responses: { 200: { description: 'AuditPage' }, 400: { description: 'VALIDATION_FAILED naming the field' } },
    },
    async (ctx) => {
      ctx.body = await auditTrail(deps, session(ctx), parseQuery(AuditQuerySchema, ctx.query));
    },
  );
}
