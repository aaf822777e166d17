// Everything a service needs, built once at start-up (or per test) and passed down.
import type { Redis } from 'ioredis';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Database } from './db/database';
import type { PiiCipher } from './db/pii';
import type { CaRoot } from './integrations/ca';
import type { FaceCheckProvider } from './integrations/faceCheck';
import type { HostRegistry } from './integrations/hostIdentity';
import type { NationalPlatform } from './integrations/nationalPlatform';
import type { IdCardOcr } from './integrations/ocr';
import type { KeyRing } from './integrations/signingKeys';
import type { SmsSender } from './integrations/sms';
import type { Logger } from './logger';

export interface Deps {
  config: Config;
  db: Database;
  logger: Logger;
  clock: Clock;
  pii: PiiCipher;
  keyRing: KeyRing;
  sms: SmsSender;
  faceCheck: FaceCheckProvider;
  /** Reads ID numbers from ID-card photos (scanner, F3); its worker starts on first use. */
  ocr: IdCardOcr;
  /** The CA that issues enterprise certificates (CA login, E1); null when not configured. */
  ca: CaRoot | null;
  /** The national government service platform (B1–B3, H6): origin passes, national codes, corrections. */
  national: NationalPlatform;
  /** Host super-apps whose sign-in tickets are accepted (H7); empty when none is configured. */
  hosts: HostRegistry;
  /** Redis when REDIS_URL is set (shared counters); null: the database keeps them. */
  redis: Redis | null;
}
