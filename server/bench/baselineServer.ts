// The baselines of npm run bench (issue 12): a bare node:http handler over a mysql2 pool, no framework,
// no session, no validation — what the hardware and the database give. GET /pk?id=N reads one row of a
// 1,000,000-row table by primary key; POST /insert writes one row. With BENCH_WORKERS=2 it runs as a
// node:cluster of two processes on one port, like the server under test.
import cluster from 'node:cluster';
import http from 'node:http';
import mysql from 'mysql2/promise';

const url = process.env.BENCH_DATABASE_URL!;
const port = Number(process.env.BENCH_PORT ?? 0);
const workers = Number(process.env.BENCH_WORKERS ?? 1);
const ROWS = Number(process.env.BENCH_BASELINE_ROWS ?? 1_000_000);

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
  let ready = 0;
  cluster.on('message', (_w, m: { listening?: number }) => {
    if (m.listening && ++ready === workers) process.stdout.write(`listening ${m.listening}\n`);
  });
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill();
    process.exit(0);
  });
} else {
  const pool = mysql.createPool({ uri: url, connectionLimit: 50, enableKeepAlive: true });
  const server = http.createServer(async (req, res) => {
    try {
      if (req.method === 'GET' && req.url?.startsWith('/pk')) {
        const id = 1 + Math.floor(Math.random() * ROWS);
        const [rows] = await pool.execute('SELECT id, a, b, c FROM bench_rows WHERE id = ?', [id]);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify((rows as unknown[])[0] ?? null));
      } else if (req.method === 'POST' && req.url === '/insert') {
        const [r] = await pool.execute('INSERT INTO bench_inserts (a, b, created_at) VALUES (?, ?, NOW(3))', [Math.floor(Math.random() * 1e9), 'x'.repeat(32)]);
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: (r as { insertId: number }).insertId }));
      } else {
        res.writeHead(404).end();
      }
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  server.listen(port, '127.0.0.1', () => {
    const p = (server.address() as { port: number }).port;
    if (cluster.isWorker) process.send?.({ listening: p });
    else process.stdout.write(`listening ${p}\n`);
  });
  process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
}
