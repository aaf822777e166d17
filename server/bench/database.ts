// The benchmark's databases: each run on a fresh database of the MariaDB server named by DATABASE_URL
// (default the machine's own), dropped at the end.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

export const SERVER_URL = process.env.DATABASE_URL?.startsWith('mysql') ? process.env.DATABASE_URL : 'mysql://root@127.0.0.1:3306/';

/** A fresh database on the MariaDB server; dropped at the end. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const u = new URL(SERVER_URL);
  const name = `bamin_bench_${randomBytes(4).toString('hex')}`;
  u.pathname = '/';
  const admin = await mysql.createConnection({ uri: u.toString() });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = await mysql.createConnection({ uri: SERVER_URL.replace(/\/[^/]*$/, '/') });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

