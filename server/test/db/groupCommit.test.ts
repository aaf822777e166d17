// The group commit of hot writes (db/groupCommit.ts, issue 12): concurrent jobs share a batch, each gets
// its own result, and a failure is contained the way H3 needs it.
import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../src/db/groupCommit';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('groupCommit', () => {
  it('writes the first job at once, and those arriving meanwhile together in the next batch, each with its own result', async () => {
    const batches: number[][] = [];
    const g = groupCommit(async (jobs: number[]) => {
      batches.push(jobs);
      await tick();
      return jobs.map((j) => j * 10);
    });
    const results = await Promise.all([1, 2, 3, 4, 5].map((j) => g.submit(j)));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
    // idle again: the next job is not held back
    expect(await g.submit(6)).toBe(60);
    expect(batches.at(-1)).toEqual([6]);
  });

  it('keeps a batch to maxBatch jobs', async () => {
    const batches: number[][] = [];
    const g = groupCommit(async (jobs: number[]) => (batches.push(jobs), await tick(), jobs), 2);
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
    });
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
    });
    const settled = await Promise.allSettled([1, 2, 3].map((j) => g.submit(j)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(batches).toEqual([[1], [2, 3]]);
  });
});
