// 出入扫码记录 in the console (manual 四(五), 五(二)8; D4, E7): passive records (scanned by staff, with
// 未反馈 and 人工输入 ones) and active ones (self-registration) of the unit's scan points, filtered and
// masked; a record's detail; a person's basic information, pass records at this unit and health reports;
// a scanner's information and scan records. Looking at a person is audited (who looked at whom).
import {
  COLOUR_TEXT,
  maskName,
  maskPhone,
  NO_FEEDBACK_TEXT,
  PASS_REASON_TEXT,
  SCAN_METHOD_TEXT,
  TEMPERATURE_RESULT_TEXT,
  type Colour,
  type Page,
  type PassPersonView,
  type PassReason,
  type ScanMethod,
  type ScannerView,
  type ScanRecordDetail,
  type ScanRecordRow,
  type TemperatureResult,
} from '@bamin/common';
import { QueryTypes } from 'sequelize';
import type { Deps } from '../deps';
import { staleReads } from '../db/database';
import { timeParam, toDate } from '../db/values';
import { areaFullName, findArea } from '../domain/areas';
import { dayBounds } from '../domain/dailyStats';
import { ApiError } from '../errors';
import { consoleActor, writeAudit } from './auditService';
import type { ConsoleSession } from './consoleSessionService';
import { reportsOf } from './healthReportService';
import { searchIdHashes } from './peopleService';
import { currentStatus } from './statusService';

type D = Pick<Deps, 'db' | 'pii' | 'clock'>;

export interface ScanRecordFilter {
  name?: string;
  idNumber?: string;
  areaCode?: string;
  temperature?: 'normal' | 'abnormal' | 'none';
  colour?: Colour;
  from?: string;
  to?: string;
  scannerId?: number;
  mode?: 'passive' | 'active';
  page: number;
  pageSize: number;
}

export interface JoinedRow {
  id: number;
  person_id: number;
  person_name: string | null;
  id_masked: string;
  area_code: string;
  scan_point_name: string | null;
  location: string | null;
  service_point_name: string | null;
  scanner_account_id: number | null;
  scanner_name: string | null;
  scanned_at: Date | string;
  mode: 'passive' | 'active';
  method: ScanMethod;
  colour: Colour;
  temperature_result: TemperatureResult | null;
  temperature_tenths: number | null;
  pass_reason: PassReason | null;
  feedback_at: Date | string | null;
}

export const SELECT = `SELECT s.id, s.person_id, p.name AS person_name, p.id_masked, s.area_code, s.scan_point_name, s.location,
  sp.name AS service_point_name, s.scanner_account_id, a.display_name AS scanner_name, s.scanned_at, s.mode, s.method,
  s.colour, s.temperature_result, s.temperature_tenths, s.pass_reason, s.feedback_at
FROM scan_records s
JOIN people p ON p.id = s.person_id
LEFT JOIN accounts a ON a.id = s.scanner_account_id
LEFT JOIN service_points sp ON sp.id = s.service_point_id`;

/** Start of an Asia/Shanghai day as an instant. */
const dayStart = (day: string) => dayBounds(day).start;
const nextDayStart = (day: string) => dayBounds(day).end;

export function toRow(r: JoinedRow): ScanRecordRow {
  const county = findArea(r.area_code)?.name ?? '';
  return {
    id: Number(r.id),
    personRef: String(r.person_id),
    nameMasked: r.person_name ? maskName(r.person_name) : '—',
    idMasked: r.id_masked,
    areaName: areaFullName(r.area_code),
    pointName: r.scan_point_name ? `${county}${r.scan_point_name}` : (r.service_point_name ?? r.location ?? ''),
    scanner: r.scanner_account_id == null ? null : { id: Number(r.scanner_account_id), nameMasked: r.scanner_name ? maskName(r.scanner_name) : '—' },
    scannedAt: toDate(r.scanned_at).toISOString(),
    mode: r.mode,
    method: r.method,
    methodText: SCAN_METHOD_TEXT[r.method] ?? r.method,
    colour: r.colour,
    colourText: COLOUR_TEXT[r.colour],
    temperatureText: r.temperature_result ? TEMPERATURE_RESULT_TEXT[r.temperature_result] : NO_FEEDBACK_TEXT,
  };
}


export function whereOf(deps: D, s: ConsoleSession, f: Partial<ScanRecordFilter>): { sql: string; params: unknown[] } {
  const clauses = ['s.organisation_id = ?'];
  const params: unknown[] = [s.organisationId];
  if (f.name?.trim()) {
    // wildcards are dropped rather than escaped: MySQL and SQLite disagree on LIKE escapes
    clauses.push('p.name LIKE ?');
    params.push(`%${f.name.trim().replace(/[\\%_]/g, '')}%`);
  }
  if (f.idNumber?.trim()) {
    const hashes = searchIdHashes(deps, f.idNumber);
    clauses.push(`p.id_hash IN (${hashes.map(() => '?').join(', ')})`);
    params.push(...hashes);
  }
  if (f.areaCode) {
    // a county exactly; a city or province by its code's prefix
    const prefix = f.areaCode.endsWith('0000') ? f.areaCode.slice(0, 2) : f.areaCode.endsWith('00') ? f.areaCode.slice(0, 4) : f.areaCode;
    clauses.push('s.area_code LIKE ?');
    params.push(prefix.length === 6 ? prefix : `${prefix}%`);
  }
  if (f.temperature === 'none') clauses.push('s.temperature_result IS NULL');
  else if (f.temperature) {
    clauses.push('s.temperature_result = ?');
    params.push(f.temperature);
  }
  if (f.colour) {
    clauses.push('s.colour = ?');
    params.push(f.colour);
  }
  if (f.from) {
    clauses.push('s.scanned_at >= ?');
    params.push(timeParam(deps.db, dayStart(f.from)));
  }
  if (f.to) {
    clauses.push('s.scanned_at < ?');
    params.push(timeParam(deps.db, nextDayStart(f.to)));
  }
  if (f.scannerId) {
    clauses.push('s.scanner_account_id = ?');
    params.push(f.scannerId);
  }
  if (f.mode) {
    clauses.push('s.mode = ?');
    params.push(f.mode);
  }
  return { sql: clauses.join(' AND '), params };
}

export async function listScanRecords(deps: D, s: ConsoleSession, f: ScanRecordFilter): Promise<Page<ScanRecordRow>> {
  const where = whereOf(deps, s, f);
  // the console's list: a replica a moment behind may serve it (a record just scanned shows on the next refresh)
  const [count] = (await staleReads(deps.db).sequelize.query(
    `SELECT COUNT(*) AS n FROM scan_records s JOIN people p ON p.id = s.person_id WHERE ${where.sql}`,
    { replacements: where.params, type: QueryTypes.SELECT },
  )) as { n: number | string }[];
  const rows = (await staleReads(deps.db).sequelize.query(`${SELECT} WHERE ${where.sql} ORDER BY s.scanned_at DESC, s.id DESC LIMIT ? OFFSET ?`, {
    replacements: [...where.params, f.pageSize, (f.page - 1) * f.pageSize],
    type: QueryTypes.SELECT,
  })) as JoinedRow[];
  return { items: rows.map(toRow), page: f.page, pageSize: f.pageSize, total: Number(count.n) };
}

export async function scanRecordDetail(deps: D, s: ConsoleSession, id: number): Promise<ScanRecordDetail> {
  const [r] = (await deps.db.sequelize.query(`${SELECT} WHERE s.id = ? AND s.organisation_id = ?`, {
    replacements: [id, s.organisationId],
    type: QueryTypes.SELECT,
  })) as JoinedRow[];
  if (!r) throw new ApiError('SCAN_NOT_FOUND');
  await writeAudit(deps, { ...consoleActor(s), action: 'console.scan_record_view', subjectKind: 'person', subjectId: Number(r.person_id), outcome: 'ok', detail: { scanId: id } });
  return {
    ...toRow(r),
    location: r.location,
    passReasonText: r.pass_reason ? (PASS_REASON_TEXT[r.pass_reason] ?? r.pass_reason) : null,
    temperatureCelsius: r.temperature_tenths == null ? null : Number(r.temperature_tenths) / 10,
    feedbackAt: r.feedback_at ? toDate(r.feedback_at).toISOString() : null,
    servicePointName: r.service_point_name,
  };
}

/** A person who passed one of the unit's points: basic information, pass records here, health reports. */
export async function passPerson(deps: D, s: ConsoleSession, personRef: string, requestId?: string): Promise<PassPersonView> {
  if (!/^\d{1,15}$/.test(personRef)) throw new ApiError('PERSON_NOT_FOUND');
  const personId = Number(personRef);
  const passed = await deps.db.models.ScanRecord.count({ where: { personId, organisationId: s.organisationId } });
  const actor = { actorKind: s.accountId != null ? ('account' as const) : ('person' as const), actorId: String(s.accountId ?? s.citizenUserId), requestId };
  if (!passed) {
    await writeAudit(deps, { ...actor, action: 'console.pass_person_view', subjectKind: 'person', subjectId: personId, outcome: 'refused' });
    throw new ApiError('PERSON_NOT_FOUND');
  }
  const p = (await deps.db.models.Person.findByPk(personId, { raw: true })) as unknown as {
    name: string | null;
    idMasked: string;
    phoneEnc: string | null;
    residenceArea: string | null;
  };
  const records = await deps.db.sequelize.query(`${SELECT} WHERE s.organisation_id = ? AND s.person_id = ? ORDER BY s.scanned_at DESC, s.id DESC LIMIT 50`, {
    replacements: [s.organisationId, personId],
    type: QueryTypes.SELECT,
  });
  const status = await currentStatus(deps, personId);
  await writeAudit(deps, { ...actor, action: 'console.pass_person_view', subjectKind: 'person', subjectId: personId, outcome: 'ok', detail: { organisationId: s.organisationId } });
  return {
    personRef,
    nameMasked: p.name ? maskName(p.name) : '—',
    idMasked: p.idMasked,
    phoneMasked: p.phoneEnc ? maskPhone(deps.pii.decrypt(p.phoneEnc)) : null,
    residence: p.residenceArea ? areaFullName(p.residenceArea) || null : null,
    colour: status.colour,
    colourText: COLOUR_TEXT[status.colour],
    records: (records as JoinedRow[]).map(toRow),
    reports: (await reportsOf(deps, personId, { page: 1, pageSize: 50 })).items,
  };
}

/** One of the unit's own scanners: information and scan records (paged). */
export async function scannerView(deps: D, s: ConsoleSession, accountId: number, page: number, pageSize: number): Promise<ScannerView> {
  const a = (await deps.db.models.Account.findOne({ where: { id: accountId, organisationId: s.organisationId, kind: 'sub' }, raw: true })) as unknown as {
    id: number;
    displayName: string | null;
    phoneEnc: string | null;
    authorised: boolean | number;
    disabled: boolean | number;
  } | null;
  if (!a) throw new ApiError('SUB_ACCOUNT_NOT_FOUND');
  const records = await listScanRecords(deps, s, { scannerId: accountId, page, pageSize });
  await writeAudit(deps, { ...consoleActor(s), action: 'console.scanner_view', subjectKind: 'account', subjectId: accountId, outcome: 'ok' });
  return {
    id: Number(a.id),
    name: a.displayName,
    phoneMasked: a.phoneEnc ? maskPhone(deps.pii.decrypt(a.phoneEnc)) : '',
    authorised: !!a.authorised,
    disabled: !!a.disabled,
    records: records.items,
    total: records.total,
  };
}
