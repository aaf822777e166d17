// Benchmark: a 数据上报 of 100,000 scan records (D7; issue 8, with the targets of issue 12: < 10 s, peak
// memory < 300 MB) on MariaDB. This process seeds a fresh database; a second process started like the
// server (bootstrap + app, nothing else loaded) generates the report while answering HTTP requests, and
// measures its own peak RSS, the event loop's delay and the latency of those requests.
//
//   npm run bench:report                 (DATABASE_URL=mysql://… to choose the server; default 127.0.0.1:3306)
//   BENCH_ROWS=20000 npm run bench:report
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const PEOPLE = 5_000;
export const TARGET_SECONDS = 10;
export const TARGET_MB = 300;

// before the helpers read it
process.env.DATABASE_URL ??= 'mysql://root@127.0.0.1:3306/bamin_bench';
const mb = (b: number) => Math.round(b / 1048576);

export interface ChildResult {
  status: string;
  rows: number;
  seconds: number;
  baseRss: number;
  peakRss: number;
  peakHeap: number;
  loopP99Ms: number;
  loopMaxMs: number;
  requests: number;
  p50: number;
  p99: number;
  max: number;
}

async function main() {
  const { insertReport } = await import('../src/services/dataReportService');
  const { governmentUnit, healthDepartment } = await import('../test/helpers/console');
  const { createTestContext } = await import('../test/helpers/context');
  const ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
  try {
    const hd = await healthDepartment(ctx);
    const hdId = Number((await ctx.deps.db.models.Organisation.findOne({ where: { kind: 'health_department' } }))!.get('id'));
    const unit = await governmentUnit(ctx, hd, { name: '基准测试街道办事处' });
    const q = ctx.deps.db.sequelize;
    process.stdout.write(`seeding ${PEOPLE} people and ${ROWS} scan records on ${ctx.deps.db.dialect}… `);
    const t0 = Date.now();
    for (let i = 0; i < PEOPLE; i += 1000) {
      const vals = Array.from({ length: Math.min(1000, PEOPLE - i) }, (_, j) => {
        const n = i + j;
        return `('resident_id', '${String(n).padStart(64, 'a')}', 'bench-${n}', '35************${String(n % 10000).padStart(4, '0')}', '基准${n}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`;
      });
      await q.query(`INSERT INTO people (id_type, id_hash, id_number_enc, id_masked, name, created_at, updated_at) VALUES ${vals.join(',')}`);
    }
    const [[{ first }]] = (await q.query('SELECT MIN(id) AS first FROM people')) as unknown as [[{ first: number }]];
    const start = new Date('2026-03-01T00:00:00+08:00').getTime();
    for (let i = 0; i < ROWS; i += 2000) {
      const vals = Array.from({ length: Math.min(2000, ROWS - i) }, (_, j) => {
        const n = i + j;
        const at = new Date(start + Math.floor((n / ROWS) * 13 * 86400_000)).toISOString().replace('T', ' ').replace('Z', '');
        return `(${unit.organisationId}, ${Number(first) + (n % PEOPLE)}, 'passive', 'camera', '${n % 17 ? 'green' : 'orange'}', '350102', '东门', '东门', ${n % 3 ? "'normal'" : 'NULL'}, '${at}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`;
      });
      await q.query(`INSERT INTO scan_records (organisation_id, person_id, mode, method, colour, area_code, location, scan_point_name, temperature_result, scanned_at, created_at, updated_at) VALUES ${vals.join(',')}`);
    }
    process.stdout.write(`${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    const id = await insertReport(ctx.deps, { organisationId: unit.organisationId, toOrganisationId: hdId, from: '2026-03-01', to: '2026-03-14' }, { origin: 'manual' });

    const c = ctx.config;
    const env = {
      ...process.env,
      DATABASE_URL: c.databaseUrl,
      DATA_DIR: c.dataDir,
      SOURCE_TOKEN: ctx.sourceToken,
      PII_ENCRYPTION_KEY: c.piiEncryptionKey.toString('base64'),
      PII_HASH_KEY: c.piiHashKey.toString('base64'),
      CODE_SIGNING_KEYS_FILE: c.codeSigningKeysFile,
      LOG_LEVEL: 'silent',
      JOBS_ENABLED: '0',
      SEED_DEMO: '0',
      BENCH_REPORT_ID: String(id),
    };
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./reportExportChild.ts', import.meta.url))], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    if (code !== 0) throw new Error(`generating process exited with ${code}: ${out}`);
    const r = JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
    if (r.status !== 'delivered' || r.rows !== ROWS) throw new Error(`report ${r.status} with ${r.rows} rows, expected ${ROWS}`);
    const lines = [
      `| figure | value | target | result |`,
      `|---|---|---|---|`,
      `| rows written | ${r.rows} | ${ROWS} | ok |`,
      `| generation time | ${r.seconds.toFixed(2)} s | < ${TARGET_SECONDS} s | ${r.seconds < TARGET_SECONDS ? 'pass' : 'FAIL'} |`,
      `| peak RSS of the generating server process | ${mb(r.peakRss)} MB (${mb(r.baseRss)} MB before) | < ${TARGET_MB} MB | ${mb(r.peakRss) < TARGET_MB ? 'pass' : 'FAIL'} |`,
      `| peak heap used | ${mb(r.peakHeap)} MB | — | — |`,
      `| event-loop delay p99 / max | ${r.loopP99Ms.toFixed(1)} / ${r.loopMaxMs.toFixed(1)} ms | — | — |`,
      `| GET /api/v1/codes/keys served meanwhile | ${r.requests}, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms | — | — |`,
    ];
    console.log(`\n数据上报 of ${ROWS} records on ${ctx.deps.db.dialect} — ${os.cpus().length} cores, ${mb(os.totalmem())} MB, node ${process.version}, ${new Date().toISOString()}\n`);
    console.log(lines.join('\n'));
    if (r.seconds >= TARGET_SECONDS || mb(r.peakRss) >= TARGET_MB) process.exitCode = 1;
  } finally {
    await ctx.close();
  }
}

main().catch((e) => {
  console.error(String(e).slice(0, 2000));
  process.exit(1);
});
