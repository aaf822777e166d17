// 个人用户主扫登记 (manual 三; C1–C4): a user scans a service point's poster, sees the point and its
// staff on duty (colour and latest temperature, masked), and registers themselves or a family member.
// Each registration is an active scan record of the point (counted for crowd flow) and a 扫码登记 health
// report; the same person at the same point within 10 minutes updates that record instead of counting twice.
import {
  COLOUR_TEXT,
  FAMILY_RELATION_TEXT,
  maskName,
  maskPhone,
  REGISTRATION_DEDUP_MINUTES,
  SERVICE_POINT_TYPE_TEXT,
  type IdType,
  type PointPage,
  type RegistrationRequest,
  type RegistrationResult,
  type ServicePointType,
} from '@bamin/common';
import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import type { PersonRow } from '../db/models';
import { toDate } from '../db/values';
import { areaFullName } from '../domain/areas';
import { ApiError } from '../errors';
import { familyOf, resolveHolder, type CitizenSession } from './citizenService';
import { identifyCode } from './codeService';
import { countVisits, crowdSettingOf, lockCrowdStates } from './crowdFlowService';
import { checkSymptoms, orderedSymptoms } from './healthReportService';
import { currentStatus } from './statusService';

type D = Pick<Deps, 'db' | 'clock' | 'keyRing' | 'pii'>;

interface PointRow {
  id: number;
  organisationId: number;
  name: string;
  address: string | null;
  areaCode: string;
  type: ServicePointType;
}

/** C1: only a user who has generated a code at least once may register. */
async function requireOwnCode(deps: Pick<Deps, 'db'>, session: CitizenSession): Promise<number> {
  if (session.personId == null) throw new ApiError('CODE_REQUIRED_FIRST');
  const p = (await deps.db.models.Person.findByPk(session.personId, { attributes: ['codeNumber'], raw: true })) as unknown as { codeNumber: string | null };
  if (!p?.codeNumber) throw new ApiError('CODE_REQUIRED_FIRST');
  return session.personId;
}

/** The service point a poster's token names (signature, expiry and revocation checked; a personal code refused). */
async function pointOfToken(deps: D, session: CitizenSession, token: string): Promise<PointRow> {
  const found = await identifyCode(deps, { token }, { kind: 'person', id: String(session.userId) });
  if (found.kind !== 'point') throw new ApiError('TOKEN_WRONG_KIND', undefined, '这是个人健康码，不是服务点健康码，请扫描服务点张贴的二维码');
  const point = (await deps.db.models.ServicePoint.findByPk(found.servicePoint.id, { raw: true })) as unknown as PointRow | null;
  if (!point) throw new ApiError('CODE_NOT_FOUND');
  return point;
}

const genderOf = (idType: string, idNumber: string): '男' | '女' | null =>
  idType === 'resident_id' && idNumber.length === 18 ? (Number(idNumber[16]) % 2 === 1 ? '男' : '女') : null;

export async function pointPage(deps: D, session: CitizenSession, token: string): Promise<PointPage> {
  await requireOwnCode(deps, session);
  const point = await pointOfToken(deps, session, token);
  const org = (await deps.db.models.Organisation.findByPk(point.organisationId, { attributes: ['name'], raw: true })) as unknown as { name: string };
  const staffRows = (await deps.db.sequelize.query(
    `SELECT e.name, p.id AS person_id FROM service_point_staff sps JOIN employees e ON e.id = sps.employee_id
     LEFT JOIN people p ON p.id_hash = e.id_hash WHERE sps.service_point_id = ? ORDER BY e.id`,
    { replacements: [point.id], type: QueryTypes.SELECT },
  )) as { name: string; person_id: number | null }[];
  const staff: PointPage['staff'] = [];
  for (const r of staffRows) {
    const status = r.person_id != null ? await currentStatus(deps, Number(r.person_id)) : null;
    const latest = r.person_id != null
      ? ((await deps.db.models.HealthReport.findOne({ where: { personId: r.person_id }, order: [['reportedAt', 'DESC'], ['id', 'DESC']], attributes: ['temperatureTenths', 'reportedAt'], raw: true })) as unknown as {
          temperatureTenths: number | null;
          reportedAt: Date | string;
        } | null)
      : null;
    staff.push({
      nameMasked: maskName(r.name),
      colour: status?.colour ?? null,
      colourText: status ? COLOUR_TEXT[status.colour] : '未申领',
      latestTemperatureCelsius: latest?.temperatureTenths == null ? null : Number(latest.temperatureTenths) / 10,
      latestReportAt: latest ? toDate(latest.reportedAt).toISOString() : null,
    });
  }
  return {
    servicePoint: { id: Number(point.id), name: point.name, address: point.address, areaName: areaFullName(point.areaCode), unitName: org.name, typeText: SERVICE_POINT_TYPE_TEXT[point.type] ?? point.type },
    staff,
    members: await members(deps, session),
  };
}

async function members(deps: D, session: CitizenSession): Promise<PointPage['members']> {
  const self = session.personId!;
  const holders = [{ holder: 'self', relationText: '本人', personId: self }];
  for (const b of await familyOf(deps, self)) holders.push({ holder: String(b.id), relationText: FAMILY_RELATION_TEXT[b.relation], personId: Number(b.memberPersonId) });
  const people = (await deps.db.models.Person.findAll({ where: { id: { [Op.in]: holders.map((h) => h.personId) } }, raw: true })) as unknown as PersonRow[];
  const byId = new Map(people.map((p) => [Number(p.id), p]));
  const user = (await deps.db.models.CitizenUser.findByPk(session.userId, { attributes: ['phoneEnc'], raw: true })) as unknown as { phoneEnc: string };
  return holders.map((h) => {
    const p = byId.get(h.personId)!;
    const idNumber = deps.pii.decrypt(p.idNumberEnc);
    const phoneEnc = h.holder === 'self' ? user.phoneEnc : p.phoneEnc;
    return {
      holder: h.holder,
      relationText: h.relationText,
      nameMasked: p.name ? maskName(p.name) : '—',
      gender: genderOf(p.idType, idNumber),
      idType: p.idType as IdType,
      idMasked: p.idMasked,
      phoneMasked: phoneEnc ? maskPhone(deps.pii.decrypt(phoneEnc)) : null,
    };
  });
}

export async function register(deps: D, session: CitizenSession, body: RegistrationRequest): Promise<RegistrationResult> {
  await requireOwnCode(deps, session);
  const problems = checkSymptoms(body.symptoms, body.otherSymptom);
  if (problems.length) throw new ApiError('VALIDATION_FAILED', problems);
  const point = await pointOfToken(deps, session, body.token);
  const holder = await resolveHolder(deps, session, body.holder);
  const now = deps.clock.now();
  const status = await currentStatus(deps, holder.personId);
  const symptoms = orderedSymptoms(body.symptoms).join(',');
  const otherSymptom = body.symptoms.includes('other') ? body.otherSymptom!.trim() : null;
  // the registration counts toward the point's crowd flow (D9)
  const pointId = Number(point.id);
  const crowd = await crowdSettingOf(deps, pointId);
  const countVisit = async (transaction: Transaction) => {
    if (crowd) await countVisits(deps, deps.db.hot.within(transaction), new Map([[pointId, crowd]]), [{ pointId, personId: holder.personId, at: now }], transaction);
  };
  const { scanId, counted } = await deps.db.sequelize.transaction(async (transaction) => {
    // the state row locked before anything is read (crowdFlowService.countVisits)
    if (crowd) await lockCrowdStates(deps, transaction, [pointId]);
    const recent = (await deps.db.models.ScanRecord.findOne({
      where: { personId: holder.personId, servicePointId: point.id, mode: 'active', scannedAt: { [Op.gt]: new Date(now.getTime() - REGISTRATION_DEDUP_MINUTES * 60_000) } },
      order: [['scannedAt', 'DESC']],
      transaction,
      raw: true,
    })) as unknown as { id: number } | null;
    if (recent) {
      await deps.db.models.ScanRecord.update({ scannedAt: now, colour: status.colour }, { where: { id: recent.id }, transaction });
      await deps.db.models.HealthReport.update({ symptoms, otherSymptom, reportedAt: now }, { where: { scanRecordId: recent.id }, transaction });
      await countVisit(transaction);
      return { scanId: Number(recent.id), counted: false };
    }
    const record = await deps.db.models.ScanRecord.create(
      {
        organisationId: point.organisationId,
        servicePointId: point.id,
        personId: holder.personId,
        scannerAccountId: null,
        mode: 'active',
        method: 'self',
        colour: status.colour,
        areaCode: point.areaCode,
        location: point.address,
        scanPointName: null, // the console shows the service point's own name
        scannedAt: now,
      },
      { transaction },
    );
    const id = Number(record.get('id'));
    await deps.db.models.HealthReport.create(
      { personId: holder.personId, reporterPersonId: session.personId, reportType: 'scan', symptoms, otherSymptom, areaCode: point.areaCode, location: point.name, reportedAt: now, scanRecordId: id },
      { transaction },
    );
    // the record and the crowd count it changes together (H3)
    await countVisit(transaction);
    return { scanId: id, counted: true };
  });
  return { scanId, counted, servicePointName: point.name, registeredAt: now.toISOString(), colour: status.colour, colourText: COLOUR_TEXT[status.colour] };
}
