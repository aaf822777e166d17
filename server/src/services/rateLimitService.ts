// Fixed-window counters shared by every instance behind a load balancer (DESIGN: no state between
// requests in the server): in Redis when REDIS_URL is set (one atomic SET NX + INCR per hit, the key
// expiring with its window), else in the database (one atomic upsert per hit).
import type { Deps } from '../deps';

export interface RateDecision {
  allowed: boolean;
  hits: number;
  limit: number;
  /** Seconds until the window ends (for Retry-After). */
  retryAfterSeconds: number;
}

const sqlTime = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

/** Counts one call in `bucket` and says whether it is within `limit` calls per `windowSeconds`. */
export async function hitRateLimit(
  deps: Pick<Deps, 'db' | 'clock'> & Partial<Pick<Deps, 'redis' | 'config'>>,
  bucket: string,
  limit: number,
  windowSeconds: number,
  /** windows start this much before the epoch-aligned ones: 8 h makes day windows start at 00:00 Asia/Shanghai */
  offsetMs = 0,
): Promise<RateDecision> {
  const now = deps.clock.now();
  const windowMs = windowSeconds * 1000;
  const start = new Date(Math.floor((now.getTime() + offsetMs) / windowMs) * windowMs - offsetMs);
  const retryAfterSeconds = Math.max(1, Math.ceil((start.getTime() + windowMs - now.getTime()) / 1000));
  if (deps.redis) {
    const key = `${deps.config?.redisKeyPrefix ?? 'bamin:'}rl:${bucket}:${start.getTime()}`;
    // the key lives a window (plus a minute) from its first hit: relative, so it holds on any clock
    const res = await deps.redis.multi().set(key, '0', 'PX', windowMs + 60_000, 'NX').incr(key).exec();
    const hits = Number(res?.[1]?.[1] ?? 1);
    return { allowed: hits <= limit, hits, limit, retryAfterSeconds };
  }
  const { sequelize, dialect } = deps.db;
  const upsert =
    dialect === 'mysql'
      ? 'INSERT INTO rate_limits (bucket, window_start, hits, created_at, updated_at) VALUES (?, ?, 1, ?, ?) ON DUPLICATE KEY UPDATE hits = hits + 1, updated_at = VALUES(updated_at)'
      : 'INSERT INTO rate_limits (bucket, window_start, hits, created_at, updated_at) VALUES (?, ?, 1, ?, ?) ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1, updated_at = excluded.updated_at';
  await sequelize.query(upsert, { replacements: [bucket, sqlTime(start), sqlTime(now), sqlTime(now)] });
  const [rows] = await sequelize.query('SELECT hits FROM rate_limits WHERE bucket = ? AND window_start = ?', {
    replacements: [bucket, sqlTime(start)],
  });
  const hits = Number((rows as { hits: number }[])[0]?.hits ?? 1);
  return { allowed: hits <= limit, hits, limit, retryAfterSeconds };
}
