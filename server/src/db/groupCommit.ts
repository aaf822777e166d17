// Group commit for a hot write (issue 12): requests that arrive while a transaction of the same kind is
// being written wait and go together in the next one. At low load a batch is one request and nothing
// waits; at 8 a.m. fifty concurrent scans share one START … COMMIT, one multi-row audit INSERT and one
// crowd count per point instead of fifty of each — the round trips and the commits were the scan's cost.
//
// Each request is still all or nothing (H3): its answer comes only after the batch committed, and a
// batch that fails rolls back whole. A batch that fails for a reason of its own (not the database being
// unreachable) is written again one request at a time, so one bad request never fails the others.
import { isDatabaseUnavailable } from './connectionErrors';

export interface GroupCommit<J, R> {
  submit(job: J): Promise<R>;
}

/**
 * `write(jobs)` writes a batch in one transaction and returns one result per job, in order.
 * At most `maxBatch` jobs go in one transaction.
 */
export function groupCommit<J, R>(write: (jobs: J[]) => Promise<R[]>, maxBatch = 64): GroupCommit<J, R> {
  type Waiting = { job: J; resolve: (r: R) => void; reject: (e: unknown) => void };
  let queue: Waiting[] = [];
  let writing = false;

  const settle = async (batch: Waiting[]) => {
    try {
      const results = await write(batch.map((w) => w.job));
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (e) {
      if (batch.length === 1 || isDatabaseUnavailable(e)) {
        for (const w of batch) w.reject(e);
        return;
      }
      // one request's own failure must not fail the rest: each alone, in its own transaction
      for (const w of batch) {
        try {
          w.resolve((await write([w.job]))[0]);
        } catch (err) {
          w.reject(err);
        }
      }
    }
  };

  const drain = async () => {
    writing = true;
    try {
      while (queue.length) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        await settle(batch);
      }
    } finally {
      writing = false;
    }
  };

  return {
    submit(job: J): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        queue.push({ job, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}
