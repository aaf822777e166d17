// 审计日志 in the console (H3; issue 11): the audit trail read back, masked. A unit sees the entries made
// for it (organisation_id = its id); the health department sees everything. Reading the trail is itself
// not audited (it holds no record of a person beyond a masked name and ID number).
import { AUDIT_ACTION_TEXT, AUDIT_OUTCOME_TEXT, AUDIT_SUBJECT_TEXT, addDays, daysBetween, isValidDay, maskName, shanghaiDay, type AuditEntryView, type AuditPage, type OrganisationKind, type Page, type UnitOption } from '@bamin/common';
import { Op, QueryTypes } from 'sequelize';
import type { Deps } from '../deps';
import { staleReads } from '../db/database';
import { containsPattern, timeParam, toDate } from '../db/values';
import { dayBounds } from '../domain/dailyStats';
import { ApiError } from '../errors';
import type { ConsoleSession } from './consoleSessionService';

export const AUDIT_MAX_DAYS = 92;

export interface AuditQuery {
  from?: string;
  to?: string;
  action?: string;
  outcome?: 'ok' | 'not_found' | 'refused';
  organisationId?: number;
  page: number;
  pageSize: number;
}

interface Row {
  id: number | string;
  at: Date | string;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
  outcome: string;
  route: string | null;
  organisation_id: number | string | null;
  person_name: string | null;
  id_masked: string | null;
}

export async function auditTrail(deps: Pick<Deps, 'db' | 'clock'>, s: ConsoleSession, q: AuditQuery): Promise<AuditPage> {
  const today = shanghaiDay(deps.clock.now());
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -6);
  if (!isValidDay(from)) throw new ApiError('VALIDATION_FAILED', [{ field: 'from', problem: '不是有效的日期' }]);
  if (!isValidDay(to)) throw new ApiError('VALIDATION_FAILED', [{ field: 'to', problem: '不是有效的日期' }]);
  if (from > to) throw new ApiError('VALIDATION_FAILED', [{ field: 'to', problem: '结束日期不能早于开始日期' }]);
  if (daysBetween(from, to) >= AUDIT_MAX_DAYS) throw new ApiError('VALIDATION_FAILED', [{ field: 'to', problem: `查询范围最多 ${AUDIT_MAX_DAYS} 天` }]);
  const clauses = ['a.at >= ?', 'a.at < ?'];
  const params: unknown[] = [timeParam(deps.db, dayBounds(from).start), timeParam(deps.db, dayBounds(to).end)];
  if (s.role === 'health_department') {
    if (q.organisationId) {
      clauses.push('a.organisation_id = ?');
      params.push(q.organisationId);
    }
  } else {
    clauses.push('a.organisation_id = ?');
    params.push(s.organisationId);
  }
  if (q.action) {
    clauses.push('a.action = ?');
    params.push(q.action);
  }
  if (q.outcome) {
    clauses.push('a.outcome = ?');
    params.push(q.outcome);
  }
  const where = clauses.join(' AND ');
  const [count] = (await staleReads(deps.db).sequelize.query(`SELECT COUNT(*) AS n FROM audit_log a WHERE ${where}`, { replacements: params, type: QueryTypes.SELECT })) as { n: number | string }[];
  const rows = (await staleReads(deps.db).sequelize.query(
    `SELECT a.id, a.at, a.actor_kind, a.actor_id, a.action, a.subject_kind, a.subject_id, a.outcome, a.route, a.organisation_id, p.name AS person_name, p.id_masked
     FROM audit_log a LEFT JOIN people p ON p.id_hash = a.subject_hash
     WHERE ${where} ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?`,
    { replacements: [...params, q.pageSize, (q.page - 1) * q.pageSize], type: QueryTypes.SELECT },
  )) as Row[];
  const accountIds = [...new Set(rows.filter((r) => r.actor_kind === 'account' && /^\d+$/.test(String(r.actor_id))).map((r) => Number(r.actor_id)))];
  const accounts = accountIds.length
    ? ((await deps.db.models.Account.findAll({ where: { id: { [Op.in]: accountIds } }, attributes: ['id', 'loginName', 'displayName'], raw: true })) as unknown as { id: number; loginName: string | null; displayName: string | null }[])
    : [];
  const accountText = new Map(accounts.map((a) => [Number(a.id), a.loginName ? `账号 ${a.loginName}` : `子账号 ${maskName(a.displayName ?? '')}`]));
  const orgIds = [...new Set(rows.map((r) => (r.organisation_id == null ? null : Number(r.organisation_id))).filter((x): x is number => x != null))];
  const orgs = orgIds.length ? ((await deps.db.models.Organisation.findAll({ where: { id: { [Op.in]: orgIds } }, attributes: ['id', 'name'], raw: true })) as unknown as { id: number; name: string }[]) : [];
  const orgName = new Map(orgs.map((o) => [Number(o.id), o.name]));
  const items: AuditEntryView[] = rows.map((r) => {
    const actorText =
      r.actor_kind === 'account' ? (accountText.get(Number(r.actor_id)) ?? '账号（已删除）')
      : r.actor_kind === 'person' ? '公众用户'
      : r.actor_kind === 'source' ? '数据源'
      : '系统';
    const personMasked = r.id_masked ? { name: r.person_name ? maskName(r.person_name) : '—', idMasked: r.id_masked } : null;
    return {
      id: Number(r.id),
      at: toDate(r.at).toISOString(),
      actorText,
      action: r.action,
      actionText: AUDIT_ACTION_TEXT[r.action] ?? r.action,
      route: r.route,
      outcome: r.outcome,
      outcomeText: AUDIT_OUTCOME_TEXT[r.outcome] ?? r.outcome,
      personMasked,
      subjectText: personMasked ? null : r.subject_kind && r.subject_kind !== 'person' ? `${AUDIT_SUBJECT_TEXT[r.subject_kind] ?? r.subject_kind}${r.subject_kind === 'code' || r.subject_id == null ? '' : ` #${r.subject_id}`}` : null,
      organisation: r.organisation_id == null ? null : { id: Number(r.organisation_id), name: orgName.get(Number(r.organisation_id)) ?? '' },
    };
  });
  return { items, page: q.page, pageSize: q.pageSize, total: Number(count?.n ?? 0) };
}

/**
 * The 审计日志's unit filter for the health department: units of every kind whose name contains `q`
 * (typed wildcards are dropped), by name then id. Names are no personal data; read stale-tolerant.
 */
export async function searchUnits(deps: Pick<Deps, 'db'>, q: string | undefined, page: number, pageSize: number): Promise<Page<UnitOption>> {
  const { models } = staleReads(deps.db);
  const name = containsPattern(q);
  const where = name ? { name: { [Op.like]: name } } : {};
  const { rows, count } = await models.Organisation.findAndCountAll({
    where,
    attributes: ['id', 'name', 'kind'],
    order: [
      ['name', 'ASC'],
      ['id', 'ASC'],
    ],
    limit: pageSize,
    offset: (page - 1) * pageSize,
    raw: true,
  });
  const items = (rows as unknown as { id: number; name: string; kind: OrganisationKind }[]).map((r) => ({ id: Number(r.id), name: r.name, kind: r.kind }));
  return { items, page, pageSize, total: count };
}
