// Group commit for a hot write (issue 12): requests that arrive while a transaction of the same kind is
// being written wait and go together in the next one. At low load a batch is one request and nothing
// waits; at 8 a.m. fifty concurrent scans share one START … COMMIT, one multi-row audit INSERT and one
// crowd count per point instead of fifty of each — the round trips and the commits were the scan's cost.
//
// Each request is still all or nothing (H3): its answer comes only after the batch committed, and a
// batch that fails rolls back whole. A batch that fails for a reason of its own (not the database being
// unreachable) is written again one request at a time, so one bad request never fails the others.
//
// A database that stops answering must not make requests pile up without end (`limits`): a request finds
// at most `maxQueue` others waiting or is refused at once (DatabaseBusyError), one that waits `maxWaitMs`
// without its batch starting is refused and never written, and one whose batch has not reached its COMMIT
// after `maxWaitMs` more gets its 503 (DatabaseTimeoutError) and its batch rolls back — a request answered
// 503 is never written. A batch stalled in its COMMIT waits for the COMMIT's outcome.
import { DatabaseBusyError, DatabaseTimeoutError, isDatabaseUnavailable } from './connectionErrors';

export interface GroupCommit<J, R> {
  submit(job: J): Promise<R>;
}

export interface GroupCommitLimits {
  /** requests waiting for the next batch beyond which a request is refused at once */
  maxQueue: number;
  /** how long a request waits for its batch to start, and then for it to end */
  maxWaitMs: number;
}

/**
 * `write(jobs, committing)` writes a batch in one transaction and returns one result per job, in order;
 * it calls `committing()` last thing before its COMMIT (it throws when the batch's requests have already
 * been answered 503, and the transaction must then roll back). At most `maxBatch` jobs go in one transaction.
 */
export function groupCommit<J, R>(write: (jobs: J[], committing: () => void) => Promise<R[]>, limits: GroupCommitLimits, maxBatch = 64): GroupCommit<J, R> {
  /** gone: answered by a deadline (503) — never written after that */
  type Waiting = { job: J; resolve: (r: R) => void; reject: (e: unknown) => void; timer: NodeJS.Timeout | null; gone: boolean };
  let queue: Waiting[] = [];
  let writing = false;

  /**
   * Writes a batch. Its requests get a 503 when it has not reached its COMMIT after maxWaitMs, and the
   * batch is then abandoned: `committing()`, called by the write just before it commits, throws, so the
   * transaction rolls back — a request answered 503 is never written. Once the write has reached its COMMIT
   * the deadline no longer answers: the COMMIT's outcome does. The writer waits for the write itself to end
   * (the statement deadlines of hotSql.ts end a stalled transaction's connection), so a process never has
   * more than one batch transaction in flight, however long the database stalls.
   */
  const attempt = async (ws: Waiting[]): Promise<R[]> => {
    let state: 'writing' | 'committing' | 'abandoned' = 'writing';
    const timer = setTimeout(() => {
      if (state === 'committing') return;
      state = 'abandoned';
      for (const w of ws) {
        w.gone = true;
        w.reject(new DatabaseTimeoutError(limits.maxWaitMs));
      }
    }, limits.maxWaitMs);
    const committing = () => {
      if (state === 'abandoned') throw new DatabaseTimeoutError(limits.maxWaitMs);
      state = 'committing';
    };
    try {
      return await write(
        ws.map((w) => w.job),
        committing,
      );
    } finally {
      clearTimeout(timer);
    }
  };

  const settle = async (batch: Waiting[]) => {
    try {
      const results = await attempt(batch);
      batch.forEach((w, i) => w.resolve(results[i]));
    } catch (e) {
      if (batch.length === 1 || isDatabaseUnavailable(e)) {
        for (const w of batch) w.reject(e);
        return;
      }
      // one request's own failure must not fail the rest: each alone, in its own transaction (not one
      // already answered 503 by its deadline: it must not be written after that answer)
      for (const w of batch.filter((x) => !x.gone)) {
        try {
          w.resolve((await attempt([w]))[0]);
        } catch (err) {
          w.reject(err);
        }
      }
    }
  };

  const drain = async () => {
    writing = true;
    try {
      for (;;) {
        queue = queue.filter((w) => !w.gone);
        if (!queue.length) break;
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        for (const w of batch) clearTimeout(w.timer!);
        await settle(batch);
      }
    } finally {
      writing = false;
    }
  };

  return {
    submit(job: J): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        if (queue.length >= limits.maxQueue) return reject(new DatabaseBusyError('group commit'));
        const w: Waiting = { job, resolve, reject, timer: null, gone: false };
        // still waiting when the time is up: refused, and left out of every batch
        w.timer = setTimeout(() => {
          w.gone = true;
          reject(new DatabaseTimeoutError(limits.maxWaitMs));
        }, limits.maxWaitMs);
        queue.push(w);
        if (!writing) void drain();
      });
    },
  };
}
