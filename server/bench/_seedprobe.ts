import { startServer, seedCitizens, codeTokens } from './codeDisplay';
import mysql from 'mysql2/promise';
async function main() {
  const a = await mysql.createConnection({ uri: 'mysql://root@127.0.0.1:3306/' });
  await a.query('DROP DATABASE IF EXISTS bamin_probe'); await a.query('CREATE DATABASE bamin_probe CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'); await a.end();
  const url = 'mysql://root@127.0.0.1:3306/bamin_probe';
  const s = await startServer(url, 1);
  await seedCitizens(url, s.env, 2000);
  await codeTokens(url, s.env, 10);
  s.child.kill('SIGTERM');
}
main().then(() => process.exit(0));
