// 人流预警管理 (manual 四(十), 五(二)10; D9, E9): settings per service point, the live count read from the
// database (so every server instance counts the same), and the 人员超标预警 state — evaluated after each
// scan of the point and announced once per change (a conditional update lets exactly one instance win).
import { CROWD_STATE_TEXT, type CrowdFlowCard, type CrowdFlowRequest, type CrowdFlowRow, type CrowdState } from '@bamin/common';
import { Op, QueryTypes, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import { timeParam, toDate } from '../db/values';
import { hotTime, type HotStatement, type HotTx } from '../db/hotSql';
import { checkCrowdSetting, crowdState, presenceCount, windowStart, type CountedWindow } from '../domain/crowdFlow';
import { ApiError } from '../errors';
import { consoleActor, writeAudit } from './auditService';
import type { ConsoleSession } from './consoleSessionService';
import { sendMessages } from './healthReportService';

type D = Pick<Deps, 'db' | 'clock'>;

export interface CrowdSetting {
  capacity: number;
  warningLine: number;
  windowMinutes: number;
}

interface SettingRow extends CrowdSetting {
  servicePointId: number;
}

async function ownPoint(deps: Pick<Deps, 'db'>, s: ConsoleSession, id: number): Promise<{ id: number; name: string }> {
  const p = (await deps.db.models.ServicePoint.findOne({ where: { id, organisationId: s.organisationId }, attributes: ['id', 'name'], raw: true })) as unknown as {
    id: number;
    name: string;
  } | null;
  if (!p) throw new ApiError('SERVICE_POINT_NOT_FOUND');
  return p;
}

export async function crowdSettings(deps: D, s: ConsoleSession): Promise<CrowdFlowRow[]> {
  const points = (await deps.db.models.ServicePoint.findAll({ where: { organisationId: s.organisationId }, attributes: ['id', 'name'], order: [['id', 'ASC']], raw: true })) as unknown as {
    id: number;
    name: string;
  }[];
  const settings = points.length
    ? ((await deps.db.models.CrowdFlowSetting.findAll({ where: { servicePointId: { [Op.in]: points.map((p) => p.id) } }, raw: true })) as unknown as SettingRow[])
    : [];
  const byPoint = new Map(settings.map((x) => [Number(x.servicePointId), x]));
  return points.map((p) => {
    const x = byPoint.get(Number(p.id));
    return { servicePointId: Number(p.id), servicePointName: p.name, setting: x ? { capacity: Number(x.capacity), warningLine: Number(x.warningLine), windowMinutes: Number(x.windowMinutes) } : null };
  });
}

/**
 * Saves the point's setting, its audit entry and the state it gives at once, all or none: the state row is made
 * first on its own (ensureCrowdState), then locked as the transaction's first statement, as every writer of the
 * point's presence takes it (the count is rebuilt from the records under the new window).
 */
export async function saveCrowdSetting(deps: D, s: ConsoleSession, pointId: number, body: CrowdFlowRequest, requestId?: string): Promise<CrowdFlowRow> {
  const point = await ownPoint(deps, s, pointId);
  const problems = checkCrowdSetting(body);
  if (problems.length) throw new ApiError('VALIDATION_FAILED', problems);
  await ensureCrowdState(deps, pointId);
  await deps.db.sequelize.transaction(async (transaction) => {
    await lockCrowdStates(deps, transaction, [pointId]);
    const existing = await deps.db.models.CrowdFlowSetting.findOne({ where: { servicePointId: pointId }, transaction });
    if (existing) await existing.update(body, { transaction });
    else await deps.db.models.CrowdFlowSetting.create({ servicePointId: pointId, ...body }, { transaction });
    await writeAudit(deps, { ...consoleActor(s), action: 'console.crowd_setting_saved', subjectKind: 'service_point', subjectId: pointId, outcome: 'ok', requestId }, transaction);
    // a new setting may change the state at once
    await evaluatePoint(deps, pointId, transaction);
  });
  return { servicePointId: pointId, servicePointName: point.name, setting: body };
}

/** Removes the point's setting, its state and presence, with an audit entry, all or none (the state row locked first). */
export async function deleteCrowdSetting(deps: D, s: ConsoleSession, pointId: number, requestId?: string): Promise<void> {
  await ownPoint(deps, s, pointId);
  await deps.db.sequelize.transaction(async (transaction) => {
    await lockCrowdStates(deps, transaction, [pointId]);
    await deps.db.models.CrowdFlowSetting.destroy({ where: { servicePointId: pointId }, transaction });
    await deps.db.models.CrowdFlowState.destroy({ where: { servicePointId: pointId }, transaction });
    await deps.db.models.CrowdPresence.destroy({ where: { servicePointId: pointId }, transaction });
    await writeAudit(deps, { ...consoleActor(s), action: 'console.crowd_setting_deleted', subjectKind: 'service_point', subjectId: pointId, outcome: 'ok', requestId }, transaction);
  });
}

/** Distinct people with a record of the point in (now − window, now]. */
export async function countNow(deps: D, pointId: number, windowMinutes: number, transaction?: Transaction): Promise<number> {
  const now = deps.clock.now();
  const [row] = (await deps.db.sequelize.query(
    'SELECT COUNT(DISTINCT person_id) AS n FROM scan_records WHERE service_point_id = ? AND scanned_at > ? AND scanned_at <= ?',
    { replacements: [pointId, timeParam(deps.db, windowStart(now, windowMinutes)), timeParam(deps.db, now)], type: QueryTypes.SELECT, transaction },
  )) as { n: number | string }[];
  return Number(row.n);
}

/** A visit that counts toward a point's crowd flow: a scan record's person and time (a scan, a registration). */
export interface CrowdVisit {
  pointId: number;
  personId: number;
  at: Date;
}

/**
 * Re-evaluates the point's state and announces a change once: to the point's staff on duty, in their in-app
 * messages (A9). Returns the state now (null: the point has no setting). `counted`: the count the caller has
 * just kept from presence (countVisits), under the state row's lock in `transaction`; without it the point is
 * counted again from its records and its presence rebuilt — a new or changed setting, a state row never counted.
 * Without `transaction`, in a transaction of its own whose first statement locks the state row (so what it
 * reads is what the transactions before it committed).
 */
export async function evaluatePoint(deps: D, pointId: number, transaction?: Transaction, counted?: KeptCount): Promise<CrowdState | null> {
  if (!transaction) {
    if (!(await deps.db.models.CrowdFlowSetting.findOne({ where: { servicePointId: pointId }, attributes: ['id'], raw: true }))) return null;
    await ensureCrowdState(deps, pointId);
    return deps.db.sequelize.transaction(async (t) => {
      await lockCrowdStates(deps, t, [pointId]);
      return evaluatePoint(deps, pointId, t, counted);
    });
  }
  const setting = (await deps.db.models.CrowdFlowSetting.findOne({ where: { servicePointId: pointId }, raw: true, transaction })) as unknown as SettingRow | null;
  if (!setting) return null;
  const previous = await lockedState(deps, pointId, transaction);
  const now = deps.clock.now();
  const windowMinutes = Number(setting.windowMinutes);
  // a count kept with another window (the setting changed since the caller read it) is counted again
  const c = counted && counted.windowMinutes === windowMinutes ? counted : await recount(deps, pointId, windowMinutes, now, transaction);
  const state = crowdState(c.count, { capacity: Number(setting.capacity), warningLine: Number(setting.warningLine) });
  const moves = previous.state !== state;
  // Only the transaction whose update moves the state from the value it read announces the change.
  const [moved] = await deps.db.models.CrowdFlowState.update(
    { currentCount: c.count, windowFrom: c.windowFrom, windowMinutes, ...(moves ? { state, changedAt: now } : {}) },
    { where: { servicePointId: pointId, state: previous.state }, transaction },
  );
  if (moves && moved === 1 && state !== 'normal') await announce(deps, pointId, state, c.count, setting, transaction);
  return state;
}

/** The point's state row, locked (FOR UPDATE on MySQL; SQLite's transaction holds the write lock); made 正常 when it has none. */
async function lockedState(deps: D, pointId: number, transaction: Transaction): Promise<{ state: CrowdState }> {
  const { CrowdFlowState } = deps.db.models;
  const find = () => CrowdFlowState.findOne({ where: { servicePointId: pointId }, attributes: ['state'], raw: true, transaction, lock: true }) as unknown as Promise<{ state: CrowdState } | null>;
  const row = await find();
  if (row) return row;
  try {
    await CrowdFlowState.create({ servicePointId: pointId, state: 'normal', currentCount: 0, changedAt: deps.clock.now() }, { transaction });
    return { state: 'normal' };
  } catch (e) {
    if (!(e instanceof UniqueConstraintError)) throw e;
  }
  // another transaction made it a moment ago: wait for it
  const made = await find();
  if (!made) throw new Error(`crowd state of point ${pointId} neither found nor made`);
  return made;
}

/** Rows a recount inserts into crowd_presence per statement. */
const PRESENCE_CHUNK = 500;

/**
 * The point's presence rebuilt from its records in the window (each person's latest), and the count it gives.
 * Plain reads, so no record is locked (an INSERT … SELECT would share-lock the point's records and deadlock
 * with the scans writing them); the caller holds the state row, which every writer of presence takes first.
 */
async function recount(deps: D, pointId: number, windowMinutes: number, now: Date, transaction: Transaction): Promise<CountedWindow> {
  const tx = deps.db.hot.within(transaction);
  const from = windowStart(now, windowMinutes);
  await tx.run('DELETE FROM crowd_presence WHERE service_point_id = ?', [pointId]);
  const latest = await tx.select<{ personId: number | string; at: unknown }>(
    'SELECT person_id AS personId, MAX(scanned_at) AS at FROM scan_records WHERE service_point_id = ? AND scanned_at > ? GROUP BY person_id',
    [pointId, hotTime(deps.db.dialect, from)],
  );
  for (let i = 0; i < latest.length; i += PRESENCE_CHUNK) {
    const rows = latest.slice(i, i + PRESENCE_CHUNK);
    await tx.run(`INSERT INTO crowd_presence (service_point_id, person_id, last_seen_at) VALUES ${rows.map(() => '(?, ?, ?)').join(', ')}`, rows.flatMap((r) => [pointId, Number(r.personId), hotTime(deps.db.dialect, toDate(r.at))]), {
      unprepared: true,
    });
  }
  return { count: latest.length, windowFrom: from };
}

/**
 * Makes the point's state row (正常, 0) when it has none, on its own: concurrent first scans inserting it inside
 * their transactions deadlocked on its unique key (found by npm run bench). A row made meanwhile by another
 * request is as good.
 */
export async function ensureCrowdState(deps: D, pointId: number): Promise<void> {
  try {
    await deps.db.models.CrowdFlowState.create({ servicePointId: pointId, state: 'normal', currentCount: 0, changedAt: deps.clock.now() });
  } catch (e) {
    if (!(e instanceof UniqueConstraintError)) throw e;
  }
}

/**
 * The crowd counts after visits written in `transaction` (a scan batch's records, a registration), with the
 * points' settings: the points' state rows locked (in id order, so two batches — two processes' — lock alike),
 * the people leaving each window and the visitors' presence read, the visitors' presence stored, and the
 * counts kept (domain/crowdFlow.ts presenceCount) — one UPDATE for the points whose state stays, the case of
 * nearly every scan. A point whose state changes takes evaluatePoint with its count, and announces the change;
 * one whose state row was never counted from presence, or with another window, is counted again.
 *
 * The lock comes before every read of the counts, and the caller's transaction reads nothing without a lock
 * before it: InnoDB's REPEATABLE READ fixes a transaction's snapshot at its first plain read, so the counts
 * are read after the transaction holding the states before this one has committed, and see its records and
 * presence. Read first, a batch waiting for the lock would keep a count without them (two instances, or two
 * batches at once).
 */
export async function countVisits(deps: D, tx: HotTx, points: ReadonlyMap<number, CrowdSetting>, visits: readonly CrowdVisit[], transaction: Transaction): Promise<void> {
  if (!points.size) return;
  const now = deps.clock.now();
  const statements = crowdCountStatements(deps.db.dialect, points, visits, now);
  // the texts of these statements vary with the batch's points and people (hotSql.ts)
  const unprepared = { unprepared: true };
  const stored = await tx.select<StoredState>(statements.lock.sql, statements.lock.params, { unprepared: points.size > 1 });
  const leaving = await tx.select<LeavingCount>(statements.leaving.sql, statements.leaving.params, unprepared);
  const present = await tx.select<PresentRow>(statements.present.sql, statements.present.params, unprepared);
  await tx.run(statements.store.sql, statements.store.params, unprepared);
  const { kept, changed } = crowdCountOutcome(points, visits, now, stored, leaving, present);
  const keep = keptCountsStatement(deps.db.dialect, kept);
  if (keep) await tx.run(keep.sql, keep.params, { unprepared: kept.length > 1 });
  for (const c of changed) await evaluatePoint(deps, c.pointId, transaction, c.counted ?? undefined);
}

/**
 * The point's crowd setting, when it has one, with its state row made (on its own, as a scan's: ensureCrowdState)
 * — for a writer of the point's records outside the scan's batch (a registration) before its transaction.
 */
export async function crowdSettingOf(deps: D, pointId: number): Promise<CrowdSetting | null> {
  const row = (await deps.db.models.CrowdFlowSetting.findOne({ where: { servicePointId: pointId }, raw: true })) as unknown as SettingRow | null;
  if (!row) return null;
  await ensureCrowdState(deps, pointId);
  return { capacity: Number(row.capacity), warningLine: Number(row.warningLine), windowMinutes: Number(row.windowMinutes) };
}

/**
 * Locks the points' state rows (in id order) as the first statement of a transaction that reads before it writes
 * its visits (a registration): its snapshot is then made after the transactions holding them have committed.
 */
export async function lockCrowdStates(deps: D, transaction: Transaction, pointIds: readonly number[]): Promise<void> {
  if (!pointIds.length || deps.db.dialect !== 'mysql') return;
  const lock = lockStatement(deps.db.dialect, pointIds);
  await deps.db.hot.within(transaction).select(lock.sql, lock.params, { unprepared: pointIds.length > 1 });
}

/**
 * The points' stored states, their rows locked in id order (so two batches — two processes' — lock alike).
 * SQLite has no FOR UPDATE and needs none: its transactions take the write lock first (IMMEDIATE).
 */
function lockStatement(dialect: 'sqlite' | 'mysql', pointIds: readonly number[]): HotStatement {
  const ids = [...pointIds].sort((a, b) => a - b);
  return {
    sql: `SELECT service_point_id AS pointId, state, current_count AS count, window_from AS windowFrom, window_minutes AS windowMinutes FROM crowd_flow_states WHERE service_point_id IN (${ids.map(() => '?').join(', ')}) ORDER BY service_point_id${dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
    params: ids,
  };
}

export type StoredState = { pointId: number | string; state: CrowdState; count: number | string; windowFrom: unknown; windowMinutes: number | string | null };
export type LeavingCount = { pointId: number | string; n: number | string };
export type PresentRow = { pointId: number | string; personId: number | string; lastSeenAt: unknown };

/**
 * countVisits' statements, in this order (the scan's scripted batch sends them together, after its records):
 * the points' stored states, locked in id order; each point's people whose latest visit leaves its window (in
 * (window_from, now − window], read before the visits are stored); the visitors' latest visits so far; the
 * visits stored (each person's latest per point).
 */
export function crowdCountStatements(
  dialect: 'sqlite' | 'mysql',
  points: ReadonlyMap<number, CrowdSetting>,
  visits: readonly CrowdVisit[],
  now: Date,
): { lock: HotStatement; leaving: HotStatement; present: HotStatement; store: HotStatement } {
  const ids = [...points.keys()].sort((a, b) => a - b);
  const latest = latestVisits(points, visits);
  const byPoint = new Map<number, number[]>();
  for (const v of latest.values()) byPoint.set(v.pointId, [...(byPoint.get(v.pointId) ?? []), v.personId]);
  const visited = [...byPoint.entries()];
  const time = (d: Date) => hotTime(dialect, d);
  return {
    lock: lockStatement(dialect, ids),
    // the window start as a subquery of its own row: a constant to the optimizer, so the count reads exactly the
    // range (window_from, bound] of the index (a join would read every presence row of the point)
    leaving: {
      sql: ids
        .map(
          () =>
            'SELECT ? AS pointId, COUNT(*) AS n FROM crowd_presence WHERE service_point_id = ? AND last_seen_at > (SELECT window_from FROM crowd_flow_states WHERE service_point_id = ?) AND last_seen_at <= ?',
        )
        .join(' UNION ALL '),
      params: ids.flatMap((id) => [id, id, id, time(windowStart(now, points.get(id)!.windowMinutes))]),
    },
    present: {
      sql: `SELECT service_point_id AS pointId, person_id AS personId, last_seen_at AS lastSeenAt FROM crowd_presence WHERE ${
        visited.length ? visited.map(([, people]) => `(service_point_id = ? AND person_id IN (${people.map(() => '?').join(', ')}))`).join(' OR ') : '1 = 0'
      }`,
      params: visited.flatMap(([id, people]) => [id, ...people]),
    },
    store: {
      sql: `INSERT INTO crowd_presence (service_point_id, person_id, last_seen_at) VALUES ${[...latest.values()].map(() => '(?, ?, ?)').join(', ')} ${
        dialect === 'mysql'
          ? 'ON DUPLICATE KEY UPDATE last_seen_at = GREATEST(last_seen_at, VALUES(last_seen_at))'
          : 'ON CONFLICT (service_point_id, person_id) DO UPDATE SET last_seen_at = MAX(last_seen_at, excluded.last_seen_at)'
      }`,
      params: [...latest.values()].flatMap((v) => [v.pointId, v.personId, time(v.at)]),
    },
  };
}

/** Each (point, person)'s latest visit, of the points counted. */
function latestVisits(points: ReadonlyMap<number, CrowdSetting>, visits: readonly CrowdVisit[]): Map<string, CrowdVisit> {
  const latest = new Map<string, CrowdVisit>();
  for (const v of visits) {
    if (!points.has(v.pointId)) continue;
    const key = `${v.pointId}:${v.personId}`;
    const seen = latest.get(key);
    if (!seen || seen.at < v.at) latest.set(key, v);
  }
  return latest;
}

/** A point's count kept from presence, and the window it was kept with. */
export interface KeptCount extends CountedWindow {
  pointId: number;
  windowMinutes: number;
}

/**
 * From the reads of crowdCountStatements: the points whose state stays, with their new counts, and the ones
 * whose state changes — with their new count, or none when the point must be counted again from its records
 * (its state row never counted from presence, or counted with another window).
 */
export function crowdCountOutcome(
  points: ReadonlyMap<number, CrowdSetting>,
  visits: readonly CrowdVisit[],
  now: Date,
  stored: readonly StoredState[],
  leaving: readonly LeavingCount[],
  present: readonly PresentRow[],
): { kept: KeptCount[]; changed: { pointId: number; counted: KeptCount | null }[] } {
  const storedOf = new Map(stored.map((r) => [Number(r.pointId), r]));
  const leavingOf = new Map(leaving.map((r) => [Number(r.pointId), Number(r.n)]));
  const kept: KeptCount[] = [];
  const changed: { pointId: number; counted: KeptCount | null }[] = [];
  for (const id of [...points.keys()].sort((a, b) => a - b)) {
    const setting = points.get(id)!;
    const s = storedOf.get(id);
    if (!s || s.windowFrom == null || Number(s.windowMinutes) !== setting.windowMinutes) {
      changed.push({ pointId: id, counted: null });
      continue;
    }
    const next = presenceCount({
      stored: { count: Number(s.count), windowFrom: toDate(s.windowFrom) },
      windowMinutes: setting.windowMinutes,
      now,
      leaving: leavingOf.get(id) ?? 0,
      visits: visits.filter((v) => v.pointId === id),
      present: new Map(present.filter((r) => Number(r.pointId) === id).map((r) => [Number(r.personId), toDate(r.lastSeenAt)])),
    });
    const counted: KeptCount = { pointId: id, windowMinutes: setting.windowMinutes, ...next };
    // a count below zero cannot be (presence and the stored count disagree): counted again
    if (counted.count < 0) changed.push({ pointId: id, counted: null });
    else if (s.state === crowdState(counted.count, setting)) kept.push(counted);
    else changed.push({ pointId: id, counted });
  }
  return { kept, changed };
}

/** The new counts (and window starts) of points whose state stays, in one UPDATE (null for none). */
export function keptCountsStatement(dialect: 'sqlite' | 'mysql', kept: readonly KeptCount[]): HotStatement | null {
  if (!kept.length) return null;
  const cases = kept.map(() => 'WHEN ? THEN ?').join(' ');
  return {
    sql: `UPDATE crowd_flow_states SET current_count = CASE service_point_id ${cases} END, window_from = CASE service_point_id ${cases} END WHERE service_point_id IN (${kept.map(() => '?').join(', ')})`,
    params: [...kept.flatMap((k) => [k.pointId, k.count]), ...kept.flatMap((k) => [k.pointId, hotTime(dialect, k.windowFrom)]), ...kept.map((k) => k.pointId)],
  };
}

async function announce(deps: D, pointId: number, state: CrowdState, count: number, setting: SettingRow, transaction?: Transaction): Promise<void> {
  const point = (await deps.db.models.ServicePoint.findByPk(pointId, { attributes: ['name', 'organisationId'], raw: true, transaction })) as unknown as { name: string; organisationId: number };
  const staff = (await deps.db.sequelize.query(
    `SELECT DISTINCT p.id FROM service_point_staff sps JOIN employees e ON e.id = sps.employee_id JOIN people p ON p.id_hash = e.id_hash WHERE sps.service_point_id = ?`,
    { replacements: [pointId], type: QueryTypes.SELECT, transaction },
  )) as { id: number }[];
  await sendMessages(deps, {
    personIds: staff.map((x) => Number(x.id)),
    kind: 'crowd_warning',
    title: `人员超标预警：${point.name}`,
    body: `门店信息：${point.name}；人流上限：${setting.capacity} 人；当前人流：${count} 人；人流状态：${CROWD_STATE_TEXT[state]}（统计时间间隔 ${setting.windowMinutes} 分钟）。`,
    senderOrganisationId: Number(point.organisationId),
  }, transaction);
}

/** The 人员超标预警 cards of the unit's configured points, counted now. */
export async function liveCards(deps: D, s: ConsoleSession): Promise<CrowdFlowCard[]> {
  const rows = await crowdSettings(deps, s);
  const now = deps.clock.now();
  const cards: CrowdFlowCard[] = [];
  for (const r of rows) {
    if (!r.setting) continue;
    const current = await countNow(deps, r.servicePointId, r.setting.windowMinutes);
    const state = crowdState(current, r.setting);
    cards.push({ servicePointId: r.servicePointId, servicePointName: r.servicePointName, ...r.setting, current, state, stateText: CROWD_STATE_TEXT[state], updatedAt: now.toISOString() });
  }
  return cards;
}

