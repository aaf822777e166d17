// Scanner staff API (manual 六, F1–F6): sign-in as a legal-person sub-account, the scan point, identifying
// a person (token / typed 12-digit number / ID-card OCR) with the scan record written at once, the
// person's recent records, and feedback. Contract: common/src/staffApi.ts.
import { SIGN_IN_LIMITS } from '../http/rateLimits';
import type { Context } from 'koa';
import type { z } from 'zod';
import type { Deps } from '../deps';
import type { ApiRegistry } from '../http/openapi';
import { areaOptions } from '../services/areaService';
import * as scans from '../services/scanService';
import { AreasResult } from './app.schemas';
import * as staff from '../services/staffService';
import * as S from './staff.schemas';

const session = (ctx: Context): staff.StaffSession => ctx.state.staff;

export function staffRoutes(api: ApiRegistry, deps: Deps): void {
  const tag = 'staff';
  api.add(
    {
      method: 'post', path: '/api/v1/staff/sessions', tag, auth: 'none', body: S.StaffSignInBody, limits: SIGN_IN_LIMITS,
      summary: 'Sign in as a scanning sub-account (phone number + password); 5 wrong passwords lock the account for 15 minutes',
      responses: {
        201: { description: 'signed in; me.mustChangePassword says whether the initial password must be replaced first', schema: S.StaffSessionResult },
        400: { description: 'VALIDATION_FAILED' },
        401: { description: 'STAFF_BAD_CREDENTIALS' },
        403: { description: 'STAFF_NOT_AUTHORISED / ACCOUNT_DISABLED' },
        423: { description: 'ACCOUNT_LOCKED' },
      },
    },
    async (ctx, body: z.infer<typeof S.StaffSignInBody>) => {
      ctx.status = 201;
      ctx.body = await staff.staffSignIn(deps, body.phone, body.password, ctx.state.requestId);
    },
  );
  api.add(
    { method: 'delete', path: '/api/v1/staff/sessions/current', tag, auth: 'staffAny', summary: 'Sign out (revokes the session)', responses: { 204: { description: 'signed out' } } },
    async (ctx) => {
      await staff.staffSignOut(deps, session(ctx));
      ctx.status = 204;
    },
  );
  api.add(
    { method: 'get', path: '/api/v1/staff/me', tag, auth: 'staffAny', summary: 'The signed-in staff member, unit, scan point and the unit\'s service points', responses: { 200: { description: 'me', schema: S.StaffMeResult } } },
    async (ctx) => {
      ctx.body = await staff.staffMe(deps, session(ctx).accountId);
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/staff/password', tag, auth: 'staffAny', body: S.StaffPasswordBody,
      summary: 'Change the password (required before anything else while on the initial one); signs out the other sessions',
      responses: { 200: { description: 'changed', schema: S.StaffMeResult }, 400: { description: 'PASSWORD_WRONG / PASSWORD_WEAK naming the field' } },
    },
    async (ctx, body: z.infer<typeof S.StaffPasswordBody>) => {
      ctx.body = await staff.changeStaffPassword(deps, session(ctx), body.currentPassword, body.newPassword, ctx.state.requestId);
    },
  );
  api.add(
    {
      method: 'get', path: '/api/v1/staff/areas', tag, auth: 'staff',
      summary: 'GB/T 2260 areas for the scan point\'s county picker (?parent=code; provinces without)',
      responses: { 200: { description: 'areas', schema: AreasResult }, 400: { description: 'VALIDATION_FAILED (parent)' } },
    },
    async (ctx) => {
      ctx.body = areaOptions(ctx.query.parent);
    },
  );
  api.add(
    {
      method: 'put', path: '/api/v1/staff/scan-point', tag, auth: 'staff', body: S.ScanPointBody,
      summary: 'Report or change the scan point (社区名称, 监测点名称, county, location; optionally one of the unit\'s service points)',
      responses: { 200: { description: 'the scan point', schema: S.ScanPointResult }, 400: { description: 'VALIDATION_FAILED / AREA_UNKNOWN' }, 404: { description: 'SERVICE_POINT_NOT_FOUND' } },
    },
    async (ctx, body: z.infer<typeof S.ScanPointBody>) => {
      ctx.body = await staff.setScanPoint(deps, session(ctx), body);
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/staff/scans', tag, auth: 'staffScan', body: S.ScanBody,
      summary: 'Identify a person by a scanned token ({ token }) or a typed 12-digit code number ({ codeNumber }, rate-limited, marked 人工输入); writes the scan record (未反馈)',
      responses: {
        201: { description: 'result', schema: S.ScanResultSchema },
        400: { description: 'TOKEN_MALFORMED / TOKEN_BAD_SIGNATURE / TOKEN_EXPIRED / TOKEN_REVOKED / TOKEN_WRONG_KIND / VALIDATION_FAILED' },
        404: { description: 'CODE_NOT_FOUND' },
        409: { description: 'SCAN_POINT_REQUIRED' },
        429: { description: 'RATE_LIMITED (typed numbers)' },
      },
    },
    async (ctx, body: z.infer<typeof S.ScanBody>) => {
      ctx.status = 201;
      ctx.body = await scans.identifyPerson(deps, session(ctx), body, ctx.state.requestId);
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/staff/scans/ocr', tag, auth: 'staff', body: S.OcrScanBody,
      summary: 'Identify a person aged 60 or over from a photo of their ID card front (JPEG/PNG, base64, ≤ 6 MiB); writes the scan record (未反馈)',
      responses: {
        201: { description: 'result', schema: S.ScanResultSchema },
        409: { description: 'SCAN_POINT_REQUIRED' },
        422: { description: 'OCR_IMAGE_UNREADABLE / OCR_NO_ID_NUMBER / OCR_UNDER_60' },
      },
    },
    async (ctx, body: z.infer<typeof S.OcrScanBody>) => {
      ctx.status = 201;
      ctx.body = await scans.identifyPerson(deps, session(ctx), { idCardImage: Buffer.from(body.imageBase64, 'base64') }, ctx.state.requestId);
    },
  );
  api.add(
    {
      method: 'get', path: '/api/v1/staff/scans', tag, auth: 'staff',
      summary: 'The staff member\'s own scans, newest first (?page, ?pageSize ≤ 50)',
      responses: { 200: { description: 'page', schema: S.MyScansResult }, 400: { description: 'VALIDATION_FAILED' } },
    },
    async (ctx) => {
      const q = S.parseQuery(S.PageQuery, ctx.query);
      ctx.body = await scans.myScans(deps, session(ctx), q.page, q.pageSize);
    },
  );
  api.add(
    {
      method: 'get', path: '/api/v1/staff/scans/:scanId/history', tag, auth: 'staff',
      summary: 'The scanned person\'s scan records (更多), for one of the staff member\'s own scans (?page, ?pageSize ≤ 50)',
      responses: { 200: { description: 'page', schema: S.ScanHistoryResult }, 403: { description: 'SCAN_NOT_OWN' }, 404: { description: 'SCAN_NOT_FOUND' } },
    },
    async (ctx) => {
      const q = S.parseQuery(S.PageQuery, ctx.query);
      ctx.body = await scans.scanHistory(deps, session(ctx), S.scanIdParam(String(ctx.params.scanId)), q.page, q.pageSize);
    },
  );
  api.add(
    {
      method: 'put', path: '/api/v1/staff/scans/:scanId/feedback', tag, auth: 'staff', body: S.FeedbackBody,
      summary: '反馈结果: pass reason and temperature result (optionally °C, 35.0–42.0); submitting again updates the same record',
      responses: {
        200: { description: 'the record', schema: S.ScanRecordResult },
        400: { description: 'VALIDATION_FAILED naming the field' },
        403: { description: 'SCAN_NOT_OWN' },
        404: { description: 'SCAN_NOT_FOUND' },
      },
    },
    async (ctx, body: z.infer<typeof S.FeedbackBody>) => {
      ctx.body = await scans.submitFeedback(deps, session(ctx), S.scanIdParam(String(ctx.params.scanId)), body);
    },
  );
}
