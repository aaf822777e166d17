// scratch: DB CPU per statement variant
import mysql from 'mysql2/promise';
import { readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
const url = process.env.U!;
const pid = Number(process.env.MPID);
const cpu = () => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; }; // ms
async function main() {
  const pool = mysql.createPool({ uri: url, connectionLimit: 20, timezone: 'Z', dateStrings: ['DATE'] });
  const [hs] = await pool.query('SELECT token_hash FROM app_sessions LIMIT 2000');
  const hashes = (hs as any[]).map((r) => r.token_hash);
  const variants: Record<string, [string, (h: string) => unknown[]]> = JSON.parse(readFileSync('/tmp/qb/variants.json', 'utf8'));
  for (const [name, [sql, kind]] of Object.entries(variants) as any) {
    const params = (h: string) => (kind === 'full' ? ['2026-11-18', '2026-12-04', '2026-11-20 00:00:00.000', h] : [h]);
    const N = 20000; let i = 0;
    const c0 = cpu(); const t0 = Date.now();
    await Promise.all(Array.from({ length: 20 }, async () => { while (i < N) { const h = hashes[i++ % hashes.length]; await pool.execute(sql, params(h)); } }));
    const ms = Date.now() - t0; const c = cpu() - c0;
    console.log(`${name}: ${(N / ms * 1000).toFixed(0)} q/s, mariadb ${(c / N * 1000).toFixed(0)} µs/q`);
  }
  await pool.end();
}
main();
