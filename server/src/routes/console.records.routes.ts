// Console: 出入扫码记录 (D4, E7) and 职工健康管理 (D5, E4). Contract: common/src/consoleApi.ts.
import type { Context } from 'koa';
import { z } from 'zod';
import type { Deps } from '../deps';
import { ApiError } from '../errors';
import type { ApiRegistry } from '../http/openapi';
import type { ConsoleSession } from '../services/consoleSessionService';
import * as health from '../services/employeeHealthService';
import * as records from '../services/scanRecordsService';
import { CONSOLE_ROLES_ALL } from './console.roles';
import { idParam, parseQuery } from './staff.schemas';

const session = (ctx: Context): ConsoleSession => ctx.state.console;
const ALL = CONSOLE_ROLES_ALL;
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const paging = {
  page: z.coerce.number().int('页码须为整数').min(1, '页码从 1 开始').max(100000).default(1),
  pageSize: z.coerce.number().int().min(1, '每页至少 1 条').max(100, '每页最多 100 条').default(10),
};
const range = <T extends { from?: string; to?: string }>(q: T): T => {
  if (q.from && q.to && q.from > q.to) throw new ApiError('VALIDATION_FAILED', [{ field: 'to', problem: '结束日期不能早于开始日期' }]);
  return q;
};

const ScanRecordQuery = z.object({
  name: z.string().max(50).optional(),
  idNumber: z.string().max(40).optional(),
  areaCode: z.string().regex(/^\d{6}$/, '请选择地区').optional(),
  temperature: z.enum(['normal', 'abnormal', 'none'], '体温结果应为 normal、abnormal 或 none').optional(),
  colour: z.enum(['green', 'orange'], '健康码状态应为 green 或 orange').optional(),
  from: day.optional(),
  to: day.optional(),
  scannerId: z.coerce.number().int().positive('扫码员编号无效').optional(),
  mode: z.enum(['passive', 'active'], '方式应为 passive 或 active').optional(),
  ...paging,
});
const EmployeeHealthQuery = z.object({
  name: z.string().max(50).optional(),
  idNumber: z.string().max(40).optional(),
  status: z.enum(['reported', 'not_reported'], '状态应为 reported 或 not_reported').optional(),
  from: day.optional(),
  to: day.optional(),
  result: z.enum(['normal', 'abnormal'], '上报结果应为 normal 或 abnormal').optional(),
  ...paging,
});
const ReportsQuery = z.object({ from: day.optional(), to: day.optional(), type: z.enum(['self', 'family', 'scan']).optional(), ...paging });
const ExportQuery = z.object({ from: day, to: day });
const RemindBody = z.object({ employeeIds: z.array(z.number().int().positive()).min(1, '请选择要提醒的职工').max(1000, '一次最多提醒 1000 名职工') }).strict();


export function consoleRecordRoutes(api: ApiRegistry, deps: Deps): void {
  const tag = 'console';
  api.add(
    {
      method: 'get', path: '/api/v1/console/scan-records', tag, auth: 'console', roles: ALL,
      summary: '出入扫码记录 of the unit (passive and active), masked, filtered (name, exact ID number, area, temperature, colour, dates, scanner, mode), paged',
      responses: { 200: { description: 'page' }, 400: { description: 'VALIDATION_FAILED naming the parameter' } },
    },
    async (ctx) => {
      ctx.body = await records.listScanRecords(deps, session(ctx), range(parseQuery(ScanRecordQuery, ctx.query)));
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/console/scan-records/people/:personRef', tag, auth: 'console', roles: ALL, summary: 'A person who passed the unit: basic information, pass records here, health reports (audited)', responses: { 200: { description: 'person' }, 404: { description: 'PERSON_NOT_FOUND' } } },
    async (ctx) => {
      ctx.body = await records.passPerson(deps, session(ctx), String(ctx.params.personRef), ctx.state.requestId);
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/console/scan-records/scanners/:accountId', tag, auth: 'console', roles: ALL, summary: 'One of the unit\'s scanners: information and scan records (paged)', responses: { 200: { description: 'scanner' }, 404: { description: 'SUB_ACCOUNT_NOT_FOUND' } } },
    async (ctx) => {
      const q = parseQuery(z.object(paging), ctx.query);
      ctx.body = await records.scannerView(deps, session(ctx), idParam(ctx.params.accountId, 'accountId'), q.page, q.pageSize);
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/console/scan-records/:id', tag, auth: 'console', roles: ALL, summary: '查看详情 of one of the unit\'s scan records', responses: { 200: { description: 'record' }, 404: { description: 'SCAN_NOT_FOUND' } } },
    async (ctx) => {
      ctx.body = await records.scanRecordDetail(deps, session(ctx), idParam(ctx.params.id));
    },
  );

  api.add(
    {
      method: 'get', path: '/api/v1/console/employee-health', tag, auth: 'console', roles: ALL,
      summary: '职工健康管理: employees with today\'s 已上报/未上报, latest report and result; filters; paged',
      responses: { 200: { description: 'page' }, 400: { description: 'VALIDATION_FAILED' } },
    },
    async (ctx) => {
      ctx.body = await health.employeeHealth(deps, session(ctx), range(parseQuery(EmployeeHealthQuery, ctx.query)));
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/console/employee-health/reminders', tag, auth: 'console', roles: ALL, body: RemindBody,
      summary: '提醒上报 / 批量提醒: an in-app message each; refused for all when one already reported today',
      responses: { 200: { description: '{ reminded }' }, 404: { description: 'EMPLOYEE_NOT_FOUND' }, 409: { description: 'ALREADY_REPORTED / CANNOT_REMIND' } },
    },
    async (ctx, body: z.infer<typeof RemindBody>) => {
      ctx.body = await health.remindEmployees(deps, session(ctx), body.employeeIds, ctx.state.requestId);
    },
  );
  api.add(
    {
      method: 'get', path: '/api/v1/console/employee-health/export.xlsx', tag, auth: 'console', roles: ALL,
      summary: '批量导出: the employees\' reports of a date range as .xlsx (streamed)', responses: { 200: { description: 'xlsx' }, 400: { description: 'VALIDATION_FAILED' } },
    },
    async (ctx) => {
      const q = range(parseQuery(ExportQuery, ctx.query));
      await health.auditExport(deps, session(ctx), q.from, q.to);
      ctx.set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`健康上报_${q.from}_${q.to}.xlsx`)}`);
      ctx.body = health.exportReports(deps, session(ctx), q.from, q.to);
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/console/employee-health/:employeeId/reports', tag, auth: 'console', roles: ALL, summary: '查看历史记录: one employee\'s reports', responses: { 200: { description: 'page' }, 404: { description: 'EMPLOYEE_NOT_FOUND' } } },
    async (ctx) => {
      const q = range(parseQuery(ReportsQuery, ctx.query));
      ctx.body = await health.employeeReports(deps, session(ctx), idParam(ctx.params.employeeId, 'employeeId'), q);
    },
  );
}
