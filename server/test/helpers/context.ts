// A real database per test file: a temp SQLite file by default, or a fresh database on the MySQL/MariaDB
// server of DATABASE_URL (created here, dropped on close). Never a mock.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp, type App } from '../../src/app';
import { bootstrap } from '../../src/bootstrap';
import { createScratchDatabase } from '../../src/db/scratchDatabase';
import { ManualClock } from '../../src/clock';
import { loadConfig, type Config } from '../../src/config';
import type { Deps } from '../../src/deps';
import { devHostFiles } from '../../src/integrations/hostIdentity';
import { ensureDevNationalKeys } from '../../src/integrations/nationalKeys';
import { captureResponses, findLeaks, type LeakCapture } from './piiLeak';
import { createLogger } from '../../src/logger';
import { runningImports } from '../../src/services/employeeImportService';

export const TEST_MYSQL_URL = process.env.DATABASE_URL?.startsWith('mysql') ? process.env.DATABASE_URL : null;

export interface TestContext {
  deps: Deps;
  app: App;
  clock: ManualClock;
  http: TestAgent;
  sourceToken: string;
  config: Config;
  dir: string;
  env: Record<string, string>;
  close(): Promise<void>;
  /** Log lines and text responses of the file, checked for personal data at close. */
  capture: LeakCapture;
}

/** Creates an empty database on the server of `url` and returns its URL. */
export function createMysqlDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  return createScratchDatabase(url, 'bamin_t_'); // .ci/run drops what an interrupted run leaves by this prefix
}

/**
 * nationalUrl: the national platform to talk to (a stand-in from helpers/national.ts); unset, the platform
 * is not configured and every call fails as not_configured. Its keys come from nationalKeysDir/national
 * (pass the stand-in's dir so the two trust each other; default: this test's dir).
 */
export async function createTestContext(
  opts: { now?: string; logLines?: string[]; nationalUrl?: string; nationalKeysDir?: string; realRateLimits?: boolean; mysqlUrl?: string | null; redisUrl?: string; redisKeyPrefix?: string; env?: Record<string, string> } = {},
): Promise<TestContext> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bamin-test-'));
  // mysqlUrl: a server of the test's own (test/helpers/privateMariadb.ts) instead of DATABASE_URL's; null: SQLite
  const mysqlServer = opts.mysqlUrl === undefined ? TEST_MYSQL_URL : opts.mysqlUrl;
  const mysqlDb = mysqlServer ? await createMysqlDatabase(mysqlServer) : null;
  const env: Record<string, string> = {
    DATABASE_URL: mysqlDb ? mysqlDb.url : `sqlite:${path.join(dir, 'test.sqlite')}`,
    DATA_DIR: dir,
    SOURCE_TOKEN: randomBytes(24).toString('base64url'),
    PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PII_HASH_KEY: randomBytes(32).toString('base64'),
    CODE_SIGNING_KEYS_FILE: path.join(dir, 'signing-keys.json'),
    // every line is kept for the leak check at close (helpers/piiLeak.ts)
    LOG_LEVEL: 'debug',
    SEED_DEMO: '0',
    JOBS_ENABLED: '0',
    NATIONAL_PLATFORM_URL: opts.nationalUrl ?? 'off',
    ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl, REDIS_KEY_PREFIX: opts.redisKeyPrefix ?? `t${randomBytes(6).toString('hex')}:` } : {}),
    // e.g. a second instance of the same deployment: the same secrets
    ...(opts.env ?? {}),
  };
  if (opts.nationalUrl) {
    const keys = ensureDevNationalKeys(opts.nationalKeysDir ?? dir);
    env.NATIONAL_CLIENT_KEY_FILE = keys.clientKeyFile;
    env.NATIONAL_PLATFORM_KEYS_FILE = keys.platformPublicKeysFile;
  }
  const config = loadConfig(env);
  config.createSigningKeys = true;
  config.createDevCa = true; // a development CA in the test's folder, on MySQL too
  // the development host super-app (H7) in the test's folder, on MySQL too
  config.hostAppsFile = devHostFiles(dir).registryFile;
  config.createDevHost = true;
  // abuse limits count per address, and every request of a test comes from 127.0.0.1 on a clock that
  // stands still: raised here, tested at their real values in test/api/rateLimits.test.ts
  config.rateLimitScale = opts.realRateLimits ? 1 : 1000;
  config.cookieSecure = false; // supertest and the browser tests talk plain HTTP
  const clock = new ManualClock(opts.now ?? '2026-03-15T10:00:00+08:00');
  const capture: LeakCapture = { logLines: opts.logLines ?? [], responses: [] };
  const logger = createLogger(config.logLevel, { write: (s: string) => void capture.logLines.push(s) });
  const deps = await bootstrap({ config, clock, logger });
  const app = createApp(deps);
  // outermost: sees what leaves, errors included
  app.koa.middleware.unshift(captureResponses(capture));
  const http = request(app.koa.callback());
  return {
    deps,
    app,
    clock,
    http,
    sourceToken: env.SOURCE_TOKEN,
    config,
    dir,
    env,
    capture,
    async close() {
      await Promise.allSettled([...runningImports]);
      // no full ID number or phone in any log line or response of the whole file (H3)
      const leaks = await findLeaks(deps, capture).catch(() => [] as string[]);
      await deps.ocr.close();
      await deps.db.close().catch(() => undefined); // a test may have closed it on purpose
      await deps.redis?.quit().catch(() => undefined);
      if (mysqlDb) await mysqlDb.drop();
      rmSync(dir, { recursive: true, force: true });
      if (leaks.length) throw new Error(`personal data leaked in this test file:\n${leaks.join('\n')}`);
    },
  };
}

export const auth = (ctx: TestContext) => ({ Authorization: `Bearer ${ctx.sourceToken}` });
