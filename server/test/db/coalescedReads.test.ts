// The coalesced reads' scheduling (issue 12), with a statement the test holds open: what goes in which
// statement, how keys and rows are matched, the batches' bounds. The same reader over the real databases is tested
// through the code page in server/test/api/codePage.test.ts.
import { describe, expect, it } from 'vitest';
import { coalescedRead } from '../../src/db/coalescedReads';

type Row = { k: string; v: number };

/** A statement source whose statements stay open until the test ends them. */
function heldStatements() {
  const calls: { sql: string; params: readonly unknown[]; answer(rows: Row[]): void; fail(e: unknown): void }[] = [];
  const select = (sql: string, params: readonly unknown[]) =>
    new Promise<Row[]>((resolve, reject) => {
      calls.push({ sql, params, answer: resolve, fail: reject });
    });
  return { calls, select };
}

const tick = () => new Promise((r) => setImmediate(r));

/** The rows a statement over keys answers: two rows for a key starting with "two", none for "none…". */
const rowsFor = (keys: readonly unknown[]) =>
  [...new Set(keys as string[])].flatMap((k) => (k.startsWith('none') ? [] : k.startsWith('two') ? [{ k, v: 1 }, { k, v: 2 }] : [{ k, v: 1 }]));

describe('coalescedRead', () => {
  it('runs a read alone at once, and the reads asked for meanwhile together in the next statement, each with its own rows', async () => {
    const db = heldStatements();
    const r = coalescedRead<Row>({ select: db.select, sql: (l) => `S (${l})`, keyOf: (row) => row.k });
    const a = r.load('a', [7]);
    await tick();
    expect(db.calls.map((c) => c.sql)).toEqual(['S (?)']);
    expect(db.calls[0].params).toEqual([7, 'a']);
    // asked for while the first statement runs: not in it, but all in the next
    const later = [r.load('b', [7]), r.load('two-c', [7]), r.load('none-d', [7]), r.load('b', [7])];
    await tick();
    expect(db.calls).toHaveLength(1);
    db.calls[0].answer(rowsFor(['a']));
    expect(await a).toEqual([{ k: 'a', v: 1 }]);
    await tick();
    expect(db.calls).toHaveLength(2);
    // three distinct keys, padded to four with the last one (a statement has few texts)
    expect(db.calls[1].sql).toBe('S (?, ?, ?, ?)');
    expect(db.calls[1].params).toEqual([7, 'b', 'two-c', 'none-d', 'none-d']);
    db.calls[1].answer(rowsFor(db.calls[1].params.slice(1)));
    expect(await Promise.all(later)).toEqual([[{ k: 'b', v: 1 }], [{ k: 'two-c', v: 1 }, { k: 'two-c', v: 2 }], [], [{ k: 'b', v: 1 }]]);
    expect(r.stats).toEqual({ statements: 2, reads: 5 });
  });

  it('never mixes reads of different parameters in one statement', async () => {
    const db = heldStatements();
    const r = coalescedRead<Row>({ select: db.select, sql: (l) => `S (${l})`, keyOf: (row) => row.k });
    const first = r.load('a', ['2026-03-15']);
    const day1 = r.load('b', ['2026-03-15']);
    const day2 = r.load('c', ['2026-03-16']);
    await tick();
    db.calls[0].answer(rowsFor(['a']));
    await first;
    await tick();
    expect(db.calls[1].params).toEqual(['2026-03-15', 'b']);
    db.calls[1].answer(rowsFor(['b']));
    await day1;
    await tick();
    expect(db.calls[2].params).toEqual(['2026-03-16', 'c']);
    db.calls[2].answer(rowsFor(['c']));
    expect(await day2).toEqual([{ k: 'c', v: 1 }]);
  });

  it('starts a further statement at once when a full batch waits, at most maxBatch keys each', async () => {
    const db = heldStatements();
    const r = coalescedRead<Row>({ select: db.select, sql: (l) => `S (${l})`, keyOf: (row) => row.k, maxBatch: 4 });
    const reads = Array.from({ length: 10 }, (_, i) => r.load(`k${i}`, []));
    await tick();
    // k0 alone (nothing was running), k1–k4 and k5–k8 as soon as four waited; k9 waits for a statement to end
    expect(db.calls.map((c) => c.params)).toEqual([['k0'], ['k1', 'k2', 'k3', 'k4'], ['k5', 'k6', 'k7', 'k8']]);
    db.calls[1].answer(rowsFor(db.calls[1].params));
    await tick();
    expect(db.calls[3].params).toEqual(['k9']);
    for (const c of [db.calls[0], db.calls[2], db.calls[3]]) c.answer(rowsFor(c.params));
    expect((await Promise.all(reads)).map((rows) => rows[0].k)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9']);
  });

  it("fails a failed statement's reads only, and goes on with the next", async () => {
    const db = heldStatements();
    const r = coalescedRead<Row>({ select: db.select, sql: (l) => `S (${l})`, keyOf: (row) => row.k });
    const a = r.load('a', []);
    const b = r.load('b', []);
    await tick();
    db.calls[0].fail(new Error('connection lost'));
    await expect(a).rejects.toThrow('connection lost');
    await tick();
    db.calls[1].answer(rowsFor(['b']));
    expect(await b).toEqual([{ k: 'b', v: 1 }]);
  });
});
