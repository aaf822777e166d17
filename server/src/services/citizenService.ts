// The citizen's side (issue 3: A1, A2, A5–A7, H2): SMS sign-in with server-side sessions, the L4 check,
// profile, the personal code and family codes.
import { randomBytes, randomInt } from 'node:crypto';
import { tokenHash } from '../domain/tokenHash';
import {
  COLOUR_TEXT,
  REASON_TEXT,
  checkMobile,
  maskIdNumber,
  maskName,
  maskPhone,
  shanghaiDay,
  startOfShanghaiDay,
  addDays,
  type CodeView,
  type CodeSummary,
  type FamilyApplication,
  type FamilyRelation,
  type HealthAnswers,
  type L4StartRequest,
  type Me,
  type SmsPurpose,
} from '@bamin/common';
import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import type { PersonRow } from '../db/models';
import { toDate } from '../db/values';
import { isCountyLevelCode } from '../domain/areas';
import { checkFamilyApplication } from '../domain/family';
import { ApiError } from '../errors';
import { writeAudit } from './auditService';
import { nucleicAcidTestViews, recentNucleicAcidTests } from './lookupService';
import { arrivalWindow, isArrivalByFacts } from '../domain/arrival';
import { refreshOrigin } from './originService';
import { issueCodeToken, issuedCode, type IssuedCode } from './codeService';
import { checkedDocument, ensureCodeNumber, identityHash, resolvePeople } from './peopleService';
import { currentStatus, recomputePeople, statusFromRow } from './statusService';
import { hotTime } from '../db/hotSql';
import { SHOWN_FOR_DAYS } from '../domain/nucleicAcid';

const SMS_TTL_MS = 5 * 60_000;
const SMS_RESEND_MS = 60_000;
const SMS_MAX_ATTEMPTS = 5;
export const SESSION_TTL_MS = 7 * 24 * 3600_000;
const L4_TTL_MS = 10 * 60_000;

export interface CitizenSession {
  sessionId: number;
  userId: number;
  personId: number | null;
  /** the holder's own code as read with the session, on the code page's route (resolveSession withOwnCode) */
  own?: OwnCodeSnapshot;
}

/** What the code page needs of the holder's own code, read in the session's statement (issue 12). */
export interface OwnCodeSnapshot {
  name: string | null;
  codeNumber: string | null;
  idType: string;
  residenceArea: string | null;
  status: { colour: string; reasons: string | null; greenFrom: string | null; reviewOn: string | null } | null;
  /** an origin pass was ever checked for the person (origin_passes row): the 跨省互认 path decides */
  originChecked: boolean;
  /** an 入闽申报 for a day of the arrival window */
  arrivalDeclared: boolean;
  nucleicAcidTests: { sampledAt: unknown; result: 'negative' | 'positive'; institution: string }[];
  /** tokens of the code issued before this are void (codeService.revokeTokens) */
  revokedBefore: Date | null;
}

type D = Pick<Deps, 'db' | 'pii' | 'clock' | 'sms' | 'faceCheck' | 'keyRing' | 'config' | 'logger' | 'national'>;

function normalisedPhone(raw: string, field = 'phone'): string {
  const m = checkMobile(raw);
  if (!m.ok) throw new ApiError('VALIDATION_FAILED', [{ field, problem: m.problem }]);
  return m.normalized;
}

// ---- SMS codes ---------------------------------------------------------------------------------

export async function sendSmsCode(deps: D, rawPhone: string, purpose: SmsPurpose): Promise<void> {
  const phone = normalisedPhone(rawPhone);
  const phoneHash = deps.pii.hash(phone);
  const now = deps.clock.now();
  // sent less than a minute ago ⇔ it still has more than TTL − 1 minute to live (business clock, not row timestamps)
  const recent = await deps.db.models.SmsCode.findOne({
    where: { phoneHash, purpose, expiresAt: { [Op.gt]: new Date(now.getTime() + SMS_TTL_MS - SMS_RESEND_MS) } },
  });
  if (recent) {
    const waitMs = toDate(recent.get('expiresAt') as Date).getTime() - (now.getTime() + SMS_TTL_MS - SMS_RESEND_MS);
    throw new ApiError('SMS_TOO_FREQUENT').withRetryAfter(waitMs / 1000);
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await deps.db.models.SmsCode.create({
    phoneHash,
    purpose,
    codeHash: deps.pii.hash(`${phone}:${purpose}:${code}`),
    expiresAt: new Date(now.getTime() + SMS_TTL_MS),
  });
  await deps.sms.send(phone, `【八闽健康码】您的验证码为 ${code}，5 分钟内有效。如非本人操作，请忽略本短信。`);
}

/**
 * Checks the latest code sent to the phone for the purpose. A wrong guess is counted at once (outside any
 * transaction, so a rollback cannot hand it back); the code is consumed later by `consumeSmsCode`.
 */
export async function checkSmsCode(deps: Pick<Deps, 'db' | 'pii' | 'clock'>, phone: string, purpose: SmsPurpose, code: string, field = 'smsCode'): Promise<number> {
  const now = deps.clock.now();
  const row = await deps.db.models.SmsCode.findOne({
    where: { phoneHash: deps.pii.hash(phone), purpose, consumedAt: null },
    order: [['id', 'DESC']],
  });
  if (!row || toDate(row.get('expiresAt')) <= now || Number(row.get('attempts')) >= SMS_MAX_ATTEMPTS) {
    throw new ApiError('SMS_CODE_EXPIRED', [{ field, problem: '验证码已过期或已使用' }]);
  }
  if (row.get('codeHash') !== deps.pii.hash(`${phone}:${purpose}:${code}`)) {
    await deps.db.models.SmsCode.increment('attempts', { where: { id: row.get('id') } });
    throw new ApiError('SMS_CODE_WRONG', [{ field, problem: '验证码错误' }]);
  }
  return Number(row.get('id'));
}

/** Uses a checked code once, inside the use case's transaction. */
export async function consumeSmsCode(deps: Pick<Deps, 'db' | 'clock'>, id: number, transaction: Transaction, field = 'smsCode'): Promise<void> {
  const [n] = await deps.db.models.SmsCode.update({ consumedAt: deps.clock.now() }, { where: { id, consumedAt: null }, transaction });
  if (n !== 1) throw new ApiError('SMS_CODE_EXPIRED', [{ field, problem: '验证码已过期或已使用' }]);
}

// ---- sessions ------------------------------------------------------------------------------------

export async function signIn(deps: D, rawPhone: string, smsCode: string): Promise<{ token: string; expiresAt: string; me: Me }> {
  const phone = normalisedPhone(rawPhone);
  const phoneHash = deps.pii.hash(phone);
  const now = deps.clock.now();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const smsId = await checkSmsCode(deps, phone, 'sign_in', smsCode);
  const userId = await deps.db.sequelize.transaction(async (transaction) => {
    await consumeSmsCode(deps, smsId, transaction);
    let user = await deps.db.models.CitizenUser.findOne({ where: { phoneHash }, transaction });
    user ??= await deps.db.models.CitizenUser.create(
      { phoneHash, phoneEnc: deps.pii.encrypt(phone), phoneMasked: maskPhone(phone) },
      { transaction },
    );
    await deps.db.models.AppSession.create({ tokenHash: tokenHash(token), citizenUserId: user.get('id'), expiresAt }, { transaction });
    return Number(user.get('id'));
  });
  return { token, expiresAt: expiresAt.toISOString(), me: await me(deps, userId) };
}

interface SessionRow {
  tokenHash: string;
  sessionId: number;
  expiresAt: unknown;
  userId: number;
  personId: number | null;
}

interface OwnCodeRow extends SessionRow {
  name: string | null;
  codeNumber: string | null;
  idType: string | null;
  residenceArea: string | null;
  colour: string | null;
  reasons: string | null;
  greenFrom: string | null;
  reviewOn: string | null;
  originId: number | null;
  arrivals: number | string;
  revokedBefore: unknown;
  sampledAt: unknown;
  result: 'negative' | 'positive' | null;
  institution: string | null;
}

/** Both statements are read coalesced (db/coalescedReads.ts): `inList` is the placeholders of the tokens' hashes. */
const SESSION_SQL = (inList: string) => `SELECT s.token_hash AS tokenHash, s.id AS sessionId, s.expires_at AS expiresAt, u.id AS userId, u.person_id AS personId
FROM app_sessions s JOIN citizen_users u ON u.id = s.citizen_user_id
WHERE s.token_hash IN (${inList}) AND s.revoked_at IS NULL`;

/**
 * The session, its user and the user's own code in one statement: the code page's only query when current.
 * The tests of the last days come as rows of the same answer (one row per test, or one row without a test).
 * Measured in MariaDB's CPU per statement (issue 12): a primary-key read 48 µs, this statement 104 µs; the
 * tests aggregated in a subquery instead cost 90 µs more (GROUP_CONCAT; JSON_ARRAYAGG 420 µs more), even
 * for a person without tests. Sixteen sessions in one statement cost 24 µs of database CPU each (coalesced).
 */
const OWN_CODE_SQL = (inList: string) => `SELECT s.token_hash AS tokenHash, s.id AS sessionId, s.expires_at AS expiresAt, u.id AS userId, u.person_id AS personId,
  p.name AS name, p.code_number AS codeNumber, p.id_type AS idType, p.residence_area AS residenceArea,
  h.colour AS colour, h.reasons AS reasons, h.green_from AS greenFrom, h.review_on AS reviewOn,
  r.revoked_before AS revokedBefore, o.id AS originId,
  EXISTS (SELECT 1 FROM arrival_declarations a WHERE a.person_id = u.person_id AND a.arrival_date BETWEEN ? AND ?) AS arrivals,
  t.sampled_at AS sampledAt, t.result AS result, t.institution AS institution
FROM app_sessions s JOIN citizen_users u ON u.id = s.citizen_user_id
LEFT JOIN people p ON p.id = u.person_id
LEFT JOIN health_statuses h ON h.person_id = u.person_id
LEFT JOIN code_revocations r ON r.kind = 'code' AND r.subject = p.code_number
LEFT JOIN origin_passes o ON o.person_id = u.person_id
LEFT JOIN src_nucleic_acid_tests t ON t.person_id = u.person_id AND t.sampled_at >= ?
WHERE s.token_hash IN (${inList}) AND s.revoked_at IS NULL`;

const byTokenHash = (row: SessionRow) => row.tokenHash;

/** OWN_CODE_SQL's parameters on a Shanghai day, made once a day: the same for every code page of the day. */
let ownCodeDay: { dialect: 'sqlite' | 'mysql'; today: string; params: readonly unknown[] } | null = null;

function ownCodeParams(dialect: 'sqlite' | 'mysql', today: string): readonly unknown[] {
  if (ownCodeDay?.today !== today || ownCodeDay.dialect !== dialect) {
    const [from, to] = arrivalWindow(today);
    // from the start of a Shanghai day, so the requests of a day share their statements' parameters (the
    // page shows the tests visibleNucleicAcidTests keeps of these)
    const testsSince = hotTime(dialect, startOfShanghaiDay(addDays(today, -(SHOWN_FOR_DAYS + 1))));
    ownCodeDay = { dialect, today, params: [from, to, testsSince] };
  }
  return ownCodeDay.params;
}

/**
 * The signed-in citizen of a bearer token, or null (unknown, revoked or expired). `withOwnCode`: the code
 * page's route, which also takes the user's own code from the same statement (OwnCodeSnapshot).
 */
export async function resolveSession(deps: Pick<Deps, 'db' | 'clock'>, token: string, opts: { withOwnCode?: boolean } = {}): Promise<CitizenSession | null> {
  const now = deps.clock.now();
  let row: SessionRow | OwnCodeRow | undefined;
  let rows: OwnCodeRow[] = [];
  if (opts.withOwnCode) {
    rows = await deps.db.coalesced<OwnCodeRow>('own code', { sql: OWN_CODE_SQL, keyOf: byTokenHash }).load(tokenHash(token), ownCodeParams(deps.db.dialect, shanghaiDay(now)));
    row = rows[0];
  } else {
    [row] = await deps.db.coalesced<SessionRow>('citizen session', { sql: SESSION_SQL, keyOf: byTokenHash }).load(tokenHash(token), []);
  }
  if (!row || toDate(row.expiresAt) <= now) return null;
  const session: CitizenSession = { sessionId: Number(row.sessionId), userId: Number(row.userId), personId: row.personId == null ? null : Number(row.personId) };
  if (opts.withOwnCode && session.personId != null) {
    const r = row as OwnCodeRow;
    session.own = {
      name: r.name,
      codeNumber: r.codeNumber,
      idType: String(r.idType),
      residenceArea: r.residenceArea,
      status: r.colour == null ? null : { colour: r.colour, reasons: r.reasons, greenFrom: r.greenFrom, reviewOn: r.reviewOn },
      originChecked: r.originId != null,
      arrivalDeclared: Number(r.arrivals) > 0,
      nucleicAcidTests: rows.filter((t) => t.sampledAt != null).map((t) => ({ sampledAt: t.sampledAt, result: t.result!, institution: t.institution! })),
      revokedBefore: r.revokedBefore == null ? null : toDate(r.revokedBefore),
    };
  }
  return session;
}

export async function signOut(deps: D, session: CitizenSession): Promise<void> {
  await deps.db.models.AppSession.update({ revokedAt: deps.clock.now() }, { where: { id: session.sessionId } });
}

export async function me(deps: D, userId: number): Promise<Me> {
  const user = (await deps.db.models.CitizenUser.findByPk(userId, { raw: true })) as unknown as {
    phoneMasked: string;
    personId: number | null;
    l4VerifiedAt: unknown;
  };
  const person = user.personId
    ? ((await deps.db.models.Person.findByPk(user.personId, { raw: true })) as unknown as PersonRow)
    : null;
  return {
    phoneMasked: user.phoneMasked,
    l4Verified: !!user.l4VerifiedAt,
    person: person
      ? {
          nameMasked: maskName(person.name ?? ''),
          idMasked: person.idMasked,
          residenceArea: person.residenceArea,
          residenceAddress: person.residenceAddress,
          codeNumber: person.codeNumber,
        }
      : null,
  };
}

// ---- L4 ------------------------------------------------------------------------------------------

export async function startL4(deps: D, session: CitizenSession, body: L4StartRequest): Promise<{ checkId: string }> {
  const doc = checkedDocument(body);
  if (doc.idType !== 'resident_id' && !doc.birthDate) throw new ApiError('BIRTH_DATE_REQUIRED', [{ field: 'birthDate', problem: '请填写出生日期' }]);
  const idHash = identityHash(deps, { idType: doc.idType, idNumber: doc.number, country: doc.country });
  await assertIdentityFree(deps, idHash, session.userId);
  const providerRef = await deps.faceCheck.start({ name: body.name, idMasked: maskIdNumber(doc.number) });
  const checkId = randomBytes(16).toString('hex');
  await deps.db.models.L4Check.create({
    checkId,
    citizenUserId: session.userId,
    idType: doc.idType,
    idHash,
    idNumberEnc: deps.pii.encrypt(doc.number),
    country: doc.country,
    name: body.name.trim(),
    birthDate: doc.birthDate,
    provider: deps.faceCheck.name,
    providerRef,
    status: 'pending',
    expiresAt: new Date(deps.clock.now().getTime() + L4_TTL_MS),
  });
  return { checkId };
}

async function assertIdentityFree(deps: D, idHash: string, userId: number, transaction?: Transaction) {
  const person = await deps.db.models.Person.findOne({ where: { idHash }, attributes: ['id'], raw: true, transaction });
  if (!person) return;
  const owner = await deps.db.models.CitizenUser.findOne({ where: { personId: (person as unknown as { id: number }).id }, raw: true, transaction });
  if (owner && Number((owner as unknown as { id: number }).id) !== userId) throw new ApiError('IDENTITY_TAKEN');
}

export async function confirmL4(deps: D, session: CitizenSession, checkId: string, confirmed: boolean, requestId?: string): Promise<Me> {
  const check = await deps.db.models.L4Check.findOne({ where: { checkId, citizenUserId: session.userId, status: 'pending' } });
  if (!check || toDate(check.get('expiresAt')) <= deps.clock.now()) throw new ApiError('L4_CHECK_NOT_FOUND');
  const outcome = await deps.faceCheck.finish(String(check.get('providerRef')), { confirmed });
  if (outcome === 'failed') {
    await check.update({ status: 'failed' });
    throw new ApiError('L4_FAILED');
  }
  const c = check.get({ plain: true }) as { idType: string; idHash: string; idNumberEnc: string; country: string | null; name: string; birthDate: string | null };
  await deps.db.sequelize.transaction(async (transaction) => {
    await assertIdentityFree(deps, c.idHash, session.userId, transaction);
    const number = deps.pii.decrypt(c.idNumberEnc);
    const ids = await resolvePeople(deps, [{ idType: c.idType as never, idNumber: number, country: c.country, name: c.name, birthDate: c.birthDate }], transaction);
    const personId = ids.get(c.idHash)!;
    // The name verified by L4 is authoritative over one a data source gave.
    await deps.db.models.Person.update({ name: c.name, birthDate: c.birthDate }, { where: { id: personId }, transaction });
    try {
      await deps.db.models.CitizenUser.update(
        { personId, l4VerifiedAt: deps.clock.now(), l4Provider: deps.faceCheck.name },
        { where: { id: session.userId }, transaction },
      );
    } catch (e) {
      if (e instanceof UniqueConstraintError) throw new ApiError('IDENTITY_TAKEN');
      throw e;
    }
    await check.update({ status: 'passed' }, { transaction });
    await writeAudit(deps, { actorKind: 'person', actorId: String(session.userId), action: 'citizen.l4_passed', subjectKind: 'person', subjectId: personId, outcome: 'ok', requestId }, transaction);
  });
  return me(deps, session.userId);
}

export function requirePerson(session: CitizenSession): number {
  if (session.personId == null) throw new ApiError('L4_REQUIRED');
  return session.personId;
}

function requireCounty(code: string, field: string) {
  if (!isCountyLevelCode(code)) throw new ApiError('AREA_UNKNOWN', [{ field, problem: '请选择有效的区县' }]);
}

// ---- profile and personal code -----------------------------------------------------------------------

export async function updateProfile(deps: D, session: CitizenSession, body: { residenceArea: string; residenceAddress: string }): Promise<Me> {
  const personId = requirePerson(session);
  requireCounty(body.residenceArea, 'residenceArea');
  await deps.db.models.Person.update(
    { residenceArea: body.residenceArea, residenceAddress: body.residenceAddress.trim() },
    { where: { id: personId } },
  );
  return me(deps, session.userId);
}

export async function generateOwnCode(deps: D, session: CitizenSession, currentArea: string): Promise<CodeView> {
  const personId = requirePerson(session);
  requireCounty(currentArea, 'currentArea');
  const person = (await deps.db.models.Person.findByPk(personId, { raw: true })) as unknown as PersonRow;
  if (!person.residenceArea || !person.residenceAddress) throw new ApiError('PROFILE_REQUIRED');
  await ensureCodeNumber(deps, personId, currentArea);
  return codeView(deps, session, 'self');
}

export interface Holder {
  holder: string;
  relation: FamilyRelation | 'self';
  personId: number;
}

export async function familyOf(deps: Pick<Deps, 'db'>, applicantPersonId: number, transaction?: Transaction) {
  return (await deps.db.models.FamilyBinding.findAll({
    where: { applicantPersonId },
    order: [['id', 'ASC']],
    raw: true,
    transaction,
  })) as unknown as { id: number; memberPersonId: number; relation: FamilyRelation }[];
}

/** 'self' or the id of a family binding of the signed-in user; anything else is FAMILY_NOT_FOUND. */
export async function resolveHolder(deps: Pick<Deps, 'db'>, session: CitizenSession, holder: string): Promise<Holder> {
  const personId = requirePerson(session);
  if (holder === 'self') return { holder, relation: 'self', personId };
  const binding = /^\d+$/.test(holder)
    ? ((await deps.db.models.FamilyBinding.findOne({ where: { id: Number(holder), applicantPersonId: personId }, raw: true })) as unknown as {
        memberPersonId: number;
        relation: FamilyRelation;
      } | null)
    : null;
  if (!binding) throw new ApiError('FAMILY_NOT_FOUND');
  return { holder, relation: binding.relation, personId: Number(binding.memberPersonId) };
}

export async function listCodes(deps: D, session: CitizenSession): Promise<CodeSummary[]> {
  const personId = requirePerson(session);
  const holders: Holder[] = [{ holder: 'self', relation: 'self', personId }];
  for (const b of await familyOf(deps, personId)) holders.push({ holder: String(b.id), relation: b.relation, personId: Number(b.memberPersonId) });
  const people = (await deps.db.models.Person.findAll({
    where: { id: { [Op.in]: holders.map((h) => h.personId) } },
    attributes: ['id', 'name', 'codeNumber'],
    raw: true,
  })) as unknown as Pick<PersonRow, 'id' | 'name' | 'codeNumber'>[];
  const byId = new Map(people.map((p) => [Number(p.id), p]));
  const out: CodeSummary[] = [];
  for (const h of holders) {
    const p = byId.get(h.personId);
    if (!p?.codeNumber) continue;
    out.push({ holder: h.holder, relation: h.relation, nameMasked: maskName(p.name ?? ''), colour: (await currentStatus(deps, h.personId)).colour });
  }
  return out;
}

/**
 * The holder's own code from what was read with the session, when nothing else has to happen first: a
 * code number, a stored decision still current, and no 跨省互认 (no origin pass to check or drop). Else null,
 * and codeView takes the full path. The answer is the same either way (the API tests run both).
 */
function ownCodeFromSnapshot(deps: D, session: CitizenSession): CodeView | null {
  const own = session.own;
  if (!own?.codeNumber || !own.status) return null;
  const today = shanghaiDay(deps.clock.now());
  if (own.status.reviewOn != null && own.status.reviewOn <= today) return null;
  if (own.originChecked || isArrivalByFacts(own, own.arrivalDeclared)) return null;
  const issued = issuedCode(deps, own.codeNumber, statusFromRow({ ...own.status, reasons: own.status.reasons ?? '' }), own.revokedBefore);
  return toCodeView({ holder: 'self', relation: 'self' }, own.name, issued, nucleicAcidTestViews(own.nucleicAcidTests, today), null);
}

/** The code page's answer, the same from either path. */
function toCodeView(h: Pick<Holder, 'holder' | 'relation'>, name: string | null, issued: IssuedCode, nucleicAcidTests: CodeView['nucleicAcidTests'], origin: CodeView['origin']): CodeView {
  return {
    holder: h.holder,
    relation: h.relation,
    nameMasked: maskName(name ?? ''),
    colour: issued.colour,
    colourText: COLOUR_TEXT[issued.colour],
    codeNumber: issued.codeNumber,
    token: issued.token,
    issuedAt: issued.issuedAt,
    expiresAt: issued.expiresAt,
    reasons: issued.reasons.map((code) => ({ code, text: REASON_TEXT[code] })),
    greenFrom: issued.greenFrom,
    nucleicAcidTests,
    origin,
  };
}

export async function codeView(deps: D, session: CitizenSession, holderKey: string, requestId?: string): Promise<CodeView> {
  if (holderKey === 'self') {
    const fast = ownCodeFromSnapshot(deps, session);
    if (fast) return fast;
  }
  const h = await resolveHolder(deps, session, holderKey);
  const person = (await deps.db.models.Person.findByPk(h.personId, { raw: true })) as unknown as PersonRow;
  if (!person.codeNumber) throw new ApiError('CODE_NOT_GENERATED');
  // 跨省互认 (B1): the origin pass is merged before the colour is read (at most the adapter's 2 s)
  const origin = await refreshOrigin(deps, h.personId);
  const issued = await issueCodeToken(deps, h.personId);
  if (h.relation !== 'self') {
    await writeAudit(deps, { actorKind: 'person', actorId: String(session.userId), action: 'family.code_view', subjectKind: 'person', subjectId: h.personId, outcome: 'ok', requestId });
  }
  return toCodeView(h, person.name, issued, await recentNucleicAcidTests(deps, h.personId), origin);
}

// ---- family ----------------------------------------------------------------------------------------

export async function applyForFamily(deps: D, session: CitizenSession, body: FamilyApplication, requestId?: string): Promise<CodeView> {
  const applicantId = requirePerson(session);
  const doc = checkedDocument(body);
  if (!doc.birthDate) throw new ApiError('BIRTH_DATE_REQUIRED', [{ field: 'birthDate', problem: '请填写出生日期' }]);
  const phone = normalisedPhone(body.phone);
  const today = shanghaiDay(deps.clock.now());
  const applicant = (await deps.db.models.Person.findByPk(applicantId, { raw: true })) as unknown as PersonRow;
  const smsId = await checkSmsCode(deps, phone, 'family', body.smsCode);
  const bindingId = await deps.db.sequelize.transaction(async (transaction) => {
    await consumeSmsCode(deps, smsId, transaction);
    const hash = identityHash(deps, { idType: doc.idType, idNumber: doc.number, country: doc.country });
    if (hash === applicant.idHash) throw new ApiError('FAMILY_SELF');
    const ids = await resolvePeople(deps, [{ idType: doc.idType, idNumber: doc.number, country: doc.country, name: body.name.trim(), birthDate: doc.birthDate }], transaction);
    const memberId = ids.get(hash)!;
    if (await deps.db.models.FamilyBinding.findOne({ where: { memberPersonId: memberId }, transaction })) throw new ApiError('FAMILY_ALREADY_CLAIMED');
    const violation = checkFamilyApplication(await familyOf(deps, applicantId, transaction), { relation: body.relation, birthDate: doc.birthDate! }, today);
    if (violation) throw new ApiError(violation);
    let binding;
    try {
      binding = await deps.db.models.FamilyBinding.create(
        { applicantPersonId: applicantId, memberPersonId: memberId, relation: body.relation, healthAnswers: JSON.stringify(body.answers), answeredAt: deps.clock.now() },
        { transaction },
      );
    } catch (e) {
      if (e instanceof UniqueConstraintError) throw new ApiError('FAMILY_ALREADY_CLAIMED');
      throw e;
    }
    await deps.db.models.Person.update(
      { phoneHash: deps.pii.hash(phone), phoneEnc: deps.pii.encrypt(phone), birthDate: doc.birthDate },
      { where: { id: memberId }, transaction },
    );
    await deps.db.models.Person.update({ name: body.name.trim() }, { where: { id: memberId, name: null }, transaction });
    // A member's code starts where the applicant lives: the member has no phone to tell us otherwise.
    await ensureCodeNumber(deps, memberId, applicant.residenceArea, transaction);
    await recomputePeople(deps, [memberId], transaction);
    await writeAudit(deps, { actorKind: 'person', actorId: String(session.userId), action: 'family.apply', subjectKind: 'person', subjectId: memberId, outcome: 'ok', requestId, detail: { relation: body.relation } }, transaction);
    return Number(binding.get('id'));
  });
  return codeView(deps, session, String(bindingId));
}

export async function updateFamilyAnswers(deps: D, session: CitizenSession, holder: string, answers: HealthAnswers): Promise<CodeView> {
  const h = await resolveHolder(deps, session, holder);
  if (h.relation === 'self') throw new ApiError('FAMILY_NOT_FOUND');
  await deps.db.sequelize.transaction(async (transaction) => {
    await deps.db.models.FamilyBinding.update({ healthAnswers: JSON.stringify(answers), answeredAt: deps.clock.now() }, { where: { id: Number(holder) }, transaction });
    await recomputePeople(deps, [h.personId], transaction);
  });
  return codeView(deps, session, holder);
}

export async function removeFamily(deps: D, session: CitizenSession, holder: string, requestId?: string): Promise<void> {
  const h = await resolveHolder(deps, session, holder);
  if (h.relation === 'self') throw new ApiError('FAMILY_NOT_FOUND');
  await deps.db.sequelize.transaction(async (transaction) => {
    await deps.db.models.FamilyBinding.destroy({ where: { id: Number(holder) }, transaction });
    await recomputePeople(deps, [h.personId], transaction);
    await writeAudit(deps, { actorKind: 'person', actorId: String(session.userId), action: 'family.remove', subjectKind: 'person', subjectId: h.personId, outcome: 'ok', requestId, detail: { relation: h.relation } }, transaction);
  });
}
