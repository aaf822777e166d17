import { COLOURS, ID_TYPES, REASON_CODES } from '@bamin/common';
import { z } from 'zod';

export const LookupBody = z
  .object({
    idType: z.enum(ID_TYPES),
    idNumber: z.string().min(1, '不能为空').max(40, '过长'),
    country: z.string().max(3).optional().nullable(),
  })
  .strict();

export const LookupResult = z.object({
  colour: z.enum(COLOURS),
  reasons: z.array(z.enum(REASON_CODES)),
  greenFrom: z.string().nullable().describe('YYYY-MM-DD (Asia/Shanghai) the code turns green if nothing new arrives'),
  codeNumber: z.string().nullable(),
  nucleicAcidTests: z.array(z.object({ sampledAt: z.string(), result: z.enum(['negative', 'positive']), institution: z.string() })),
});
