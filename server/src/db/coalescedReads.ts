// Coalesced reads for the hot paths (issue 12): the same statement asked for by many requests at once goes
// to the database once, for all of them, as one `IN (…)` list. Measured on MariaDB with the code page's
// statement (session, user, person, decision, revocation, origin, arrivals, tests): alone, 163 µs of
// database CPU and 83–104 µs of server CPU per request; sixteen in one statement, 24 µs and 8–11 µs each —
// the cost of a statement is mostly its own (round trip, parsing, column definitions), not its rows'.
//
// A read asked for while no statement of its reader is running goes at once, alone (no wait at low load).
// One asked for while a statement runs waits for it to end and goes, with every read asked for meanwhile,
// in the next statement. So every read is answered by a statement that started after it was asked for: it
// sees every write committed before it was asked, exactly as a statement of its own would (a session
// signed out, a colour changed a millisecond earlier). Nothing is cached.
//
// Bounds: at most `maxBatch` keys per statement, and a full batch waiting starts its statement at once (so a
// slow database does not cap the throughput): fewer than `maxBatch` reads ever wait here. The statements go
// to the hot pool, whose connections and queue are bounded (hotSql.ts: a statement past its queue is
// refused at once, 503, with its batch's reads), and each has its deadline there; a read waits at most for
// the statement in flight and then its own. A limit of its own here would refuse a healthy burst (a queue
// of five, say) that one statement answers.

export interface CoalescedRead<R> {
  /** The rows of `key`, read with `params` (the statement's parameters before its IN list). */
  load(key: string, params: readonly unknown[]): Promise<R[]>;
  /** statements run and reads answered since the start (tests and benchmarks read them) */
  readonly stats: { statements: number; reads: number };
}

export interface CoalescedReadOptions<R> {
  /** runs the statement; `sql` has the IN list of `keys.length` placeholders, the keys follow `params` */
  select: (sql: string, params: readonly unknown[]) => Promise<R[]>;
  /**
   * the statement's text for an IN list of placeholders (e.g. `?, ?, ?`); the list must be its last
   * parameters — `inLists` times, each with the same keys, when the statement needs them in several places
   */
  sql: (inList: string) => string;
  inLists?: number;
  /** the key of a row, as given to load() */
  keyOf: (row: R) => string;
  maxBatch?: number;
}

/**
 * IN lists are padded (with their last key) to these lengths, so a statement has at most seven texts, each
 * prepared once per connection (the server's max_prepared_stmt_count is shared by every connection).
 */
const SIZES = [1, 2, 4, 8, 16, 32, 64];

/** The same statement parameters: by identity first (a caller that makes them once a day passes one array). */
function sameParams(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => String(x) === String(b[i])));
}

export function coalescedRead<R>(opts: CoalescedReadOptions<R>): CoalescedRead<R> {
  const maxBatch = Math.min(opts.maxBatch ?? 64, SIZES[SIZES.length - 1]);
  type Waiting = { key: string; params: readonly unknown[]; resolve: (rows: R[]) => void; reject: (e: unknown) => void };
  let queue: Waiting[] = [];
  let running = 0;
  const texts = new Map<number, string>();
  const stats = { statements: 0, reads: 0 };

  const textFor = (n: number) => {
    let t = texts.get(n);
    if (!t) texts.set(n, (t = opts.sql(Array(n).fill('?').join(', '))));
    return t;
  };

  /** Takes the reads of the first waiting read's parameters (a day's window, say), up to maxBatch, and runs them. */
  const start = () => {
    const first = queue[0];
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    for (const w of queue) (batch.length < maxBatch && sameParams(w.params, first.params) ? batch : rest).push(w);
    queue = rest;
    const keys = [...new Set(batch.map((w) => w.key))];
    const size = SIZES.find((s) => s >= keys.length)!;
    while (keys.length < size) keys.push(keys[keys.length - 1]);
    running++;
    stats.statements++;
    const lists = opts.inLists ?? 1;
    opts.select(textFor(size), lists === 1 ? [...first.params, ...keys] : [...first.params, ...Array.from({ length: lists }, () => keys).flat()]).then(
      (rows) => {
        const byKey = new Map<string, R[]>();
        for (const row of rows) {
          const k = opts.keyOf(row);
          const list = byKey.get(k);
          if (list) list.push(row);
          else byKey.set(k, [row]);
        }
        // each read its own array (two requests of one key share none)
        for (const w of batch) w.resolve([...(byKey.get(w.key) ?? [])]);
        finished();
      },
      (e) => {
        for (const w of batch) w.reject(e);
        finished();
      },
    );
  };

  const finished = () => {
    running--;
    if (queue.length > 0) start();
  };

  return {
    stats,
    load(key, params) {
      stats.reads++;
      return new Promise<R[]>((resolve, reject) => {
        queue.push({ key, params, resolve, reject });
        if (running === 0 || queue.length >= maxBatch) start();
      });
    },
  };
}
