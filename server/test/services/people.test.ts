// resolvePeople when two requests make the same new person at the same moment (a double tap on L4 confirm,
// two gates scanning one national code, two applicants for one family member): the second meets the first's
// row on uk_people_id_hash and uses it — the first's name and number kept — instead of failing with a
// duplicate key (a 500). On MariaDB the second really waits inside the database for the first's row; on
// SQLite the process's writers take turns, so the second finds it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityHash, resolvePeople, type Identity } from '../../src/services/peopleService';
import { createTestContext, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/people';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
});
afterAll(() => ctx.close());

/** Transactions of this database waiting for a lock (MariaDB; 0 on SQLite). */
async function lockWaits(): Promise<number> {
  if (ctx.deps.db.dialect !== 'mysql') return 0;
  const [rows] = await ctx.deps.db.sequelize.query("SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'");
  return Number((rows as { n: number | string }[])[0].n);
}

describe('resolvePeople: one new person made by two transactions at once', () => {
  it('gives both the same person, keeps the first one\'s name, and makes the others the second asked for', async () => {
    const a: Identity = { idType: 'resident_id', idNumber: residentId('350102', '19800101', 601), country: null, name: '先到' };
    const b: Identity = { idType: 'resident_id', idNumber: residentId('350102', '19810101', 602), country: null, name: '另一人' };
    const { sequelize, models } = ctx.deps.db;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let made!: () => void;
    const firstMade = new Promise<void>((r) => (made = r));
    // the first makes A and holds its transaction open
    const first = sequelize.transaction(async (transaction) => {
      const ids = await resolvePeople(ctx.deps, [a], transaction);
      made();
      await gate;
      return ids;
    });
    await firstMade;
    // the second asks for A (another name) and B while A is not yet committed
    const second = sequelize.transaction((transaction) => resolvePeople(ctx.deps, [{ ...a, name: '后到' }, b], transaction));
    try {
      if (ctx.deps.db.dialect === 'mysql') {
        // (InnoDB refreshes INNODB_TRX at most every 0.1 s)
        for (let i = 0; i < 25 && (await lockWaits()) === 0; i++) await new Promise((r) => setTimeout(r, 200));
        expect(await lockWaits()).toBe(1);
      }
    } finally {
      release();
    }
    const [one, two] = await Promise.all([first, second]);
    const ha = identityHash(ctx.deps, a);
    const hb = identityHash(ctx.deps, b);
    expect(two.get(ha)).toBe(one.get(ha));
    const rows = (await models.Person.findAll({ where: { idHash: [ha, hb] }, attributes: ['id', 'idHash', 'name'], raw: true })) as unknown as { id: number; idHash: string; name: string }[];
    expect(rows.map((r) => ({ id: Number(r.id), name: r.name })).sort((x, y) => x.id - y.id)).toEqual([
      { id: one.get(ha), name: '先到' },
      { id: two.get(hb), name: '另一人' },
    ]);
    expect(ctx.deps.pii.decrypt(((await models.Person.findByPk(one.get(ha)!, { attributes: ['idNumberEnc'], raw: true })) as unknown as { idNumberEnc: string }).idNumberEnc)).toBe(a.idNumber);
  });
});
