// The area levels (中高风险地区) a scan's 14-day warning reads, cached in each server process (issue 12: one
// statement less per scan). Exact across instances: every write of area_levels bumps cache_versions in its
// own transaction (the model's hooks, db/models.ts), the scan reads the version in the statement it makes
// anyway (codeService.readCode), and a cache of another version is read again before it is used.
import type { AreaLevel, Day } from '@bamin/common';
import type { Deps } from '../deps';
import type { Database } from '../db/database';
import { CACHE_AREA_LEVELS, cacheVersionSql } from '../db/models';
import { areaLevelOn, type AreaLevelRow } from '../domain/areaLevel';

interface Cached {
  version: number;
  byArea: Map<string, AreaLevelRow[]>;
}

const caches = new WeakMap<Database, Promise<Cached>>();

/** The statement text that reads the version, for a hot statement to carry as a column. */
export const AREA_LEVELS_VERSION_SQL = cacheVersionSql(CACHE_AREA_LEVELS);

/** The version on its own (the scans that did not read it with their holder: national codes, OCR). */
export async function areaLevelsVersion(deps: Pick<Deps, 'db'>): Promise<number> {
  const [r] = await deps.db.hot.select<{ v: number | string | null }>(`SELECT ${AREA_LEVELS_VERSION_SQL} AS v`, []);
  return Number(r?.v ?? 0);
}

async function load(db: Database, version: number): Promise<Cached> {
  // read after the version was: the rows are at least as new as the version they are filed under
  const rows = await db.hot.select<{ areaCode: string; level: AreaLevel; policy: string | null; effectiveFrom: Day }>(
    'SELECT area_code AS areaCode, level, policy, effective_from AS effectiveFrom FROM area_levels ORDER BY id',
    [],
  );
  const byArea = new Map<string, AreaLevelRow[]>();
  for (const r of rows) {
    const list = byArea.get(r.areaCode) ?? [];
    list.push({ level: r.level, policy: r.policy, effectiveFrom: String(r.effectiveFrom).slice(0, 10) as Day });
    byArea.set(r.areaCode, list);
  }
  return { version, byArea };
}

/** The level in force on `today` of each of `areaCodes` that has one, from the cache of `version`. */
export async function currentAreaLevels(deps: Pick<Deps, 'db'>, areaCodes: string[], today: Day, version: number | null): Promise<Map<string, { level: AreaLevel; policy: string | null }>> {
  const v = Number(version ?? 0);
  let cached = caches.get(deps.db);
  if (!cached || (await cached).version !== v) {
    cached = load(deps.db, v);
    caches.set(deps.db, cached);
    cached.catch(() => caches.delete(deps.db)); // a failed read is not kept
  }
  const { byArea } = await cached;
  const out = new Map<string, { level: AreaLevel; policy: string | null }>();
  for (const code of areaCodes) {
    const row = areaLevelOn(byArea.get(code) ?? [], today);
    if (row) out.set(code, { level: row.level, policy: row.policy });
  }
  return out;
}
