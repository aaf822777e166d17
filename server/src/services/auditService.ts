// Audit trail (H3): every read of a person's record and every change by a privileged caller.
// `detail` never holds personal data: ids and counts only.
import type { Transaction } from 'sequelize';
import type { Deps } from '../deps';
import { currentScope } from '../http/requestScope';
import { hotTime, type HotStatement, type HotTx } from '../db/hotSql';
import type { ConsoleSession } from './consoleSessionService';

export interface AuditEntry {
  actorKind: 'source' | 'account' | 'person' | 'system';
  actorId?: string | null;
  action: string;
  subjectKind?: string | null;
  subjectId?: string | number | null;
  outcome: 'ok' | 'not_found' | 'refused';
  requestId?: string | null;
  detail?: Record<string, unknown>;
  /** why; default: the route of the request it is written in */
  route?: string | null;
  /** the unit acted for; default: the console or staff session's unit */
  organisationId?: number | null;
}

export async function writeAudit(deps: Pick<Deps, 'db' | 'clock'>, e: AuditEntry, transaction?: Transaction): Promise<void> {
  // the person as the keyed hash of their ID number (people.id_hash): which person, without the number
  let subjectHash: string | null = null;
  if (e.subjectKind === 'person' && e.subjectId != null && /^\d+$/.test(String(e.subjectId))) {
    const p = (await deps.db.models.Person.findByPk(Number(e.subjectId), { attributes: ['idHash'], raw: true, transaction })) as unknown as { idHash: string } | null;
    subjectHash = p?.idHash ?? null;
  }
  await deps.db.models.AuditLog.create(auditRow(deps, e, subjectHash), { transaction });
}

export type AuditRow = ReturnType<typeof auditRow>;

/**
 * Entries as one multi-row INSERT in a hot-path transaction (the scans of a group commit, issue 12; sent as
 * text when its size varies, hotSql.ts):
 * each row made by auditRow in its own request, for a person whose id_hash the caller has already read.
 */
export async function writeAuditRowsHot(deps: Pick<Deps, 'db'>, tx: HotTx, rows: readonly AuditRow[]): Promise<void> {
  const insert = auditInsert(deps, rows);
  if (insert) await tx.run(insert.sql, insert.params, { unprepared: rows.length > 1 }); // its text varies with the batch's size
}

/** The INSERT of entries made by auditRow (null for none): writeAuditRowsHot's, or a statement of a script (hotSql.ts ScriptTx). */
export function auditInsert(deps: Pick<Deps, 'db'>, rows: readonly AuditRow[]): HotStatement | null {
  if (!rows.length) return null;
  return {
    sql: `INSERT INTO audit_log (route, organisation_id, subject_hash, at, actor_kind, actor_id, action, subject_kind, subject_id, outcome, request_id, detail) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    params: rows.flatMap((r) => [r.route, r.organisationId, r.subjectHash, hotTime(deps.db.dialect, r.at), r.actorKind, r.actorId, r.action, r.subjectKind, r.subjectId, r.outcome, r.requestId, r.detail]),
  };
}

/** An entry as its row, with the request's scope (route, unit, request id) read now — in the request's own context. */
export function auditRow(deps: Pick<Deps, 'clock'>, e: AuditEntry, subjectHash: string | null) {
  const scope = currentScope();
  return {
    route: e.route ?? scope?.route ?? null,
    organisationId: e.organisationId !== undefined ? e.organisationId : (scope?.organisationId ?? null),
    subjectHash,
    at: deps.clock.now(),
    actorKind: e.actorKind,
    actorId: e.actorId ?? null,
    action: e.action,
    subjectKind: e.subjectKind ?? null,
    subjectId: e.subjectId == null ? null : String(e.subjectId),
    outcome: e.outcome,
    requestId: e.requestId ?? scope?.requestId ?? null,
    detail: e.detail ? JSON.stringify(e.detail) : null,
  };
}

/** Who acts in a console session: its account, or the person of a personal real-name session. */
export function consoleActor(s: Pick<ConsoleSession, 'accountId' | 'citizenUserId'>): Pick<AuditEntry, 'actorKind' | 'actorId'> {
  return { actorKind: s.accountId != null ? 'account' : 'person', actorId: String(s.accountId ?? s.citizenUserId) };
}
