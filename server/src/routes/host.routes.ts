// Sign-in through a host super-app (H7; issue 10). Contract: common/src/hostApi.ts.
import { HOST_TICKET_LIMITS } from '../http/rateLimits';
import { z } from 'zod';
import type { Deps } from '../deps';
import type { ApiRegistry } from '../http/openapi';
import { signInWithHostTicket } from '../services/hostSessionService';

const HostSessionBody = z.object({ ticket: z.string('请提供宿主应用的登录票据').min(1, '请提供宿主应用的登录票据').max(4096, '票据过长') }).strict();

export function hostRoutes(api: ApiRegistry, deps: Deps): void {
  api.add(
    {
      method: 'post', path: '/api/v1/app/host-sessions', tag: 'app', auth: 'none', body: HostSessionBody, limits: HOST_TICKET_LIMITS,
      summary: 'Host super-app sign-in (H7): a host-signed, short-lived, single-use ticket → a citizen session at L4 (asserted by that host)',
      responses: {
        201: { description: 'HostSignInResult' },
        400: { description: 'HOST_TICKET_MALFORMED' },
        401: { description: 'HOST_UNKNOWN, HOST_TICKET_FORGED, HOST_TICKET_EXPIRED, HOST_TICKET_WRONG_AUDIENCE' },
        409: { description: 'HOST_TICKET_REPLAYED, IDENTITY_TAKEN' },
      },
    },
    async (ctx, body: z.infer<typeof HostSessionBody>) => {
      ctx.status = 201;
      ctx.body = await signInWithHostTicket(deps, body.ticket, ctx.state.requestId);
    },
  );
}
