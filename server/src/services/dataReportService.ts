// 数据上报 / 数据接收 (manual 四(八); D7). A unit sends its 出入扫码记录 of a range, as an .xlsx, to a
// department above it; the department sees it in 数据接收 and downloads it.
// Rules:
// - receivers: only ancestors in the department tree (parent, any ancestor, the health department), never
//   a sibling or a child; an enterprise without a parent hangs under the department of the registration
//   area in its credit code (chars 3–8).
// - the file holds exactly the records the console's 出入扫码记录 shows for the same filters (same WHERE,
//   same masking: names and ID numbers masked; a full ID number is never written), read in pages so a
//   large range never sits in memory, written with exceljs's streaming WorkbookWriter.
// - cells are plain strings (exceljs writes them as shared/inline strings, never as formulas), so a name
//   or point name like "=HYPERLINK(…)" stays text.
// - delivered only when the whole file is written and its SHA-256 recorded; on any failure the partial
//   file is deleted and the report is failed with the reason — never a half delivery.
// - the file is served only to the sender or the receiver (others: 404) and only when its checksum still
//   matches (else 409 REPORT_FILE_CORRUPT); the receiver's first download marks it 已读.
import {
  DATA_REPORT_COLUMNS,
  DATA_REPORT_SHEET,
  DATA_REPORT_STATUS_TEXT,
  DATA_REPORT_SUMMARY_SHEET,
  COLOUR_TEXT,
  COLOURS,
  NO_FEEDBACK_TEXT,
  PASS_REASON_TEXT,
  TEMPERATURE_RESULT_TEXT,
  type DataReportRequest,
  type DataReportStatus,
  type DataReportView,
  type OrganisationKind,
  type Page,
  type ReceiverOption,
  type ReportFrequency,
  REPORT_MAX_ATTEMPTS,
  daysBetween,
  isValidDay,
  startOfShanghaiDay,
  shanghaiDay,
  dataReportFilterText,
  REPORT_FREQUENCY_TEXT,
} from '@bamin/common';
import ExcelJS from 'exceljs';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import { untilDatabaseReturns } from '../db/connectionErrors';
import { staleReads } from '../db/database';
import { timeParam, toDate } from '../db/values';
import { findArea } from '../domain/areas';
import { ApiError } from '../errors';
import { consoleActor, writeAudit } from './auditService';
import { departmentOf } from './consoleAccountService';
import type { ConsoleSession } from './consoleSessionService';
import { SELECT, toRow, whereOf, type JoinedRow } from './scanRecordsService';

type D = Pick<Deps, 'db' | 'pii' | 'clock' | 'config' | 'logger'>;

const PROVINCE = '350000';
/** Rows read from the database at a time. */
export const REPORT_PAGE_ROWS = 1000; // 1,000 rows keep the event loop free (p99 < 40 ms while writing, npm run bench:report)
export const REPORT_MAX_DAYS = 366;

/** Generations still running in this process (tests and shutdown wait for them). */
export const runningReports = new Set<Promise<unknown>>();

/** Test seam: opens the output file (default fs.createWriteStream). */
export interface ReportHooks {
  openOutput?: (file: string) => Writable;
  /** Rows per page (default REPORT_PAGE_ROWS): small in tests to cross page boundaries. */
  pageRows?: number;
}

interface OrgRow {
  id: number;
  kind: OrganisationKind;
  name: string;
  parentId: number | null;
  creditCode: string | null;
}

interface ReportRow {
  id: number;
  fromOrganisationId: number;
  toOrganisationId: number;
  rangeFrom: Date | string;
  rangeTo: Date | string;
  status: string;
  rowCount: number | null;
  fileName: string | null;
  filePath: string | null;
  checksum: string | null;
  readAt: Date | string | null;
  deliveredAt: Date | string | null;
  failureReason: string | null;
  filter: string | null;
  origin: string;
  scheduleId: number | string | null;
  periodKey: string | null;
  attempts: number;
  createdAt: Date | string;
}

const dayStart = (day: string) => startOfShanghaiDay(day);
const shanghai = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

async function org(deps: Pick<Deps, 'db'>, id: number, transaction?: Transaction): Promise<OrgRow | null> {
  const r = (await deps.db.models.Organisation.findByPk(id, { attributes: ['id', 'kind', 'name', 'parentId', 'creditCode'], raw: true, transaction })) as unknown as OrgRow | null;
  return r && { ...r, id: Number(r.id), parentId: r.parentId == null ? null : Number(r.parentId) };
}

/** The unit's ancestors in the department tree, nearest first, ending with the health department. */
export async function receiversOf(deps: Pick<Deps, 'db'>, organisationId: number): Promise<ReceiverOption[]> {
  const self = await org(deps, organisationId);
  if (!self || self.kind === 'health_department') return [];
  let parentId = self.parentId;
  if (parentId == null && self.kind === 'enterprise' && self.creditCode) {
    // the registering authority's area (GB 32100 chars 3–8) places an enterprise without a parent
    const area = self.creditCode.slice(2, 8);
    if (area.startsWith('35') && area !== PROVINCE && findArea(area)) parentId = await departmentOf(deps, area);
  }
  const out: ReceiverOption[] = [];
  const seen = new Set([self.id]);
  while (parentId != null && !seen.has(parentId) && out.length < 10) {
    seen.add(parentId);
    const p = await org(deps, parentId);
    if (!p) break;
    out.push({ id: p.id, name: p.name, kind: p.kind });
    parentId = p.parentId;
  }
  const hd = await departmentOf(deps, PROVINCE);
  if (!seen.has(hd)) {
    const p = (await org(deps, hd))!;
    out.push({ id: p.id, name: p.name, kind: p.kind });
  }
  return out;
}

function viewOf(r: ReportRow, names: Map<number, string>): DataReportView {
  const status = r.status as DataReportStatus;
  return {
    id: Number(r.id),
    from: { id: Number(r.fromOrganisationId), name: names.get(Number(r.fromOrganisationId)) ?? '' },
    to: { id: Number(r.toOrganisationId), name: names.get(Number(r.toOrganisationId)) ?? '' },
    rangeFrom: shanghaiDay(toDate(r.rangeFrom)),
    rangeTo: shanghaiDay(new Date(toDate(r.rangeTo).getTime() - 1)),
    rowCount: r.rowCount == null ? null : Number(r.rowCount),
    status,
    statusText: DATA_REPORT_STATUS_TEXT[status] ?? status,
    failureReason: r.failureReason,
    readAt: r.readAt ? toDate(r.readAt).toISOString() : null,
    deliveredAt: r.deliveredAt ? toDate(r.deliveredAt).toISOString() : null,
    createdAt: toDate(r.createdAt).toISOString(),
    fileName: r.status === 'delivered' ? r.fileName : null,
    filterText: dataReportFilterText(JSON.parse(r.filter ?? '{}') as ReportFilter),
    scheduleId: r.scheduleId == null ? null : Number(r.scheduleId),
    originText: r.origin === 'manual' ? '手动' : (REPORT_FREQUENCY_TEXT[r.origin as ReportFrequency] ?? r.origin),
  };
}

export async function viewsOf(deps: Pick<Deps, 'db'>, rows: ReportRow[]): Promise<DataReportView[]> {
  const ids = [...new Set(rows.flatMap((r) => [Number(r.fromOrganisationId), Number(r.toOrganisationId)]))];
  const orgs = ids.length ? ((await deps.db.models.Organisation.findAll({ where: { id: { [Op.in]: ids } }, attributes: ['id', 'name'], raw: true })) as unknown as { id: number; name: string }[]) : [];
  const names = new Map(orgs.map((o) => [Number(o.id), o.name]));
  return rows.map((r) => viewOf(r, names));
}

export async function reportRow(deps: Pick<Deps, 'db'>, id: number): Promise<ReportRow | null> {
  return (await deps.db.models.DataReport.findByPk(id, { raw: true })) as unknown as ReportRow | null;
}

/** What a report holds: the sender's records of [from, to] (Shanghai days), narrowed by the filters. */
export interface ReportSpec {
  organisationId: number;
  toOrganisationId: number;
  from: string;
  to: string;
  servicePointIds?: number[];
  colour?: DataReportRequest['colour'];
  temperature?: DataReportRequest['temperature'];
}

/** Where a report comes from: 手动上报, or one period of a 定时上报. */
export type ReportOrigin = { origin: 'manual' } | { origin: ReportFrequency; scheduleId: number; periodKey: string };

export type ReportFilter = { servicePointIds?: number[]; colour?: DataReportRequest['colour']; temperature?: DataReportRequest['temperature'] };

/** The filters as stored on reports and schedules: service points sorted and de-duplicated, empty ones left out. */
export function normaliseFilter(f: Pick<ReportSpec, 'servicePointIds' | 'colour' | 'temperature'>): ReportFilter {
  const ids = [...new Set(f.servicePointIds ?? [])].sort((a, b) => a - b);
  return { servicePointIds: ids.length ? ids : undefined, colour: f.colour ?? undefined, temperature: f.temperature ?? undefined };
}

/** Receiver and service points of the unit; the range only when given. Throws the 4xx naming the field. */
export async function checkSpec(deps: Pick<Deps, 'db'>, spec: Omit<ReportSpec, 'from' | 'to'> & Partial<Pick<ReportSpec, 'from' | 'to'>>): Promise<void> {
  const receivers = await receiversOf(deps, spec.organisationId);
  if (!receivers.some((r) => r.id === spec.toOrganisationId)) {
    throw new ApiError('REPORT_RECEIVER_NOT_ALLOWED', [{ field: 'toOrganisationId', problem: '只能上报给本单位的上级部门（不能是同级或下级单位）' }]);
  }
  if (spec.from && spec.to) {
    if (!isValidDay(spec.from)) throw new ApiError('VALIDATION_FAILED', [{ field: 'from', problem: '不是有效的日期' }]);
    if (!isValidDay(spec.to)) throw new ApiError('VALIDATION_FAILED', [{ field: 'to', problem: '不是有效的日期' }]);
    if (spec.from > spec.to) throw new ApiError('VALIDATION_FAILED', [{ field: 'to', problem: '结束日期不能早于开始日期' }]);
    if (daysBetween(spec.from, spec.to) >= REPORT_MAX_DAYS) throw new ApiError('VALIDATION_FAILED', [{ field: 'to', problem: `上报范围最多 ${REPORT_MAX_DAYS} 天` }]);
  }
  const pointIds = [...new Set(spec.servicePointIds ?? [])];
  if (pointIds.length) {
    const own = await deps.db.models.ServicePoint.count({ where: { id: { [Op.in]: pointIds }, organisationId: spec.organisationId } });
    if (own !== pointIds.length) throw new ApiError('VALIDATION_FAILED', [{ field: 'servicePointIds', problem: '所选服务点不属于本单位' }]);
  }
}

/** The 生成中 row of a checked spec. A scheduled one is unique per (schedule, period): UniqueConstraintError when claimed. */
export async function insertReport(
  deps: Pick<Deps, 'db' | 'clock'>,
  spec: ReportSpec,
  origin: ReportOrigin,
  status: 'generating' | 'failed' = 'generating',
  failureReason?: string,
  transaction?: Transaction,
): Promise<number> {
  const sender = (await org(deps, spec.organisationId, transaction))!;
  const row = await deps.db.models.DataReport.create({
    fromOrganisationId: spec.organisationId,
    toOrganisationId: spec.toOrganisationId,
    rangeFrom: dayStart(spec.from),
    rangeTo: new Date(dayStart(spec.to).getTime() + 86400_000),
    status,
    failureReason: failureReason ?? null,
    attempts: status === 'failed' ? REPORT_MAX_ATTEMPTS : 1,
    fileName: `${sender.name}_出入扫码记录_${spec.from}至${spec.to}.xlsx`.replace(/[\\/:*?"<>|]/g, '_'),
    filter: JSON.stringify(normaliseFilter(spec)),
    origin: origin.origin,
    scheduleId: origin.origin === 'manual' ? null : origin.scheduleId,
    periodKey: origin.origin === 'manual' ? null : origin.periodKey,
    heartbeatAt: deps.clock.now(),
  }, { transaction });
  return Number(row.get('id'));
}

/** 发起上报: records the report (生成中) and generates its file in the background. */
export async function startDataReport(deps: D, s: ConsoleSession, body: DataReportRequest, hooks: ReportHooks = {}, requestId?: string): Promise<DataReportView> {
  const spec: ReportSpec = { ...body, organisationId: s.organisationId! };
  await checkSpec(deps, spec);
  const busy = await deps.db.models.DataReport.count({ where: { fromOrganisationId: spec.organisationId, status: 'generating' } });
  if (busy >= REPORT_MAX_GENERATING) throw new ApiError('DATA_REPORT_BUSY');
  // the report and its audit entry together: a database lost in between leaves no 生成中 row nobody generates
  const id = await deps.db.sequelize.transaction(async (transaction) => {
    const reportId = await insertReport(deps, spec, { origin: 'manual' }, 'generating', undefined, transaction);
    await writeAudit(deps, { ...consoleActor(s), action: 'console.data_report_sent', subjectKind: 'data_report', subjectId: reportId, outcome: 'ok', requestId, detail: { to: body.toOrganisationId } }, transaction);
    return reportId;
  });
  const run = generateReport(deps, id, hooks);
  runningReports.add(run);
  void run.finally(() => runningReports.delete(run));
  return (await viewsOf(deps, [(await reportRow(deps, id))!]))[0];
}

/** A unit may have this many reports 生成中 at once (a flood of year-long reports would starve the others). */
export const REPORT_MAX_GENERATING = 3;
/** A 生成中 report without a sign of life for this long was cut off (a crash or a restart). */
export const REPORT_STALE_MS = 10 * 60_000;

/** Reports whose generation was cut off become 失败 (a scheduled one is then retried by the job). */
export async function failStaleReports(deps: Pick<Deps, 'db' | 'clock'>): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - REPORT_STALE_MS);
  const [n] = await deps.db.models.DataReport.update(
    { status: 'failed', failureReason: '生成中断（服务重启或故障），请重新发起上报', checksum: null, filePath: null },
    { where: { status: 'generating', heartbeatAt: { [Op.lt]: cutoff } } },
  );
  return n;
}

/**
 * Writes the file of a 生成中 report from its row; never throws (a failure is recorded on the report).
 * Full ID numbers only when the receiver is the health department and REPORT_FULL_ID_TO_HEALTH_DEPARTMENT is on.
 */
export async function generateReport(deps: D, id: number, hooks: ReportHooks = {}): Promise<DataReportStatus> {
  const relative = path.join('reports', `${id}-${randomBytes(8).toString('hex')}.xlsx`);
  const file = path.join(deps.config.dataDir, relative);
  let aborted = false;
  // the file's stream, so a failure can close it before the file is removed: fs.createWriteStream opens
  // the file asynchronously, and an open finishing after the removal would leave a half file behind
  let output: Writable | null = null;
  const pageRows = hooks.pageRows ?? REPORT_PAGE_ROWS;
  try {
    const report = await reportRow(deps, id);
    if (!report || report.status !== 'generating') return (report?.status as DataReportStatus) ?? 'failed';
    const organisationId = Number(report.fromOrganisationId);
    const receiver = await org(deps, Number(report.toOrganisationId));
    const fullId = deps.config.reportFullIdToHealthDepartment && receiver?.kind === 'health_department';
    const f = { ...(JSON.parse(report.filter ?? '{}') as ReportFilter), from: shanghaiDay(toDate(report.rangeFrom)), to: shanghaiDay(new Date(toDate(report.rangeTo).getTime() - 1)) };
    const s = { organisationId } as ConsoleSession;
    await mkdir(path.dirname(file), { recursive: true });
    const out = (hooks.openOutput ?? createWriteStream)(file);
    output = out;
    const streamFailed = new Promise<never>((_, reject) => out.once('error', reject));
    streamFailed.catch(() => undefined);
    const work = (async () => {
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
      const sheet = workbook.addWorksheet(DATA_REPORT_SHEET);
      const widths = [12, 22, 24, 30, 12, 20, 10, 12, 12, 14];
      sheet.columns = DATA_REPORT_COLUMNS.map((header, i) => ({ header, key: String(i), width: widths[i] }));
      const byColour = new Map<string, number>();
      const byTemperature = new Map<string, number>();
      const where = whereOf(deps, s, { from: f.from, to: f.to, colour: f.colour, temperature: f.temperature });
      let sql = where.sql;
      const params = [...where.params];
      if (f.servicePointIds?.length) {
        sql += ` AND s.service_point_id IN (${f.servicePointIds.map(() => '?').join(', ')})`;
        params.push(...f.servicePointIds);
      }
      const select = fullId ? SELECT.replace(/^SELECT /, 'SELECT p.id_number_enc, ') : SELECT;
      // the file's records are a stale-tolerant read (a replica when DATABASE_READ_URL is set): the report,
      // its status and heartbeat stay on the primary
      const records = staleReads(deps.db).sequelize;
      // records made while the file is written do not shift the pages. The report's filters are all on
      // scan_records (never on people), so each page is found on its own index first, then joined by id:
      // a join in one statement lets MySQL start from people and sort the whole range for every page.
      const [max] = (await records.query(`SELECT MAX(s.id) AS m FROM scan_records s WHERE ${sql}`, { replacements: params, type: QueryTypes.SELECT })) as { m: number | string | null }[];
      let rows = 0;
      if (max?.m != null) {
        // keyset pages on (scanned_at, id): no OFFSET scan that grows with the file
        let after: { at: unknown; id: number } | null = null;
        while (!aborted) {
          const keyset: string = after ? ' AND (s.scanned_at > ? OR (s.scanned_at = ? AND s.id > ?))' : '';
          const ids = (await records.query(`SELECT s.id, s.scanned_at FROM scan_records s WHERE ${sql} AND s.id <= ?${keyset} ORDER BY s.scanned_at, s.id LIMIT ?`, {
            replacements: [...params, Number(max.m), ...(after ? [after.at, after.at, after.id] : []), pageRows],
            type: QueryTypes.SELECT,
          })) as { id: number | string; scanned_at: unknown }[];
          const page = ids.length
            ? ((await records.query(`${select} WHERE s.id IN (${ids.map(() => '?').join(', ')}) ORDER BY s.scanned_at, s.id`, {
                replacements: ids.map((r) => Number(r.id)),
                type: QueryTypes.SELECT,
              })) as (JoinedRow & { id_number_enc?: string })[])
            : [];
          for (const r of page) {
            const v = toRow(r);
            sheet
              .addRow([
                v.nameMasked,
                fullId && r.id_number_enc ? deps.pii.decrypt(r.id_number_enc) : v.idMasked,
                v.areaName,
                v.pointName,
                v.scanner?.nameMasked ?? '',
                shanghai(new Date(v.scannedAt)),
                v.methodText,
                v.colourText,
                v.temperatureText,
                r.pass_reason ? (PASS_REASON_TEXT[r.pass_reason] ?? r.pass_reason) : '',
              ])
              .commit();
            byColour.set(v.colour, (byColour.get(v.colour) ?? 0) + 1);
            byTemperature.set(v.temperatureText, (byTemperature.get(v.temperatureText) ?? 0) + 1);
            rows++;
          }
          if (ids.length < pageRows) break;
          const last = ids[ids.length - 1];
          after = { at: keysetTime(deps, last.scanned_at), id: Number(last.id) };
          await deps.db.models.DataReport.update({ heartbeatAt: deps.clock.now() }, { where: { id }, silent: true });
        }
      }
      if (aborted) throw new Error('output stream failed');
      sheet.commit();
      const summary = workbook.addWorksheet(DATA_REPORT_SUMMARY_SHEET);
      summary.columns = [{ header: '项目', key: 'k', width: 16 }, { header: '人次', key: 'n', width: 10 }];
      summary.addRow(['合计', rows]).commit();
      for (const c of COLOURS) summary.addRow([COLOUR_TEXT[c], byColour.get(c) ?? 0]).commit();
      for (const t of [TEMPERATURE_RESULT_TEXT.normal, TEMPERATURE_RESULT_TEXT.abnormal, NO_FEEDBACK_TEXT]) summary.addRow([t, byTemperature.get(t) ?? 0]).commit();
      summary.commit();
      await workbook.commit();
      return rows;
    })();
    let rows: number;
    try {
      rows = await Promise.race([work, streamFailed]);
    } catch (e) {
      aborted = true;
      work.catch(() => undefined);
      throw e;
    }
    const checksum = await sha256File(file);
    // only a report still 生成中 is delivered (one marked stale meanwhile keeps its failure)
    const [n] = await deps.db.models.DataReport.update(
      { status: 'delivered', deliveredAt: deps.clock.now(), rowCount: rows, checksum, filePath: relative.split(path.sep).join('/'), failureReason: null },
      { where: { id, status: 'generating' } },
    );
    if (n !== 1) {
      await rm(file, { force: true });
      return 'failed';
    }
    return 'delivered';
  } catch (e) {
    deps.logger.error({ err: e, reportId: id }, 'data report generation failed');
    if (output && !output.closed) {
      const closed = once(output, 'close').catch(() => undefined);
      output.destroy();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 5000))]);
    }
    await rm(file, { force: true }).catch(() => undefined);
    const reason = `生成文件失败：${e instanceof Error && (e as NodeJS.ErrnoException).code ? (e as NodeJS.ErrnoException).code : '内部错误'}，请重新发起上报`;
    // when the database is what failed, written once it is back (the report must not stay 生成中; H3)
    await untilDatabaseReturns(
      () => deps.db.models.DataReport.update({ status: 'failed', failureReason: reason.slice(0, 200), rowCount: null, checksum: null, filePath: null }, { where: { id } }),
      { what: 'data report failed', logger: deps.logger },
    ).catch((err) => deps.logger.error({ err, reportId: id }, 'data report left 生成中 (failed after REPORT_STALE_MS)'));
    return 'failed';
  }
}

/** A scanned_at read back from a raw query, as a parameter that compares equal to the stored value. */
function keysetTime(deps: Pick<Deps, 'db'>, v: unknown): unknown {
  return timeParam(deps.db, toDate(v as Date | string));
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')));
  });
}

async function pageOf(deps: Pick<Deps, 'db'>, where: Record<string, unknown>, page: number, pageSize: number): Promise<Page<DataReportView>> {
  const { rows, count } = await deps.db.models.DataReport.findAndCountAll({ where, order: [['id', 'DESC']], limit: pageSize, offset: (page - 1) * pageSize, raw: true });
  return { items: await viewsOf(deps, rows as unknown as ReportRow[]), page, pageSize, total: count };
}

/** 数据上报: what the unit sent, newest first. */
export const sentReports = (deps: Pick<Deps, 'db'>, s: ConsoleSession, page: number, pageSize: number) => pageOf(deps, { fromOrganisationId: s.organisationId }, page, pageSize);

/** 数据接收: what was delivered to the unit, newest first. */
export const receivedReports = (deps: Pick<Deps, 'db'>, s: ConsoleSession, page: number, pageSize: number) =>
  pageOf(deps, { toOrganisationId: s.organisationId, status: 'delivered' }, page, pageSize);

/** The delivered file for its sender or receiver, checked against its checksum; the receiver's first download marks it read. */
export async function reportFile(deps: D, s: ConsoleSession, id: number, requestId?: string): Promise<{ fileName: string; body: Buffer }> {
  const r = await reportRow(deps, id);
  const orgId = s.organisationId;
  const isSender = r != null && Number(r.fromOrganisationId) === orgId;
  const isReceiver = r != null && Number(r.toOrganisationId) === orgId;
  if (!r || !(isSender || isReceiver) || r.status !== 'delivered' || !r.filePath) throw new ApiError('DATA_REPORT_NOT_FOUND');
  const body = await readFile(path.join(deps.config.dataDir, r.filePath)).catch(() => null);
  const actor = { ...consoleActor(s), subjectKind: 'data_report', subjectId: id, requestId };
  if (!body || createHash('sha256').update(body).digest('hex') !== r.checksum) {
    await writeAudit(deps, { ...actor, action: 'console.data_report_download', outcome: 'refused', detail: { error: 'REPORT_FILE_CORRUPT' } });
    throw new ApiError('REPORT_FILE_CORRUPT');
  }
  // 已读 and the download's audit entry together
  await deps.db.sequelize.transaction(async (transaction) => {
    if (isReceiver && !r.readAt) await deps.db.models.DataReport.update({ readAt: deps.clock.now() }, { where: { id, readAt: null }, transaction });
    await writeAudit(deps, { ...actor, action: 'console.data_report_download', outcome: 'ok' }, transaction);
  });
  return { fileName: r.fileName ?? `${id}.xlsx`, body };
}
