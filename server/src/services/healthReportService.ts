// Daily health reports (健康上报, A8) for oneself or a family member, and in-app messages (站内消息, A9).
// A report is about a person; the unit that imported that person's ID number sees it (issue 6, E2).
import {
  HEALTH_REPORT_TYPE_TEXT,
  SYMPTOM_TEXT,
  SYMPTOMS,
  TEMPERATURE_MAX_CELSIUS,
  TEMPERATURE_MIN_CELSIUS,
  type HealthReportRequest,
  type HealthReportType,
  type HealthReportView,
  type MessageKind,
  type MessagePage,
  type MessageView,
  type Page,
  type Symptom,
} from '@bamin/common';
import { Op, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import { toDate } from '../db/values';
import { areaFullName, isCountyLevelCode } from '../domain/areas';
import { ApiError } from '../errors';
import { resolveHolder, type CitizenSession } from './citizenService';


type D = Pick<Deps, 'db' | 'clock'>;

interface ReportRow {
  id: number;
  personId: number;
  reportType: HealthReportType;
  temperatureTenths: number | null;
  symptoms: string;
  otherSymptom: string | null;
  areaCode: string | null;
  location: string | null;
  reportedAt: Date | string;
}

/** 'none' alone, or real symptoms; 'other' needs its text (manual 一(六) 是否有以下症状（必选）). */
export function checkSymptoms(symptoms: Symptom[], otherSymptom: string | null | undefined): { field: string; problem: string }[] {
  const problems: { field: string; problem: string }[] = [];
  if (symptoms.length === 0) problems.push({ field: 'symptoms', problem: '请选择症状（无症状也请选择）' });
  if (symptoms.includes('none') && symptoms.length > 1) problems.push({ field: 'symptoms', problem: '选择了“无症状”就不能再选其他症状' });
  if (symptoms.includes('other') && !otherSymptom?.trim()) problems.push({ field: 'otherSymptom', problem: '请填写其他症状' });
  return problems;
}

/** The symptoms in the contract's (the manual's) order, each once. */
export function orderedSymptoms(symptoms: readonly Symptom[]): Symptom[] {
  return SYMPTOMS.filter((s) => symptoms.includes(s));
}

export function symptomText(symptoms: Symptom[], other: string | null): string {
  return symptoms.map((s) => (s === 'other' && other ? `${SYMPTOM_TEXT.other}（${other}）` : SYMPTOM_TEXT[s])).join('、');
}

export function reportView(r: ReportRow): HealthReportView {
  const symptoms = (r.symptoms ? r.symptoms.split(',') : []) as Symptom[];
  return {
    id: Number(r.id),
    reportType: r.reportType,
    typeText: HEALTH_REPORT_TYPE_TEXT[r.reportType] ?? r.reportType,
    reportedAt: toDate(r.reportedAt).toISOString(),
    temperatureCelsius: r.temperatureTenths == null ? null : Number(r.temperatureTenths) / 10,
    symptoms,
    symptomText: symptomText(symptoms, r.otherSymptom),
    areaCode: r.areaCode,
    areaName: r.areaCode ? areaFullName(r.areaCode) || null : null,
    location: r.location,
  };
}

export async function submitHealthReport(deps: D, session: CitizenSession, body: HealthReportRequest): Promise<HealthReportView> {
  const holder = await resolveHolder(deps, session, body.holder);
  const problems = checkSymptoms(body.symptoms, body.otherSymptom);
  if (!isCountyLevelCode(body.areaCode)) problems.push({ field: 'areaCode', problem: '请选择当前所在的区县' });
  const t = body.temperatureCelsius;
  if (t < TEMPERATURE_MIN_CELSIUS || t > TEMPERATURE_MAX_CELSIUS) problems.push({ field: 'temperatureCelsius', problem: `体温须在 ${TEMPERATURE_MIN_CELSIUS.toFixed(1)}–${TEMPERATURE_MAX_CELSIUS.toFixed(1)} ℃ 之间` });
  if (problems.length) throw new ApiError('VALIDATION_FAILED', problems);
  const ordered = orderedSymptoms(body.symptoms);
  const row = await deps.db.models.HealthReport.create({
    personId: holder.personId,
    reporterPersonId: session.personId,
    reportType: holder.relation === 'self' ? 'self' : 'family',
    temperatureTenths: Math.round(t * 10),
    symptoms: ordered.join(','),
    otherSymptom: ordered.includes('other') ? body.otherSymptom!.trim() : null,
    areaCode: body.areaCode,
    location: body.location.trim(),
    reportedAt: deps.clock.now(),
  });
  return reportView(row.get({ plain: true }) as ReportRow);
}

/** A person's reports, newest first, optionally within [from, to). */
export async function reportsOf(
  deps: Pick<Deps, 'db'>,
  personId: number,
  q: { page: number; pageSize: number; from?: Date; to?: Date; type?: HealthReportType },
): Promise<Page<HealthReportView>> {
  const where: Record<string | symbol, unknown> = { personId };
  if (q.from || q.to) where.reportedAt = { ...(q.from ? { [Op.gte]: q.from } : {}), ...(q.to ? { [Op.lt]: q.to } : {}) };
  if (q.type) where.reportType = q.type;
  const { rows, count } = await deps.db.models.HealthReport.findAndCountAll({
    where,
    order: [
      ['reportedAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
    raw: true,
  });
  return { items: (rows as unknown as ReportRow[]).map(reportView), page: q.page, pageSize: q.pageSize, total: count };
}

export async function listMyReports(deps: D, session: CitizenSession, holderKey: string, page: number, pageSize: number) {
  const holder = await resolveHolder(deps, session, holderKey);
  return reportsOf(deps, holder.personId, { page, pageSize });
}

// ---- messages ----------------------------------------------------------------------------------

interface MessageRow {
  id: number;
  kind: MessageKind;
  title: string;
  body: string;
  senderOrganisationId: number | null;
  createdAt: Date | string;
  readAt: Date | string | null;
}

export async function sendMessages(
  deps: D,
  m: { personIds: number[]; kind: MessageKind; title: string; body: string; senderOrganisationId: number | null },
  transaction?: Transaction,
): Promise<number> {
  if (!m.personIds.length) return 0;
  await deps.db.models.Message.bulkCreate(
    m.personIds.map((personId) => ({ personId, kind: m.kind, title: m.title, body: m.body, senderOrganisationId: m.senderOrganisationId })),
    { transaction },
  );
  return m.personIds.length;
}

function requirePersonId(session: CitizenSession): number {
  if (session.personId == null) throw new ApiError('L4_REQUIRED');
  return session.personId;
}

export async function listMessages(deps: D, session: CitizenSession, page: number, pageSize: number): Promise<MessagePage> {
  const personId = requirePersonId(session);
  const { rows, count } = await deps.db.models.Message.findAndCountAll({
    where: { personId },
    order: [
      ['createdAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: pageSize,
    offset: (page - 1) * pageSize,
    raw: true,
  });
  const unread = await deps.db.models.Message.count({ where: { personId, readAt: null } });
  const list = rows as unknown as MessageRow[];
  const senders = await senderNames(deps, list);
  return { items: list.map((r) => messageView(r, senders)), unread, page, pageSize, total: count };
}

async function senderNames(deps: Pick<Deps, 'db'>, rows: MessageRow[]): Promise<Map<number, string>> {
  const ids = [...new Set(rows.map((r) => r.senderOrganisationId).filter((x): x is number => x != null).map(Number))];
  if (!ids.length) return new Map();
  const orgs = (await deps.db.models.Organisation.findAll({ where: { id: { [Op.in]: ids } }, attributes: ['id', 'name'], raw: true })) as unknown as { id: number; name: string }[];
  return new Map(orgs.map((o) => [Number(o.id), o.name]));
}

function messageView(r: MessageRow, senders: Map<number, string>): MessageView {
  return {
    id: Number(r.id),
    kind: r.kind,
    title: r.title,
    body: r.body,
    senderName: r.senderOrganisationId == null ? null : (senders.get(Number(r.senderOrganisationId)) ?? null),
    createdAt: toDate(r.createdAt).toISOString(),
    readAt: r.readAt ? toDate(r.readAt).toISOString() : null,
  };
}

export async function markMessageRead(deps: D, session: CitizenSession, id: number): Promise<MessageView> {
  const personId = requirePersonId(session);
  const where = { id, personId };
  if (!(await deps.db.models.Message.findOne({ where, attributes: ['id'] }))) throw new ApiError('MESSAGE_NOT_FOUND');
  await deps.db.models.Message.update({ readAt: deps.clock.now() }, { where: { ...where, readAt: null } });
  const row = (await deps.db.models.Message.findByPk(id, { raw: true })) as unknown as MessageRow;
  return messageView(row, await senderNames(deps, [row]));
}
