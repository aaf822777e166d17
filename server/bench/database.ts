// The benchmark's databases: each run on a fresh database of the MariaDB server named by DATABASE_URL
// (default the machine's own), dropped at the end.
import { createScratchDatabase } from '../src/db/scratchDatabase';

export const SERVER_URL = process.env.DATABASE_URL?.startsWith('mysql') ? process.env.DATABASE_URL : 'mysql://root@127.0.0.1:3306/';

/** A fresh database on the MariaDB server; dropped at the end. */
export function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  return createScratchDatabase(SERVER_URL, 'bamin_bench_');
}
