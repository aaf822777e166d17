import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

const dir = () => mkdtempSync(path.join(tmpdir(), 'bamin-config-'));

describe('configuration', () => {
  it('stops the boot with a message naming a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATA_DIR: dir() })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty', DATA_DIR: dir() })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x', DATA_DIR: dir() })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ DB_STATEMENT_TIMEOUT_MS: '50', DATA_DIR: dir() })).toThrow(/DB_STATEMENT_TIMEOUT_MS/);
    expect(() => loadConfig({ DB_QUEUE_LIMIT: '0', DATA_DIR: dir() })).toThrow(/DB_QUEUE_LIMIT/);
    // unset: the defaults a stalled database is met with
    expect(loadConfig({ DATA_DIR: dir() }).databaseLimits).toEqual({ statementTimeoutMs: 5000, queueLimit: 1000 });
  });

  it('requires every secret on MySQL (no defaults for secrets)', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1/x', DATA_DIR: dir() })).toThrow(
      /SOURCE_TOKEN, PII_ENCRYPTION_KEY, PII_HASH_KEY, CODE_SIGNING_KEYS_FILE/,
    );
  });

  it('generates development secrets once on the SQLite default, and reuses them', () => {
    const d = dir();
    const a = loadConfig({ DATA_DIR: d });
    const b = loadConfig({ DATA_DIR: d });
    expect(a.dialect).toBe('sqlite');
    expect(a.sourceToken).toBe(b.sourceToken);
    expect(a.piiEncryptionKey.equals(b.piiEncryptionKey)).toBe(true);
    expect(a.databaseUrl).toBe(`sqlite:${path.join(d, 'bamin.sqlite')}`);
  });
});
