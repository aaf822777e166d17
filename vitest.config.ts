import { defineConfig } from 'vitest/config';

// One runner for every workspace. Server suites open a real database each (SQLite temp file by
// default, a fresh MySQL/MariaDB database per file when DATABASE_URL is mysql://).
export default defineConfig({
  test: {
    include: ['common/test/**/*.test.ts', 'server/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
