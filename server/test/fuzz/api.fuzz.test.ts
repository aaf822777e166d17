// Property-based fuzzing of every route of the OpenAPI document (issue 11), on a real database with the
// stand-in national platform. For each route: boundary probes plus FUZZ_RUNS random cases (fast-check,
// fixed seed, FUZZ_SEED to vary) of path parameters, query strings, JSON bodies shaped like the route's
// schema but with hostile values, arbitrary JSON, prototype-pollution keys, wrong and missing content
// types, oversized bodies, garbage bytes, unicode and SQL/HTML meta-characters, and broken or missing
// credentials. The properties:
//   1. never a 5xx;
//   2. never a stack trace, a source path or a driver message in a response;
//   3. never a write on a 4xx: every table's content is the same before and after, except the security
//      bookkeeping a refusal is meant to write (audit log, rate-limit counters, wrong-code and
//      wrong-password counters, failed L4 checks, used host tickets);
//   4. Object.prototype is never polluted.
// It prints how many routes and cases it tried.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteSpec } from '../../src/http/openapi';
import { citizenWithCode } from '../helpers/citizen';
import { enterpriseWithCa, governmentUnit, healthDepartment, type Agent } from '../helpers/console';
import { auth, createTestContext, type TestContext } from '../helpers/context';
import { startNationalStandInInProcess, type RunningStandIn } from '../helpers/national';
import { residentId } from '../helpers/people';
import { bearer, staffAtPoint } from '../helpers/staff';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const MAX_BODY = 64 * 1024;

let ctx: TestContext;
let standIn: RunningStandIn;
const creds: Record<string, Record<string, string> | Agent> = {};
let consoleAgents: Record<string, Agent>;

/** Tables and columns a refusal may legitimately write (the point of refusing is to count it). */
const BOOKKEEPING_TABLES = new Set(['audit_log', 'rate_limits', 'host_ticket_uses', 'l4_checks', 'job_runs']);
const BOOKKEEPING_COLUMNS = new Set(['attempts', 'failed_logins', 'locked_until', 'last_seen_at', 'updated_at', 'last_login_at']);

const NASTY = [
  "' OR 1=1 --", '"; DROP TABLE people; --', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '=HYPERLINK("http://evil.example","x")',
  '+1+1', '@SUM(A1)', '../../etc/passwd', '%00', '\u0000', '\uD800', '𠀀𝕏😀', 'ÿþ', '　', ' ', '', '-1', '0', '1e309', 'NaN', 'Infinity',
  '9007199254740993', '2026-02-30', '9999-99-99', '00000000000', '350102199001011234', '13800000000', 'null', 'true', '{}', '[]', 'a'.repeat(5000),
  '__proto__', 'constructor', 'prototype', '${7*7}', '{{7*7}}', '\r\nSet-Cookie: x=1',
];
const nasty = fc.constantFrom(...NASTY);
const scalar = fc.oneof(nasty, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const json = fc.oneof({ depthSize: 'small' }, scalar, fc.jsonValue({ maxDepth: 3 }), fc.array(scalar, { maxLength: 5 }), fc.dictionary(fc.oneof(nasty, fc.string({ maxLength: 10 })), scalar, { maxKeys: 5 }));

interface Case {
  params: string[];
  query: Record<string, string | string[]>;
  body: { kind: 'json'; value: unknown } | { kind: 'raw'; type: string; bytes: Buffer } | { kind: 'none' };
  credential: 'valid' | 'none' | 'garbage';
}

function propertiesOf(spec: RouteSpec): string[] {
  const s = spec.body as unknown as { shape?: Record<string, unknown>; def?: { shape?: Record<string, unknown> } } | undefined;
  const shape = s?.shape ?? s?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

function caseArb(spec: RouteSpec): fc.Arbitrary<Case> {
  const nParams = (spec.path.match(/:\w+/g) ?? []).length;
  const props = propertiesOf(spec);
  const shaped = props.length ? fc.record(Object.fromEntries(props.map((p) => [p, json])), { requiredKeys: [] }) : json;
  const polluted = fc.constantFrom<unknown>(JSON.parse('{"__proto__":{"polluted":1}}'), { constructor: { prototype: { polluted: 1 } } }, JSON.parse('{"__proto__":{"isAdmin":true},"role":"health_department"}'));
  const bodyArb: fc.Arbitrary<Case['body']> = fc.oneof(
    { arbitrary: shaped.map((value) => ({ kind: 'json' as const, value })), weight: 5 },
    { arbitrary: json.map((value) => ({ kind: 'json' as const, value })), weight: 2 },
    { arbitrary: polluted.map((value) => ({ kind: 'json' as const, value })), weight: 1 },
    { arbitrary: fc.constant({ kind: 'none' as const }), weight: 1 },
    {
      arbitrary: fc.record({
        type: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/xml'),
        bytes: fc.oneof(fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)), fc.constant(Buffer.alloc(MAX_BODY + 1024, 0x61)), fc.constant(Buffer.from('{"unterminated": '))),
      }).map(({ type, bytes }) => ({ kind: 'raw' as const, type, bytes })),
      weight: 2,
    },
  );
  return fc.record({
    params: fc.array(fc.oneof(nasty, fc.nat({ max: 50 }).map(String), fc.string({ maxLength: 12 })), { minLength: nParams, maxLength: nParams }),
    query: fc.dictionary(fc.oneof(fc.constantFrom('page', 'pageSize', 'from', 'to', 'holder', 'status', 'name', 'idNumber', 'colour', 'days', 'parent', 'areaCode', 'date', 'q'), nasty), fc.oneof(nasty, fc.array(nasty, { maxLength: 3 })), { maxKeys: 4 }),
    body: bodyArb,
    credential: fc.constantFrom<Case['credential']>('valid', 'valid', 'valid', 'none', 'garbage'),
  });
}

/** The fixed probes every route gets before the random ones. */
function probes(spec: RouteSpec): Case[] {
  const n = (spec.path.match(/:\w+/g) ?? []).length;
  const p = (v: string) => Array.from({ length: n }, () => v);
  return [
    { params: p('1'), query: {}, body: { kind: 'json', value: {} }, credential: 'valid' },
    { params: p('999999999999999'), query: { page: '0', pageSize: '100000' }, body: { kind: 'json', value: [] }, credential: 'valid' },
    { params: p('-1'), query: { page: '-1' }, body: { kind: 'raw', type: 'application/json', bytes: Buffer.from('{"a":') }, credential: 'valid' },
    { params: p('%E0%A4%A'), query: {}, body: { kind: 'json', value: null }, credential: 'garbage' },
    { params: p('1'), query: {}, body: { kind: 'raw', type: 'application/json', bytes: Buffer.alloc(MAX_BODY + 10, 0x20) }, credential: 'valid' },
  ];
}

async function snapshot(): Promise<Map<string, string>> {
  const q = ctx.deps.db.sequelize;
  const tables = ctx.deps.db.dialect === 'mysql'
    ? ((await q.query('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()', { type: QueryTypes.SELECT })) as { t: string }[]).map((r) => r.t)
    : ((await q.query("SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", { type: QueryTypes.SELECT })) as { t: string }[]).map((r) => r.t);
  const out = new Map<string, string>();
  for (const t of tables) {
    if (BOOKKEEPING_TABLES.has(t)) continue;
    const rows = (await q.query(`SELECT * FROM ${t} ORDER BY 1`, { type: QueryTypes.SELECT })) as Record<string, unknown>[];
    const text = JSON.stringify(rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !BOOKKEEPING_COLUMNS.has(k)))));
    out.set(t, createHash('sha256').update(text).digest('hex'));
  }
  return out;
}

function changedTables(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((t) => a.get(t) !== b.get(t));
}

async function send(spec: RouteSpec, c: Case) {
  let i = 0;
  const enc = (v: string) => {
    try {
      return encodeURIComponent(v).replace(/%25/g, '%');
    } catch {
      return '%ED%A0%80'; // a lone surrogate: sent as the invalid UTF-8 it would be
    }
  };
  const path = spec.path.replace(/:\w+/g, () => enc(c.params[i++] ?? '1'));
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(c.query)) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
  const url = qs.toString() ? `${path}?${qs}` : path;
  const cred = creds[spec.auth === 'none' ? 'none' : spec.auth === 'console' || spec.auth === 'consoleAny' ? `console:${(spec.roles ?? ['enterprise'])[0]}` : spec.auth];
  const useAgent = c.credential === 'valid' && cred && typeof (cred as Agent).get === 'function';
  const base = useAgent ? (cred as Agent) : ctx.http;
  let req = (base as unknown as Record<string, (u: string) => import('supertest').Test>)[spec.method](url);
  if (c.credential === 'valid' && cred && !useAgent) req = req.set(cred as Record<string, string>);
  if (c.credential === 'garbage') req = req.set('Authorization', 'Bearer ' + 'x'.repeat(40)).set('Cookie', 'bamin_console=garbage');
  if (c.body.kind === 'json' && spec.method !== 'get') req = req.set('Content-Type', 'application/json').send(JSON.stringify(c.body.value) ?? 'null');
  else if (c.body.kind === 'raw' && spec.method !== 'get') req = req.set('Content-Type', c.body.type).send(c.body.bytes);
  return req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (d: Buffer) => chunks.push(d));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
}

const LEAK = /node_modules|\.ts:\d+|\.js:\d+|\n\s+at [\w.<]|Sequelize|SQLITE_|ER_[A-Z_]{4,}|ECONNREFUSED|TypeError|ReferenceError/;

beforeAll(async () => {
  standIn = await startNationalStandInInProcess();
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00', nationalUrl: standIn.base, nationalKeysDir: standIn.dir });
  await standIn.control.setClock(ctx.clock.now().toISOString());
  ctx.deps.config.maxBodyBytes = MAX_BODY;
  const c = await citizenWithCode(ctx, '13700009001', residentId('350102', '19900101', 901), '模糊测试');
  const staff = await staffAtPoint(ctx, '350102');
  const hd = await healthDepartment(ctx);
  const gov = await governmentUnit(ctx, hd);
  const ent = await enterpriseWithCa(ctx);
  consoleAgents = { health_department: hd, government: gov.agent, enterprise: ent.agent };
  creds.none = {};
  creds.source = auth(ctx);
  creds.citizen = c.bearer;
  creds.citizenCode = c.bearer;
  creds.staff = bearer(staff.token);
  creds.staffAny = bearer(staff.token);
  for (const [role, a] of Object.entries(consoleAgents)) creds[`console:${role}`] = a;
}, 180_000);
afterAll(async () => {
  await ctx?.close();
  await standIn?.close();
});

describe('fuzzing every route of the OpenAPI document', () => {
  it('never a 5xx, never a stack trace, never a write on a 4xx, never a polluted prototype', async () => {
    const specs = ctx.app.api.specs
      // signing out would end the fuzzer's own sessions; they take no input to fuzz anyway
      .filter((s) => !(s.method === 'delete' && /\/sessions(\/current)?$/.test(s.path)));
    const documented = Object.values(ctx.app.api.document().paths as Record<string, Record<string, unknown>>).reduce((n, m) => n + Object.keys(m).length, 0);
    expect(specs.length).toBeGreaterThan(90);
    let cases = 0;
    const failures: string[] = [];
    const statuses: Record<string, number> = {};
    let before = await snapshot();
    for (const spec of specs) {
      const random = fc.sample(caseArb(spec), { numRuns: RUNS, seed: SEED + cases });
      for (const c of [...probes(spec), ...random]) {
        cases++;
        const res = await send(spec, c);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const text = Buffer.isBuffer(res.body) ? res.body.toString('utf8') : String(res.text ?? '');
        const label = `${spec.method.toUpperCase()} ${spec.path} → ${res.status} ${JSON.stringify({ ...c, body: c.body.kind === 'raw' ? { kind: 'raw', type: c.body.type, bytes: c.body.bytes.length } : c.body }).slice(0, 300)}`;
        if (res.status >= 500) failures.push(`5xx: ${label} ${text.slice(0, 200)}`);
        if (LEAK.test(text) && spec.path !== '/api/openapi.json' && !/(xlsx|pdf|png)/.test(String(res.headers['content-type']))) failures.push(`leak: ${label} ${text.slice(0, 200)}`);
        if (({} as Record<string, unknown>).polluted !== undefined || ({} as Record<string, unknown>).isAdmin !== undefined) failures.push(`prototype polluted: ${label}`);
        const after = await snapshot();
        if (res.status >= 400 && res.status < 500) {
          const changed = changedTables(before, after);
          if (changed.length) failures.push(`write on ${res.status}: ${changed.join(', ')} ← ${label}`);
        }
        before = after;
        if (failures.length > 20) break;
      }
      if (failures.length > 20) break;
    }
    process.stdout.write(`fuzz: ${specs.length} routes (${documented} documented operations), ${cases} cases, seed ${SEED}, ${RUNS} random cases per route; statuses ${JSON.stringify(statuses)}\n`);
    expect(failures).toEqual([]);
    // the harness reached handlers (2xx) and refusals of every kind, not only the front door
    expect(Object.keys(statuses).filter((k) => k.startsWith('2')).length).toBeGreaterThan(0);
    for (const st of ['400', '401', '404']) expect(statuses[st] ?? 0).toBeGreaterThan(0);
  }, 900_000);
});
