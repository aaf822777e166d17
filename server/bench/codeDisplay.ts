// The code-display workload of npm run bench (issue 12): a signed-in citizen fetches their code — session
// check, current colour, a `code` token — against the real server (npm start's entry point, its own
// process, on a fresh MariaDB database), with CITIZENS citizens whose sessions rotate over the requests.
// The citizens are written straight into the tables (the server's own migrations made them), with the
// same secrets the server runs with, so their sessions and encrypted numbers are genuine.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import mysql from 'mysql2/promise';
import { identityKey, maskIdNumber, maskPhone } from '@bamin/common';
import { PiiCipher } from '../src/db/pii';
import { loadKeyRing } from '../src/integrations/signingKeys';
import { tokenHash } from '../src/domain/tokenHash';
import { benchEnv } from './database';

export const CITIZENS = Number(process.env.BENCH_CITIZENS ?? 10_000);

export interface ServerUnderTest {
  base: string;
  child: ChildProcess;
  env: Record<string, string>;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** `npm start`'s entry point on `databaseUrl`, quiet, jobs off, abuse limits out of the way, on a free port. */
export async function startServer(databaseUrl: string, workers = 1): Promise<ServerUnderTest> {
  const env: Record<string, string> = {
    ...benchEnv(databaseUrl, 'app'),
    PORT: '0',
    HOST: '127.0.0.1',
    // scan tokens are signed before the run and must outlive it
    CODE_TOKEN_TTL_SECONDS: '3600',
    WORKERS: String(workers),
  };
  // on MySQL the server never makes its own signing keys: made here, as an operator would
  loadKeyRing(env.CODE_SIGNING_KEYS_FILE, { createIfMissing: true, now: new Date() });
  // BENCH_CPU_PROF_DIR: a V8 CPU profile of each server process, written when it stops (for finding hot spots)
  const prof = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', path.join(repoRoot, 'server/src/server.ts')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /health:\s+(http:\/\/[^/\s]+)\/api\/health/.exec(out);
      if (m) resolve(m[1].replace('localhost', '127.0.0.1'));
      // the server's errors (pino level 50+) are the benchmark's business: a 5xx under load is a bug
      for (const line of d.toString().split('\n')) if (/"level":(50|60)/.test(line)) process.stderr.write(`server: ${line.slice(0, 1500)}\n`);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out.slice(-800)}`)));
  });
  return { base, child, env };
}

/** CITIZENS people with a code, each with an app session; returns their bearer tokens. */
export async function seedCitizens(databaseUrl: string, env: Record<string, string>, n = CITIZENS): Promise<string[]> {
  const pii = new PiiCipher(Buffer.from(env.PII_ENCRYPTION_KEY, 'base64'), Buffer.from(env.PII_HASH_KEY, 'base64'));
  const c = await mysql.createConnection({ uri: databaseUrl });
  const tokens: string[] = [];
  try {
    for (let start = 0; start < n; start += 1000) {
      const people: unknown[][] = [];
      const count = Math.min(1000, n - start);
      for (let i = start; i < start + count; i++) {
        const id = residentIdOf(i);
        people.push(['resident_id', pii.hash(identityKey('resident_id', id, null)), pii.encrypt(id), maskIdNumber(id), `市民${i}`, '350102', '五一路 1 号', String(100000000000 + i), '350102']);
      }
      await c.query('INSERT INTO people (id_type, id_hash, id_number_enc, id_masked, name, residence_area, residence_address, code_number, code_area, code_generated_at, created_at, updated_at) VALUES ' + people.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3), NOW(), NOW())').join(','), people.flat());
      const [rows] = await c.query('SELECT id, code_number FROM people WHERE code_number BETWEEN ? AND ? ORDER BY id', [String(100000000000 + start), String(100000000000 + start + count - 1)]);
      const users: unknown[][] = [];
      for (const r of rows as { id: number; code_number: string }[]) {
        const phone = `139${String(Number(r.code_number) % 100000000).padStart(8, '0')}`;
        users.push([pii.hash(phone), pii.encrypt(phone), maskPhone(phone), r.id]);
      }
      await c.query('INSERT INTO citizen_users (phone_hash, phone_enc, phone_masked, person_id, l4_verified_at, l4_provider, created_at, updated_at) VALUES ' + users.map(() => "(?, ?, ?, ?, NOW(3), 'bench', NOW(), NOW())").join(','), users.flat());
      const [uRows] = await c.query('SELECT id FROM citizen_users WHERE person_id IN (?) ORDER BY id', [(rows as { id: number }[]).map((r) => r.id)]);
      const sessions: unknown[][] = [];
      for (const u of uRows as { id: number }[]) {
        const token = randomBytes(32).toString('base64url');
        tokens.push(token);
        sessions.push([tokenHash(token), u.id]);
      }
      await c.query('INSERT INTO app_sessions (token_hash, citizen_user_id, expires_at, created_at, updated_at) VALUES ' + sessions.map(() => '(?, ?, DATE_ADD(NOW(3), INTERVAL 7 DAY), NOW(), NOW())').join(','), sessions.flat());
    }
  } finally {
    await c.end();
  }
  return tokens;
}

/** A valid resident ID number for person i (GB 11643 check character). */
export function residentIdOf(i: number): string {
  const body = `350102${String(19500101 + (i % 28) + Math.floor(i / 28) % 12 * 100).padStart(8, '0')}${String(i % 1000).padStart(3, '0')}`.slice(0, 17);
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, ch, k) => s + Number(ch) * weights[k], 0);
  return body + '10X98765432'[sum % 11];
}

/**
 * BENCH_POINT_BACKLOG: records each service point already has in its window when the run starts (default none),
 * each of another person — a busy point (a station gate's hour) without a crowd presence yet, as after an
 * upgrade: its first count rebuilds it. Measures what a scan's crowd count costs at a point with traffic.
 */
const POINT_BACKLOG = Number(process.env.BENCH_POINT_BACKLOG ?? 0);

async function pointBacklog(c: mysql.Connection, orgId: number, servicePointId: number): Promise<void> {
  for (let i = 0; i < POINT_BACKLOG; i += 5000) {
    const n = Math.min(5000, POINT_BACKLOG - i);
    const rows = Array.from({ length: n }, (_, k) => `(${orgId}, ${servicePointId}, ${1_000_000 + i + k}, 'passive', 'camera', 'green', '350102', '东街 1 号', DATE_SUB(UTC_TIMESTAMP(3), INTERVAL ${(i + k) % 3000} SECOND), NOW(), NOW())`);
    await c.query(`INSERT INTO scan_records (organisation_id, service_point_id, person_id, mode, method, colour, area_code, location, scanned_at, created_at, updated_at) VALUES ${rows.join(', ')}`);
  }
}

/**
 * STAFF scanner sub-accounts of one government unit, each at a scan point, with app sessions; their tokens.
 * Every 5 share a service point (门店) with a crowd-flow setting (1 hour, a limit never reached), so each scan
 * also updates a crowd count — the scan-verify workload of issue 12.
 */
export async function seedStaff(databaseUrl: string, env: Record<string, string>, n = 50): Promise<string[]> {
  const pii = new PiiCipher(Buffer.from(env.PII_ENCRYPTION_KEY, 'base64'), Buffer.from(env.PII_HASH_KEY, 'base64'));
  const c = await mysql.createConnection({ uri: databaseUrl });
  const tokens: string[] = [];
  try {
    const [org] = await c.query("INSERT INTO organisations (kind, name, area_code, created_at, updated_at) VALUES ('government', '基准测试街道办事处', '350102', NOW(), NOW())");
    const orgId = (org as { insertId: number }).insertId;
    let servicePointId = 0;
    for (let i = 0; i < n; i++) {
      if (i % 5 === 0) {
        const [sp] = await c.query("INSERT INTO service_points (organisation_id, name, area_code, address, created_at, updated_at) VALUES (?, ?, '350102', '东街 1 号', NOW(), NOW())", [orgId, `东街门店${i / 5}`]);
        servicePointId = (sp as { insertId: number }).insertId;
        await c.query('INSERT INTO crowd_flow_settings (service_point_id, capacity, warning_line, window_minutes, created_at, updated_at) VALUES (?, 1000000, 900000, 60, NOW(), NOW())', [servicePointId]);
        await pointBacklog(c, orgId, servicePointId);
      }
      const phone = `138${String(i).padStart(8, '0')}`;
      // sign-in is not measured: the password hash only has to exist
      const [a] = await c.query(
        "INSERT INTO accounts (organisation_id, kind, phone_hash, phone_enc, display_name, password_hash, must_change_password, authorised, disabled, failed_logins, created_at, updated_at) VALUES (?, 'sub', ?, ?, ?, 'scrypt$bench$unused', 0, 1, 0, 0, NOW(), NOW())",
        [orgId, pii.hash(phone), pii.encrypt(phone), `扫码员${i}`],
      );
      const accountId = (a as { insertId: number }).insertId;
      await c.query(
        "INSERT INTO scan_points (account_id, organisation_id, community_name, point_name, area_code, location, service_point_id, created_at, updated_at) VALUES (?, ?, '东街社区', ?, '350102', '东街 1 号', ?, NOW(), NOW())",
        [accountId, orgId, `检测点${i}`, servicePointId],
      );
      const token = randomBytes(32).toString('base64url');
      await c.query("INSERT INTO account_sessions (token_hash, account_id, channel, expires_at, created_at, updated_at) VALUES (?, ?, 'app', DATE_ADD(NOW(3), INTERVAL 1 DAY), NOW(), NOW())", [tokenHash(token), accountId]);
      tokens.push(token);
    }
  } finally {
    await c.end();
  }
  return tokens;
}

/**
 * Every seeded person's stored decision (as the nightly job leaves them: a code page then reads, never
 * recomputes), and `code` tokens of the first n, signed as the server signs them (its key ring, its TTL).
 */
export async function codeTokens(databaseUrl: string, env: Record<string, string>, n: number): Promise<string[]> {
  const { loadConfig } = await import('../src/config');
  const { bootstrap } = await import('../src/bootstrap');
  const { issueCodeToken } = await import('../src/services/codeService');
  const { recomputeAll } = await import('../src/services/statusService');
  const deps = await bootstrap({ config: loadConfig({ ...process.env, ...env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }), cli: true });
  try {
    await recomputeAll(deps);
    const people = (await deps.db.models.Person.findAll({ attributes: ['id'], order: [['id', 'ASC']], limit: n, raw: true })) as unknown as { id: number }[];
    const out: string[] = [];
    for (const p of people) out.push((await issueCodeToken(deps, Number(p.id))).token);
    return out;
  } finally {
    await deps.ocr.close();
    await deps.db.close();
  }
}

/** Autocannon requests of the code page: each with a citizen's bearer session, the citizens in turn. */
export function asCitizens(tokens: string[]): autocannon.Request[] {
  let i = 0;
  return [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[i++ % tokens.length]}` } }) }];
}

/** Autocannon requests of the scan: staff and `code` tokens in turn, one `{ token }` body each. */
export function scanRequests(staff: string[], codes: string[]): autocannon.Request[] {
  let k = 0;
  return [
    {
      setupRequest: (req) => {
        const n = k++;
        return { ...req, headers: { ...req.headers, authorization: `Bearer ${staff[n % staff.length]}`, 'content-type': 'application/json' }, body: JSON.stringify({ token: codes[n % codes.length] }) };
      },
    },
  ];
}
