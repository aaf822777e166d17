// 跨省互认 and corrections (manual 二; B1, H6; issue 9): 入闽申报 and 纠错 in the citizen app, and the health
// department's decisions in the console. Contract: common/src/nationalApi.ts.
import { CORRECTION_KINDS, CORRECTION_STATUSES } from '@bamin/common';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Deps } from '../deps';
import { ApiError } from '../errors';
import type { ApiRegistry } from '../http/openapi';
import { NationalUnavailableError } from '../integrations/nationalPlatform';
import { requirePerson, type CitizenSession } from '../services/citizenService';
import type { ConsoleSession } from '../services/consoleSessionService';
import * as corrections from '../services/correctionService';
import * as origin from '../services/originService';
import { HEALTH_DEPARTMENT } from './console.roles';
import { idParam, parseQuery } from './staff.schemas';

const citizen = (ctx: Context): CitizenSession => ctx.state.citizen;
const consoleSession = (ctx: Context): ConsoleSession => ctx.state.console;
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

const ArrivalBody = z
  .object({
    originProvinceCode: z.string('请选择出发地所在省').regex(/^\d{2}0000$/, '请选择出发地所在省（自治区、直辖市）'),
    arrivalDate: day,
  })
  .strict();
const CorrectionBody = z
  .object({
    holder: z.string('请选择申诉的健康码').min(1).max(20),
    kind: z.enum(CORRECTION_KINDS, '申诉类型应为 local（本省健康码）或 origin（来源地健康通行码）'),
    // counted in characters by the service (an emoji is one); this only bounds the raw text
    reason: z.string('请写明申诉理由').max(4 * 500, '申诉理由最多 500 字'),
  })
  .strict();
const HolderQuery = z.object({ holder: z.string().min(1).max(20).default('self') });
const ConsoleListQuery = z.object({
  status: z.enum(CORRECTION_STATUSES, '状态不正确').optional(),
  page: z.coerce.number().int('页码须为整数').min(1, '页码从 1 开始').max(100000).default(1),
  pageSize: z.coerce.number().int().min(1, '每页至少 1 条').max(100, '每页最多 100 条').default(10),
});
const DecisionBody = z
  .object({
    decision: z.enum(['accept', 'reject'], '处理结果应为 accept（采纳）或 reject（不采纳）'),
    note: z.string().max(500, '处理意见最多 500 字').default(''),
  })
  .strict();

export function nationalRoutes(api: ApiRegistry, deps: Deps): void {
  api.add(
    {
      method: 'get', path: '/api/v1/national/keys', tag: 'codes', auth: 'none',
      summary: 'The national platform\'s published keys of the 防疫健康信息码 (B2), for scanners\' offline checks',
      responses: { 200: { description: 'NationalKeySet' }, 503: { description: 'NATIONAL_UNAVAILABLE' } },
    },
    async (ctx) => {
      try {
        ctx.body = await deps.national.publishedKeys();
      } catch (e) {
        if (e instanceof NationalUnavailableError) throw new ApiError('NATIONAL_UNAVAILABLE');
        throw e;
      }
      ctx.set('Cache-Control', 'public, max-age=300');
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/app/arrival-declarations', tag: 'app', auth: 'citizen', body: ArrivalBody,
      summary: '入闽申报 (B1): origin province and arrival day; the origin pass is checked at once',
      responses: { 201: { description: 'ArrivalDeclarationView' }, 400: { description: 'VALIDATION_FAILED naming the field' } },
    },
    async (ctx, body: z.infer<typeof ArrivalBody>) => {
      const s = citizen(ctx);
      ctx.status = 201;
      ctx.body = await origin.declareArrival(deps, requirePerson(s), s.userId, body);
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/app/arrival-declarations', tag: 'app', auth: 'citizen', summary: 'Own 入闽申报, newest first', responses: { 200: { description: 'ArrivalDeclarationView[]' } } },
    async (ctx) => {
      ctx.body = await origin.listArrivals(deps, requirePerson(citizen(ctx)));
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/app/corrections', tag: 'app', auth: 'citizen', body: CorrectionBody,
      summary: '纠错/申诉 (H6) of one\'s own or a family member\'s code: local → the health department decides; origin → forwarded to the national platform',
      responses: { 201: { description: 'CorrectionView' }, 400: { description: 'VALIDATION_FAILED' }, 404: { description: 'FAMILY_NOT_FOUND' }, 409: { description: 'CORRECTION_OPEN' } },
    },
    async (ctx, body: z.infer<typeof CorrectionBody>) => {
      ctx.status = 201;
      ctx.body = await corrections.fileCorrection(deps, citizen(ctx), body, ctx.state.requestId);
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/app/corrections', tag: 'app', auth: 'citizen', summary: 'The holder\'s corrections with their status, newest first', responses: { 200: { description: 'CorrectionView[]' } } },
    async (ctx) => {
      ctx.body = await corrections.listOwnCorrections(deps, citizen(ctx), parseQuery(HolderQuery, ctx.query).holder);
    },
  );
  api.add(
    {
      method: 'get', path: '/api/v1/console/corrections', tag: 'console', auth: 'console', roles: HEALTH_DEPARTMENT,
      summary: '健康码申诉 (H6): all corrections, masked, filterable by status (paged)', responses: { 200: { description: 'Page<CorrectionConsoleView>' } },
    },
    async (ctx) => {
      ctx.body = await corrections.listCorrections(deps, parseQuery(ConsoleListQuery, ctx.query));
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/console/corrections/:id/decision', tag: 'console', auth: 'console', roles: HEALTH_DEPARTMENT, body: DecisionBody,
      summary: '采纳 / 不采纳 a pending local correction (audited; accepting overrides the code until new data arrives)',
      responses: { 200: { description: 'CorrectionConsoleView' }, 404: { description: 'CORRECTION_NOT_FOUND' }, 409: { description: 'CORRECTION_NOT_PENDING' } },
    },
    async (ctx, body: z.infer<typeof DecisionBody>) => {
      ctx.body = await corrections.decideCorrection(deps, consoleSession(ctx), idParam(ctx.params.id), body.decision, body.note, ctx.state.requestId);
    },
  );
}
