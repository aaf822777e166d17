// Dialects hand back times differently (MySQL: Date; SQLite raw rows: '2026-03-01 08:00:00.000 +00:00').
import type { Database } from './database';
export function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v);
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?)\s*(Z|[+-]\d\d:?\d\d)?$/.exec(s);
  if (m) return new Date(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`);
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new Error(`not a time: ${s.slice(0, 40)}`);
  return d;
}

export const toDateOrNull = (v: unknown): Date | null => (v == null ? null : toDate(v));

/**
 * A time for a raw query's replacements, compared with a DATETIME(3) column. Sequelize formats a Date
 * replacement for MySQL without milliseconds (it does so only for typed DATE(3) attributes), which would
 * drop a record made in the same second; SQLite needs Sequelize's own stored format, which it gets from a Date.
 */
export function timeParam(db: Pick<Database, 'dialect'>, d: Date): Date | string {
  return db.dialect === 'mysql' ? d.toISOString().replace('T', ' ').replace('Z', '') : d;
}

/**
 * A name search "contains `text`" as a LIKE pattern, or null for no text. Wildcards typed by the user
 * (% and _) and backslashes are dropped rather than escaped: MySQL and SQLite disagree on LIKE escapes.
 */
export function containsPattern(text: string | undefined): string | null {
  const t = text?.trim().replace(/[\\%_]/g, '');
  return t ? `%${t}%` : null;
}
