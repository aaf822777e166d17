import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// One runner for every workspace. Server suites open a real database each (SQLite temp file by
// default, a fresh MySQL/MariaDB database per file when DATABASE_URL is mysql://).
const include = ['common/test/**/*.test.ts', 'server/test/**/*.test.ts'];

/**
 * TEST_DATABASE_ONLY=1 (CI's second pass, on MariaDB): only the files that open a database — the pure
 * ones (domain rules, parsers, OCR, signing) already ran in the first pass and give the same answer on
 * any database. A file counts as opening one when it uses the test context or a database helper.
 */
function databaseFiles(): string[] {
  const uses = /createTestContext|TEST_MYSQL_URL|createMysqlDatabase|openDatabase|createDatabase/;
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.test.ts') && uses.test(readFileSync(p, 'utf8'))) out.push(p.split(path.sep).join('/'));
    }
  };
  walk('server/test');
  return out;
}

export default defineConfig({
  test: {
    include: process.env.TEST_DATABASE_ONLY === '1' ? databaseFiles() : include,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one on CI's two. Most suites wait on a database
    // more than they compute, so two run side by side (CI's passes: ~6 → ~4 min each).
    maxWorkers: 2,
  },
});
