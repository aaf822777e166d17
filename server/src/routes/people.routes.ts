// People look-up for data partners and acceptance checks. The ID number travels in the body, never
// in the URL, and every call is written to the audit log (H3).
import type { Context } from 'koa';
import type { Deps } from '../deps';
import type { ApiRegistry } from '../http/openapi';
import type { z } from 'zod';
import { lookupPerson } from '../services/lookupService';
import { checkedDocument } from '../services/peopleService';
import { LookupBody, LookupResult } from './people.schemas';

export function peopleRoutes(api: ApiRegistry, deps: Deps): void {
  api.add(
    {
      method: 'post',
      path: '/api/v1/people/lookup',
      summary: "A person's current colour, reasons, greenFrom, code number and nucleic-acid tests of the last 7 days",
      tag: 'people',
      auth: 'source',
      body: LookupBody,
      responses: {
        200: { description: 'found', schema: LookupResult },
        400: { description: 'VALIDATION_FAILED naming the field' },
        401: { description: 'missing or wrong credential' },
        404: { description: 'PERSON_NOT_FOUND' },
      },
    },
    async (ctx: Context, body: z.infer<typeof LookupBody>) => {
      const doc = checkedDocument(body);
      ctx.body = await lookupPerson(deps, doc, { kind: 'source', id: ctx.state.actor?.id ?? null, requestId: ctx.state.requestId });
    },
  );
}
