// NationalPlatform over HTTP (B1–B3, H6; issue 9): the wire contract of common/src/nationalApi.ts.
//
// A call: POST {base}/gbt38963/v1/{operation} with a NationalRequest signed by this province's client
// key. Only a NationalResponse is an answer, and only one that
//   1. is JSON of the envelope's shape                                     ('malformed' otherwise),
//   2. is signed by one of the pinned platform keys                        ('bad_signature'),
//   3. answers this very request (same requestId) — a signed answer to another request, replayed
//      by someone in between, proves nothing about this one                ('bad_signature'),
//   4. says OK (or NOT_FOUND to healthInfoQuery, which is "no pass")       ('refused' otherwise),
//   5. is fresh: timestamp within NATIONAL_MAX_SKEW_SECONDS of our clock   ('bad_signature'),
//   6. carries a body of the operation's result shape                      ('malformed').
// No answer within timeoutMs is 'timeout', a connection failure 'network', a 5xx 'http_5xx'. Every
// failure is a NationalUnavailableError: callers fall back to local data and retry later, so the
// citizen is never kept waiting longer than timeoutMs by the platform.
import { randomUUID } from 'node:crypto';
import {
  base64UrlDecode,
  maskIdNumber,
  NATIONAL_MAX_SKEW_SECONDS,
  NATIONAL_RESULT_CODES,
  NATIONAL_TIMEOUT_MS,
  ORIGIN_COLOURS,
  signEnvelope,
  verifyEnvelope,
  type CodeVerificationResult,
  type CorrectionBody,
  type CorrectionResult,
  type HealthInfoQueryBody,
  type NationalKeySet,
  type NationalOperation,
  type NationalRequest,
  type NationalResponse,
  type OriginPass,
} from '@bamin/common';
import { z } from 'zod';
import type { Clock } from '../clock';
import { nodeEd25519Verify } from '../domain/codeTokens';
import type { Logger } from '../logger';
import { ed25519Signer, type NationalClientKey } from './nationalKeys';
import { NationalUnavailableError, type NationalFailure, type NationalPlatform } from './nationalPlatform';

/** Published keys change rarely (rotation keeps the old key published); scanners need them at hand. */
export const NATIONAL_KEYS_CACHE_MS = 10 * 60 * 1000;

export interface HttpNationalPlatformOptions {
  /** e.g. https://platform.example/ (a path prefix is kept) */
  baseUrl: string;
  appId: string;
  clientKey: NationalClientKey;
  /** The platform keys whose signatures on responses are trusted. */
  platformKeys: NationalKeySet;
  timeoutMs?: number;
  clock: Clock;
  logger: Logger;
  /** Tests only: how request ids are made (a fixed one provokes REPLAYED). */
  newRequestId?: () => string;
}

const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'ISO 8601 time');

const ResponseSchema = z.object({
  requestId: z.string(),
  timestamp: isoTime,
  keyId: z.string(),
  code: z.enum(NATIONAL_RESULT_CODES),
  message: z.string(),
  body: z.unknown(),
  signature: z.string(),
});

const OriginPassSchema = z.object({
  passId: z.string().min(1),
  provinceCode: z.string().regex(/^\d{6}$/),
  provinceName: z.string().min(1),
  colour: z.enum(ORIGIN_COLOURS),
  issuedAt: isoTime,
  expiresAt: isoTime,
});

const IdentitySchema = z.object({ name: z.string(), idType: z.literal('resident_id'), idNumber: z.string().min(1) });

const HealthInfoQueryResultSchema = z.object({ pass: OriginPassSchema });
const CodeVerificationResultSchema = z.object({
  valid: z.boolean(),
  reason: z.enum(['expired', 'revoked', 'bad_signature', 'malformed']).nullable(),
  holder: IdentitySchema.nullable(),
  pass: OriginPassSchema.nullable(),
});
const CorrectionResultSchema = z.object({ ticket: z.string().min(1), status: z.literal('received') });
const KeySetSchema = z.object({
  keys: z.array(
    z.object({
      keyId: z.string().min(1),
      publicKey: z.string().refine((v) => base64UrlDecode(v)?.length === 32, 'base64url raw 32-byte key'),
    }),
  ),
});

/** Keeps only the declared fields, so nothing unexpected from the wire travels further. */
function pickPass(p: z.infer<typeof OriginPassSchema>): OriginPass {
  return { passId: p.passId, provinceCode: p.provinceCode, provinceName: p.provinceName, colour: p.colour, issuedAt: p.issuedAt, expiresAt: p.expiresAt };
}

export function createHttpNationalPlatform(opts: HttpNationalPlatformOptions): NationalPlatform {
  const { appId, clientKey, clock, logger } = opts;
  const timeoutMs = opts.timeoutMs ?? NATIONAL_TIMEOUT_MS;
  const base = opts.baseUrl.endsWith('/') ? opts.baseUrl : `${opts.baseUrl}/`;
  const urlOf = (p: string) => new URL(`gbt38963/v1/${p}`, base).toString();
  const sign = ed25519Signer(clientKey.privateKey);
  const newRequestId = opts.newRequestId ?? randomUUID;
  const pinned = new Map<string, Uint8Array>();
  for (const k of opts.platformKeys.keys) {
    const raw = base64UrlDecode(k.publicKey);
    if (raw?.length === 32) pinned.set(k.keyId, raw);
  }
  if (pinned.size === 0) throw new Error('createHttpNationalPlatform: no usable pinned platform key');

  const fail = (failure: NationalFailure, message: string): never => {
    throw new NationalUnavailableError(failure, message);
  };

  /** One HTTP exchange under the time-out (connecting, headers and body all count). */
  async function exchange(what: string, url: string, init: RequestInit): Promise<{ status: number; text: string }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await fetch(url, { ...init, signal: controller.signal });
      const text = await res.text();
      return { status: res.status, text };
    } catch (err) {
      if (controller.signal.aborted) return fail('timeout', `national platform ${what}: no answer within ${timeoutMs} ms`);
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      return fail('network', `national platform ${what}: ${cause}`);
    } finally {
      clearTimeout(timer);
    }
  }

  function parseJson(what: string, text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      return fail('malformed', `national platform ${what}: the answer is not JSON`);
    }
  }

  /** Returns the verified envelope (code and body still to be judged by the caller). */
  async function call(operation: NationalOperation, body: unknown): Promise<NationalResponse> {
    const envelope: Omit<NationalRequest, 'signature'> = {
      appId,
      operation,
      requestId: newRequestId(),
      timestamp: clock.now().toISOString(),
      keyId: clientKey.keyId,
      body,
    };
    const request: NationalRequest = { ...envelope, signature: signEnvelope(envelope, sign) };
    const { status, text } = await exchange(operation, urlOf(operation), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(request),
    });
    // 501 is the platform's signed "not implemented"; any other 5xx is the platform (or a proxy) failing.
    if (status >= 500 && status !== 501) fail('http_5xx', `national platform ${operation}: HTTP ${status}`);
    const parsed = ResponseSchema.safeParse(parseJson(operation, text));
    if (!parsed.success) return fail('malformed', `national platform ${operation}: the answer is not a signed response envelope (HTTP ${status})`);
    const res = parsed.data as NationalResponse;
    const key = pinned.get(res.keyId);
    if (!key || !verifyEnvelope(res as unknown as Record<string, unknown>, key, nodeEd25519Verify)) {
      fail('bad_signature', `national platform ${operation}: the response signature does not verify under a pinned key (keyId ${res.keyId})`);
    }
    if (res.requestId !== request.requestId) fail('bad_signature', `national platform ${operation}: the response answers another request`);
    const accepted = res.code === 'OK' || (res.code === 'NOT_FOUND' && operation === 'healthInfoQuery');
    if (!accepted) fail('refused', `national platform refused ${operation}: ${res.code} (${res.message})`);
    const skew = Math.abs(Date.parse(res.timestamp) - clock.now().getTime()) / 1000;
    if (skew > NATIONAL_MAX_SKEW_SECONDS) fail('bad_signature', `national platform ${operation}: the response is ${Math.round(skew)} s away from our clock`);
    return res;
  }

  function resultOf<T>(operation: NationalOperation, schema: z.ZodType<T>, body: unknown): T {
    const r = schema.safeParse(body);
    if (!r.success) return fail('malformed', `national platform ${operation}: the result does not have the expected shape`);
    return r.data;
  }

  /** Logs the outcome of a call: operation, time taken, failure kind; never a full ID number. */
  async function logged<T>(operation: NationalOperation | 'keys', detail: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      const result = await run();
      logger.info({ national: operation, ms: Date.now() - started, ...detail }, 'national platform call');
      return result;
    } catch (err) {
      const failure = err instanceof NationalUnavailableError ? err.failure : 'network';
      logger.warn({ national: operation, ms: Date.now() - started, failure, err: (err as Error).message, ...detail }, 'national platform call failed');
      throw err instanceof NationalUnavailableError ? err : new NationalUnavailableError('network', (err as Error).message);
    }
  }

  let keysCache: { keys: NationalKeySet; until: number } | null = null;
  let keysInFlight: Promise<NationalKeySet> | null = null;

  async function fetchKeys(): Promise<NationalKeySet> {
    const { status, text } = await exchange('keys', urlOf('keys'), { method: 'GET', headers: { accept: 'application/json' } });
    if (status >= 500) fail('http_5xx', `national platform keys: HTTP ${status}`);
    if (status !== 200) fail('refused', `national platform keys: HTTP ${status}`);
    const parsed = KeySetSchema.safeParse(parseJson('keys', text));
    if (!parsed.success) return fail('malformed', 'national platform keys: the answer is not a key set');
    return { keys: parsed.data.keys.map((k) => ({ keyId: k.keyId, publicKey: k.publicKey })) };
  }

  return {
    healthInfoQuery(q: HealthInfoQueryBody) {
      return logged('healthInfoQuery', { idMasked: maskIdNumber(q.idNumber) }, async () => {
        const res = await call('healthInfoQuery', q);
        if (res.code === 'NOT_FOUND') return null;
        return pickPass(resultOf('healthInfoQuery', HealthInfoQueryResultSchema, res.body).pass);
      });
    },

    codeVerification(token: string) {
      return logged('codeVerification', {}, async (): Promise<CodeVerificationResult> => {
        const res = await call('codeVerification', { token });
        const r = resultOf('codeVerification', CodeVerificationResultSchema, res.body);
        return {
          valid: r.valid,
          reason: r.reason,
          holder: r.holder && { name: r.holder.name, idType: r.holder.idType, idNumber: r.holder.idNumber },
          pass: r.pass && pickPass(r.pass),
        };
      });
    },

    correction(c: CorrectionBody) {
      return logged('correction', { passId: c.passId, localRef: c.localRef }, async (): Promise<CorrectionResult> => {
        const res = await call('correction', c);
        const r = resultOf('correction', CorrectionResultSchema, res.body);
        return { ticket: r.ticket, status: r.status };
      });
    },

    async publishedKeys() {
      const now = clock.now().getTime();
      if (keysCache && now < keysCache.until) return keysCache.keys;
      // One fetch at a time: a burst of scanners asking at once shares it.
      keysInFlight ??= logged('keys', {}, fetchKeys)
        .then((keys) => {
          keysCache = { keys, until: clock.now().getTime() + NATIONAL_KEYS_CACHE_MS };
          return keys;
        })
        .finally(() => {
          keysInFlight = null;
        });
      return keysInFlight;
    },
  };
}
