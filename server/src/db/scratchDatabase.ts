// A fresh database on a MySQL/MariaDB server, for the test suites (one per test file) and `npm run bench`
// (one per run): created empty with the production character set, dropped by its owner at the end.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

/** `serverUrl`'s server, a new database named `<prefix><random>`; `url` names it, `drop()` removes it. */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const u = new URL(serverUrl);
  const name = `${prefix}${randomBytes(5).toString('hex')}`;
  u.pathname = '/';
  const admin = u.toString();
  const c = await mysql.createConnection({ uri: admin });
  await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const d = await mysql.createConnection({ uri: admin });
      await d.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await d.end();
    },
  };
}
