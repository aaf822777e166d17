// The bare baselines' parts (issue 12): their tables, and their server as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import mysql from 'mysql2/promise';

export const BASELINE_ROWS = 1_000_000;

/** The baselines' tables: bench_rows (BASELINE_ROWS rows, read by primary key) and bench_inserts. */
export async function seedBaseline(url: string): Promise<void> {
  const c = await mysql.createConnection({ uri: url });
  await c.query('CREATE TABLE bench_rows (id BIGINT NOT NULL PRIMARY KEY, a BIGINT NOT NULL, b VARCHAR(32) NOT NULL, c DATETIME(3) NOT NULL) ENGINE=InnoDB');
  await c.query('CREATE TABLE bench_inserts (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, a BIGINT NOT NULL, b VARCHAR(32) NOT NULL, created_at DATETIME(3) NOT NULL) ENGINE=InnoDB');
  // MariaDB's SEQUENCE engine writes the million rows in one statement
  await c.query(`INSERT INTO bench_rows (id, a, b, c) SELECT seq, seq * 7, CONCAT('row-', seq), NOW(3) FROM seq_1_to_${BASELINE_ROWS}`);
  await c.end();
}


/** Starts a child that prints "listening <port>"; resolves with its base URL. */
export function startChild(args: string[], env: Record<string, string>): Promise<{ base: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve({ base: `http://127.0.0.1:${m[1]}`, child });
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before listening: ${out.slice(-500)}`)));
  });
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

