// The generating side of bench/reportExport.ts: a process set up like the server (configuration from the
// environment, bootstrap, the Koa app), which generates report BENCH_REPORT_ID while a loop sends it HTTP
// requests, and prints its measurements as one JSON line.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import request from 'supertest';
import { createApp } from '../src/app';
import { bootstrap } from '../src/bootstrap';
import { generateReport } from '../src/services/dataReportService';

const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;

async function main() {
  const deps = await bootstrap();
  const http = request(createApp(deps).koa.callback());
  await http.get('/api/v1/codes/keys'); // warm
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 10);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let done = false;
  const latencies: number[] = [];
  const requests = (async () => {
    while (!done) {
      const t = performance.now();
      const res = await http.get('/api/v1/codes/keys');
      if (res.status !== 200) throw new Error(`request during generation: ${res.status}`);
      latencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const id = Number(process.env.BENCH_REPORT_ID);
  const t1 = performance.now();
  const status = await generateReport(deps, id);
  const seconds = (performance.now() - t1) / 1000;
  done = true;
  await requests;
  clearInterval(sampler);
  loop.disable();
  const row = (await deps.db.models.DataReport.findByPk(id, { raw: true })) as unknown as { rowCount: number };
  process.stdout.write(
    `${JSON.stringify({
      status, rows: Number(row.rowCount), seconds, baseRss, peakRss, peakHeap,
      loopP99Ms: loop.percentile(99) / 1e6, loopMaxMs: loop.max / 1e6,
      requests: latencies.length, p50: pct(latencies, 50), p99: pct(latencies, 99), max: Math.max(...latencies),
    })}\n`,
  );
  await deps.ocr.close();
  await deps.db.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
