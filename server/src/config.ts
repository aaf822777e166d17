// Typed configuration, parsed once at start-up: a bad value stops the boot with a message naming it.
// Every variable is listed with a one-line comment in .env.example.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cron from 'node-cron';
import { z } from 'zod';
import { devHostFiles } from './integrations/hostIdentity';
import { devNationalKeyFiles } from './integrations/nationalKeys';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const bool = z
  .enum(['0', '1', 'true', 'false'])
  .transform((v) => v === '1' || v === 'true');

const base64Key = (bytes: number) =>
  z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === bytes, `must be ${bytes} bytes, base64-encoded`);

/** DB_STATEMENT_TIMEOUT_MS and DB_QUEUE_LIMIT when unset (also for a database opened without a config). */
export const DATABASE_LIMIT_DEFAULTS = { statementTimeoutMs: 5_000, queueLimit: 1_000 };

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|mysql:\/\/|mariadb:\/\/)/, 'must start with sqlite: or mysql:// (or mariadb://)')
    .optional(),
  // a read replica for the reads marked stale-tolerant (docs/SCALING.md); default: DATABASE_URL itself
  DATABASE_READ_URL: z
    .string()
    .regex(/^(sqlite:|mysql:\/\/|mariadb:\/\/)/, 'must start with sqlite: or mysql:// (or mariadb://)')
    .optional(),
  // a database that accepts connections but does not answer: a statement's deadline, and how many
  // requests may wait for the database before more are refused at once (db/hotSql.ts, db/groupCommit.ts)
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(DATABASE_LIMIT_DEFAULTS.statementTimeoutMs),
  DB_QUEUE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(DATABASE_LIMIT_DEFAULTS.queueLimit),
  DATA_DIR: z.string().min(1).optional(),
  SEED_DEMO: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JOBS_ENABLED: bool.default(true),
  SOURCE_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  PII_ENCRYPTION_KEY: base64Key(32).optional(),
  PII_HASH_KEY: base64Key(32).optional(),
  CODE_SIGNING_KEYS_FILE: z.string().min(1).optional(),
  CODE_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  CARD_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  CA_ROOT_CERT_FILE: z.string().min(1).optional(),
  DAILY_STATS_CRON: z
    .string()
    .refine((v) => cron.validate(v), 'must be a cron expression, e.g. 10 0 * * *')
    .optional(),
  REPORT_SCHEDULE_CRON: z
    .string()
    .refine((v) => cron.validate(v), 'must be a cron expression, e.g. 30 0 * * *')
    .optional(),
  REPORT_FULL_ID_TO_HEALTH_DEPARTMENT: bool.default(false),
  COOKIE_SECURE: bool.optional(),
  TYPED_LOOKUP_LIMIT: z.coerce.number().int().min(1).max(10000).default(30),
  TYPED_LOOKUP_WINDOW_SECONDS: z.coerce.number().int().min(10).max(86400).default(600),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(20 * 1024 * 1024),
  CLOCK_FIXED_AT: z
    .string()
    .refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 time')
    .optional(),
  NATIONAL_PLATFORM_URL: z
    .string()
    .regex(/^(https?:\/\/\S+|off)$/, 'must be an http(s) URL, or off')
    .optional(),
  NATIONAL_APP_ID: z.string().min(1).max(64).default('fujian-bamin'),
  NATIONAL_CLIENT_KEY_FILE: z.string().min(1).optional(),
  NATIONAL_PLATFORM_KEYS_FILE: z.string().min(1).optional(),
  HOST_APPS_FILE: z.string().min(1).optional(),
  TRUST_PROXY: bool.default(false),
  REDIS_URL: z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL').optional(),
  REDIS_KEY_PREFIX: z.string().regex(/^[\w:.-]{1,40}$/, 'letters, digits, : . - _ only').default('bamin:'),
  RATE_LIMIT_SCALE: z.coerce.number().min(1, 'must be at least 1').max(1_000_000).default(1),
  RETENTION_CRON: z
    .string()
    .refine((v) => cron.validate(v), 'must be a cron expression, e.g. 40 0 * * *')
    .optional(),
  // the 14-day area rule reads 14 days of scan records: never fewer than 15
  RETENTION_SCAN_RECORD_DAYS: z.coerce.number().int().min(15, 'must be at least 15 (the 14-day area rule reads them)').max(3650).default(28),
  RETENTION_HEALTH_REPORT_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  RETENTION_AUDIT_DAYS: z.coerce.number().int().min(30, 'must be at least 30').max(3650).default(180),
  RETENTION_MESSAGE_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  RETENTION_REPORT_FILE_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  HOST_TICKET_AUDIENCE: z.string().min(1).max(64).default('bamin-health-code'),
});

/** Where npm start runs the stand-in national platform on the SQLite default. */
export const DEV_NATIONAL_PLATFORM_PORT = 3100;

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  /** DATABASE_READ_URL: where stale-tolerant reads go (db/database.ts `replica`); null: the primary */
  databaseReadUrl: string | null;
  /** DB_STATEMENT_TIMEOUT_MS and DB_QUEUE_LIMIT: how long a hot statement may go unanswered, how many may wait */
  databaseLimits: { statementTimeoutMs: number; queueLimit: number };
  dialect: 'sqlite' | 'mysql';
  dataDir: string;
  seedDemo: boolean;
  logLevel: string;
  jobsEnabled: boolean;
  sourceToken: string;
  piiEncryptionKey: Buffer;
  piiHashKey: Buffer;
  codeSigningKeysFile: string;
  /** Development only: create the signing key file when it is missing. */
  createSigningKeys: boolean;
  codeTokenTtlSeconds: number;
  /** Validity of a printed code card (H4) in days. */
  cardTtlDays: number;
  /** PEM of the CA root that issues enterprise certificates (CA login, E1); null: the development CA on SQLite, none on MySQL. */
  caRootCertFile: string | null;
  /** Development only: create a CA in DATA_DIR/dev-ca when no CA_ROOT_CERT_FILE is given. */
  createDevCa: boolean;
  /** When the nightly dashboard aggregation runs (node-cron, Asia/Shanghai); default 10 0 * * *. */
  dailyStatsCron: string;
  /** When scheduled data reports (定时上报, G3) are produced; default 30 0 * * *. */
  reportScheduleCron: string;
  /** Reports to the health department carry full ID numbers (default off: masked like every other receiver). */
  reportFullIdToHealthDepartment: boolean;
  /** Console cookie only over HTTPS (set behind TLS; default: on for MySQL, off for the SQLite default). */
  cookieSecure: boolean;
  /** Typed 12-digit look-ups one staff account may make per window (F3). */
  typedLookupLimit: number;
  typedLookupWindowSeconds: number;
  maxBodyBytes: number;
  /** Tests and replays only: the clock stands still at this instant. */
  clockFixedAt: Date | null;
  /** Base URL of the national government service platform (B1–B3, H6); null: not configured, codes from local data only. */
  nationalPlatformUrl: string | null;
  /** This province's appId at the platform (its requests are signed under it). */
  nationalAppId: string;
  /** This province's Ed25519 client key ({ appId, keyId, privateKeyPem }); set whenever nationalPlatformUrl is. */
  nationalClientKeyFile: string | null;
  /** The platform's pinned public keys ({ keys: [{ keyId, publicKey }] }); set whenever nationalPlatformUrl is. */
  nationalPlatformKeysFile: string | null;
  /** Development only: create both (and the stand-in's own keys) in DATA_DIR/national when missing. */
  createDevNationalKeys: boolean;
  /** Host super-apps whose sign-in tickets are accepted ({ hosts: [{ appId, name, publicKeyPem }] }, H7); null: none. */
  hostAppsFile: string | null;
  /** Development only: create the development host (闽政通（开发）) in DATA_DIR/hosts when no HOST_APPS_FILE is given. */
  createDevHost: boolean;
  /** The `aud` a host's ticket must carry. */
  hostTicketAudience: string;
  /** Redis for the shared counters (rate limits) when set; null: the database keeps them. */
  redisUrl: string | null;
  redisKeyPrefix: string;
  /** Behind a load balancer: take the client's address from X-Forwarded-For (per-IP limits need it). */
  trustProxy: boolean;
  /** Every abuse limit is multiplied by this (1 in production; test suites and load tests raise it). */
  rateLimitScale: number;
  /** When the nightly retention purge runs (H3); default 40 0 * * *. */
  retentionCron: string;
  retentionScanRecordDays: number;
  retentionHealthReportDays: number;
  retentionAuditDays: number;
  retentionMessageDays: number;
  retentionReportFileDays: number;
}

export class ConfigError extends Error {}

/**
 * On the SQLite default (a developer's machine) missing secrets are generated once into the data
 * folder, never committed. With MySQL (production, CI) every secret must be given: no defaults.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(REPO_ROOT, e.DATA_DIR ?? 'server/data');
  const databaseUrl = e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'bamin.sqlite')}`;
  const dialect = databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'mysql';
  const databaseReadUrl = e.DATABASE_READ_URL ?? null;
  if (databaseReadUrl && databaseReadUrl.startsWith('sqlite:') !== (dialect === 'sqlite')) {
    throw new ConfigError('Invalid configuration:\n  DATABASE_READ_URL: must be a replica of DATABASE_URL (the same kind of database)');
  }

  let sourceToken = e.SOURCE_TOKEN;
  let encKey = e.PII_ENCRYPTION_KEY;
  let hashKey = e.PII_HASH_KEY;
  if (dialect === 'sqlite' && (!sourceToken || !encKey || !hashKey)) {
    const dev = devSecrets(dataDir);
    sourceToken ??= dev.SOURCE_TOKEN;
    encKey ??= dev.PII_ENCRYPTION_KEY;
    hashKey ??= dev.PII_HASH_KEY;
  }
  const missing = [
    !sourceToken && 'SOURCE_TOKEN',
    !encKey && 'PII_ENCRYPTION_KEY',
    !hashKey && 'PII_HASH_KEY',
    dialect === 'mysql' && !e.CODE_SIGNING_KEYS_FILE && 'CODE_SIGNING_KEYS_FILE',
  ].filter(Boolean);
  if (missing.length) {
    throw new ConfigError(
      `Invalid configuration: ${missing.join(', ')} must be set when DATABASE_URL is MySQL (secrets have no defaults outside the SQLite development set-up)`,
    );
  }
  // The SQLite default talks to the stand-in platform npm start runs beside the server; MySQL only to a configured one.
  const nationalPlatformUrl =
    e.NATIONAL_PLATFORM_URL === 'off' ? null : (e.NATIONAL_PLATFORM_URL ?? (dialect === 'sqlite' ? `http://127.0.0.1:${DEV_NATIONAL_PLATFORM_PORT}` : null));
  const nationalMissing = [
    !e.NATIONAL_CLIENT_KEY_FILE && 'NATIONAL_CLIENT_KEY_FILE',
    !e.NATIONAL_PLATFORM_KEYS_FILE && 'NATIONAL_PLATFORM_KEYS_FILE',
  ].filter(Boolean);
  if (dialect === 'mysql' && nationalPlatformUrl && nationalMissing.length) {
    throw new ConfigError(`Invalid configuration: ${nationalMissing.join(', ')} must be set when NATIONAL_PLATFORM_URL is set and DATABASE_URL is MySQL`);
  }
  const devNational = devNationalKeyFiles(dataDir);
  const nationalFile = (given: string | undefined, dev: string) => (given ? path.resolve(REPO_ROOT, given) : nationalPlatformUrl ? dev : null);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl,
    databaseReadUrl,
    databaseLimits: { statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS, queueLimit: e.DB_QUEUE_LIMIT },
    dialect,
    dataDir,
    seedDemo: e.SEED_DEMO,
    logLevel: e.LOG_LEVEL,
    jobsEnabled: e.JOBS_ENABLED,
    sourceToken: sourceToken!,
    piiEncryptionKey: Buffer.from(encKey!, 'base64'),
    piiHashKey: Buffer.from(hashKey!, 'base64'),
    codeSigningKeysFile: path.resolve(REPO_ROOT, e.CODE_SIGNING_KEYS_FILE ?? path.join(dataDir, 'signing-keys.json')),
    createSigningKeys: dialect === 'sqlite',
    codeTokenTtlSeconds: e.CODE_TOKEN_TTL_SECONDS,
    cardTtlDays: e.CARD_TTL_DAYS,
    caRootCertFile: e.CA_ROOT_CERT_FILE ?? null,
    dailyStatsCron: e.DAILY_STATS_CRON ?? '10 0 * * *',
    reportScheduleCron: e.REPORT_SCHEDULE_CRON ?? '30 0 * * *',
    reportFullIdToHealthDepartment: e.REPORT_FULL_ID_TO_HEALTH_DEPARTMENT,
    createDevCa: !e.CA_ROOT_CERT_FILE && dialect === 'sqlite',
    cookieSecure: e.COOKIE_SECURE ?? dialect === 'mysql',
    typedLookupLimit: e.TYPED_LOOKUP_LIMIT,
    typedLookupWindowSeconds: e.TYPED_LOOKUP_WINDOW_SECONDS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    clockFixedAt: e.CLOCK_FIXED_AT ? new Date(e.CLOCK_FIXED_AT) : null,
    nationalPlatformUrl,
    nationalAppId: e.NATIONAL_APP_ID,
    nationalClientKeyFile: nationalFile(e.NATIONAL_CLIENT_KEY_FILE, devNational.clientKeyFile),
    nationalPlatformKeysFile: nationalFile(e.NATIONAL_PLATFORM_KEYS_FILE, devNational.platformPublicKeysFile),
    createDevNationalKeys: dialect === 'sqlite' && nationalPlatformUrl !== null && nationalMissing.length > 0,
    hostAppsFile: e.HOST_APPS_FILE ? path.resolve(REPO_ROOT, e.HOST_APPS_FILE) : dialect === 'sqlite' ? devHostFiles(dataDir).registryFile : null,
    createDevHost: !e.HOST_APPS_FILE && dialect === 'sqlite',
    hostTicketAudience: e.HOST_TICKET_AUDIENCE,
    redisUrl: e.REDIS_URL ?? null,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    trustProxy: e.TRUST_PROXY,
    rateLimitScale: e.RATE_LIMIT_SCALE,
    retentionCron: e.RETENTION_CRON ?? '40 0 * * *',
    retentionScanRecordDays: e.RETENTION_SCAN_RECORD_DAYS,
    retentionHealthReportDays: e.RETENTION_HEALTH_REPORT_DAYS,
    retentionAuditDays: e.RETENTION_AUDIT_DAYS,
    retentionMessageDays: e.RETENTION_MESSAGE_DAYS,
    retentionReportFileDays: e.RETENTION_REPORT_FILE_DAYS,
  };
}

interface DevSecrets {
  SOURCE_TOKEN: string;
  PII_ENCRYPTION_KEY: string;
  PII_HASH_KEY: string;
}

function devSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: DevSecrets = {
    SOURCE_TOKEN: randomBytes(24).toString('base64url'),
    PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PII_HASH_KEY: randomBytes(32).toString('base64'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
