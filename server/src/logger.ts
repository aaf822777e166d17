// pino, with every string scrubbed of ID numbers and mobile numbers before it is written (H3):
// a log line never carries a full ID number, phone or SQL parameter.
import { scrubSensitive } from '@bamin/common';
import pino, { type Logger } from 'pino';

export type { Logger };

function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSensitive(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    // an error's code (ECONNRESET, DATABASE_TIMEOUT, …) says what went wrong without its message
    const code = (value as { code?: unknown }).code;
    return { type: value.name, ...(typeof code === 'string' ? { code: scrubSensitive(code) } : {}), message: scrubSensitive(value.message), stack: value.stack && scrubSensitive(value.stack) };
  }
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, depth + 1);
  return out;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => scrubDeep(a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
