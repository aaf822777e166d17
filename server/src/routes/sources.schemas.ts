import { z } from 'zod';
import { SOURCE_TYPES } from '../domain/sources';

export const ImportResultSchema = z.object({
  type: z.enum(SOURCE_TYPES),
  rows: z.number().int().describe('rows in the file'),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  recomputed: z.number().int().describe('people whose status was recomputed'),
});

export const SOURCE_CONTENT_TYPES = [
  'text/csv',
  'application/json',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];
