// Citizen app API (issue 3: A1, A2, A5–A7, H1, H2). Every route but the two sign-in steps needs a
// citizen session; a family member's code is reachable only by the applicant who claimed them.
import { SIGN_IN_LIMITS, SMS_LIMITS } from '../http/rateLimits';
import type { Context } from 'koa';
import type { z } from 'zod';
import type { Deps } from '../deps';
import type { ApiRegistry } from '../http/openapi';
import { DevSmsOutbox } from '../integrations/sms';
import { areaOptions } from '../services/areaService';
import * as citizen from '../services/citizenService';
import * as reports from '../services/healthReportService';
import * as registration from '../services/registrationService';
import { ApiError } from '../errors';
import { PageQuery, parseQuery } from './staff.schemas';
import * as S from './app.schemas';

const session = (ctx: Context): citizen.CitizenSession => ctx.state.citizen;

export function appRoutes(api: ApiRegistry, deps: Deps): void {
  const tag = 'app';
  api.add(
    {
      method: 'post', path: '/api/v1/app/sms-codes', tag, auth: 'none', body: S.SmsCodeBody, limits: SMS_LIMITS,
      summary: 'Send a 6-digit SMS code (sign-in, or the phone of a family member); one a minute per phone',
      responses: { 204: { description: 'sent' }, 400: { description: 'bad phone' }, 429: { description: 'SMS_TOO_FREQUENT' } },
    },
    async (ctx, body: z.infer<typeof S.SmsCodeBody>) => {
      await citizen.sendSmsCode(deps, body.phone, body.purpose);
      ctx.status = 204;
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/app/sessions', tag, auth: 'none', body: S.SignInBody, limits: SIGN_IN_LIMITS,
      summary: 'Sign in with phone + SMS code (stands in for the host app account in H5); returns a bearer session token',
      responses: { 201: { description: 'signed in', schema: S.SessionResult }, 400: { description: 'SMS_CODE_WRONG / SMS_CODE_EXPIRED' } },
    },
    async (ctx, body: z.infer<typeof S.SignInBody>) => {
      ctx.status = 201;
      ctx.body = await citizen.signIn(deps, body.phone, body.smsCode);
    },
  );
  api.add(
    { method: 'delete', path: '/api/v1/app/sessions/current', tag, auth: 'citizen', summary: 'Sign out (revokes the session)', responses: { 204: { description: 'signed out' } } },
    async (ctx) => {
      await citizen.signOut(deps, session(ctx));
      ctx.status = 204;
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/app/me', tag, auth: 'citizen', summary: 'The signed-in citizen', responses: { 200: { description: 'me', schema: S.MeResult } } },
    async (ctx) => {
      ctx.body = await citizen.me(deps, session(ctx).userId);
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/app/l4/start', tag, auth: 'citizen', body: S.L4StartBody,
      summary: 'Start the L4 real-name check for a name and ID document',
      responses: { 200: { description: 'check started' }, 400: { description: 'VALIDATION_FAILED naming the field' }, 409: { description: 'IDENTITY_TAKEN' } },
    },
    async (ctx, body: z.infer<typeof S.L4StartBody>) => {
      ctx.body = await citizen.startL4(deps, session(ctx), body);
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/app/l4/confirm', tag, auth: 'citizen', body: S.L4ConfirmBody,
      summary: 'Finish the face check; passed links the citizen to the person, failed leaves no code',
      responses: { 200: { description: 'passed', schema: S.MeResult }, 400: { description: 'L4_FAILED' }, 404: { description: 'L4_CHECK_NOT_FOUND' } },
    },
    async (ctx, body: z.infer<typeof S.L4ConfirmBody>) => {
      ctx.body = await citizen.confirmL4(deps, session(ctx), body.checkId, body.confirmed, ctx.state.requestId);
    },
  );
  api.add(
    {
      method: 'put', path: '/api/v1/app/profile', tag, auth: 'citizen', body: S.ProfileBody,
      summary: 'Residence county (GB/T 2260) and address',
      responses: { 200: { description: 'saved', schema: S.MeResult }, 400: { description: 'AREA_UNKNOWN' }, 403: { description: 'L4_REQUIRED' } },
    },
    async (ctx, body: z.infer<typeof S.ProfileBody>) => {
      ctx.body = await citizen.updateProfile(deps, session(ctx), body);
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/app/code', tag, auth: 'citizen', body: S.GenerateCodeBody,
      summary: 'Generate the personal code (first time: gives the 12-digit number and records the current area as the starting area)',
      responses: { 200: { description: 'the code', schema: S.CodeViewResult }, 403: { description: 'L4_REQUIRED' }, 409: { description: 'PROFILE_REQUIRED' } },
    },
    async (ctx, body: z.infer<typeof S.GenerateCodeBody>) => {
      ctx.body = await citizen.generateOwnCode(deps, session(ctx), body.currentArea);
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/app/codes', tag, auth: 'citizen', summary: 'Own code and family codes, for switching (切换健康码)', responses: { 200: { description: 'codes' } } },
    async (ctx) => {
      ctx.body = { codes: await citizen.listCodes(deps, session(ctx)) };
    },
  );
  api.add(
    {
      method: 'get', path: '/api/v1/app/codes/:holder', tag, auth: 'citizenCode',
      summary: "A code page: fresh token, colour, reasons, greenFrom, nucleic-acid tests of 7 days ('self' or a family id)",
      responses: { 200: { description: 'the code', schema: S.CodeViewResult }, 404: { description: 'FAMILY_NOT_FOUND' }, 409: { description: 'CODE_NOT_GENERATED' } },
    },
    async (ctx) => {
      ctx.body = await citizen.codeView(deps, session(ctx), String(ctx.params.holder), ctx.state.requestId);
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/app/family', tag, auth: 'citizen', body: S.FamilyBody,
      summary: 'Apply for a family member (为家人申领): limits 4 parents 55+, 3 children 16-, 1 spouse, 8 in all',
      responses: {
        201: { description: "the member's code", schema: S.CodeViewResult },
        400: { description: 'VALIDATION_FAILED, SMS_CODE_*, FAMILY_SELF, FAMILY_PARENT_TOO_YOUNG, FAMILY_CHILD_TOO_OLD' },
        409: { description: 'FAMILY_ALREADY_CLAIMED, FAMILY_LIMIT_*' },
      },
    },
    async (ctx, body: z.infer<typeof S.FamilyBody>) => {
      ctx.status = 201;
      ctx.body = await citizen.applyForFamily(deps, session(ctx), body, ctx.state.requestId);
    },
  );
  api.add(
    {
      method: 'put', path: '/api/v1/app/family/:holder/answers', tag, auth: 'citizen', body: S.HealthAnswersBody,
      summary: "Update a family member's health answers (a yes keeps the code orange 14 days from the answer)",
      responses: { 200: { description: 'the code', schema: S.CodeViewResult }, 404: { description: 'FAMILY_NOT_FOUND' } },
    },
    async (ctx, body: z.infer<typeof S.HealthAnswersBody>) => {
      ctx.body = await citizen.updateFamilyAnswers(deps, session(ctx), String(ctx.params.holder), body);
    },
  );
  api.add(
    { method: 'delete', path: '/api/v1/app/family/:holder', tag, auth: 'citizen', summary: 'Remove a family member (audited); another applicant may then claim them', responses: { 204: { description: 'removed' }, 404: { description: 'FAMILY_NOT_FOUND' } } },
    async (ctx) => {
      await citizen.removeFamily(deps, session(ctx), String(ctx.params.holder), ctx.state.requestId);
      ctx.status = 204;
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/app/areas', tag, auth: 'citizen', summary: 'GB/T 2260 areas for the county picker (?parent=code; provinces without)', responses: { 200: { description: 'areas', schema: S.AreasResult } } },
    async (ctx) => {
      ctx.body = areaOptions(ctx.query.parent);
    },
  );

  api.add(
    {
      method: 'post', path: '/api/v1/app/health-reports', tag, auth: 'citizen', body: S.HealthReportBody,
      summary: '健康上报 (A8) for oneself or a family member the user applied for',
      responses: { 201: { description: 'the report' }, 400: { description: 'VALIDATION_FAILED naming the field' }, 404: { description: 'FAMILY_NOT_FOUND' } },
    },
    async (ctx, body: z.infer<typeof S.HealthReportBody>) => {
      ctx.status = 201;
      ctx.body = await reports.submitHealthReport(deps, session(ctx), body);
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/app/health-reports', tag, auth: 'citizen', summary: "The holder's reports, newest first (?holder=self|family id, ?page, ?pageSize)", responses: { 200: { description: 'page' } } },
    async (ctx) => {
      const q = parseQuery(PageQuery, ctx.query);
      const holder = typeof ctx.query.holder === 'string' ? ctx.query.holder : 'self';
      ctx.body = await reports.listMyReports(deps, session(ctx), holder, q.page, q.pageSize);
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/app/messages', tag, auth: 'citizen', summary: '站内消息 (A9), newest first, with the unread count', responses: { 200: { description: 'page' } } },
    async (ctx) => {
      const q = parseQuery(PageQuery, ctx.query);
      ctx.body = await reports.listMessages(deps, session(ctx), q.page, q.pageSize);
    },
  );
  api.add(
    { method: 'post', path: '/api/v1/app/messages/:id/read', tag, auth: 'citizen', summary: 'Mark one of the user\'s messages read', responses: { 200: { description: 'message' }, 404: { description: 'MESSAGE_NOT_FOUND' } } },
    async (ctx) => {
      const id = String(ctx.params.id);
      if (!/^\d{1,15}$/.test(id)) throw new ApiError('VALIDATION_FAILED', [{ field: 'id', problem: '编号须为数字' }]);
      ctx.body = await reports.markMessageRead(deps, session(ctx), Number(id));
    },
  );

  api.add(
    {
      method: 'get', path: '/api/v1/app/service-points/by-token', tag, auth: 'citizen',
      summary: 'A scanned service-point poster (?token=): the point, its staff on duty (colour, latest temperature, masked), the members the user may register (C1, C2)',
      responses: { 200: { description: 'point page' }, 400: { description: 'TOKEN_* (forged, revoked, a personal code)' }, 403: { description: 'CODE_REQUIRED_FIRST' } },
    },
    async (ctx) => {
      const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
      if (!token || token.length > 500) throw new ApiError('VALIDATION_FAILED', [{ field: 'token', problem: '请扫描服务点健康码' }]);
      ctx.body = await registration.pointPage(deps, session(ctx), token);
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/app/registrations', tag, auth: 'citizen', body: S.RegistrationBody,
      summary: '信息登记 (C3, C4): an active scan record of the point and a 扫码登记 report; again within 10 minutes updates instead of counting twice',
      responses: { 201: { description: 'registered' }, 400: { description: 'VALIDATION_FAILED / TOKEN_*' }, 403: { description: 'CODE_REQUIRED_FIRST' }, 404: { description: 'FAMILY_NOT_FOUND' } },
    },
    async (ctx, body: z.infer<typeof S.RegistrationBody>) => {
      ctx.status = 201;
      ctx.body = await registration.register(deps, session(ctx), body);
    },
  );

  // Development only: read the SMS outbox (what the dev SMS adapter "sent"), for testers and browser tests.
  if (deps.sms instanceof DevSmsOutbox) {
    const outbox = deps.sms;
    api.add(
      { method: 'post', path: '/api/dev/sms-outbox', tag: 'dev', auth: 'none', body: S.SmsCodeBody.pick({ phone: true }), summary: 'Development SMS outbox (only with the development SMS adapter)', responses: { 200: { description: 'messages, newest first' } } },
      async (ctx, body: { phone: string }) => {
        ctx.body = { messages: outbox.read(body.phone.replace(/\D/g, '').slice(-11)).map((m) => ({ text: m.text, at: m.at.toISOString() })) };
      },
    );
  }
}
