// Builds the dependencies from configuration: database (migrated), key ring, cipher, logger.
import { systemClock, type Clock } from './clock';
import { loadConfig, type Config } from './config';
import { migrate, openDatabase } from './db/database';
import { PiiCipher } from './db/pii';
import type { Deps } from './deps';
import { loadKeyRing } from './integrations/signingKeys';
import { createLogger, type Logger } from './logger';
import { loadAreas } from './services/areaService';

export async function bootstrap(opts: { config?: Config; clock?: Clock; logger?: Logger } = {}): Promise<Deps> {
  const config = opts.config ?? loadConfig();
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createLogger(config.logLevel);
  const db = openDatabase(config.databaseUrl, logger);
  await migrate(db, config.databaseUrl, logger);
  await loadAreas(db);
  const keyRing = loadKeyRing(config.codeSigningKeysFile, { createIfMissing: config.createSigningKeys, now: clock.now() });
  const pii = new PiiCipher(config.piiEncryptionKey, config.piiHashKey);
  return { config, db, logger, clock, pii, keyRing };
}
