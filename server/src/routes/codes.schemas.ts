import { COLOURS, TOKEN_KINDS } from '@bamin/common';
import { z } from 'zod';

export const VerifyBody = z.union([
  z.object({ token: z.string().min(1, '不能为空').max(500, '过长') }).strict(),
  z.object({ codeNumber: z.string().regex(/^\d{12}$/, '健康码编号必须是 12 位数字') }).strict(),
]);

export const VerifyResult = z.object({
  kind: z.enum(TOKEN_KINDS),
  method: z.enum(['token', 'typed']).describe('typed: a 12-digit number entered by hand (人工输入)'),
  codeNumber: z.string().nullable(),
  colour: z.enum(COLOURS).nullable(),
  colourText: z.string().nullable(),
  servicePoint: z.object({ id: z.number(), name: z.string(), areaCode: z.string() }).nullable(),
  tokenIssuedAt: z.string().nullable(),
  tokenExpiresAt: z.string().nullable(),
});

export const KeysResult = z.object({
  keys: z.array(
    z.object({ keyId: z.string(), algorithm: z.literal('Ed25519'), publicKey: z.string(), current: z.boolean(), createdAt: z.string() }),
  ),
});
