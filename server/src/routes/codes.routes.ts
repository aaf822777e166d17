// Code tokens (H1 base): the published key set, and verification of a scanned token or typed number.
import type { Context } from 'koa';
import { publishedKeys } from '../integrations/signingKeys';
import type { Deps } from '../deps';
import type { ApiRegistry } from '../http/openapi';
import type { z } from 'zod';
import { verifyCode } from '../services/codeService';
import { checkTypedLookupRate } from '../services/scanService';
import type { StaffSession } from '../services/staffService';
import { KeysResult, VerifyBody, VerifyResult } from './codes.schemas';

export function codeRoutes(api: ApiRegistry, deps: Deps): void {
  api.add(
    {
      method: 'get',
      path: '/api/v1/codes/keys',
      summary: 'Public keys that sign code tokens, by key id (current and previous), for offline checks',
      tag: 'codes',
      auth: 'none',
      responses: { 200: { description: 'key set', schema: KeysResult } },
    },
    async (ctx: Context) => {
      ctx.set('Cache-Control', 'public, max-age=300');
      ctx.body = { keys: publishedKeys(deps.keyRing) };
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/v1/codes/verify',
      summary:
        'Verify a code token ({ token }) or look up a typed 12-digit code number ({ codeNumber }, rate-limited per staff account); answers the current colour without writing a scan record (POST /api/v1/staff/scans does)',
      tag: 'codes',
      auth: 'staff',
      body: VerifyBody,
      responses: {
        200: { description: 'current state', schema: VerifyResult },
        400: { description: 'TOKEN_MALFORMED, TOKEN_BAD_SIGNATURE, TOKEN_EXPIRED, TOKEN_REVOKED or VALIDATION_FAILED' },
        401: { description: 'no staff session' },
        403: { description: 'PASSWORD_CHANGE_REQUIRED' },
        404: { description: 'CODE_NOT_FOUND' },
        429: { description: 'RATE_LIMITED (typed numbers)' },
      },
    },
    async (ctx: Context, body: z.infer<typeof VerifyBody>) => {
      const staff = ctx.state.staff as StaffSession;
      if ('codeNumber' in body) await checkTypedLookupRate(deps, staff.accountId, body.codeNumber, ctx.state.requestId);
      ctx.body = await verifyCode(deps, body, { kind: 'account', id: String(staff.accountId), requestId: ctx.state.requestId });
    },
  );
}
