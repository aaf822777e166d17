// On MySQL/MariaDB: the sql/ migrations and the Sequelize models describe the same schema, column by
// column and index by index. (SQLite builds its tables from the models, so there is nothing to compare.)
import mysql from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { applySqlMigrations, openDatabase } from '../../src/db/database';
import { createMysqlDatabase, TEST_MYSQL_URL } from '../helpers/context';

type Shape = { columns: Record<string, string>; indexes: Record<string, string> };

async function describeSchema(url: string): Promise<Record<string, Shape>> {
  const conn = await mysql.createConnection({ uri: url });
  const db = new URL(url).pathname.slice(1);
  const [cols] = await conn.query(
    'SELECT TABLE_NAME t, COLUMN_NAME c, COLUMN_TYPE ty, IS_NULLABLE n, COLUMN_DEFAULT d, EXTRA e FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION',
    [db],
  );
  const [idx] = await conn.query(
    'SELECT TABLE_NAME t, INDEX_NAME i, NON_UNIQUE u, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) cs FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE',
    [db],
  );
  await conn.end();
  const out: Record<string, Shape> = {};
  const of = (t: string) => (out[t] ??= { columns: {}, indexes: {} });
  for (const c of cols as { t: string; c: string; ty: string; n: string; d: string | null; e: string }[]) {
    // MariaDB reports an unquoted default of a number and a quoted one of a string the same way for both
    const def = c.d == null || c.d === 'NULL' ? '' : ` default ${String(c.d).replace(/^'(.*)'$/, '$1')}`;
    of(c.t).columns[c.c] = `${c.ty.replace(/^(bigint|int)\(\d+\)/, '$1')} ${c.n === 'YES' ? 'null' : 'not null'}${def}${c.e ? ` ${c.e}` : ''}`;
  }
  for (const i of idx as { t: string; i: string; u: number; cs: string }[]) of(i.t).indexes[i.i] = `${Number(i.u) ? '' : 'unique '}(${i.cs})`;
  return out;
}

describe.skipIf(!TEST_MYSQL_URL)('schema: sql/ migrations = Sequelize models (MariaDB)', () => {
  it('has the same tables, columns, types, nullability, defaults and indexes', async () => {
    const fromSql = await createMysqlDatabase(TEST_MYSQL_URL!);
    const fromModels = await createMysqlDatabase(TEST_MYSQL_URL!);
    try {
      const applied = await applySqlMigrations(fromSql.url);
      expect(applied[0]).toBe('001_init.sql');
      expect(await applySqlMigrations(fromSql.url)).toEqual([]); // idempotent
      const db = openDatabase(fromModels.url);
      await db.sequelize.sync();
      await db.close();
      const a = await describeSchema(fromSql.url);
      delete a.schema_migrations;
      const b = await describeSchema(fromModels.url);
      expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
      expect(Object.keys(b.people.columns)).toContain('id_hash');
      expect(b.people.indexes.uk_people_id_hash).toBe('unique (id_hash)');
      for (const table of Object.keys(b)) expect({ table, ...a[table] }).toEqual({ table, ...b[table] });
    } finally {
      await fromSql.drop();
      await fromModels.drop();
    }
  });
});
