// 纠错/申诉 (H6; issue 9): a holder who thinks their code is wrong files a correction with a reason.
// - local (the Bamin code): the health department accepts or rejects it in the console; the decision and
//   its author go to the audit trail. Accepting records an override (status_overrides) that the status
//   engine honours until new data about the person is recorded (domain/statusEngine.ts overrideHolds).
// - origin (the origin pass merged from the national platform): forwarded to the platform's correction
//   operation (纠错); when the platform cannot be reached it is retried by the retry job.
// One open correction (pending, forwarded or waiting to be forwarded) per holder and kind.
import {
  COLOUR_TEXT,
  CORRECTION_REASON_MAX,
  CORRECTION_REASON_MIN,
  correctionReasonLength,
  CORRECTION_KIND_TEXT,
  CORRECTION_STATUS_TEXT,
  REASON_TEXT,
  isReasonCode,
  maskName,
  type Colour,
  type CorrectionConsoleView,
  type CorrectionKind,
  type CorrectionRequest,
  type CorrectionStatus,
  type CorrectionView,
  type Page,
} from '@bamin/common';
import { Op, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import { toDate } from '../db/values';
import { ApiError } from '../errors';
import { NationalUnavailableError } from '../integrations/nationalPlatform';
import { writeAudit } from './auditService';
import { resolveHolder, type CitizenSession } from './citizenService';
import type { ConsoleSession } from './consoleSessionService';
import { ORIGIN_RETRY_MS } from './originService';
import { currentStatus, factsDigest, loadFacts, recomputePeople } from './statusService';

type D = Pick<Deps, 'db' | 'clock' | 'pii' | 'logger' | 'national'>;

const OPEN: CorrectionStatus[] = ['pending', 'forwarded', 'forward_failed'];

interface CorrectionRow {
  id: number;
  personId: number;
  kind: CorrectionKind;
  reason: string;
  status: CorrectionStatus;
  colourAtFiling: string;
  reasonsAtFiling: string | null;
  passId: string | null;
  nationalTicket: string | null;
  forwardAttempts: number;
  decisionNote: string | null;
  decidedByAccountId: number | null;
  decidedAt: Date | string | null;
  createdAt: Date | string;
}

function view(r: CorrectionRow): CorrectionView {
  return {
    id: Number(r.id),
    kind: r.kind,
    kindText: CORRECTION_KIND_TEXT[r.kind],
    reason: r.reason,
    status: r.status,
    statusText: CORRECTION_STATUS_TEXT[r.status],
    decisionNote: r.decisionNote,
    decidedAt: r.decidedAt ? toDate(r.decidedAt).toISOString() : null,
    createdAt: toDate(r.createdAt).toISOString(),
  };
}

/** Forwards an origin correction; records forwarded (with the ticket) or forward_failed (retried later). */
async function forward(deps: D, r: CorrectionRow): Promise<void> {
  const person = (await deps.db.models.Person.findByPk(r.personId, { attributes: ['idNumberEnc'], raw: true })) as unknown as { idNumberEnc: string };
  const now = deps.clock.now();
  const attempts = Number(r.forwardAttempts) + 1;
  try {
    const res = await deps.national.correction({ passId: r.passId!, idType: 'resident_id', idNumber: deps.pii.decrypt(person.idNumberEnc), reason: r.reason, localRef: String(r.id) });
    await deps.db.models.Correction.update({ status: 'forwarded', nationalTicket: res.ticket, forwardAttempts: attempts, retryAt: null }, { where: { id: r.id } });
  } catch (e) {
    if (!(e instanceof NationalUnavailableError)) throw e;
    deps.logger.warn({ correctionId: r.id, failure: e.failure }, 'correction could not be forwarded to the national platform: retried later');
    const wait = ORIGIN_RETRY_MS[Math.min(attempts, ORIGIN_RETRY_MS.length) - 1];
    await deps.db.models.Correction.update({ status: 'forward_failed', forwardAttempts: attempts, retryAt: new Date(now.getTime() + wait) }, { where: { id: r.id } });
  }
}

export async function fileCorrection(deps: D, session: CitizenSession, body: CorrectionRequest, requestId?: string): Promise<CorrectionView> {
  const h = await resolveHolder(deps, session, body.holder);
  const reason = body.reason.trim();
  const n = correctionReasonLength(reason);
  if (n < CORRECTION_REASON_MIN) throw new ApiError('VALIDATION_FAILED', [{ field: 'reason', problem: `请写明申诉理由（至少 ${CORRECTION_REASON_MIN} 个字）` }]);
  if (n > CORRECTION_REASON_MAX) throw new ApiError('VALIDATION_FAILED', [{ field: 'reason', problem: `申诉理由最多 ${CORRECTION_REASON_MAX} 字（当前 ${n} 字）` }]);
  const { Correction, OriginPass } = deps.db.models;
  let passId: string | null = null;
  if (body.kind === 'origin') {
    const pass = (await OriginPass.findOne({ where: { personId: h.personId, passId: { [Op.ne]: null } }, attributes: ['passId'], raw: true })) as unknown as { passId: string } | null;
    if (!pass) throw new ApiError('VALIDATION_FAILED', [{ field: 'kind', problem: '没有可申诉的来源地健康通行码记录' }]);
    passId = pass.passId;
  }
  const isOpen = async (transaction?: Transaction) => (await Correction.count({ where: { personId: h.personId, kind: body.kind, status: { [Op.in]: OPEN } }, transaction })) > 0;
  if (await isOpen()) throw new ApiError('CORRECTION_OPEN');
  const status = await currentStatus(deps, h.personId);
  // the correction and its audit entry together; forwarded after (a failed forward is retried: forward_failed)
  const id = await deps.db.sequelize.transaction(async (transaction) => {
    // one open correction of a kind per person, also when two are filed at the same moment: the person's row is
    // locked first, so the check below reads after the other filing has committed (REPEATABLE READ)
    await deps.db.models.Person.findByPk(h.personId, { attributes: ['id'], transaction, lock: transaction.LOCK.UPDATE });
    if (await isOpen(transaction)) throw new ApiError('CORRECTION_OPEN');
    const row = await Correction.create(
      {
        personId: h.personId,
        citizenUserId: session.userId,
        kind: body.kind,
        reason,
        status: body.kind === 'origin' ? 'forward_failed' : 'pending', // origin: forwarded just below
        colourAtFiling: status.colour,
        reasonsAtFiling: status.reasons.join(',') || null,
        passId,
        retryAt: body.kind === 'origin' ? deps.clock.now() : null,
      },
      { transaction },
    );
    const correctionId = Number(row.get('id'));
    await writeAudit(deps, { actorKind: 'person', actorId: String(session.userId), action: 'correction.filed', subjectKind: 'person', subjectId: h.personId, outcome: 'ok', requestId, detail: { correctionId, kind: body.kind } }, transaction);
    return correctionId;
  });
  if (body.kind === 'origin') await forward(deps, (await Correction.findByPk(id, { raw: true })) as unknown as CorrectionRow);
  return view((await Correction.findByPk(id, { raw: true })) as unknown as CorrectionRow);
}

export async function listOwnCorrections(deps: Pick<Deps, 'db'>, session: CitizenSession, holder: string): Promise<CorrectionView[]> {
  const h = await resolveHolder(deps, session, holder);
  const rows = (await deps.db.models.Correction.findAll({ where: { personId: h.personId }, order: [['id', 'DESC']], limit: 50, raw: true })) as unknown as CorrectionRow[];
  return rows.map(view);
}

async function consoleViews(deps: Pick<Deps, 'db'>, rows: CorrectionRow[]): Promise<CorrectionConsoleView[]> {
  const { Person, Account } = deps.db.models;
  const people = rows.length ? ((await Person.findAll({ where: { id: { [Op.in]: rows.map((r) => r.personId) } }, attributes: ['id', 'name', 'idMasked'], raw: true })) as unknown as { id: number; name: string | null; idMasked: string }[]) : [];
  const accountIds = [...new Set(rows.map((r) => r.decidedByAccountId).filter((x): x is number => x != null))];
  const accounts = accountIds.length ? ((await Account.findAll({ where: { id: { [Op.in]: accountIds } }, attributes: ['id', 'displayName', 'loginName'], raw: true })) as unknown as { id: number; displayName: string | null; loginName: string | null }[]) : [];
  const p = new Map(people.map((x) => [Number(x.id), x]));
  const a = new Map(accounts.map((x) => [Number(x.id), x.displayName ?? x.loginName ?? String(x.id)]));
  return rows.map((r) => ({
    ...view(r),
    nameMasked: maskName(p.get(Number(r.personId))?.name ?? ''),
    idMasked: p.get(Number(r.personId))?.idMasked ?? '',
    colourText: COLOUR_TEXT[r.colourAtFiling as Colour] ?? r.colourAtFiling,
    reasonsText: (r.reasonsAtFiling ?? '').split(',').filter(isReasonCode).map((c) => REASON_TEXT[c]),
    decidedBy: r.decidedByAccountId == null ? null : (a.get(Number(r.decidedByAccountId)) ?? null),
  }));
}

/** The health department's list (all kinds; only local ones can be decided). */
export async function listCorrections(deps: Pick<Deps, 'db'>, q: { status?: CorrectionStatus; page: number; pageSize: number }): Promise<Page<CorrectionConsoleView>> {
  const where = q.status ? { status: q.status } : {};
  const { rows, count } = await deps.db.models.Correction.findAndCountAll({ where, order: [['id', 'DESC']], limit: q.pageSize, offset: (q.page - 1) * q.pageSize, raw: true });
  return { items: await consoleViews(deps, rows as unknown as CorrectionRow[]), page: q.page, pageSize: q.pageSize, total: count };
}

/** 采纳 / 不采纳 a local correction. Accepting overrides the code until new data arrives. */
export async function decideCorrection(deps: D, s: ConsoleSession, id: number, decision: 'accept' | 'reject', note: string, requestId?: string): Promise<CorrectionConsoleView> {
  const { Correction, StatusOverride } = deps.db.models;
  const r = (await Correction.findByPk(id, { raw: true })) as unknown as CorrectionRow | null;
  if (!r) throw new ApiError('CORRECTION_NOT_FOUND');
  if (r.kind !== 'local' || r.status !== 'pending') throw new ApiError('CORRECTION_NOT_PENDING');
  const now = deps.clock.now();
  await deps.db.sequelize.transaction(async (transaction) => {
    const [won] = await Correction.update(
      { status: decision === 'accept' ? 'accepted' : 'rejected', decisionNote: note.trim() || null, decidedByAccountId: s.accountId, decidedAt: now },
      { where: { id, status: 'pending' }, transaction },
    );
    if (won !== 1) throw new ApiError('CORRECTION_NOT_PENDING');
    if (decision === 'accept') {
      // the override holds while the person's facts stay those the department saw now
      const facts = (await loadFacts(deps, [Number(r.personId)], transaction)).get(Number(r.personId))!;
      const values = { correctionId: id, acceptedAt: now, factsDigest: factsDigest(facts) };
      // one upsert on uk_status_overrides_person: an UPDATE finding no row then an INSERT would take gap locks
      // that two of the person's corrections accepted at once deadlock on
      await StatusOverride.upsert({ personId: r.personId, ...values }, { transaction });
      await recomputePeople(deps, [Number(r.personId)], transaction);
    }
    await writeAudit(
      deps,
      { actorKind: 'account', actorId: String(s.accountId), action: decision === 'accept' ? 'correction.accepted' : 'correction.rejected', subjectKind: 'person', subjectId: r.personId, outcome: 'ok', requestId, detail: { correctionId: id } },
      transaction,
    );
  });
  return (await consoleViews(deps, [(await Correction.findByPk(id, { raw: true })) as unknown as CorrectionRow]))[0];
}

/** The retry job's work: origin corrections whose forwarding failed and whose time has come. */
export async function retryDueForwards(deps: D, limit = 100): Promise<number> {
  const now = deps.clock.now();
  const due = (await deps.db.models.Correction.findAll({ where: { status: 'forward_failed', retryAt: { [Op.lte]: now } }, order: [['retryAt', 'ASC']], limit, raw: true })) as unknown as (CorrectionRow & { retryAt: Date | string })[];
  let n = 0;
  for (const r of due) {
    const [won] = await deps.db.models.Correction.update({ retryAt: new Date(now.getTime() + ORIGIN_RETRY_MS[0]) }, { where: { id: r.id, status: 'forward_failed', retryAt: toDate(r.retryAt) } });
    if (won !== 1) continue;
    await forward(deps, r);
    n++;
  }
  return n;
}
