// 健康码卡片 (H4; issue 11): a printed card for a person without a phone, issued, revoked and reissued by the
// person or the family applicant, printed as an A6 PDF (PNG for the preview). Contract: common/src/cardApi.ts.
// A card of anyone else is 404 (CARD_NOT_FOUND / FAMILY_NOT_FOUND), the same as one that does not exist.
import type { Context } from 'koa';
import type { z } from 'zod';
import type { Deps } from '../deps';
import type { ApiRegistry } from '../http/openapi';
import { renderCardPdf, renderCardPng } from '../integrations/codeCard';
import * as cards from '../services/cardService';
import type { CitizenSession } from '../services/citizenService';
import * as S from './cards.schemas';
import { idParam, parseQuery } from './staff.schemas';

const session = (ctx: Context): CitizenSession => ctx.state.citizen;

export function cardRoutes(api: ApiRegistry, deps: Deps): void {
  const tag = 'app';
  api.add(
    {
      method: 'get', path: '/api/v1/app/cards', tag, auth: 'citizen',
      summary: "The holder's printed code cards, newest first, each active, revoked or expired (?holder=self or a family id)",
      responses: { 200: { description: 'cards', schema: S.CardListResult }, 404: { description: 'FAMILY_NOT_FOUND' } },
    },
    async (ctx) => {
      ctx.body = await cards.listCards(deps, session(ctx), parseQuery(S.CardListQuery, ctx.query).holder);
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/app/cards', tag, auth: 'citizen', body: S.CardIssueBody,
      summary: 'Issue a printed code card (colourless card token, valid CARD_TTL_DAYS) when the holder has no active one',
      responses: {
        201: { description: 'the card', schema: S.CardViewResult },
        404: { description: 'FAMILY_NOT_FOUND' },
        409: { description: 'CARD_ACTIVE (reissue instead: it revokes the old card), CODE_NOT_GENERATED' },
      },
    },
    async (ctx, body: z.infer<typeof S.CardIssueBody>) => {
      ctx.status = 201;
      ctx.body = await cards.issueCard(deps, session(ctx), body.holder, ctx.state.requestId);
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/app/cards/:cardId/revoke', tag, auth: 'citizen', body: S.CardRevokeBody,
      summary: '作废: revoke the card; its scans are refused with CARD_REVOKED from now on',
      responses: { 200: { description: 'the revoked card', schema: S.CardViewResult }, 404: { description: 'CARD_NOT_FOUND' }, 409: { description: 'CARD_NOT_ACTIVE' } },
    },
    async (ctx, body: z.infer<typeof S.CardRevokeBody>) => {
      ctx.body = await cards.revokeCard(deps, session(ctx), idParam(ctx.params.cardId, 'cardId'), body.reason, ctx.state.requestId);
    },
  );
  api.add(
    {
      method: 'post', path: '/api/v1/app/cards/:cardId/reissue', tag, auth: 'citizen',
      summary: '补办: revoke the active card and issue a new one, in one transaction',
      responses: { 201: { description: 'the new card', schema: S.CardViewResult }, 404: { description: 'CARD_NOT_FOUND' }, 409: { description: 'CARD_NOT_ACTIVE' } },
    },
    async (ctx) => {
      ctx.status = 201;
      ctx.body = await cards.reissueCard(deps, session(ctx), idParam(ctx.params.cardId, 'cardId'), ctx.state.requestId);
    },
  );
  for (const format of ['pdf', 'png'] as const) {
    api.add(
      {
        method: 'get', path: `/api/v1/app/cards/:cardId/${format}`, tag, auth: 'citizen',
        summary: format === 'pdf' ? 'The card to print: one A6 page with the embedded CJK font' : 'The card as a PNG (300 dpi), for the screen preview',
        responses: { 200: { description: format }, 404: { description: 'CARD_NOT_FOUND' }, 409: { description: 'CARD_NOT_ACTIVE (a void card is never printed again)' } },
      },
      async (ctx) => {
        const content = await cards.cardContent(deps, session(ctx), idParam(ctx.params.cardId, 'cardId'));
        ctx.set('Content-Type', format === 'png' ? 'image/png' : 'application/pdf');
        ctx.set('Content-Disposition', `${format === 'pdf' ? 'attachment' : 'inline'}; filename*=UTF-8''${encodeURIComponent(`健康码卡片-${content.cardId}.${format}`)}`);
        // the QR is a credential: never kept in a shared cache
        ctx.set('Cache-Control', 'private, no-store');
        ctx.body = format === 'png' ? await renderCardPng(content) : await renderCardPdf(content);
      },
    );
  }
}
