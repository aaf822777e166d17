// Bodies and answers of the code-card routes (H4). Contract: common/src/cardApi.ts.
import { CARD_STATUSES } from '@bamin/common';
import { z } from 'zod';

const holder = z.string().trim().regex(/^(self|\d{1,15})$/, '请选择本人或家人');

export const CardIssueBody = z.object({ holder }).strict();
export const CardRevokeBody = z.object({ reason: z.string().trim().max(100, '作废原因不能超过 100 个字').optional() }).strict();
export const CardListQuery = z.object({ holder });

export const CardViewResult = z.object({
  cardId: z.number().int(),
  holder: z.string(),
  nameMasked: z.string(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  validUntil: z.string(),
  status: z.enum(CARD_STATUSES),
  statusText: z.string(),
  revokedAt: z.string().nullable(),
  revokeReason: z.string().nullable(),
});
export const CardListResult = z.object({ cards: z.array(CardViewResult) });
