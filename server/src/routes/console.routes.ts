// PC console API (manual 四 and 五; D1–D3, D6, E1, E5, E6). Contract: common/src/consoleApi.ts. Every
// route declares the roles (unit kinds) that may call it; services touch only the session's unit.
import { IMPORT_LIMITS, SIGN_IN_LIMITS } from '../http/rateLimits';
import type { Context } from 'koa';
import type { z } from 'zod';
import type { Deps } from '../deps';
import type { ApiRegistry } from '../http/openapi';
import { areaOptions } from '../services/areaService';
import * as accounts from '../services/consoleAccountService';
import * as ca from '../services/caLoginService';
import * as sessions from '../services/consoleSessionService';
import * as imports from '../services/employeeImportService';
import * as unit from '../services/unitService';
import { CONSOLE_ROLES_ALL, ENTERPRISE, HEALTH_DEPARTMENT } from './console.roles';
import { consoleRecordRoutes } from './console.records.routes';
import { consolePointRoutes } from './console.points.routes';
import { consoleAuditRoutes, consoleReportRoutes } from './console.reports.routes';
import * as S from './console.schemas';
import { AreasResult } from './app.schemas';
import { idParam, PageQuery, parseQuery } from './staff.schemas';

const session = (ctx: Context): sessions.ConsoleSession => ctx.state.console;
const ALL = CONSOLE_ROLES_ALL;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function consoleRoutes(api: ApiRegistry, deps: Deps): void {
  const tag = 'console';
  const setCookie = (ctx: Context, opened: { token: string }) =>
    ctx.cookies.set(sessions.CONSOLE_COOKIE, opened.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.config.cookieSecure,
      path: '/api/v1/console',
      // max-age from the real clock; the session itself ends at its server-side expiry
      maxAge: sessions.CONSOLE_SESSION_TTL_MS,
      overwrite: true,
    });
  const signedIn = async (ctx: Context, opened: { token: string; expiresAt: Date }) => {
    setCookie(ctx, opened);
    const s = await sessions.resolveConsoleSession(deps, opened.token);
    ctx.status = 201;
    ctx.body = { me: await sessions.consoleMe(deps, s!) };
  };

  // ---- sign-in ----
  api.add(
    {
      method: 'post', path: '/api/v1/console/sessions', tag, auth: 'none', body: S.ConsoleSignInBody, limits: SIGN_IN_LIMITS,
      summary: '法人用户 sign-in with user name and password (D2); 5 failures lock the account for 15 minutes',
      responses: { 201: { description: 'signed in (cookie set); me.mustChangePassword first' }, 401: { description: 'CONSOLE_BAD_CREDENTIALS' }, 423: { description: 'ACCOUNT_LOCKED' } },
    },
    async (ctx, body: z.infer<typeof S.ConsoleSignInBody>) => signedIn(ctx, await sessions.consolePasswordSignIn(deps, body.loginName, body.password, ctx.state.requestId)),
  );
  api.add(
    { method: 'post', path: '/api/v1/console/ca/challenges', tag, auth: 'none', summary: 'A challenge for CA-certificate sign-in (E1), valid 5 minutes, one attempt', responses: { 201: { description: 'challenge' } } },
    async (ctx) => {
      ctx.status = 201;
      ctx.body = await ca.newChallenge(deps);
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/console/ca/sessions', tag, auth: 'none', body: S.CaSignInBody, limits: SIGN_IN_LIMITS,
      summary: 'CA-certificate sign-in (E1): the certificate chains to the configured CA, is valid now, names a registered enterprise, and its key signed the challenge',
      responses: {
        201: { description: 'signed in (cookie set)' },
        400: { description: 'CA_CERT_MALFORMED / CA_CHALLENGE_EXPIRED' },
        401: { description: 'CA_CERT_EXPIRED / CA_CERT_UNTRUSTED / CA_CERT_NO_CREDIT_CODE / CA_CERT_WRONG_ENTERPRISE / CA_SIGNATURE_INVALID' },
      },
    },
    async (ctx, body: z.infer<typeof S.CaSignInBody>) => signedIn(ctx, await ca.caSignIn(deps, body, ctx.state.requestId)),
  );
  api.add(
    {
      method: 'post', path: '/api/v1/console/personal/sessions', tag, auth: 'none', body: S.PersonalSignInBody, limits: SIGN_IN_LIMITS,
      summary: 'Personal real-name sign-in (phone + SMS code of purpose console; the account must have passed L4); associate with an enterprise next',
      responses: { 201: { description: 'signed in (cookie set)' }, 400: { description: 'SMS_CODE_WRONG / SMS_CODE_EXPIRED' }, 403: { description: 'L4_REQUIRED' } },
    },
    async (ctx, body: z.infer<typeof S.PersonalSignInBody>) => signedIn(ctx, await sessions.consolePersonalSignIn(deps, body.phone, body.smsCode, ctx.state.requestId)),
  );
  api.add(
    {
      method: 'post', path: '/api/v1/console/personal/association', tag, auth: 'consoleAny', roles: ALL, body: S.AssociationBody,
      summary: 'Associate a personal session with an enterprise: the verified ID number must be its legal representative\'s or agent\'s',
      responses: { 200: { description: 'me' }, 403: { description: 'ENTERPRISE_ASSOCIATION_REFUSED' } },
    },
    async (ctx, body: z.infer<typeof S.AssociationBody>) => {
      ctx.body = await sessions.associateEnterprise(deps, session(ctx), body.creditCode.trim().toUpperCase(), ctx.state.requestId);
    },
  );
  api.add(
    { method: 'delete', path: '/api/v1/console/sessions/current', tag, auth: 'consoleAny', roles: ALL, summary: 'Sign out', responses: { 204: { description: 'signed out, cookie cleared' } } },
    async (ctx) => {
      await sessions.consoleSignOut(deps, session(ctx));
      ctx.cookies.set(sessions.CONSOLE_COOKIE, null, { path: '/api/v1/console' });
      ctx.status = 204;
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/console/me', tag, auth: 'consoleAny', roles: ALL, summary: 'The signed-in console user, role and unit', responses: { 200: { description: 'me' } } },
    async (ctx) => {
      ctx.body = await sessions.consoleMe(deps, session(ctx));
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/console/password', tag, auth: 'consoleAny', roles: ALL, body: S.ConsolePasswordBody,
      summary: 'Change the main account\'s password (the initial one first of all); other console sessions end',
      responses: { 200: { description: 'me' }, 400: { description: 'PASSWORD_WRONG / PASSWORD_WEAK' } },
    },
    async (ctx, body: z.infer<typeof S.ConsolePasswordBody>) => {
      ctx.body = await sessions.changeConsolePassword(deps, session(ctx), body.currentPassword, body.newPassword, ctx.state.requestId);
    },
  );

  // ---- registration and account generation ----
  api.add(
    {
      method: 'post', path: '/api/v1/console/enterprises', tag, auth: 'none', body: S.EnterpriseRegistrationBody,
      summary: '法人注册 (E1): every field checked and named; the credit code once only',
      responses: { 201: { description: 'registered; the credit code is the user name' }, 400: { description: 'VALIDATION_FAILED / SMS_CODE_WRONG' }, 409: { description: 'CREDIT_CODE_TAKEN' } },
    },
    async (ctx, body: z.infer<typeof S.EnterpriseRegistrationBody>) => {
      ctx.status = 201;
      ctx.body = await accounts.registerEnterprise(deps, body, ctx.state.requestId);
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/console/government-accounts', tag, auth: 'none', body: S.GovernmentAccountBody,
      summary: 'D1: unit name + credit code + activation code → user name and a one-time initial password (shown once)',
      responses: { 201: { description: 'issued' }, 400: { description: 'ACTIVATION_CODE_INVALID / VALIDATION_FAILED' }, 409: { description: 'CREDIT_CODE_TAKEN' } },
    },
    async (ctx, body: z.infer<typeof S.GovernmentAccountBody>) => {
      ctx.status = 201;
      ctx.body = await accounts.generateGovernmentAccount(deps, body, ctx.state.requestId);
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/console/activation-codes', tag, auth: 'console', roles: HEALTH_DEPARTMENT, body: S.ActivationCodeBody,
      summary: 'Issue an activation code for a government unit (shown once; single use; 30 days)',
      responses: { 201: { description: 'issued' }, 400: { description: 'VALIDATION_FAILED / AREA_UNKNOWN' }, 409: { description: 'CREDIT_CODE_TAKEN' } },
    },
    async (ctx, body: z.infer<typeof S.ActivationCodeBody>) => {
      ctx.status = 201;
      ctx.body = await accounts.issueActivationCode(deps, session(ctx), body, ctx.state.requestId);
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/console/activation-codes', tag, auth: 'console', roles: HEALTH_DEPARTMENT, summary: 'Activation codes issued (without the codes)', responses: { 200: { description: 'page' } } },
    async (ctx) => {
      const q = parseQuery(PageQuery, ctx.query);
      ctx.body = await accounts.listActivationCodes(deps, q.page, q.pageSize);
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/console/areas', tag, auth: 'console', roles: ALL, summary: 'GB/T 2260 areas (?parent=code)', responses: { 200: { description: 'areas', schema: AreasResult } } },
    async (ctx) => {
      ctx.body = areaOptions(ctx.query.parent);
    },
  );

  // ---- sub-accounts (D3, E6) ----
  api.add(
    { method: 'get', path: '/api/v1/console/sub-accounts', tag, auth: 'console', roles: ALL, summary: 'The unit\'s scanning sub-accounts (enterprises: CA session only)', responses: { 200: { description: 'page' }, 403: { description: 'CA_SESSION_REQUIRED' } } },
    async (ctx) => {
      const q = parseQuery(PageQuery, ctx.query);
      ctx.body = await unit.listSubAccounts(deps, session(ctx), q.page, q.pageSize);
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/console/sub-accounts', tag, auth: 'console', roles: ALL, body: S.SubAccountBody,
      summary: 'Add a scanning sub-account (phone = account, initial password abc@123456; government: authorised at once)',
      responses: { 201: { description: 'added' }, 403: { description: 'CA_SESSION_REQUIRED' }, 409: { description: 'SUB_ACCOUNT_PHONE_TAKEN' } },
    },
    async (ctx, body: z.infer<typeof S.SubAccountBody>) => {
      ctx.status = 201;
      ctx.body = await unit.addSubAccount(deps, session(ctx), body, ctx.state.requestId);
    },
  );
  for (const action of ['authorise', 'revoke', 'disable', 'enable', 'reset-password'] as const) {
    api.add(
      {
        method: 'post', path: `/api/v1/console/sub-accounts/:id/${action}`, tag, auth: 'console', roles: ALL,
        summary: `Sub-account: ${action}${action === 'reset-password' ? ' (back to abc@123456, to be changed at next sign-in)' : ''}`,
        responses: { 200: { description: 'the sub-account' }, 403: { description: 'CA_SESSION_REQUIRED' }, 404: { description: 'SUB_ACCOUNT_NOT_FOUND' } },
      },
      async (ctx) => {
        ctx.body = await unit.changeSubAccount(deps, session(ctx), idParam(ctx.params.id), action, ctx.state.requestId);
      },
    );
  }

  // ---- the unit (E5) ----
  api.add(
    { method: 'get', path: '/api/v1/console/organisation', tag, auth: 'console', roles: ALL, summary: 'The signed-in unit', responses: { 200: { description: 'unit' } } },
    async (ctx) => {
      ctx.body = await unit.organisationView(deps, session(ctx));
    },
  );
  api.add(
    {
      method: 'put', path: '/api/v1/console/organisation', tag, auth: 'console', roles: ENTERPRISE, body: S.OrganisationBody,
      summary: 'Edit the enterprise\'s name, legal representative and phone (the credit code cannot change)',
      responses: { 200: { description: 'unit' }, 400: { description: 'VALIDATION_FAILED' } },
    },
    async (ctx, body: z.infer<typeof S.OrganisationBody>) => {
      ctx.body = await unit.updateOrganisation(deps, session(ctx), body, ctx.state.requestId);
    },
  );

  // ---- employees (D6, E5) ----
  api.add(
    { method: 'get', path: '/api/v1/console/employees', tag, auth: 'console', roles: ALL, summary: 'Employees (?name contains, ?idNumber exact through the keyed hash, paged)', responses: { 200: { description: 'page' } } },
    async (ctx) => {
      ctx.body = await unit.listEmployees(deps, session(ctx), parseQuery(S.EmployeeQuery, ctx.query));
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/console/employees', tag, auth: 'console', roles: ALL, body: S.EmployeeBody,
      summary: 'Add an employee (ID number and phone checked; unique per unit)',
      responses: { 201: { description: 'added' }, 400: { description: 'VALIDATION_FAILED naming the field' }, 409: { description: 'EMPLOYEE_EXISTS' } },
    },
    async (ctx, body: z.infer<typeof S.EmployeeBody>) => {
      ctx.status = 201;
      ctx.body = await unit.addEmployee(deps, session(ctx), body as never, ctx.state.requestId);
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/console/employees/template.xlsx', tag, auth: 'console', roles: ALL, summary: 'The employee import template', responses: { 200: { description: 'xlsx' } } },
    async (ctx) => {
      ctx.set('Content-Type', XLSX);
      ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent('职工导入模板.xlsx')}`);
      ctx.body = await imports.employeeTemplate();
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/console/employees/imports', tag, auth: 'console', roles: ALL, rawBody: [XLSX], limits: IMPORT_LIMITS,
      summary: 'Import employees from an .xlsx (whole file or nothing; every bad row reported); answers a job to poll',
      responses: { 202: { description: 'job' }, 413: { description: 'PAYLOAD_TOO_LARGE' }, 415: { description: 'not an .xlsx' } },
    },
    async (ctx) => {
      ctx.status = 202;
      ctx.body = await imports.startEmployeeImport(deps, session(ctx), ctx);
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/console/employees/imports/:jobId', tag, auth: 'console', roles: ALL, summary: 'Progress and result of an import job of the unit', responses: { 200: { description: 'job' }, 404: { description: 'IMPORT_JOB_NOT_FOUND' } } },
    async (ctx) => {
      ctx.body = await imports.importJob(deps, session(ctx), String(ctx.params.jobId));
    },
  );
  api.add(
    { method: 'post', path: '/api/v1/console/employees/batch-delete', tag, auth: 'console', roles: ALL, body: S.BatchDeleteBody, summary: 'Delete several employees of the unit (all or none)', responses: { 200: { description: '{ deleted }' }, 404: { description: 'EMPLOYEE_NOT_FOUND' } } },
    async (ctx, body: z.infer<typeof S.BatchDeleteBody>) => {
      ctx.body = { deleted: await unit.deleteEmployees(deps, session(ctx), body.ids, ctx.state.requestId) };
    },
  );
  api.add(
    {
      method: 'put', path: '/api/v1/console/employees/:id', tag, auth: 'console', roles: ALL, body: S.EmployeeBody,
      summary: 'Edit an employee of the unit', responses: { 200: { description: 'employee' }, 404: { description: 'EMPLOYEE_NOT_FOUND' }, 409: { description: 'EMPLOYEE_EXISTS' } },
    },
    async (ctx, body: z.infer<typeof S.EmployeeBody>) => {
      ctx.body = await unit.updateEmployee(deps, session(ctx), idParam(ctx.params.id), body as never, ctx.state.requestId);
    },
  );
  api.add(
    { method: 'delete', path: '/api/v1/console/employees/:id', tag, auth: 'console', roles: ALL, summary: 'Delete an employee of the unit', responses: { 204: { description: 'deleted' }, 404: { description: 'EMPLOYEE_NOT_FOUND' } } },
    async (ctx) => {
      await unit.deleteEmployees(deps, session(ctx), [idParam(ctx.params.id)], ctx.state.requestId);
      ctx.status = 204;
    },
  );
  consoleRecordRoutes(api, deps);
  consolePointRoutes(api, deps);
  consoleReportRoutes(api, deps);
  consoleAuditRoutes(api, deps);
}
