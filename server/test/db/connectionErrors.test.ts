// What counts as "the database is unavailable" (503, never 500): the errors are made for real here.
import mysql from 'mysql2';
import { Sequelize } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/db/connectionErrors';

describe('isDatabaseUnavailable', () => {
  it('is true for a query after Sequelize closed its pool (a request still running at shutdown)', async () => {
    const s = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
    await s.query('SELECT 1');
    await s.close();
    const e = await s.query('SELECT 1').catch((err: unknown) => err);
    expect((e as Error).message).toMatch(/connection manager was closed/);
    expect(isDatabaseUnavailable(e)).toBe(true);
  });

  it("is true for mysql2's pool after end() and for a refused connection", async () => {
    const pool = mysql.createPool({ host: '127.0.0.1', port: 1, connectTimeout: 1000 });
    const refused = await new Promise((r) => pool.query('SELECT 1', (err) => r(err)));
    expect(isDatabaseUnavailable(refused)).toBe(true);
    await new Promise((r) => pool.end(r));
    const closed = await new Promise((r) => pool.query('SELECT 1', (err) => r(err)));
    expect((closed as Error).message).toBe('Pool is closed.');
    expect(isDatabaseUnavailable(closed)).toBe(true);
  });

  it('is false for a bad query and for a client that went away', async () => {
    const s = new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false });
    const bad = await s.query('SELECT * FROM no_such_table').catch((err: unknown) => err);
    expect(isDatabaseUnavailable(bad)).toBe(false);
    await s.close();
    expect(isDatabaseUnavailable(Object.assign(new Error('aborted'), { code: 'ECONNABORTED' }))).toBe(false);
  });
});
