// CPU time per request, by layer (issue 12): `BENCH_ONLY=cost npm run bench`. Saturated requests/s on
// these shared 2-core machines move by ±30 % between runs; CPU time per request at a fixed rate below
// saturation holds to ~10–15 %, and it says where a request's cost is. Each row is one route under the same
// fixed rate (BENCH_RATE, default 1,000 requests/s, 50 connections, BENCH_DURATION s after a 2 s warm-up),
// with the CPU time the server process, MariaDB and the load generator spent per request, read from /proc
// (utime + stime) and process.cpuUsage():
//
// - the two bare baselines (node:http + mysql2: a primary-key SELECT, a single-row INSERT);
// - the request pipeline alone: GET /api/v1/codes/keys (no credential, no statement, an answer from memory);
// - the pipeline and a citizen's session: GET /api/v1/app/areas (one session statement, an answer from memory);
// - the code page and the scan, as in the throughput workloads.
//
// With the machine saturated, requests/s ≈ cores / (the CPU time all three processes spend per request), so
// the rows give each workload's ceiling ratio to its baseline — printed in the last column — and what a
// layer would have to cost for a target to hold.
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { asCitizens, codeTokens, scanRequests, seedCitizens, seedStaff, startServer } from './codeDisplay';
import { freshDatabase } from './database';
import { seedBaseline, startChild, stop } from './processes';

const RATE = Number(process.env.BENCH_RATE ?? 1000);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CLK_TCK = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;

/** utime + stime of a process, in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

function databasePid(): number {
  const pid = Number(execSync('pidof mariadbd || pidof mysqld || true').toString().trim().split(' ')[0]);
  if (!pid) throw new Error('BENCH_ONLY=cost reads the CPU time of the MariaDB server on this machine; none runs here (pidof mariadbd/mysqld)');
  return pid;
}

interface Cost {
  name: string;
  requests: number;
  server: number;
  database: number;
  loadgen: number;
  p99: number;
}

async function measure(name: string, serverPid: number, dbPid: number, opts: autocannon.Options): Promise<Cost> {
  await autocannon({ ...opts, connections: 50, duration: 2, overallRate: RATE });
  const s0 = cpuMs(serverPid);
  const d0 = cpuMs(dbPid);
  const a0 = process.cpuUsage();
  const r = await autocannon({ ...opts, connections: 50, duration: DURATION, overallRate: RATE });
  const a = process.cpuUsage(a0);
  const n = r.requests.total;
  if (r.non2xx || r.errors) throw new Error(`${name}: ${r.non2xx} answers other than 2xx, ${r.errors} errors`);
  const per = (ms: number) => (ms * 1000) / n;
  const cost = { name, requests: n, server: per(cpuMs(serverPid) - s0), database: per(cpuMs(dbPid) - d0), loadgen: per((a.user + a.system) / 1000), p99: r.latency.p99 };
  process.stdout.write(`  ${name}: server ${cost.server.toFixed(0)} µs, database ${cost.database.toFixed(0)} µs, load generator ${cost.loadgen.toFixed(0)} µs per request\n`);
  return cost;
}

function table(rows: Cost[], baselineOf: (c: Cost) => Cost | undefined): string {
  const total = (c: Cost) => c.server + c.database + c.loadgen;
  const lines = [
    `| route (${RATE} requests/s, 50 connections, ${DURATION} s) | requests | server µs | MariaDB µs | load generator µs | all three µs | p99 ms | ceiling: baseline's all three ÷ this row's |`,
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const c of rows) {
    const b = baselineOf(c);
    lines.push(
      `| ${c.name} | ${c.requests} | ${c.server.toFixed(0)} | ${c.database.toFixed(0)} | ${c.loadgen.toFixed(0)} | ${total(c).toFixed(0)} | ${c.p99} | ${b && b !== c ? `${Math.round((total(b) / total(c)) * 100)} % of ${b.name.split(':')[0]}` : '—'} |`,
    );
  }
  return lines.join('\n');
}

async function main() {
  const dbPid = databasePid();
  const db = await freshDatabase();
  const rows: Cost[] = [];
  try {
    await seedBaseline(db.url);
    const baseline = await startChild(['--import', 'tsx', new URL('./baselineServer.ts', import.meta.url).pathname], { BENCH_DATABASE_URL: db.url });
    try {
      rows.push(await measure('baseline PK SELECT: bare node:http + mysql2', baseline.child.pid!, dbPid, { url: `${baseline.base}/pk` }));
      rows.push(await measure('baseline INSERT: bare node:http + mysql2', baseline.child.pid!, dbPid, { url: `${baseline.base}/insert`, method: 'POST' }));
    } finally {
      await stop(baseline.child);
    }
    const server = await startServer(db.url, 1);
    try {
      const citizens = await seedCitizens(db.url, server.env);
      const staff = await seedStaff(db.url, server.env);
      const codes = await codeTokens(db.url, server.env, 2000);
      const pid = server.child.pid!;
      const asCitizen = asCitizens(citizens);
      rows.push(await measure('pipeline alone: GET /api/v1/codes/keys', pid, dbPid, { url: `${server.base}/api/v1/codes/keys` }));
      rows.push(await measure('pipeline + citizen session: GET /api/v1/app/areas', pid, dbPid, { url: `${server.base}/api/v1/app/areas`, requests: asCitizen }));
      rows.push(await measure('code display: GET /api/v1/app/codes/self', pid, dbPid, { url: `${server.base}/api/v1/app/codes/self`, requests: asCitizen }));
      rows.push(await measure('scan verify: POST /api/v1/staff/scans', pid, dbPid, { url: `${server.base}/api/v1/staff/scans`, method: 'POST', requests: scanRequests(staff, codes) }));
    } finally {
      await stop(server.child);
    }
  } finally {
    await db.drop();
  }
  const [pk, insert] = rows;
  process.stdout.write(`\n${table(rows, (c) => (c.name.startsWith('scan') || c.name.startsWith('baseline INSERT') ? insert : pk))}\n`);
}

main().catch((e) => {
  console.error(String(e?.stack ?? e).slice(0, 2000));
  process.exit(1);
});
