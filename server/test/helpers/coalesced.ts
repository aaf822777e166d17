// Coalesced reads in tests (issue 12): a reader's first statement held open until a number of reads wait for
// it, so that they share the next statement however the requests happen to arrive.
import type { TestContext } from './context';

/**
 * Runs `fn` with the first hot statement whose text contains `marker` held (after it has read the database)
 * until reader `name` has been asked for `reads` more reads than before `fn`; then restores the hot path.
 */
export async function withFirstStatementHeld<T>(ctx: TestContext, name: string, marker: string, reads: number, fn: () => Promise<T>): Promise<T> {
  const { db } = ctx.deps;
  const { hot } = db;
  const readsSoFar = () => db.coalescedStats()[name]?.reads ?? 0;
  const before = readsSoFar();
  const select = hot.select.bind(hot);
  let held = false;
  hot.select = (async (sql: string, params: readonly unknown[]) => {
    const rows = await select(sql, params);
    if (sql.includes(marker) && !held) {
      held = true;
      while (readsSoFar() < before + reads) await new Promise((r) => setTimeout(r, 5));
    }
    return rows;
  }) as typeof hot.select;
  try {
    return await fn();
  } finally {
    hot.select = select;
  }
}
