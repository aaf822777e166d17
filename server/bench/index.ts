// npm run bench (issue 12): figures measured in one run on one machine, each workload as a ratio to a
// baseline measured in the same run with the same load generator, connections and duration — these
// machines are noisy; absolute numbers mean little, ratios hold.
//
// Parts: the baselines (a bare node:http handler over mysql2: primary-key SELECT on a 1,000,000-row table,
// single-row INSERT) and the code-display and scan-verify workloads against npm start's entry point, each
// with 1 and 2 processes, with their ratios and targets; the 100,000-record Excel report (reportExport.ts);
// the full recompute, incremental import and nightly aggregation (batchWorkloads.ts).
//
//   npm run bench                        all of it (DATABASE_URL=mysql://… to pick the server)
//   BENCH_ONLY=baseline npm run bench    one part: baseline | app | report | batch | cost (cost: CPU time per
//                                        request by layer at a fixed rate, cpuCost.ts; not in the full run)
//   BENCH_DURATION=10 BENCH_CONNECTIONS=50
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { CITIZENS, asCitizens, codeTokens, scanRequests, seedCitizens, seedStaff, startServer } from './codeDisplay';
import { freshDatabase } from './database';
import { BASELINE_ROWS, seedBaseline, startChild, stop } from './processes';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ONLY = process.env.BENCH_ONLY;
/** BENCH_PROCESSES=1 measures one process count only (profiling); the report needs both. */
const WORKLOADS = (process.env.BENCH_WORKLOADS ?? 'code,scan').split(',');
const PROCESS_COUNTS = (process.env.BENCH_PROCESSES ?? '1,2').split(',').map(Number);

export interface LoadResult {
  name: string;
  workers: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));


/** Warm-up, then DURATION seconds of CONNECTIONS connections from this process (the server is another). */
export async function load(name: string, workers: number, opts: autocannon.Options): Promise<LoadResult> {
  await autocannon({ ...opts, connections: CONNECTIONS, duration: 2 });
  const r = await autocannon({ ...opts, connections: CONNECTIONS, duration: DURATION });
  const codes = Object.entries((r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, v]) => `${code}×${v.count}`);
  if (codes.length) process.stdout.write(`  ${name} (${workers}): answers other than 2xx: ${codes.join(', ')}\n`);
  return { name, workers, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

async function baselines(): Promise<LoadResult[]> {
  const db = await freshDatabase();
  const out: LoadResult[] = [];
  try {
    process.stdout.write(`baseline: seeding ${BASELINE_ROWS.toLocaleString()} rows… `);
    const t = Date.now();
    await seedBaseline(db.url);
    process.stdout.write(`${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    for (const workers of PROCESS_COUNTS) {
      const { base, child } = await startChild(['--import', 'tsx', here('./baselineServer.ts')], { BENCH_DATABASE_URL: db.url, BENCH_WORKERS: String(workers) });
      try {
        out.push(await load('baseline: PK SELECT (bare node:http + mysql2)', workers, { url: `${base}/pk` }));
        out.push(await load('baseline: single-row INSERT', workers, { url: `${base}/insert`, method: 'POST' }));
      } finally {
        await stop(child);
      }
    }
  } finally {
    await db.drop();
  }
  return out;
}

/** Issue 12's targets: a share of the same run's baseline with the same number of processes, and a p99. */
const TARGETS: Record<string, { baseline: string; share: number; p99: number }> = {
  code: { baseline: 'baseline: PK SELECT', share: 0.8, p99: 50 },
  scan: { baseline: 'baseline: single-row INSERT', share: 0.5, p99: 100 },
};

function table(results: LoadResult[], baselines: LoadResult[] = []): string {
  const lines = ['| workload | processes | requests/s | p50 ms | p99 ms | errors / non-2xx | ratio to baseline | target | result |', '|---|---|---|---|---|---|---|---|---|'];
  for (const r of results) {
    const target = r.name.startsWith('code display') ? TARGETS.code : r.name.startsWith('scan verify') ? TARGETS.scan : null;
    const base = target && baselines.find((b) => b.name.startsWith(target.baseline) && b.workers === r.workers);
    const ratio = base ? r.rps / base.rps : null;
    const pass = target && ratio != null ? ratio >= target.share && r.p99 < target.p99 : null;
    lines.push(
      `| ${r.name} | ${r.workers} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} / ${r.non2xx} | ${ratio == null ? '—' : `${Math.round(ratio * 100)} %`} | ${target ? `≥ ${target.share * 100} %, p99 < ${target.p99} ms` : '—'} | ${pass == null ? '—' : pass ? 'pass' : '**fail**'} |`,
    );
  }
  return lines.join('\n');
}

/** Code display and scan verify against the real server with 1 and 2 processes (node:cluster). */
async function application(): Promise<LoadResult[]> {
  const out: LoadResult[] = [];
  for (const workers of PROCESS_COUNTS) {
    const db = await freshDatabase();
    const server = await startServer(db.url, workers);
    try {
      process.stdout.write(`application (${workers} process${workers > 1 ? 'es' : ''}): seeding ${CITIZENS.toLocaleString()} citizens and 50 scanner staff… `);
      const t = Date.now();
      const citizens = await seedCitizens(db.url, server.env);
      const staff = await seedStaff(db.url, server.env);
      const codes = await codeTokens(db.url, server.env, 2000);
      process.stdout.write(`${((Date.now() - t) / 1000).toFixed(1)} s\n`);
      if (WORKLOADS.includes('code')) {
        out.push(await load('code display: GET /api/v1/app/codes/self', workers, { url: `${server.base}/api/v1/app/codes/self`, requests: asCitizens(citizens) }));
      }
      if (WORKLOADS.includes('scan')) {
        out.push(await load('scan verify: POST /api/v1/staff/scans {token}', workers, { url: `${server.base}/api/v1/staff/scans`, method: 'POST', requests: scanRequests(staff, codes) }));
      }
    } finally {
      await stop(server.child);
      await db.drop();
    }
  }
  return out;
}

/** A benchmark of its own process (the report export, the batch workloads): its exit code and its tables. */
async function runScript(file: string): Promise<{ code: number; tables: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', here(file)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    });
    child.on('exit', (code) => resolve({ code: code ?? 1, tables: out.split('\n').filter((l) => l.startsWith('|') || /^数据上报 of/.test(l)).map((l) => (l.startsWith('|') ? l : `${l}\n`)).join('\n') }));
  });
}

const BENCHMARKS_MD = fileURLToPath(new URL('../../docs/BENCHMARKS.md', import.meta.url));
const LAST_RUN_START = '<!-- npm run bench: the last full run, written by server/bench/index.ts -->';
const LAST_RUN_END = '<!-- end of the last full run -->';

/** A full run replaces its section of docs/BENCHMARKS.md (issue 12: the last run, with the date and the machine). */
function writeLastRun(section: string): void {
  const doc = readFileSync(BENCHMARKS_MD, 'utf8');
  const block = `${LAST_RUN_START}\n${section.trim()}\n${LAST_RUN_END}`;
  const a = doc.indexOf(LAST_RUN_START);
  const b = doc.indexOf(LAST_RUN_END);
  const next = a >= 0 && b > a ? doc.slice(0, a) + block + doc.slice(b + LAST_RUN_END.length) : doc.replace(/\n## /, `\n${block}\n\n## `);
  writeFileSync(BENCHMARKS_MD, next);
  process.stdout.write(`written to ${path.relative(process.cwd(), BENCHMARKS_MD)}\n`);
}

async function main() {
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 1024 ** 3)} GiB, node ${process.version}`;
  const started = new Date().toISOString();
  process.stdout.write(`npm run bench — ${started} — ${machine}\n${CONNECTIONS} connections, ${DURATION} s per workload after a 2 s warm-up\n\n`);
  let failed = false;
  let base: LoadResult[] = [];
  const sections: string[] = [];
  if (!ONLY || ONLY === 'baseline') {
    const results = (base = await baselines());
    process.stdout.write(`\n${table(results)}\n\n`);
    if (results.some((r) => r.errors > 0 || r.non2xx > 0)) failed = true;
  }
  if (!ONLY || ONLY === 'app') {
    const results = await application();
    const t = table([...base, ...results], base);
    sections.push(t);
    process.stdout.write(`\n${t}\n\n`);
    if (results.some((r) => r.errors > 0 || r.non2xx > 0)) failed = true;
  }
  if (!ONLY || ONLY === 'report') {
    const r = await runScript('./reportExport.ts');
    sections.push(r.tables);
    if (r.code !== 0) failed = true;
  }
  if (!ONLY || ONLY === 'batch') {
    const r = await runScript('./batchWorkloads.ts');
    sections.push(r.tables);
    if (r.code !== 0) failed = true;
  }
  if (ONLY === 'cost') {
    const r = await runScript('./cpuCost.ts');
    if (r.code !== 0) failed = true;
  }
  if (!ONLY && !failed) {
    writeLastRun(
      `## Last full run: ${started.slice(0, 10)}, ${machine}\n\n${CONNECTIONS} connections, ${DURATION} s per workload after a 2 s warm-up, ${CITIZENS.toLocaleString()} citizens; ratios to the baseline of the same run with the same number of processes.\n\n${sections.join('\n\n')}`,
    );
  }
  if (failed) process.exitCode = 1;
}

main().catch((e) => {
  console.error(String(e).slice(0, 2000));
  process.exit(1);
});
