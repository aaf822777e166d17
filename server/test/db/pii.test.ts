// Personal data at rest (H3): AES-256-GCM with a random IV (the same number never gives the same text),
// authenticated (a changed byte is refused, never a wrong number), keyed look-up hashes (another key gives
// another hash: a stolen table is no dictionary), and no table of a real database holds a number in clear.
import { randomBytes } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { PiiCipher } from '../../src/db/pii';
import { citizenWithCode } from '../helpers/citizen';
import { createTestContext } from '../helpers/context';
import { residentId } from '../helpers/people';

const cipher = () => new PiiCipher(randomBytes(32), randomBytes(32));

describe('PiiCipher', () => {
  it('round-trips, and never gives the same ciphertext twice', () => {
    const c = cipher();
    const a = c.encrypt('350102199001010075');
    const b = c.encrypt('350102199001010075');
    expect(a).not.toBe(b);
    expect(c.decrypt(a)).toBe('350102199001010075');
    expect(a).not.toContain('350102');
  });

  it('refuses a changed byte and another key', () => {
    const c = cipher();
    const stored = c.encrypt('13800000000');
    const raw = Buffer.from(stored.slice(3), 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => c.decrypt(`v1:${raw.toString('base64')}`)).toThrow();
    expect(() => cipher().decrypt(stored)).toThrow();
    expect(() => c.decrypt('v0:AAAA')).toThrow('unknown PII ciphertext version');
  });

  it('hashes with its key: deterministic for one key, different across keys', () => {
    const c = cipher();
    expect(c.hash('13800000000')).toBe(c.hash('13800000000'));
    expect(c.hash('13800000000')).not.toBe(cipher().hash('13800000000'));
    expect(c.hash('13800000000')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses keys of the wrong size', () => {
    expect(() => new PiiCipher(randomBytes(16), randomBytes(32))).toThrow('32 bytes');
    expect(() => new PiiCipher(randomBytes(32), randomBytes(16))).toThrow('at least 32 bytes');
  });
});

describe('at rest in a real database', () => {
  it('no column of any table holds the citizen\'s ID number or phone in clear', async () => {
    const ctx = await createTestContext();
    try {
      const idNumber = residentId('350102', '19900101', 993);
      await citizenWithCode(ctx, '13800009933', idNumber, '静态数据');
      const q = ctx.deps.db.sequelize;
      const tables =
        ctx.deps.db.dialect === 'mysql'
          ? ((await q.query('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()', { type: QueryTypes.SELECT })) as { t: string }[])
          : ((await q.query("SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", { type: QueryTypes.SELECT })) as { t: string }[]);
      let rows = 0;
      for (const { t } of tables) {
        const all = (await q.query(`SELECT * FROM ${t}`, { type: QueryTypes.SELECT })) as Record<string, unknown>[];
        rows += all.length;
        const text = JSON.stringify(all);
        expect(text, t).not.toContain(idNumber);
        expect(text, t).not.toContain('13800009933');
      }
      expect(rows).toBeGreaterThan(5);
    } finally {
      await ctx.close();
    }
  });
});
