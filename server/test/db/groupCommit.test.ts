// The group commit of hot writes (db/groupCommit.ts, issue 12): concurrent jobs share a batch, each gets
// its own result, and a failure is contained the way H3 needs it.
import { describe, expect, it } from 'vitest';
import { DatabaseBusyError, DatabaseTimeoutError, isDatabaseUnavailable } from '../../src/db/connectionErrors';
import { groupCommit } from '../../src/db/groupCommit';

const tick = () => new Promise((r) => setTimeout(r, 5));
/** roomy limits: these tests are not about them */
const LIMITS = { maxQueue: 1000, maxWaitMs: 60_000 };

describe('groupCommit', () => {
  it('writes the first job at once, and those arriving meanwhile together in the next batch, each with its own result', async () => {
    const batches: number[][] = [];
    const g = groupCommit(async (jobs: number[]) => {
      batches.push(jobs);
      await tick();
      return jobs.map((j) => j * 10);
    }, LIMITS);
    const results = await Promise.all([1, 2, 3, 4, 5].map((j) => g.submit(j)));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
    // idle again: the next job is not held back
    expect(await g.submit(6)).toBe(60);
    expect(batches.at(-1)).toEqual([6]);
  });

  it('keeps a batch to maxBatch jobs', async () => {
    const batches: number[][] = [];
    const g = groupCommit(async (jobs: number[]) => (batches.push(jobs), await tick(), jobs), LIMITS, 2);
    await Promise.all([1, 2, 3, 4, 5, 6].map((j) => g.submit(j)));
    expect(batches).toEqual([[1], [2, 3], [4, 5], [6]]);
  });

  it('writes a failed batch again one job at a time, so only the bad job fails', async () => {
    const batches: number[][] = [];
    const g = groupCommit(async (jobs: number[]) => {
      batches.push(jobs);
      await tick();
      if (jobs.includes(3)) throw new Error('job 3 violates a constraint');
      return jobs;
    }, LIMITS);
    const settled = await Promise.allSettled([1, 2, 3, 4].map((j) => g.submit(j)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((settled[2] as PromiseRejectedResult).reason.message).toBe('job 3 violates a constraint');
    expect(batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('fails the whole batch at once when the database is unreachable (no retry one by one)', async () => {
    const batches: number[][] = [];
    const lost = Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST' });
    const g = groupCommit(async (jobs: number[]) => {
      batches.push(jobs);
      await tick();
      if (jobs.length > 1) throw lost;
      return jobs;
    }, LIMITS);
    const settled = await Promise.allSettled([1, 2, 3].map((j) => g.submit(j)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  describe('a database that stops answering', () => {
    /** a write that never ends until released, like a transaction on a stalled database */
    function stalled() {
      const batches: number[][] = [];
      let release: () => void = () => {};
      const gate = new Promise<void>((r) => (release = r));
      const write = async (jobs: number[]) => {
        batches.push(jobs);
        await gate;
        return jobs;
      };
      return { batches, write, release: () => release() };
    }

    it('refuses a request at once when maxQueue others already wait, and never writes it', async () => {
      const s = stalled();
      const g = groupCommit(s.write, { maxQueue: 2, maxWaitMs: 60_000 });
      const first = g.submit(1); // the batch being written
      const waiting = [g.submit(2), g.submit(3)];
      const refused = await g.submit(4).then(() => null, (e: unknown) => e);
      expect(refused).toBeInstanceOf(DatabaseBusyError);
      expect(isDatabaseUnavailable(refused)).toBe(true);
      s.release();
      expect(await Promise.all([first, ...waiting])).toEqual([1, 2, 3]);
      expect(s.batches).toEqual([[1], [2, 3]]);
    });

    it('refuses a request whose batch has not started after maxWaitMs, and leaves it out of every batch', async () => {
      const s = stalled();
      const g = groupCommit(s.write, { maxQueue: 10, maxWaitMs: 60 });
      const first = g.submit(1).then((r) => r, (e: unknown) => e);
      const late = await g.submit(2).then(() => null, (e: unknown) => e);
      expect(late).toBeInstanceOf(DatabaseTimeoutError);
      expect(isDatabaseUnavailable(late)).toBe(true);
      // the batch in the write has its own deadline
      expect(await first).toBeInstanceOf(DatabaseTimeoutError);
      s.release();
      await tick();
      expect(s.batches).toEqual([[1]]);
      // the queue is usable again, and job 2 was never written
      const after = groupCommit(async (jobs: number[]) => jobs, { maxQueue: 10, maxWaitMs: 60 });
      expect(await after.submit(3)).toBe(3);
      expect(await g.submit(5)).toBe(5);
      expect(s.batches).toEqual([[1], [5]]);
    });

    it('does not write again, one at a time, the requests of a batch that failed after they were answered 503', async () => {
      const batches: number[][] = [];
      const g = groupCommit(async (jobs: number[]) => {
        batches.push(jobs);
        await new Promise((r) => setTimeout(r, jobs.length > 1 ? 120 : 0));
        if (jobs.length > 1) throw new Error('a constraint, found after the deadline');
        return jobs;
      }, { maxQueue: 10, maxWaitMs: 60 });
      const first = g.submit(1);
      const settled = await Promise.allSettled([g.submit(2), g.submit(3)]);
      expect(await first).toBe(1);
      expect(settled.map((x) => (x.status === 'rejected' ? x.reason.constructor.name : 'written'))).toEqual(['DatabaseTimeoutError', 'DatabaseTimeoutError']);
      await new Promise((r) => setTimeout(r, 150));
      expect(batches).toEqual([[1], [2, 3]]);
    });

    it('rolls back a batch answered 503 before its COMMIT; a batch already committing is answered by its COMMIT', async () => {
      const outcomes: string[] = [];
      let release: () => void = () => {};
      const gate = new Promise<void>((r) => (release = r));
      const g = groupCommit(async (jobs: number[], committing) => {
        await gate; // stalled mid-transaction past the deadline
        try {
          committing();
        } catch (e) {
          outcomes.push('rolled back');
          throw e;
        }
        outcomes.push('committed');
        return jobs;
      }, { maxQueue: 10, maxWaitMs: 50 });
      expect(await g.submit(1).then(() => 'written', (e: unknown) => (e as Error).constructor.name)).toBe('DatabaseTimeoutError');
      release();
      await tick();
      expect(outcomes).toEqual(['rolled back']);

      const slowCommit = groupCommit(async (jobs: number[], committing) => {
        committing();
        await new Promise((r) => setTimeout(r, 120)); // the COMMIT outlives the deadline
        return jobs.map((j) => j * 2);
      }, { maxQueue: 10, maxWaitMs: 50 });
      expect(await slowCommit.submit(4)).toBe(8);
    });
  });
});
