// Retention (H3; issue 11): personal records are kept only as long as they serve the epidemic work, then
// purged by a nightly job (jobs/retention.job.ts). Periods are configurable (RETENTION_* settings):
// - scan records 28 days (the 14-day area rule needs 14; the console and reports read them meanwhile);
// - health reports, 站内消息 and the audit log 180 days; delivered report files 180 days (row and file);
//   printed code cards (A5) as long as the audit entry of their issue, counted from their expiry;
// - what only guards a sign-in or a request (SMS codes, CA challenges, L4 checks, sessions, used host
//   tickets, rate-limit windows) a day after it stopped mattering; finished import jobs 30 days;
// - a person's presence at a crowd-counted point a day after it left every window (purgePresence);
// - daily statistics, people, statuses and source data are kept (the dashboard and the status engine).
// Rows go in batches of PURGE_BATCH by id (a short statement each: no long lock on a busy table). The
// job runs once a day across instances (runOnce), and a purge run twice deletes nothing the second time.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { QueryTypes } from 'sequelize';
import type { Deps } from '../deps';
import { retryOnDeadlock } from '../db/connectionErrors';
import { timeParam, toDate } from '../db/values';
import { presenceNoLongerNeeded } from '../domain/crowdFlow';

export const PURGE_BATCH = 5000;
const DAY = 86_400_000;

export interface RetentionPeriods {
  scanRecordDays: number;
  healthReportDays: number;
  auditDays: number;
  messageDays: number;
  reportFileDays: number;
}

interface Rule {
  table: string;
  /** SQL condition on the row, given the cut-off instant as the one parameter `?` (where used). */
  where: string;
  cutoffDays: number;
}

function rules(p: RetentionPeriods): Rule[] {
  return [
    { table: 'scan_records', where: 'scanned_at < ?', cutoffDays: p.scanRecordDays },
    { table: 'health_reports', where: 'reported_at < ?', cutoffDays: p.healthReportDays },
    { table: 'audit_log', where: 'at < ?', cutoffDays: p.auditDays },
    { table: 'messages', where: 'created_at < ?', cutoffDays: p.messageDays },
    // a printed card is no use after its expiry (its token expires with it); its row stays in the holder's
    // card list as long as the audit entry of its issue
    { table: 'code_cards', where: 'expires_at < ?', cutoffDays: p.auditDays },
    { table: 'sms_codes', where: 'expires_at < ?', cutoffDays: 1 },
    { table: 'ca_challenges', where: 'expires_at < ?', cutoffDays: 1 },
    { table: 'l4_checks', where: 'expires_at < ?', cutoffDays: 1 },
    { table: 'app_sessions', where: 'expires_at < ?', cutoffDays: 1 },
    { table: 'console_sessions', where: 'expires_at < ?', cutoffDays: 1 },
    { table: 'account_sessions', where: 'expires_at < ?', cutoffDays: 1 },
    { table: 'host_ticket_uses', where: 'expires_at < ?', cutoffDays: 1 },
    { table: 'rate_limits', where: 'window_start < ?', cutoffDays: 2 },
    { table: 'import_jobs', where: 'finished_at IS NOT NULL AND finished_at < ?', cutoffDays: 30 },
  ];
}

export type PurgeCounts = Record<string, number>;

/** Deletes rows of `table` matching `where` (cut-off bound) in batches; returns how many. */
async function purgeTable(deps: Pick<Deps, 'db'>, table: string, where: string, cutoff: Date): Promise<number> {
  const q = deps.db.sequelize;
  let total = 0;
  for (;;) {
    const ids = (await q.query(`SELECT id FROM ${table} WHERE ${where} ORDER BY id LIMIT ${PURGE_BATCH}`, {
      replacements: [timeParam(deps.db, cutoff)],
      type: QueryTypes.SELECT,
    })) as { id: number | string }[];
    if (!ids.length) return total;
    await q.query(`DELETE FROM ${table} WHERE id IN (${ids.map(() => '?').join(', ')})`, { replacements: ids.map((r) => Number(r.id)) });
    total += ids.length;
    if (ids.length < PURGE_BATCH) return total;
  }
}

/** Delivered report files older than their period: the file first, then the row (a file never outlives nothing). */
async function purgeReportFiles(deps: Pick<Deps, 'db' | 'config' | 'logger'>, cutoff: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = (await deps.db.sequelize.query(`SELECT id, file_path FROM data_reports WHERE created_at < ? AND status <> 'generating' ORDER BY id LIMIT 500`, {
      replacements: [timeParam(deps.db, cutoff)],
      type: QueryTypes.SELECT,
    })) as { id: number | string; file_path: string | null }[];
    if (!rows.length) return total;
    for (const r of rows) {
      if (r.file_path) {
        const file = path.resolve(deps.config.dataDir, r.file_path);
        // only files inside DATA_DIR/reports are ever removed
        if (file.startsWith(path.resolve(deps.config.dataDir, 'reports') + path.sep)) await rm(file, { force: true });
        else deps.logger.warn({ reportId: r.id }, 'report file outside DATA_DIR/reports left in place');
      }
    }
    await deps.db.sequelize.query(`DELETE FROM data_reports WHERE id IN (${rows.map(() => '?').join(', ')})`, { replacements: rows.map((r) => Number(r.id)) });
    total += rows.length;
    if (rows.length < 500) return total;
  }
}

/**
 * crowd_presence rows no crowd count can need again (crowdFlowService.countVisits; the rule is
 * domain/crowdFlow.ts presenceNoLongerNeeded), of points still counted and of points no longer counted. A point whose count never came from presence keeps its
 * rows (its first count rebuilds them). Each point's rows by person id, a batch at a time; the DELETE checks the
 * time again, so a row a scan has just moved forward stays, and the window start only ever moves forward.
 */
async function purgePresence(deps: Pick<Deps, 'db'>, now: Date): Promise<number> {
  const q = deps.db.sequelize;
  const points = (await q.query(
    'SELECT p.service_point_id AS pointId, s.id AS stateId, s.window_from AS windowFrom FROM (SELECT DISTINCT service_point_id FROM crowd_presence) p LEFT JOIN crowd_flow_states s ON s.service_point_id = p.service_point_id',
    { type: QueryTypes.SELECT },
  )) as { pointId: number | string; stateId: number | string | null; windowFrom: unknown }[];
  let total = 0;
  for (const point of points) {
    if (point.stateId != null && point.windowFrom == null) continue;
    const bound = timeParam(deps.db, presenceNoLongerNeeded(point.windowFrom == null ? null : toDate(point.windowFrom), now));
    for (;;) {
      const rows = (await q.query(`SELECT person_id AS personId FROM crowd_presence WHERE service_point_id = ? AND last_seen_at < ? ORDER BY person_id LIMIT ${PURGE_BATCH}`, {
        replacements: [Number(point.pointId), bound],
        type: QueryTypes.SELECT,
      })) as { personId: number | string }[];
      if (!rows.length) break;
      // a scan's batch locks the point's presence rows too: a deadlock with it is retried, as the batch is
      await retryOnDeadlock(() =>
        q.query(`DELETE FROM crowd_presence WHERE service_point_id = ? AND last_seen_at < ? AND person_id IN (${rows.map(() => '?').join(', ')})`, {
          replacements: [Number(point.pointId), bound, ...rows.map((r) => Number(r.personId))],
        }),
      );
      total += rows.length;
      if (rows.length < PURGE_BATCH) break;
    }
  }
  return total;
}

/** One purge of everything past its period, at the clock's now. */
export async function purgeExpired(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'logger'>, periods: RetentionPeriods): Promise<PurgeCounts> {
  const now = deps.clock.now().getTime();
  const out: PurgeCounts = {};
  for (const r of rules(periods)) out[r.table] = await purgeTable(deps, r.table, r.where, new Date(now - r.cutoffDays * DAY));
  out.data_reports = await purgeReportFiles(deps, new Date(now - periods.reportFileDays * DAY));
  out.crowd_presence = await purgePresence(deps, new Date(now));
  return out;
}

export function periodsOf(config: Deps['config']): RetentionPeriods {
  return {
    scanRecordDays: config.retentionScanRecordDays,
    healthReportDays: config.retentionHealthReportDays,
    auditDays: config.retentionAuditDays,
    messageDays: config.retentionMessageDays,
    reportFileDays: config.retentionReportFileDays,
  };
}
