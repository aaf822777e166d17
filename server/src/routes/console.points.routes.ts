// Console: 企业服务点管理 (D8, E8) with the poster, and 人流预警管理 (D9, E9). Contract: common/src/pointApi.ts.
import { SERVICE_POINT_TYPES } from '@bamin/common';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Deps } from '../deps';
import type { ApiRegistry } from '../http/openapi';
import * as poster from '../integrations/poster';
import type { ConsoleSession } from '../services/consoleSessionService';
import * as crowd from '../services/crowdFlowService';
import * as points from '../services/servicePointService';
import { CONSOLE_ROLES_ALL } from './console.roles';
import { idParam, parseQuery } from './staff.schemas';

const session = (ctx: Context): ConsoleSession => ctx.state.console;
const ALL = CONSOLE_ROLES_ALL;
const text = (what: string, max: number) => z.string().trim().min(1, `请输入${what}`).max(max, `${what}不能超过 ${max} 个字`);
const PointBody = z
  .object({
    name: text('服务点名称', 100),
    address: text('地址', 200),
    areaCode: z.string().regex(/^\d{6}$/, '请选择区县'),
    type: z.enum(SERVICE_POINT_TYPES, '请选择服务点类型'),
    staffEmployeeIds: z.array(z.number().int().positive()).max(200, '在岗员工最多 200 名').default([]),
  })
  .strict();
const CrowdBody = z
  .object({ capacity: z.number('请填写人流上限数量').int('须为整数'), warningLine: z.number('请填写预警线人数').int('须为整数'), windowMinutes: z.number('请填写统计时间间隔').int('须为整数') })
  .strict();
const ListQuery = z.object({
  name: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100, '每页最多 100 条').default(10),
});


export function consolePointRoutes(api: ApiRegistry, deps: Deps): void {
  const tag = 'console';
  api.add(
    { method: 'get', path: '/api/v1/console/service-points', tag, auth: 'console', roles: ALL, summary: '企业服务点管理: the unit\'s service points (?name, paged)', responses: { 200: { description: 'page' } } },
    async (ctx) => {
      ctx.body = await points.listServicePoints(deps, session(ctx), parseQuery(ListQuery, ctx.query));
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/console/service-points', tag, auth: 'console', roles: ALL, body: PointBody,
      summary: 'Add a service point (name, address, county, type, staff on duty from the unit\'s employees)',
      responses: { 201: { description: 'added' }, 400: { description: 'VALIDATION_FAILED / AREA_UNKNOWN' }, 404: { description: 'EMPLOYEE_NOT_FOUND (staff not of the unit)' } },
    },
    async (ctx, body: z.infer<typeof PointBody>) => {
      ctx.status = 201;
      ctx.body = await points.createServicePoint(deps, session(ctx), body, ctx.state.requestId);
    },
  );
  api.add(
    { method: 'put', path: '/api/v1/console/service-points/:id', tag, auth: 'console', roles: ALL, body: PointBody, summary: 'Edit a service point', responses: { 200: { description: 'point' }, 404: { description: 'SERVICE_POINT_NOT_FOUND' } } },
    async (ctx, body: z.infer<typeof PointBody>) => {
      ctx.body = await points.updateServicePoint(deps, session(ctx), idParam(ctx.params.id), body, ctx.state.requestId);
    },
  );
  api.add(
    { method: 'delete', path: '/api/v1/console/service-points/:id', tag, auth: 'console', roles: ALL, summary: 'Delete a service point (its poster is revoked)', responses: { 204: { description: 'deleted' }, 404: { description: 'SERVICE_POINT_NOT_FOUND' } } },
    async (ctx) => {
      await points.deleteServicePoint(deps, session(ctx), idParam(ctx.params.id), ctx.state.requestId);
      ctx.status = 204;
    },
  );
  api.add(
    { method: 'post', path: '/api/v1/console/service-points/:id/poster/regenerate', tag, auth: 'console', roles: ALL, summary: 'Regenerate the poster: every earlier one is revoked', responses: { 200: { description: 'point' }, 404: { description: 'SERVICE_POINT_NOT_FOUND' } } },
    async (ctx) => {
      ctx.body = await points.regeneratePoster(deps, session(ctx), idParam(ctx.params.id), ctx.state.requestId);
    },
  );
  for (const format of ['png', 'pdf'] as const) {
    api.add(
      { method: 'get', path: `/api/v1/console/service-points/:id/poster.${format}`, tag, auth: 'console', roles: ALL, summary: `健康码下载: the printable A4 poster (${format.toUpperCase()})`, responses: { 200: { description: format }, 404: { description: 'SERVICE_POINT_NOT_FOUND' } } },
      async (ctx) => {
        const content = await points.posterOf(deps, session(ctx), idParam(ctx.params.id));
        ctx.set('Content-Type', format === 'png' ? 'image/png' : 'application/pdf');
        ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${content.pointName}-服务点健康码.${format}`)}`);
        ctx.body = format === 'png' ? await poster.renderPosterPng(content) : await poster.renderPosterPdf(content);
      },
    );
  }

  api.add(
    { method: 'get', path: '/api/v1/console/crowd-flow', tag, auth: 'console', roles: ALL, summary: '人流预警管理: every service point of the unit with its setting', responses: { 200: { description: 'rows' } } },
    async (ctx) => {
      ctx.body = await crowd.crowdSettings(deps, session(ctx));
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/console/crowd-flow/live', tag, auth: 'console', roles: ALL, summary: '人员超标预警 cards counted now (poll every ≤ 5 s)', responses: { 200: { description: 'cards' } } },
    async (ctx) => {
      ctx.body = await crowd.liveCards(deps, session(ctx));
    },
  );
  api.add(
    {
      method: 'put', path: '/api/v1/console/crowd-flow/:id', tag, auth: 'console', roles: ALL, body: CrowdBody,
      summary: '配置预警 / 编辑: capacity, warning line (≤ capacity), window in minutes',
      responses: { 200: { description: 'row' }, 400: { description: 'VALIDATION_FAILED' }, 404: { description: 'SERVICE_POINT_NOT_FOUND' } },
    },
    async (ctx, body: z.infer<typeof CrowdBody>) => {
      ctx.body = await crowd.saveCrowdSetting(deps, session(ctx), idParam(ctx.params.id), body, ctx.state.requestId);
    },
  );
  api.add(
    { method: 'delete', path: '/api/v1/console/crowd-flow/:id', tag, auth: 'console', roles: ALL, summary: 'Remove a point\'s crowd-flow setting', responses: { 204: { description: 'removed' }, 404: { description: 'SERVICE_POINT_NOT_FOUND' } } },
    async (ctx) => {
      await crowd.deleteCrowdSetting(deps, session(ctx), idParam(ctx.params.id), ctx.state.requestId);
      ctx.status = 204;
    },
  );
}
