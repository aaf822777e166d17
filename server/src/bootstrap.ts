// Builds the dependencies from configuration: database (migrated), key ring, cipher, logger.
import pino from 'pino';
import { ManualClock, systemClock, type Clock } from './clock';
import { ConfigError, loadConfig, type Config } from './config';
import { migrate, openDatabase } from './db/database';
import { PiiCipher } from './db/pii';
import type { Deps } from './deps';
import { DevFaceCheck } from './integrations/faceCheck';
import { loadCaRoot, loadOrCreateDevCa } from './integrations/ca';
import { ensureDevNationalKeys, loadNationalClientKey, loadPinnedPlatformKeys } from './integrations/nationalKeys';
import { Redis } from 'ioredis';
import { ensureDevHost, loadHostRegistry, type HostRegistry } from './integrations/hostIdentity';
import { unconfiguredNationalPlatform, type NationalPlatform } from './integrations/nationalPlatform';
import { createHttpNationalPlatform } from './integrations/nationalPlatformHttp';
import { createTesseractIdCardOcr } from './integrations/ocr';
import { loadKeyRing } from './integrations/signingKeys';
import { DevSmsOutbox } from './integrations/sms';
import { createLogger, type Logger } from './logger';
import { loadAreas } from './services/areaService';

/** `cli`: log to stderr, keeping stdout for the tool's own answer. */
export async function bootstrap(opts: { config?: Config; clock?: Clock; logger?: Logger; cli?: boolean } = {}): Promise<Deps> {
  const config = opts.config ?? loadConfig();
  const logger = opts.logger ?? createLogger(config.logLevel, opts.cli ? pino.destination(2) : undefined);
  const clock = opts.clock ?? (config.clockFixedAt ? new ManualClock(config.clockFixedAt) : systemClock);
  if (!opts.clock && config.clockFixedAt) logger.warn({ at: config.clockFixedAt.toISOString() }, 'CLOCK_FIXED_AT is set: the clock stands still');
  const db = openDatabase(config.databaseUrl, logger, config.databaseReadUrl, config.databaseLimits);
  await migrate(db, config.databaseUrl, logger);
  await loadAreas(db);
  const keyRing = loadKeyRing(config.codeSigningKeysFile, { createIfMissing: config.createSigningKeys, now: clock.now() });
  const pii = new PiiCipher(config.piiEncryptionKey, config.piiHashKey);
  // Only development providers exist so far; a production SMS gateway and face-check provider plug in here.
  const ocr = createTesseractIdCardOcr({ logger });
  const ca = config.caRootCertFile ? loadCaRoot(config.caRootCertFile) : config.createDevCa ? await loadOrCreateDevCa(config.dataDir, clock.now()) : null;
  if (!ca) logger.warn('CA_ROOT_CERT_FILE is not set: CA-certificate login of enterprises is switched off');
  const national = nationalPlatform(config, clock, logger);
  return { config, db, logger, clock, pii, keyRing, sms: new DevSmsOutbox(), faceCheck: new DevFaceCheck(), ocr, ca, national, hosts: hostRegistry(config, logger), redis: config.redisUrl ? connectRedis(config.redisUrl, logger) : null };
}

/** Redis for shared counters; commands wait for a reconnect rather than fail at once (and fail after 2 s). */
function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 2000, enableOfflineQueue: true, lazyConnect: false });
  redis.on('error', (err) => logger.warn({ err: { message: err.message } }, 'redis error'));
  return redis;
}

/** Host super-apps whose tickets are accepted (H7): HOST_APPS_FILE, or the development host on SQLite. */
function hostRegistry(config: Config, logger: Logger): HostRegistry {
  if (config.createDevHost) ensureDevHost(config.dataDir);
  if (!config.hostAppsFile) {
    logger.warn('HOST_APPS_FILE is not set: sign-in through a host super-app (plugin) is switched off');
    return { hosts: new Map() };
  }
  return loadHostRegistry(config.hostAppsFile);
}

/** The national platform over HTTP when NATIONAL_PLATFORM_URL is set (B1–B3, H6); otherwise every call fails as not_configured. */
function nationalPlatform(config: Config, clock: Clock, logger: Logger): NationalPlatform {
  if (!config.nationalPlatformUrl || !config.nationalClientKeyFile || !config.nationalPlatformKeysFile) {
    logger.warn('NATIONAL_PLATFORM_URL is not set: origin passes of other provinces are not checked');
    return unconfiguredNationalPlatform;
  }
  if (config.createDevNationalKeys) ensureDevNationalKeys(config.dataDir, clock.now());
  const clientKey = loadNationalClientKey(config.nationalClientKeyFile);
  if (clientKey.appId !== config.nationalAppId) {
    throw new ConfigError(`NATIONAL_CLIENT_KEY_FILE is the key of appId ${clientKey.appId}, but NATIONAL_APP_ID is ${config.nationalAppId}`);
  }
  return createHttpNationalPlatform({
    baseUrl: config.nationalPlatformUrl,
    appId: config.nationalAppId,
    clientKey,
    platformKeys: loadPinnedPlatformKeys(config.nationalPlatformKeysFile),
    clock,
    logger,
  });
}
