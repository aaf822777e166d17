// The benchmark's databases: each run on a fresh database of the MariaDB server named by DATABASE_URL
// (default the machine's own), dropped at the end.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createScratchDatabase } from '../src/db/scratchDatabase';

export const SERVER_URL = process.env.DATABASE_URL?.startsWith('mysql') ? process.env.DATABASE_URL : 'mysql://root@127.0.0.1:3306/';

/** A fresh database on the MariaDB server; dropped at the end. */
export function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  return createScratchDatabase(SERVER_URL, 'bamin_bench_');
}

/**
 * The environment of a server under benchmark on `databaseUrl`: a fresh data directory and secrets, quiet,
 * jobs and the national platform off, abuse limits out of the way. The signing keys file is only named:
 * on MySQL the server never makes its own keys (the caller makes them, as an operator would).
 */
export function benchEnv(databaseUrl: string, name: string): Record<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), `bamin-bench-${name}-`));
  return {
    DATABASE_URL: databaseUrl,
    DATA_DIR: dir,
    LOG_LEVEL: 'warn',
    SEED_DEMO: '0',
    JOBS_ENABLED: '0',
    NATIONAL_PLATFORM_URL: 'off',
    RATE_LIMIT_SCALE: '1000000',
    SOURCE_TOKEN: randomBytes(24).toString('base64url'),
    PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PII_HASH_KEY: randomBytes(32).toString('base64'),
    CODE_SIGNING_KEYS_FILE: path.join(dir, 'signing-keys.json'),
  };
}
