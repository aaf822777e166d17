// 企业服务点管理 (manual 四(九), 五(二)9; D8, E8): a unit's service points with their staff on duty, and
// the printable poster whose QR is a long-lived, colourless, signed `point` token. Regenerating the poster
// revokes every earlier one; deleting the point voids its poster too.
import {
  SERVICE_POINT_TYPE_TEXT,
  type Page,
  type ServicePointRequest,
  type ServicePointType,
  type ServicePointView,
} from '@bamin/common';
import { Op, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import { containsPattern, toDate } from '../db/values';
import { areaFullName, isCountyLevelCode } from '../domain/areas';
import { signToken } from '../domain/codeTokens';
import { ApiError } from '../errors';
import { consoleActor, writeAudit } from './auditService';
import { revokeTokens } from './codeService';
import type { ConsoleSession } from './consoleSessionService';

type D = Pick<Deps, 'db' | 'clock' | 'keyRing'>;

/** A poster stays valid until it is regenerated or the point deleted; the token's own expiry is far away. */
export const POSTER_TTL_SECONDS = 5 * 365 * 86400;

interface PointRow {
  id: number;
  organisationId: number;
  name: string;
  address: string | null;
  areaCode: string;
  type: ServicePointType;
  posterIssuedAt: Date | string | null;
  createdAt: Date | string;
}

const actorOf = consoleActor;

/** The next whole second at or after `t`: tokens carry whole seconds, and a new poster must not fall under the revocation it follows. */
const ceilSecond = (t: Date) => new Date(Math.ceil(t.getTime() / 1000) * 1000);

async function view(deps: Pick<Deps, 'db'>, rows: PointRow[]): Promise<ServicePointView[]> {
  const ids = rows.map((r) => Number(r.id));
  const staff = ids.length
    ? ((await deps.db.models.ServicePointStaff.findAll({ where: { servicePointId: { [Op.in]: ids } }, raw: true })) as unknown as { servicePointId: number; employeeId: number }[])
    : [];
  const employees = staff.length
    ? ((await deps.db.models.Employee.findAll({ where: { id: { [Op.in]: staff.map((x) => Number(x.employeeId)) } }, attributes: ['id', 'name'], raw: true })) as unknown as { id: number; name: string }[])
    : [];
  const names = new Map(employees.map((e) => [Number(e.id), e.name]));
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    address: r.address,
    areaCode: r.areaCode,
    areaName: areaFullName(r.areaCode),
    type: r.type,
    typeText: SERVICE_POINT_TYPE_TEXT[r.type] ?? r.type,
    staff: staff
      .filter((x) => Number(x.servicePointId) === Number(r.id) && names.has(Number(x.employeeId)))
      .map((x) => ({ employeeId: Number(x.employeeId), name: names.get(Number(x.employeeId))! })),
    posterIssuedAt: toDate(r.posterIssuedAt ?? r.createdAt).toISOString(),
  }));
}

async function ownPoint(deps: Pick<Deps, 'db'>, s: ConsoleSession, id: number, transaction?: Transaction): Promise<PointRow> {
  const row = (await deps.db.models.ServicePoint.findOne({ where: { id, organisationId: s.organisationId }, raw: true, transaction })) as unknown as PointRow | null;
  if (!row) throw new ApiError('SERVICE_POINT_NOT_FOUND');
  return row;
}

async function checkedBody(deps: Pick<Deps, 'db'>, s: ConsoleSession, body: ServicePointRequest, transaction?: Transaction) {
  if (!isCountyLevelCode(body.areaCode)) throw new ApiError('AREA_UNKNOWN', [{ field: 'areaCode', problem: '请选择服务点所在的区县' }]);
  const unique = [...new Set(body.staffEmployeeIds)];
  if (unique.length) {
    const n = await deps.db.models.Employee.count({ where: { id: { [Op.in]: unique }, organisationId: s.organisationId }, transaction });
    if (n !== unique.length) throw new ApiError('EMPLOYEE_NOT_FOUND', [{ field: 'staffEmployeeIds', problem: '在岗员工须为本单位的职工' }]);
  }
  return unique;
}

async function setStaff(deps: Pick<Deps, 'db'>, pointId: number, employeeIds: number[], transaction: Transaction) {
  await deps.db.models.ServicePointStaff.destroy({ where: { servicePointId: pointId }, transaction });
  if (employeeIds.length) await deps.db.models.ServicePointStaff.bulkCreate(employeeIds.map((employeeId) => ({ servicePointId: pointId, employeeId })), { transaction });
}

export async function listServicePoints(deps: D, s: ConsoleSession, q: { page: number; pageSize: number; name?: string }): Promise<Page<ServicePointView>> {
  const where: Record<string | symbol, unknown> = { organisationId: s.organisationId };
  const name = containsPattern(q.name);
  if (name) where.name = { [Op.like]: name };
  const { rows, count } = await deps.db.models.ServicePoint.findAndCountAll({ where, order: [['id', 'ASC']], limit: q.pageSize, offset: (q.page - 1) * q.pageSize, raw: true });
  return { items: await view(deps, rows as unknown as PointRow[]), page: q.page, pageSize: q.pageSize, total: count };
}

export async function createServicePoint(deps: D, s: ConsoleSession, body: ServicePointRequest, requestId?: string): Promise<ServicePointView> {
  const id = await deps.db.sequelize.transaction(async (transaction) => {
    const staff = await checkedBody(deps, s, body, transaction);
    const row = await deps.db.models.ServicePoint.create(
      { organisationId: s.organisationId, name: body.name, address: body.address, areaCode: body.areaCode, type: body.type, posterIssuedAt: ceilSecond(deps.clock.now()) },
      { transaction },
    );
    const pointId = Number(row.get('id'));
    await setStaff(deps, pointId, staff, transaction);
    await writeAudit(deps, { ...actorOf(s), action: 'console.service_point_added', subjectKind: 'service_point', subjectId: pointId, outcome: 'ok', requestId }, transaction);
    return pointId;
  });
  return (await view(deps, [await ownPoint(deps, s, id)]))[0];
}

export async function updateServicePoint(deps: D, s: ConsoleSession, id: number, body: ServicePointRequest, requestId?: string): Promise<ServicePointView> {
  await deps.db.sequelize.transaction(async (transaction) => {
    await ownPoint(deps, s, id, transaction);
    const staff = await checkedBody(deps, s, body, transaction);
    await deps.db.models.ServicePoint.update({ name: body.name, address: body.address, areaCode: body.areaCode, type: body.type }, { where: { id }, transaction });
    await setStaff(deps, id, staff, transaction);
    await writeAudit(deps, { ...actorOf(s), action: 'console.service_point_updated', subjectKind: 'service_point', subjectId: id, outcome: 'ok', requestId }, transaction);
  });
  return (await view(deps, [await ownPoint(deps, s, id)]))[0];
}

/** Deletes the point, its staff list and crowd settings; its poster is revoked. Scan records stay (history). */
export async function deleteServicePoint(deps: D, s: ConsoleSession, id: number, requestId?: string): Promise<void> {
  await deps.db.sequelize.transaction(async (transaction) => {
    await ownPoint(deps, s, id, transaction);
    await deps.db.models.ServicePointStaff.destroy({ where: { servicePointId: id }, transaction });
    await deps.db.models.CrowdFlowSetting.destroy({ where: { servicePointId: id }, transaction });
    await deps.db.models.CrowdFlowState.destroy({ where: { servicePointId: id }, transaction });
    await deps.db.models.CrowdPresence.destroy({ where: { servicePointId: id }, transaction });
    await deps.db.models.ServicePoint.destroy({ where: { id }, transaction });
    await revokeTokens(deps, 'point', String(id), '服务点已删除', { transaction });
    await writeAudit(deps, { ...actorOf(s), action: 'console.service_point_deleted', subjectKind: 'service_point', subjectId: id, outcome: 'ok', requestId }, transaction);
  });
}

/** 重新生成: every earlier poster of the point stops working. */
export async function regeneratePoster(deps: D, s: ConsoleSession, id: number, requestId?: string): Promise<ServicePointView> {
  await ownPoint(deps, s, id);
  const now = deps.clock.now();
  // all or none: earlier posters revoked with no new issue time would leave every download revoked too
  await deps.db.sequelize.transaction(async (transaction) => {
    await revokeTokens(deps, 'point', String(id), '服务点健康码已重新生成', { transaction });
    await deps.db.models.ServicePoint.update({ posterIssuedAt: ceilSecond(now) }, { where: { id }, transaction });
    await writeAudit(deps, { ...actorOf(s), action: 'console.service_point_poster_regenerated', subjectKind: 'service_point', subjectId: id, outcome: 'ok', requestId }, transaction);
  });
  return (await view(deps, [await ownPoint(deps, s, id)]))[0];
}

/** The current poster's token: signed at the poster's issue time, so every download gives the same QR. */
export async function posterOf(deps: D, s: ConsoleSession, id: number) {
  const point = await ownPoint(deps, s, id);
  const org = (await deps.db.models.Organisation.findByPk(s.organisationId!, { attributes: ['name'], raw: true })) as unknown as { name: string };
  const issuedAt = toDate(point.posterIssuedAt ?? point.createdAt);
  const token = signToken(deps.keyRing, { kind: 'point', subject: String(point.id), colour: null, now: issuedAt, ttlSeconds: POSTER_TTL_SECONDS });
  return { unitName: org.name, pointName: point.name, address: point.address, qrText: token, issuedAt };
}
