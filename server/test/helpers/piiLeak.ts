// Every test context is also a leak detector (issue 11, H3): it keeps every log line (at debug level) and
// every text response of the test file, and when the context closes it decrypts every personal value the
// database holds (every *_enc column: ID numbers, phones) and fails the file if any of them appears, in
// full, in a log line or a response. Responses of routes that must carry them would be listed here; none
// does. Binary downloads (xlsx, pdf, png) are compressed or images and are checked by their own tests.
import { QueryTypes } from 'sequelize';
import type { Context, Next } from 'koa';
import type { Deps } from '../../src/deps';

export interface LeakCapture {
  logLines: string[];
  responses: { route: string; text: string }[];
}

const TEXT = /json|text|javascript|html|xml/;

export function captureResponses(capture: LeakCapture) {
  return async (ctx: Context, next: Next) => {
    await next();
    const type = String(ctx.response.get('Content-Type') ?? '');
    const body = ctx.body as unknown;
    if (body == null || (type && !TEXT.test(type))) return;
    let text: string | null = null;
    if (typeof body === 'string') text = body;
    else if (Buffer.isBuffer(body)) text = TEXT.test(type) ? body.toString('utf8') : null;
    else if (typeof (body as { pipe?: unknown }).pipe !== 'function') text = JSON.stringify(body);
    if (text) capture.responses.push({ route: `${ctx.method} ${ctx.path}`, text });
  };
}

/** Every full personal value stored encrypted, as text to search for (ID numbers also with a lower-case x). */
export async function storedPersonalValues(deps: Pick<Deps, 'db' | 'pii'>): Promise<string[]> {
  const q = deps.db.sequelize;
  const columns =
    deps.db.dialect === 'mysql'
      ? ((await q.query("SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME LIKE '%\\_enc'", { type: QueryTypes.SELECT })) as { t: string; c: string }[])
      : (
          await Promise.all(
            ((await q.query("SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", { type: QueryTypes.SELECT })) as { t: string }[]).map(async ({ t }) =>
              ((await q.query(`PRAGMA table_info(${t})`, { type: QueryTypes.SELECT })) as { name: string }[]).filter((c) => c.name.endsWith('_enc')).map((c) => ({ t, c: c.name })),
            ),
          )
        ).flat();
  const values = new Set<string>();
  for (const { t, c } of columns) {
    const rows = (await q.query(`SELECT ${c} AS v FROM ${t} WHERE ${c} IS NOT NULL`, { type: QueryTypes.SELECT })) as { v: string }[];
    for (const { v } of rows) {
      try {
        const plain = deps.pii.decrypt(v);
        // short values (a 4-digit tail) would match anything
        if (plain && plain.length >= 8) {
          values.add(plain);
          if (/x$/i.test(plain)) values.add(plain.slice(0, -1) + (plain.endsWith('X') ? 'x' : 'X'));
        }
      } catch {
        /* not ours: skip */
      }
    }
  }
  return [...values];
}

export async function findLeaks(deps: Pick<Deps, 'db' | 'pii'>, capture: LeakCapture): Promise<string[]> {
  const values = await storedPersonalValues(deps);
  const leaks: string[] = [];
  for (const v of values) {
    const masked = `${v.slice(0, 3)}…${v.slice(-2)}`;
    const log = capture.logLines.find((l) => l.includes(v));
    if (log) leaks.push(`log line holds ${masked}: ${log.slice(0, 160)}`);
    const res = capture.responses.find((r) => r.text.includes(v));
    if (res) leaks.push(`response of ${res.route} holds ${masked}`);
  }
  return leaks;
}
