// Scanning staff (扫码员, manual 六(二)1–4, F1–F2): legal-person sub-accounts sign in with phone number
// and password, must replace the initial password, and report the scan point they work at.
import { randomBytes } from 'node:crypto';
import { tokenHash } from '../domain/tokenHash';
import { checkMobile, checkNewPassword, maskPhone, type OrganisationKind, type ScanPoint, type ScanPointRequest, type StaffMe } from '@bamin/common';
import { Op, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import type { Database } from '../db/database';
import { CACHE_STAFF_SESSIONS, cacheVersionSql } from '../db/models';
import { toDate } from '../db/values';
import { areaFullName, isCountyLevelCode } from '../domain/areas';
import { ApiError, STAFF_SIGN_IN_FIRST } from '../errors';
import { writeAudit } from './auditService';
import type { CrowdSetting } from './crowdFlowService';
import { checkAccountPassword } from './accountAuth';
import { hashPassword, verifyPassword } from './passwords';

export const STAFF_SESSION_TTL_MS = 7 * 24 * 3600_000;

export interface StaffSession {
  sessionId: number;
  accountId: number;
  organisationId: number;
  mustChangePassword: boolean;
  /** the scan point reported, read with the session (null: none yet) */
  point: ScanPointAtScan | null;
  /**
   * Set on a session taken from this instance's cache (the scan's route only): the staff-sessions version it
   * was read at. Nothing may be written or answered on it until confirmStaffSession has seen that version is
   * still the database's.
   */
  unconfirmed?: { version: number; tokenHash: string };
}

/** What a scan takes from the staff member's scan point. */
export interface ScanPointAtScan {
  communityName: string;
  pointName: string;
  areaCode: string;
  location: string;
  servicePointId: number | null;
  /** the service point's 人流预警 setting (D9), when it has one */
  crowd: CrowdSetting | null;
  /** its crowd_flow_states row exists (made with the setting; else the scan makes it before its transaction) */
  crowdStateExists: boolean;
}

const STAFF_SESSION_SQL = `SELECT s.id AS sessionId, s.expires_at AS expiresAt, a.id AS accountId, a.organisation_id AS organisationId,
  a.kind AS kind, a.must_change_password AS mustChangePassword, a.authorised AS authorised, a.disabled AS disabled,
  p.id AS pointId, p.community_name AS communityName, p.point_name AS pointName, p.area_code AS areaCode,
  p.location AS location, p.service_point_id AS servicePointId,
  c.capacity AS capacity, c.warning_line AS warningLine, c.window_minutes AS windowMinutes, cs.id AS crowdStateId,
  ${cacheVersionSql(CACHE_STAFF_SESSIONS)} AS staffSessionsVersion
FROM account_sessions s JOIN accounts a ON a.id = s.account_id
LEFT JOIN scan_points p ON p.account_id = a.id
LEFT JOIN crowd_flow_settings c ON c.service_point_id = p.service_point_id
LEFT JOIN crowd_flow_states cs ON cs.service_point_id = p.service_point_id
WHERE s.token_hash = ? AND s.channel = 'app' AND s.revoked_at IS NULL`;

type D = Pick<Deps, 'db' | 'pii' | 'clock'>;

interface AccountRow {
  id: number;
  organisationId: number;
  kind: string;
  phoneHash: string | null;
  phoneEnc: string | null;
  displayName: string | null;
  passwordHash: string;
  mustChangePassword: boolean | number;
  authorised: boolean | number;
  disabled: boolean | number;
  failedLogins: number;
  lockedUntil: Date | string | null;
}

function normalisedPhone(raw: string): string {
  const m = checkMobile(raw);
  if (!m.ok) throw new ApiError('VALIDATION_FAILED', [{ field: 'phone', problem: m.problem }]);
  return m.normalized;
}

async function findSubAccount(deps: D, phone: string, transaction?: Transaction): Promise<AccountRow | null> {
  const row = await deps.db.models.Account.findOne({ where: { phoneHash: deps.pii.hash(phone), kind: 'sub' }, raw: true, transaction });
  return row as unknown as AccountRow | null;
}

// ---- sign-in -------------------------------------------------------------------------------------

export async function staffSignIn(
  deps: D,
  rawPhone: string,
  password: string,
  requestId?: string,
): Promise<{ token: string; expiresAt: string; me: StaffMe }> {
  const phone = normalisedPhone(rawPhone);
  const now = deps.clock.now();
  const found = await findSubAccount(deps, phone);
  const audit = (outcome: 'ok' | 'refused', detail: Record<string, unknown>) =>
    writeAudit(deps, { actorKind: 'account', actorId: found ? String(found.id) : null, action: 'staff.sign_in', outcome, requestId, detail });
  let account: AccountRow;
  try {
    account = await checkAccountPassword(deps, found, password, 'STAFF_BAD_CREDENTIALS');
  } catch (e) {
    await audit('refused', { error: (e as ApiError).code });
    throw e;
  }
  if (account.disabled) {
    await audit('refused', { error: 'ACCOUNT_DISABLED' });
    throw new ApiError('ACCOUNT_DISABLED');
  }
  if (!account.authorised) {
    await audit('refused', { error: 'STAFF_NOT_AUTHORISED' });
    throw new ApiError('STAFF_NOT_AUTHORISED');
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + STAFF_SESSION_TTL_MS);
  await deps.db.models.AccountSession.create({ tokenHash: tokenHash(token), accountId: account.id, channel: 'app', expiresAt });
  await audit('ok', {});
  return { token, expiresAt: expiresAt.toISOString(), me: await staffMe(deps, Number(account.id)) };
}

/**
 * The staff sessions a scan reads, cached per instance (issue 12, docs/SCALING.md §1): one statement less per
 * scan. Exact across instances like the area levels: every change a session depends on bumps
 * cache_versions 'staff_sessions' in its own transaction (the models' hooks), the scan reads the version in
 * its holder statement, and a session cached at another version is read again before anything is written or
 * answered (confirmStaffSession). Only sessions that were valid are kept; at most STAFF_SESSION_CACHE_SIZE,
 * the oldest dropped first; keyed by the token's hash, never the token.
 */
export const STAFF_SESSION_CACHE_SIZE = 10_000;

interface CachedStaffSession {
  version: number;
  expiresAt: Date;
  session: StaffSession;
}
const sessionCaches = new WeakMap<Database, Map<string, CachedStaffSession>>();

function cacheOf(db: Database): Map<string, CachedStaffSession> {
  let m = sessionCaches.get(db);
  if (!m) sessionCaches.set(db, (m = new Map()));
  return m;
}

/**
 * The staff member of a bearer token with their account and scan point, or null when unknown, expired,
 * revoked, or the account may no longer scan. `cached`: may come from this instance's cache, marked
 * `unconfirmed` (the scan's route, which confirms it with its holder statement).
 */
export async function resolveStaffSession(deps: Pick<Deps, 'db' | 'clock'>, token: string, opts: { cached?: boolean } = {}): Promise<StaffSession | null> {
  const hash = tokenHash(token);
  if (opts.cached) {
    const hit = cacheOf(deps.db).get(hash);
    if (hit && hit.expiresAt > deps.clock.now()) return { ...hit.session, unconfirmed: { version: hit.version, tokenHash: hash } };
  }
  return readStaffSession(deps, hash);
}

/**
 * A session from the cache, confirmed: as it was when `version` (read by the caller's own statement, null if
 * it read none) is the version it was cached at; else read again — refused as the route's guard would
 * refuse it (signed out, withdrawn, initial password).
 */
export async function confirmStaffSession(deps: Pick<Deps, 'db' | 'clock'>, session: StaffSession, version: number | null): Promise<StaffSession> {
  const u = session.unconfirmed;
  if (!u) return session;
  if (version != null && version === u.version) return { ...session, unconfirmed: undefined };
  const fresh = await readStaffSession(deps, u.tokenHash);
  if (!fresh) throw new ApiError('UNAUTHENTICATED', undefined, STAFF_SIGN_IN_FIRST);
  if (fresh.mustChangePassword) throw new ApiError('PASSWORD_CHANGE_REQUIRED');
  return fresh;
}

/** The session, its account and scan point in one statement (the scan's hot path); a valid one is cached. */
async function readStaffSession(deps: Pick<Deps, 'db' | 'clock'>, hash: string): Promise<StaffSession | null> {
  const cache = cacheOf(deps.db);
  cache.delete(hash);
  const [r] = await deps.db.hot.select<{
    sessionId: number;
    expiresAt: unknown;
    accountId: number;
    organisationId: number;
    kind: string;
    mustChangePassword: number | boolean;
    authorised: number | boolean;
    disabled: number | boolean;
    pointId: number | null;
    communityName: string;
    pointName: string;
    areaCode: string;
    location: string;
    servicePointId: number | null;
    capacity: number | null;
    warningLine: number | null;
    windowMinutes: number | null;
    crowdStateId: number | null;
    staffSessionsVersion: number | string | null;
  }>(STAFF_SESSION_SQL, [hash]);
  const expiresAt = r ? toDate(r.expiresAt) : null;
  if (!r || expiresAt! <= deps.clock.now()) return null;
  // Authorisation withdrawn or the account switched off: its sessions stop working at once.
  if (r.kind !== 'sub' || !!Number(r.disabled) || !Number(r.authorised)) return null;
  const session: StaffSession = {
    sessionId: Number(r.sessionId),
    accountId: Number(r.accountId),
    organisationId: Number(r.organisationId),
    mustChangePassword: !!Number(r.mustChangePassword),
    point:
      r.pointId == null
        ? null
        : {
            communityName: r.communityName,
            pointName: r.pointName,
            areaCode: r.areaCode,
            location: r.location,
            servicePointId: r.servicePointId == null ? null : Number(r.servicePointId),
            crowd: r.capacity == null ? null : { capacity: Number(r.capacity), warningLine: Number(r.warningLine), windowMinutes: Number(r.windowMinutes) },
            crowdStateExists: r.crowdStateId != null,
          },
  };
  // Filed under the version read by the same statement: the session is at least as new as it. One still on
  // the initial password is not kept: the scan's guard refuses it, and a refusal is never made on a cached
  // (unconfirmed) session.
  if (!session.mustChangePassword) {
    if (cache.size >= STAFF_SESSION_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(hash, { version: Number(r.staffSessionsVersion ?? 0), expiresAt: expiresAt!, session });
  }
  return session;
}

export async function staffSignOut(deps: Pick<Deps, 'db' | 'clock'>, session: StaffSession): Promise<void> {
  await deps.db.models.AccountSession.update({ revokedAt: deps.clock.now() }, { where: { id: session.sessionId } });
}

/** Replaces the password (the initial one first of all) and signs out the account's other sessions. */
export async function changeStaffPassword(
  deps: D,
  session: StaffSession,
  currentPassword: string,
  newPassword: string,
  requestId?: string,
): Promise<StaffMe> {
  const account = (await deps.db.models.Account.findByPk(session.accountId, { raw: true })) as unknown as AccountRow;
  if (!(await verifyPassword(currentPassword, account.passwordHash))) {
    throw new ApiError('PASSWORD_WRONG', [{ field: 'currentPassword', problem: '原密码错误' }]);
  }
  const phone = account.phoneEnc ? deps.pii.decrypt(account.phoneEnc) : null;
  const rule = checkNewPassword(newPassword, { current: currentPassword, phone });
  if (!rule.ok) throw new ApiError('PASSWORD_WEAK', [{ field: 'newPassword', problem: rule.problem }]);
  const passwordHash = await hashPassword(newPassword);
  const now = deps.clock.now();
  await deps.db.sequelize.transaction(async (transaction) => {
    await deps.db.models.Account.update({ passwordHash, mustChangePassword: false }, { where: { id: session.accountId }, transaction });
    await deps.db.models.AccountSession.update(
      { revokedAt: now },
      { where: { accountId: session.accountId, revokedAt: null, id: { [Op.ne]: session.sessionId } }, transaction },
    );
    await writeAudit(deps, { actorKind: 'account', actorId: String(session.accountId), action: 'staff.password_changed', subjectKind: 'account', subjectId: session.accountId, outcome: 'ok', requestId }, transaction);
  });
  return staffMe(deps, session.accountId);
}

// ---- me and the scan point -------------------------------------------------------------------------

export async function staffMe(deps: D, accountId: number): Promise<StaffMe> {
  const { Account, Organisation, ServicePoint } = deps.db.models;
  const account = (await Account.findByPk(accountId, { raw: true })) as unknown as AccountRow;
  const org = (await Organisation.findByPk(account.organisationId, { attributes: ['id', 'name', 'kind'], raw: true })) as unknown as {
    id: number;
    name: string;
    kind: OrganisationKind;
  };
  const points = (await ServicePoint.findAll({
    where: { organisationId: account.organisationId },
    attributes: ['id', 'name', 'areaCode', 'address'],
    order: [['id', 'ASC']],
    raw: true,
  })) as unknown as { id: number; name: string; areaCode: string; address: string | null }[];
  const phone = account.phoneEnc ? deps.pii.decrypt(account.phoneEnc) : '';
  return {
    accountId: Number(account.id),
    name: account.displayName,
    phoneMasked: phone ? maskPhone(phone) : '',
    mustChangePassword: !!account.mustChangePassword,
    organisation: { id: Number(org.id), name: org.name, kind: org.kind },
    scanPoint: await scanPointOf(deps, accountId),
    servicePoints: points.map((p) => ({ id: Number(p.id), name: p.name, areaCode: p.areaCode, address: p.address })),
  };
}

interface ScanPointRow {
  id: number;
  accountId: number;
  organisationId: number;
  communityName: string;
  pointName: string;
  areaCode: string;
  location: string;
  latitude: string | number | null;
  longitude: string | number | null;
  servicePointId: number | null;
  updatedAt: Date | string;
}

export async function scanPointRow(deps: Pick<Deps, 'db'>, accountId: number): Promise<ScanPointRow | null> {
  return (await deps.db.models.ScanPoint.findOne({ where: { accountId }, raw: true })) as unknown as ScanPointRow | null;
}

async function scanPointOf(deps: Pick<Deps, 'db'>, accountId: number): Promise<ScanPoint | null> {
  const row = await scanPointRow(deps, accountId);
  if (!row) return null;
  const sp = row.servicePointId
    ? ((await deps.db.models.ServicePoint.findByPk(row.servicePointId, { attributes: ['id', 'name'], raw: true })) as unknown as {
        id: number;
        name: string;
      } | null)
    : null;
  const num = (v: string | number | null) => (v == null ? null : Number(v));
  return {
    communityName: row.communityName,
    pointName: row.pointName,
    areaCode: row.areaCode,
    areaName: areaFullName(row.areaCode),
    location: row.location,
    latitude: num(row.latitude),
    longitude: num(row.longitude),
    servicePoint: sp ? { id: Number(sp.id), name: sp.name } : null,
    updatedAt: toDate(row.updatedAt).toISOString(),
  };
}

/** Reports or changes (修改扫码点位置) the staff member's scan point. */
export async function setScanPoint(deps: D, session: StaffSession, body: ScanPointRequest): Promise<ScanPoint> {
  if (!isCountyLevelCode(body.areaCode)) throw new ApiError('AREA_UNKNOWN', [{ field: 'areaCode', problem: '请选择扫码点所在的区县' }]);
  if (body.servicePointId != null) {
    const sp = await deps.db.models.ServicePoint.findOne({ where: { id: body.servicePointId, organisationId: session.organisationId }, attributes: ['id'] });
    if (!sp) throw new ApiError('SERVICE_POINT_NOT_FOUND', [{ field: 'servicePointId', problem: '不是本单位的服务点' }]);
  }
  const values = {
    accountId: session.accountId,
    organisationId: session.organisationId,
    communityName: body.communityName,
    pointName: body.pointName,
    areaCode: body.areaCode,
    location: body.location,
    latitude: body.latitude ?? null,
    longitude: body.longitude ?? null,
    servicePointId: body.servicePointId ?? null,
  };
  // one INSERT … ON DUPLICATE KEY UPDATE (SQLite: ON CONFLICT) on uk_scan_points_account: a look-up then an
  // INSERT let a first report sent twice at once (a double tap) insert twice, and the second failed on the key
  await deps.db.models.ScanPoint.upsert(values);
  return (await scanPointOf(deps, session.accountId))!;
}

// ---- accounts (the console builds the screens; seeds and tests create them here) --------------------

export async function createSubAccount(
  deps: D,
  input: { organisationId: number; phone: string; password: string; displayName?: string | null; authorised: boolean; mustChangePassword?: boolean },
  transaction?: Transaction,
): Promise<number> {
  const phone = normalisedPhone(input.phone);
  const row = await deps.db.models.Account.create(
    {
      organisationId: input.organisationId,
      kind: 'sub',
      phoneHash: deps.pii.hash(phone),
      phoneEnc: deps.pii.encrypt(phone),
      displayName: input.displayName ?? null,
      passwordHash: await hashPassword(input.password),
      mustChangePassword: input.mustChangePassword ?? true,
      authorised: input.authorised,
    },
    { transaction },
  );
  return Number(row.get('id'));
}
