// 人流预警管理 (manual 四(十), 五(二)10; D9, E9): settings per service point, the live count read from the
// database (so every server instance counts the same), and the 人员超标预警 state — evaluated after each
// scan of the point and announced once per change (a conditional update lets exactly one instance win).
import { CROWD_STATE_TEXT, type CrowdFlowCard, type CrowdFlowRequest, type CrowdFlowRow, type CrowdState } from '@bamin/common';
import { Op, QueryTypes, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import { timeParam } from '../db/values';
import { hotTime, type HotStatement, type HotTx } from '../db/hotSql';
import { checkCrowdSetting, crowdState, windowStart } from '../domain/crowdFlow';
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

export async function saveCrowdSetting(deps: D, s: ConsoleSession, pointId: number, body: CrowdFlowRequest, requestId?: string): Promise<CrowdFlowRow> {
  const point = await ownPoint(deps, s, pointId);
  const problems = checkCrowdSetting(body);
  if (problems.length) throw new ApiError('VALIDATION_FAILED', problems);
  const existing = await deps.db.models.CrowdFlowSetting.findOne({ where: { servicePointId: pointId } });
  if (existing) await existing.update(body);
  else await deps.db.models.CrowdFlowSetting.create({ servicePointId: pointId, ...body });
  await writeAudit(deps, { ...consoleActor(s), action: 'console.crowd_setting_saved', subjectKind: 'service_point', subjectId: pointId, outcome: 'ok', requestId });
  // a new setting may change the state at once
  await evaluatePoint(deps, pointId);
  return { servicePointId: pointId, servicePointName: point.name, setting: body };
}

export async function deleteCrowdSetting(deps: D, s: ConsoleSession, pointId: number): Promise<void> {
  await ownPoint(deps, s, pointId);
  await deps.db.models.CrowdFlowSetting.destroy({ where: { servicePointId: pointId } });
  await deps.db.models.CrowdFlowState.destroy({ where: { servicePointId: pointId } });
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

/**
 * Re-evaluates the point's state after a scan (or a new setting) and announces a change once: to the
 * point's staff on duty, in their in-app messages (A9). Returns the state now. `transaction`: the scan's
 * own, so the record and the count it changes are written together or not at all.
 */
export async function evaluatePoint(deps: D, pointId: number, transaction?: Transaction, afterCollision = false): Promise<CrowdState | null> {
  const setting = (await deps.db.models.CrowdFlowSetting.findOne({ where: { servicePointId: pointId }, raw: true, transaction })) as unknown as SettingRow | null;
  if (!setting) return null;
  const count = await countNow(deps, pointId, Number(setting.windowMinutes), transaction);
  const state = crowdState(count, { capacity: Number(setting.capacity), warningLine: Number(setting.warningLine) });
  const now = deps.clock.now();
  const { CrowdFlowState } = deps.db.models;
  // after a collision, a locking read: a plain one in a transaction keeps seeing its snapshot, without the row
  const lock = afterCollision && transaction ? true : undefined;
  const previous = (await CrowdFlowState.findOne({ where: { servicePointId: pointId }, raw: true, transaction, lock })) as unknown as { state: CrowdState } | null;
  if (!previous) {
    try {
      await CrowdFlowState.create({ servicePointId: pointId, state, currentCount: count, changedAt: now }, { transaction });
    } catch (e) {
      if (!(e instanceof UniqueConstraintError) || afterCollision) throw e;
      return evaluatePoint(deps, pointId, transaction, true); // another instance created it a moment ago
    }
    if (state !== 'normal') await announce(deps, pointId, state, count, setting, transaction);
    return state;
  }
  if (previous.state === state) {
    await CrowdFlowState.update({ currentCount: count }, { where: { servicePointId: pointId }, transaction });
    return state;
  }
  // Only the instance whose update moves the state from the value it read announces the change.
  const [moved] = await CrowdFlowState.update({ state, currentCount: count, changedAt: now }, { where: { servicePointId: pointId, state: previous.state }, transaction });
  if (moved === 1 && state !== 'normal') await announce(deps, pointId, state, count, setting, transaction);
  return state;
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
 * The scans' share of evaluatePoint for the points of a group commit (scanService), with the settings read
 * with the staff sessions: one locking read gets the points' stored states (in id order, so two batches —
 * two processes' — lock alike), then one statement counts every point, one statement keeps the states that do
 * not change with their new counts — the case of nearly every scan. A point whose state changes (or lost its
 * row or setting meanwhile) takes evaluatePoint, in the same transaction, and announces the change.
 *
 * The lock comes before the count, and nothing in the batch reads without a lock before it: InnoDB's
 * REPEATABLE READ fixes a transaction's snapshot at its first plain read, so the count is taken after the
 * batch holding the states before this one has committed, and sees its records. Counted first, a batch
 * waiting for the lock would store a count without the records committed meanwhile, and could move the
 * point's state back (two instances, or two batches at once).
 */
export async function countScans(deps: D, tx: HotTx, points: ReadonlyMap<number, CrowdSetting>, transaction: Transaction): Promise<void> {
  if (!points.size) return;
  const statements = crowdCountStatements(deps.db.dialect, points, deps.clock.now());
  // the texts of these statements vary with the batch's points (hotSql.ts)
  const unprepared = points.size > 1;
  const stored = await tx.select<StoredState>(statements.lock.sql, statements.lock.params, { unprepared });
  const counted = await tx.select<PointCount>(statements.count.sql, statements.count.params, { unprepared });
  const { kept, changed } = crowdCountOutcome(points, stored, counted);
  const keep = keptCountsStatement(kept);
  if (keep) await tx.run(keep.sql, keep.params, { unprepared: kept.length > 1 });
  for (const id of changed) await evaluatePoint(deps, id, transaction);
}

export type StoredState = { pointId: number | string; state: CrowdState };
export type PointCount = { pointId: number | string; n: number | string };

/**
 * countScans' two reads, in this order (the scan's scripted batch sends them together, after its records):
 * the points' stored states, locked in id order, then the people of each point's window counted at `now`.
 */
export function crowdCountStatements(dialect: 'sqlite' | 'mysql', points: ReadonlyMap<number, CrowdSetting>, now: Date): { lock: HotStatement; count: HotStatement } {
  const ids = [...points.keys()].sort((a, b) => a - b);
  const at = hotTime(dialect, now);
  return {
    // SQLite has no FOR UPDATE and needs none: its transactions take the write lock first (IMMEDIATE)
    lock: {
      sql: `SELECT service_point_id AS pointId, state FROM crowd_flow_states WHERE service_point_id IN (${ids.map(() => '?').join(', ')}) ORDER BY service_point_id${dialect === 'mysql' ? ' FOR UPDATE' : ''}`,
      params: ids,
    },
    count: {
      sql: `SELECT service_point_id AS pointId, COUNT(DISTINCT person_id) AS n FROM scan_records
     WHERE ${ids.map(() => '(service_point_id = ? AND scanned_at > ? AND scanned_at <= ?)').join(' OR ')} GROUP BY service_point_id`,
      params: ids.flatMap((id) => [id, hotTime(dialect, windowStart(now, points.get(id)!.windowMinutes)), at]),
    },
  };
}

/** From the reads of crowdCountStatements: the points whose state stays, with their new counts, and the ones whose state changes. */
export function crowdCountOutcome(
  points: ReadonlyMap<number, CrowdSetting>,
  stored: readonly StoredState[],
  counted: readonly PointCount[],
): { kept: [pointId: number, count: number][]; changed: number[] } {
  const countOf = new Map(counted.map((r) => [Number(r.pointId), Number(r.n)]));
  const stateOf = new Map(stored.map((r) => [Number(r.pointId), r.state]));
  const kept: [number, number][] = [];
  const changed: number[] = [];
  for (const id of [...points.keys()].sort((a, b) => a - b)) {
    const count = countOf.get(id) ?? 0;
    if (stateOf.get(id) === crowdState(count, points.get(id)!)) kept.push([id, count]);
    else changed.push(id);
  }
  return { kept, changed };
}

/** The new counts of points whose state stays, in one UPDATE (null for none). */
export function keptCountsStatement(kept: readonly (readonly [pointId: number, count: number])[]): HotStatement | null {
  if (!kept.length) return null;
  return {
    sql: `UPDATE crowd_flow_states SET current_count = CASE service_point_id ${kept.map(() => 'WHEN ? THEN ?').join(' ')} END WHERE service_point_id IN (${kept.map(() => '?').join(', ')})`,
    params: [...kept.flat(), ...kept.map(([id]) => id)],
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

