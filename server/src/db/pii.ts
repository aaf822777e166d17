// Personal data at rest (H3): ID numbers and phones are stored AES-256-GCM encrypted and found by a
// keyed hash (HMAC-SHA256) of the normalised value, so a stolen table yields neither numbers nor a
// dictionary-attackable digest.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class PiiCipher {
  constructor(
    private readonly encKey: Buffer,
    private readonly hashKey: Buffer,
  ) {
    if (encKey.length !== 32) throw new Error('PII encryption key must be 32 bytes');
    if (hashKey.length < 32) throw new Error('PII hash key must be at least 32 bytes');
  }

  /** `v1:` + base64(iv 12 | tag 16 | ciphertext). */
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `${VERSION}:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
  }

  decrypt(stored: string): string {
    const [v, b64] = stored.split(':', 2);
    if (v !== VERSION || !b64) throw new Error('unknown PII ciphertext version');
    const raw = Buffer.from(b64, 'base64');
    const d = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  }

  /** Hex HMAC of an already normalised value (see `identityKey` / `checkMobile`). */
  hash(normalized: string): string {
    return createHmac('sha256', this.hashKey).update(normalized, 'utf8').digest('hex');
  }
}
