// 职工健康管理 (manual 四(六), 五(二)5; D5, E4): the unit's employees with today's reporting status
// (Asia/Shanghai day), reminders as in-app messages, an employee's report history, and the export of a
// range of reports. An employee is linked to a person by the keyed hash of the ID number, so reports made
// before and after the import both count (E2 同步员工健康数据).
import {
  HEALTH_REPORT_TYPE_TEXT,
  shanghaiDay,
  type EmployeeHealthRow,
  type HealthReportType,
  type HealthReportView,
  type Page,
  type Symptom,
} from '@bamin/common';
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { Op, QueryTypes } from 'sequelize';
import type { Deps } from '../deps';
import { timeParam, toDate } from '../db/values';
import { areaFullName } from '../domain/areas';
import { dayBounds } from '../domain/dailyStats';
import { ApiError } from '../errors';
import { consoleActor, writeAudit } from './auditService';
import type { ConsoleSession } from './consoleSessionService';
import { reportsOf, sendMessages, symptomText } from './healthReportService';
import { resolvePeople, searchIdHashes } from './peopleService';

type D = Pick<Deps, 'db' | 'pii' | 'clock'>;

/** A report is abnormal with any symptom or a temperature of 37.3 ℃ or more. */
export const FEVER_TENTHS = 373;
export const REMINDER_TITLE = '健康上报提醒';

const dayStart = (day: string) => dayBounds(day).start;
const nextDayStart = (day: string) => dayBounds(day).end;

export interface EmployeeHealthFilter {
  name?: string;
  idNumber?: string;
  status?: 'reported' | 'not_reported';
  from?: string;
  to?: string;
  result?: 'normal' | 'abnormal';
  page: number;
  pageSize: number;
}

interface Row {
  id: number;
  name: string;
  id_masked: string;
  department: string | null;
  latest_at: Date | string | null;
  symptoms: string | null;
  temperature_tenths: number | null;
}

const LATEST = `SELECT e.id, e.name, e.id_masked, e.department, lr.reported_at AS latest_at, lr.symptoms, lr.temperature_tenths
FROM employees e
LEFT JOIN people p ON p.id_hash = e.id_hash
LEFT JOIN health_reports lr ON lr.id = (
  SELECT h.id FROM health_reports h WHERE h.person_id = p.id ORDER BY h.reported_at DESC, h.id DESC LIMIT 1
)`;

const ABNORMAL = `(lr.symptoms <> 'none' OR lr.temperature_tenths >= ${FEVER_TENTHS})`;

function isAbnormal(symptoms: string | null, tenths: number | null): boolean {
  return (symptoms != null && symptoms !== 'none') || (tenths != null && Number(tenths) >= FEVER_TENTHS);
}

export async function employeeHealth(deps: D, s: ConsoleSession, f: EmployeeHealthFilter): Promise<Page<EmployeeHealthRow>> {
  const today = dayStart(shanghaiDay(deps.clock.now()));
  const clauses = ['e.organisation_id = ?'];
  const params: unknown[] = [s.organisationId];
  if (f.name?.trim()) {
    clauses.push('e.name LIKE ?');
    params.push(`%${f.name.trim().replace(/[\\%_]/g, '')}%`);
  }
  if (f.idNumber?.trim()) {
    const hashes = searchIdHashes(deps, f.idNumber);
    clauses.push(`e.id_hash IN (${hashes.map(() => '?').join(', ')})`);
    params.push(...hashes);
  }
  if (f.status === 'reported') {
    clauses.push('lr.reported_at >= ?');
    params.push(timeParam(deps.db, today));
  } else if (f.status === 'not_reported') {
    clauses.push('(lr.reported_at IS NULL OR lr.reported_at < ?)');
    params.push(timeParam(deps.db, today));
  }
  if (f.from) {
    clauses.push('lr.reported_at >= ?');
    params.push(timeParam(deps.db, dayStart(f.from)));
  }
  if (f.to) {
    clauses.push('lr.reported_at < ?');
    params.push(timeParam(deps.db, nextDayStart(f.to)));
  }
  if (f.result === 'abnormal') clauses.push(ABNORMAL);
  else if (f.result === 'normal') clauses.push(`(lr.id IS NOT NULL AND NOT ${ABNORMAL})`);
  const where = clauses.join(' AND ');
  const [count] = (await deps.db.sequelize.query(`SELECT COUNT(*) AS n FROM (${LATEST} WHERE ${where}) t`, { replacements: params, type: QueryTypes.SELECT })) as {
    n: number | string;
  }[];
  const rows = (await deps.db.sequelize.query(`${LATEST} WHERE ${where} ORDER BY e.id DESC LIMIT ? OFFSET ?`, {
    replacements: [...params, f.pageSize, (f.page - 1) * f.pageSize],
    type: QueryTypes.SELECT,
  })) as Row[];
  return {
    items: rows.map((r) => {
      const latest = r.latest_at ? toDate(r.latest_at) : null;
      const reportedToday = !!latest && latest >= today;
      return {
        employeeId: Number(r.id),
        name: r.name,
        idMasked: r.id_masked,
        department: r.department,
        reportedToday,
        statusText: reportedToday ? '已上报' : '未上报',
        latestReportAt: latest ? latest.toISOString() : null,
        latestResultText: latest ? (isAbnormal(r.symptoms, r.temperature_tenths) ? '异常' : '正常') : null,
      };
    }),
    page: f.page,
    pageSize: f.pageSize,
    total: Number(count.n),
  };
}

interface EmployeeRecord {
  id: number;
  name: string;
  idType: string;
  idHash: string;
  idNumberEnc: string;
}

async function unitEmployees(deps: Pick<Deps, 'db'>, s: ConsoleSession, ids: number[]): Promise<EmployeeRecord[]> {
  const unique = [...new Set(ids)];
  const rows = (await deps.db.models.Employee.findAll({
    where: { id: { [Op.in]: unique }, organisationId: s.organisationId },
    attributes: ['id', 'name', 'idType', 'idHash', 'idNumberEnc'],
    raw: true,
  })) as unknown as EmployeeRecord[];
  if (rows.length !== unique.length) throw new ApiError('EMPLOYEE_NOT_FOUND', undefined, '所选职工中有不属于本单位的记录，未发送任何提醒');
  return rows;
}

/** 提醒上报 / 批量提醒: an in-app message to each; all or none when one of them already reported today. */
export async function remindEmployees(deps: D, s: ConsoleSession, employeeIds: number[], requestId?: string): Promise<{ reminded: number }> {
  const employees = await unitEmployees(deps, s, employeeIds);
  const today = dayStart(shanghaiDay(deps.clock.now()));
  return deps.db.sequelize.transaction(async (transaction) => {
    // An employee who never used the app has no person yet: one is made from the imported ID number, so
    // the reminder waits in their message list. (Employees keep no passport country, so a passport holder
    // must have used the app once.)
    const existing = (await deps.db.models.Person.findAll({
      where: { idHash: { [Op.in]: employees.map((e) => e.idHash) } },
      attributes: ['id', 'idHash'],
      raw: true,
      transaction,
    })) as unknown as { id: number; idHash: string }[];
    const byHash = new Map(existing.map((p) => [p.idHash, Number(p.id)]));
    const missing = employees.filter((e) => !byHash.has(e.idHash));
    const unreachable = missing.filter((e) => e.idType === 'passport');
    if (unreachable.length) {
      throw new ApiError('CANNOT_REMIND', unreachable.map((e) => ({ field: 'employeeIds', problem: `${e.name} 尚未使用八闽健康码，无法发送站内提醒` })));
    }
    if (missing.length) {
      const created = await resolvePeople(
        deps,
        missing.map((e) => ({ idType: e.idType as never, idNumber: deps.pii.decrypt(e.idNumberEnc), country: null, name: e.name, birthDate: null })),
        transaction,
      );
      for (const [hash, id] of created) byHash.set(hash, id);
    }
    const reported = await deps.db.models.HealthReport.findAll({
      where: { personId: { [Op.in]: [...byHash.values()] }, reportedAt: { [Op.gte]: today } },
      attributes: ['personId'],
      raw: true,
      transaction,
    });
    const reportedPeople = new Set((reported as unknown as { personId: number }[]).map((r) => Number(r.personId)));
    const already = employees.filter((e) => reportedPeople.has(byHash.get(e.idHash)!));
    if (already.length) {
      throw new ApiError('ALREADY_REPORTED', already.map((e) => ({ field: 'employeeIds', problem: `${e.name} 今日已上报，无需提醒` })));
    }
    const org = (await deps.db.models.Organisation.findByPk(s.organisationId!, { attributes: ['name'], raw: true, transaction })) as unknown as { name: string };
    const n = await sendMessages(
      deps,
      { personIds: employees.map((e) => byHash.get(e.idHash)!), kind: 'reminder', title: REMINDER_TITLE, body: `${org.name}提醒您：请及时完成今日健康上报。`, senderOrganisationId: s.organisationId },
      transaction,
    );
    await writeAudit(deps, { ...consoleActor(s), action: 'console.employees_reminded', subjectKind: 'organisation', subjectId: s.organisationId, outcome: 'ok', requestId, detail: { count: n } }, transaction);
    return { reminded: n };
  });
}

/** 查看历史记录: one employee's reports. */
export async function employeeReports(
  deps: D,
  s: ConsoleSession,
  employeeId: number,
  q: { page: number; pageSize: number; from?: string; to?: string; type?: HealthReportType },
): Promise<Page<HealthReportView> & { name: string; idMasked: string }> {
  const e = (await deps.db.models.Employee.findOne({ where: { id: employeeId, organisationId: s.organisationId }, attributes: ['name', 'idMasked', 'idHash'], raw: true })) as unknown as {
    name: string;
    idMasked: string;
    idHash: string;
  } | null;
  if (!e) throw new ApiError('EMPLOYEE_NOT_FOUND');
  const person = (await deps.db.models.Person.findOne({ where: { idHash: e.idHash }, attributes: ['id'], raw: true })) as unknown as { id: number } | null;
  // a read of one person's health record (H3)
  await writeAudit(deps, { ...consoleActor(s), action: 'console.employee_reports_view', subjectKind: person ? 'person' : 'employee', subjectId: person ? Number(person.id) : employeeId, outcome: 'ok' });
  const page = person
    ? await reportsOf(deps, Number(person.id), { page: q.page, pageSize: q.pageSize, from: q.from ? dayStart(q.from) : undefined, to: q.to ? nextDayStart(q.to) : undefined, type: q.type })
    : { items: [], page: q.page, pageSize: q.pageSize, total: 0 };
  return { ...page, name: e.name, idMasked: e.idMasked };
}

/** The export is a read of many people's records: audited once, with its range (H3). */
export async function auditExport(deps: D, s: ConsoleSession, from: string, to: string): Promise<void> {
  await writeAudit(deps, { ...consoleActor(s), action: 'console.employee_reports_exported', subjectKind: 'organisation', subjectId: s.organisationId, outcome: 'ok', detail: { from, to } });
}

/** 批量导出: the unit's employees' reports of [from, to] as .xlsx, written as a stream. */
export function exportReports(deps: D, s: ConsoleSession, from: string, to: string): PassThrough {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('健康上报');
  sheet.columns = [
    { header: '姓名', key: 'name', width: 12 },
    { header: '证件号码', key: 'idMasked', width: 22 },
    { header: '部门', key: 'department', width: 14 },
    { header: '上报时间', key: 'reportedAt', width: 20 },
    { header: '上报类型', key: 'type', width: 10 },
    { header: '体温(℃)', key: 'temperature', width: 10 },
    { header: '症状', key: 'symptoms', width: 24 },
    { header: '所在地区', key: 'area', width: 24 },
    { header: '具体位置', key: 'location', width: 24 },
  ];
  const PAGE = 2000;
  void (async () => {
    try {
      for (let offset = 0; ; offset += PAGE) {
        const rows = (await deps.db.sequelize.query(
          `SELECT e.name, e.id_masked, e.department, h.reported_at, h.report_type, h.temperature_tenths, h.symptoms, h.other_symptom, h.area_code, h.location
           FROM employees e JOIN people p ON p.id_hash = e.id_hash JOIN health_reports h ON h.person_id = p.id
           WHERE e.organisation_id = ? AND h.reported_at >= ? AND h.reported_at < ?
           ORDER BY h.reported_at, h.id LIMIT ? OFFSET ?`,
          { replacements: [s.organisationId, timeParam(deps.db, dayStart(from)), timeParam(deps.db, nextDayStart(to)), PAGE, offset], type: QueryTypes.SELECT },
        )) as {
          name: string;
          id_masked: string;
          department: string | null;
          reported_at: Date | string;
          report_type: HealthReportType;
          temperature_tenths: number | null;
          symptoms: string;
          other_symptom: string | null;
          area_code: string | null;
          location: string | null;
        }[];
        for (const r of rows) {
          const at = toDate(r.reported_at);
          sheet
            .addRow({
              name: r.name,
              idMasked: r.id_masked,
              department: r.department ?? '',
              reportedAt: new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' '),
              type: HEALTH_REPORT_TYPE_TEXT[r.report_type] ?? r.report_type,
              temperature: r.temperature_tenths == null ? '' : (Number(r.temperature_tenths) / 10).toFixed(1),
              symptoms: symptomText((r.symptoms ? r.symptoms.split(',') : []) as Symptom[], r.other_symptom),
              area: r.area_code ? areaFullName(r.area_code) : '',
              location: r.location ?? '',
            })
            .commit();
        }
        if (rows.length < PAGE) break;
      }
      sheet.commit();
      await workbook.commit();
    } catch (e) {
      out.destroy(e as Error);
    }
  })();
  return out;
}

