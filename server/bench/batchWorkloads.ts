// The batch workloads of npm run bench (issue 12), in a process set up like the server (configuration from
// the environment, bootstrap, the Koa app listening), on a fresh MariaDB database:
//
// - full recompute: 1,000,000 people against all sources (100,000 source rows) — `recomputeAll`, as
//   `npm run recompute` runs it, progress printed;                                         target < 60 s
// - incremental: a 1,000-row fever-clinic import (POST /api/v1/sources/fever-clinic-visits, the real
//   route) until those people read orange — the route answers after their recompute;     target < 2 s
// - nightly aggregation: 10,000 employees × 30 days of health reports — `fillMissingDays`, as the
//   nightly job catches up;                                                                target < 30 s
//
// The million people are written by SQL from MariaDB's sequence engine (their id hashes are not of real
// numbers: recomputing never needs the number); the people the import and the aggregation name are made
// with the server's own keyed hash, so the import and the employee roll find them.
//
//   node --import tsx server/bench/batchWorkloads.ts     (npm run bench runs it; BENCH_PEOPLE=… to shrink)
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';
import { identityKey, maskIdNumber } from '@bamin/common';
import { residentIdOf } from './codeDisplay';
import { benchEnv, freshDatabase } from './database';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 1_000_000);
const SOURCE_ROWS = Math.round(PEOPLE / 10);
const IMPORT_ROWS = 1000;
const EMPLOYEES = Number(process.env.BENCH_EMPLOYEES ?? 10_000);
const DAYS = 30;
const NOW = '2026-03-31T10:00:00+08:00';

interface Figure {
  name: string;
  seconds: number;
  target: number;
  detail: string;
}

async function main() {
  const db = await freshDatabase();
  const env = benchEnv(db.url, 'batch');
  Object.assign(process.env, env);
  const { loadConfig } = await import('../src/config');
  const { bootstrap } = await import('../src/bootstrap');
  const { createApp } = await import('../src/app');
  const { loadKeyRing } = await import('../src/integrations/signingKeys');
  const { recomputeAll } = await import('../src/services/statusService');
  const { fillMissingDays } = await import('../src/services/dailyStatsService');
  const { ManualClock } = await import('../src/clock');
  loadKeyRing(env.CODE_SIGNING_KEYS_FILE, { createIfMissing: true, now: new Date() });
  const deps = await bootstrap({ config: loadConfig(process.env), clock: new ManualClock(NOW) });
  const server = createApp(deps).koa.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const c = await mysql.createConnection({ uri: db.url });
  const figures: Figure[] = [];
  const say = (s: string) => process.stdout.write(s);
  try {
    // ---- the population -----------------------------------------------------------------------------
    say(`batch: seeding ${PEOPLE.toLocaleString()} people and ${SOURCE_ROWS.toLocaleString()} source rows… `);
    let t = Date.now();
    const named: unknown[][] = [];
    for (let i = 0; i < IMPORT_ROWS + EMPLOYEES; i++) {
      const id = residentIdOf(i);
      named.push(['resident_id', deps.pii.hash(identityKey('resident_id', id, null)), deps.pii.encrypt(id), maskIdNumber(id), `市民${i}`]);
    }
    for (let i = 0; i < named.length; i += 1000) {
      const part = named.slice(i, i + 1000);
      await c.query(
        'INSERT INTO people (id_type, id_hash, id_number_enc, id_masked, name, residence_area, created_at, updated_at) VALUES ' + part.map(() => "(?, ?, ?, ?, ?, '350102', NOW(), NOW())").join(','),
        part.flat(),
      );
    }
    const rest = PEOPLE - named.length;
    await c.query(
      `INSERT INTO people (id_type, id_hash, id_number_enc, id_masked, name, residence_area, created_at, updated_at)
       SELECT 'resident_id', SHA2(CONCAT('bench-', seq), 256), 'bench', '35****************', CONCAT('市民', seq), '350102', NOW(), NOW() FROM seq_1_to_${rest}`,
    );
    // 100,000 source rows over random people, recent enough to matter (the last 14 days)
    const rand = `FLOOR(1 + RAND(7) * ${PEOPLE})`;
    const recent = `DATE_SUB('2026-03-31 00:00:00', INTERVAL FLOOR(RAND(11) * 14 * 24 * 60) MINUTE)`;
    const share = (f: number) => Math.round(SOURCE_ROWS * f);
    await c.query(`INSERT IGNORE INTO src_fever_clinic_visits (person_id, hospital, visited_at, created_at, updated_at) SELECT ${rand}, '福建省立医院', ${recent}, NOW(), NOW() FROM seq_1_to_${share(0.3)}`);
    await c.query(`INSERT IGNORE INTO src_fever_drug_purchases (person_id, pharmacy, drug, purchased_at, created_at, updated_at) SELECT ${rand}, '鼓楼大药房', '布洛芬', ${recent}, NOW(), NOW() FROM seq_1_to_${share(0.2)}`);
    await c.query(`INSERT IGNORE INTO src_arrivals (person_id, from_area, arrived_at, created_at, updated_at) SELECT ${rand}, '广东省广州市', ${recent}, NOW(), NOW() FROM seq_1_to_${share(0.2)}`);
    await c.query(`INSERT IGNORE INTO src_close_contacts (person_id, identified_at, created_at, updated_at) SELECT ${rand}, ${recent}, NOW(), NOW() FROM seq_1_to_${share(0.1)}`);
    await c.query(`INSERT IGNORE INTO src_nucleic_acid_tests (person_id, institution, sampled_at, result, created_at, updated_at) SELECT ${rand}, '福州市疾病预防控制中心', ${recent}, 'negative', NOW(), NOW() FROM seq_1_to_${share(0.19)}`);
    await c.query(`INSERT IGNORE INTO src_cases (person_id, status, reported_at, created_at, updated_at) SELECT ${rand}, 'confirmed', ${recent}, NOW(), NOW() FROM seq_1_to_${share(0.01)}`);
    say(`${((Date.now() - t) / 1000).toFixed(1)} s\n`);

    // ---- full recompute ----------------------------------------------------------------------------
    t = Date.now();
    let lastPrinted = 0;
    const done = await recomputeAll(deps, (n, total) => {
      if (Date.now() - lastPrinted > 5000 || n === total) {
        lastPrinted = Date.now();
        say(`  recompute: ${n.toLocaleString()} / ${total.toLocaleString()} (${((Date.now() - t) / 1000).toFixed(1)} s)\n`);
      }
    });
    const [[orange]] = (await c.query("SELECT COUNT(*) AS n FROM health_statuses WHERE colour = 'orange'")) as unknown as [[{ n: number }]];
    figures.push({ name: `full recompute: ${PEOPLE.toLocaleString()} people, ${SOURCE_ROWS.toLocaleString()} source rows`, seconds: (Date.now() - t) / 1000, target: 60, detail: `${done.toLocaleString()} decisions written, ${Number(orange.n).toLocaleString()} orange` });

    // ---- incremental: 1,000 fever-clinic visits through the source API -------------------------------
    const rows = Array.from({ length: IMPORT_ROWS }, (_, i) => `resident_id,${residentIdOf(i)},市民${i},福州市第一医院,2026-03-31T08:00:00`);
    const csv = ['id_type,id_number,name,hospital,visited_at', ...rows].join('\n');
    t = Date.now();
    const res = await fetch(`${base}/api/v1/sources/fever-clinic-visits`, { method: 'POST', headers: { authorization: `Bearer ${env.SOURCE_TOKEN}`, 'content-type': 'text/csv' }, body: csv });
    const body = (await res.json()) as { inserted?: number; recomputed?: number };
    const seconds = (Date.now() - t) / 1000;
    const [[reading]] = (await c.query(
      `SELECT COUNT(*) AS n FROM health_statuses h JOIN people p ON p.id = h.person_id WHERE h.colour = 'orange' AND p.id_hash IN (?)`,
      [named.slice(0, IMPORT_ROWS).map((r) => r[1])],
    )) as unknown as [[{ n: number }]];
    if (res.status !== 200 || Number(reading.n) !== IMPORT_ROWS) throw new Error(`incremental import: ${res.status} ${JSON.stringify(body)}, ${reading.n} of ${IMPORT_ROWS} orange`);
    figures.push({ name: `incremental: ${IMPORT_ROWS.toLocaleString()}-row fever-clinic import until they read orange`, seconds, target: 2, detail: `HTTP ${res.status}, ${body.inserted} inserted, ${body.recomputed} recomputed, ${reading.n} orange` });

    // ---- nightly aggregation: 10,000 employees × 30 days -------------------------------------------
    say(`batch: seeding ${EMPLOYEES.toLocaleString()} employees and ${(EMPLOYEES * DAYS).toLocaleString()} health reports… `);
    t = Date.now();
    await c.query("INSERT INTO organisations (kind, name, area_code, created_at, updated_at) SELECT 'enterprise', CONCAT('基准企业', seq), '350102', NOW(), NOW() FROM seq_1_to_100");
    const employees = named.slice(IMPORT_ROWS);
    for (let i = 0; i < employees.length; i += 1000) {
      const part = employees.slice(i, i + 1000);
      await c.query(
        'INSERT INTO employees (organisation_id, name, id_type, id_hash, id_number_enc, id_masked, created_at, updated_at) VALUES ' +
          part.map(() => "((SELECT MIN(id) FROM organisations) + ?, ?, 'resident_id', ?, ?, ?, '2026-02-01 00:00:00', NOW())").join(','),
        part.flatMap((r, k) => [(i + k) % 100, r[4], r[1], r[2], r[3]]),
      );
    }
    // one self report a day for 30 days by each employee's person (a person per employee)
    await c.query(
      `INSERT INTO health_reports (person_id, report_type, symptoms, reported_at, created_at, updated_at)
       SELECT p.id, 'self', 'none', DATE_ADD('2026-03-01 00:30:00', INTERVAL d.seq - 1 DAY), NOW(), NOW()
         FROM people p JOIN employees e ON e.id_hash = p.id_hash CROSS JOIN seq_1_to_${DAYS} d`,
    );
    say(`${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    t = Date.now();
    const days = await fillMissingDays(deps, { maxDays: DAYS });
    const reports = days.reduce((s, d) => s + d.reports, 0);
    if (days.length !== DAYS) throw new Error(`aggregation: ${days.length} days of ${DAYS}`);
    figures.push({ name: `nightly aggregation: ${EMPLOYEES.toLocaleString()} employees × ${DAYS} days`, seconds: (Date.now() - t) / 1000, target: 30, detail: `${days.length} days, ${reports.toLocaleString()} reports counted` });
  } finally {
    await c.end();
    await new Promise((r) => server.close(r));
    await deps.ocr.close();
    await deps.db.close();
    await db.drop();
    rmSync(env.DATA_DIR, { recursive: true, force: true });
  }
  say('\n| workload | seconds | target | result | detail |\n|---|---|---|---|---|\n');
  for (const f of figures) say(`| ${f.name} | ${f.seconds.toFixed(1)} | < ${f.target} s | ${f.seconds < f.target ? 'pass' : '**fail**'} | ${f.detail} |\n`);
  say('\n');
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
