// PC console sessions (D2, E1): opened by a legal-person account's password, by an enterprise's CA
// certificate, or by a personal real-name account associated with an enterprise. The session token lives
// in an httpOnly, SameSite=Strict cookie; the server keeps only its SHA-256.
import { randomBytes } from 'node:crypto';
import { tokenHash } from '../domain/tokenHash';
import { checkMobile, checkNewPassword, maskName, type ConsoleAuthMethod, type ConsoleMe, type ConsoleRole, type OrganisationKind } from '@bamin/common';
import { Op } from 'sequelize';
import type { Deps } from '../deps';
import { toDate } from '../db/values';
import { insertUnlessPresent } from '../db/insertUnlessPresent';
import { ApiError } from '../errors';
import { checkAccountPassword } from './accountAuth';
import { writeAudit } from './auditService';
import { checkSmsCode, consumeSmsCode } from './citizenService';
import { hashPassword, verifyPassword } from './passwords';

export const CONSOLE_SESSION_TTL_MS = 12 * 3600_000;
export const CONSOLE_COOKIE = 'bamin_console';

export interface ConsoleSession {
  sessionId: number;
  authMethod: ConsoleAuthMethod;
  accountId: number | null;
  citizenUserId: number | null;
  organisationId: number | null;
  role: ConsoleRole | null;
  mustChangePassword: boolean;
}

type D = Pick<Deps, 'db' | 'pii' | 'clock'>;

interface MainAccountRow {
  id: number;
  organisationId: number;
  kind: string;
  loginName: string | null;
  passwordHash: string;
  mustChangePassword: boolean | number;
  disabled: boolean | number;
  failedLogins: number;
  lockedUntil: Date | string | null;
}

async function openSession(
  deps: D,
  values: { authMethod: ConsoleAuthMethod; accountId?: number | null; citizenUserId?: number | null; organisationId: number | null; caSerial?: string | null },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(deps.clock.now().getTime() + CONSOLE_SESSION_TTL_MS);
  await deps.db.models.ConsoleSession.create({
    tokenHash: tokenHash(token),
    authMethod: values.authMethod,
    accountId: values.accountId ?? null,
    citizenUserId: values.citizenUserId ?? null,
    organisationId: values.organisationId,
    caSerial: values.caSerial ?? null,
    expiresAt,
  });
  return { token, expiresAt };
}

/** D2: user name + password of a unit's main account. */
export async function consolePasswordSignIn(deps: D, loginName: string, password: string, requestId?: string) {
  const found = (await deps.db.models.Account.findOne({ where: { loginName, kind: 'main' }, raw: true })) as unknown as MainAccountRow | null;
  const audit = (outcome: 'ok' | 'refused', detail: Record<string, unknown>) =>
    writeAudit(deps, { actorKind: 'account', actorId: found ? String(found.id) : null, action: 'console.sign_in', outcome, requestId, detail: { method: 'password', ...detail } });
  let account: MainAccountRow;
  try {
    account = await checkAccountPassword(deps, found, password, 'CONSOLE_BAD_CREDENTIALS');
  } catch (e) {
    await audit('refused', { error: (e as ApiError).code });
    throw e;
  }
  if (account.disabled) {
    await audit('refused', { error: 'ACCOUNT_DISABLED' });
    throw new ApiError('ACCOUNT_DISABLED');
  }
  await audit('ok', {});
  return openSession(deps, { authMethod: 'password', accountId: Number(account.id), organisationId: Number(account.organisationId) });
}

/** Opens a CA session for the enterprise whose main account it is (the certificate was checked by the caller). */
export async function consoleCaSession(deps: D, organisationId: number, caSerial: string, requestId?: string) {
  const account = (await deps.db.models.Account.findOne({ where: { organisationId, kind: 'main' }, raw: true })) as unknown as MainAccountRow | null;
  if (!account) throw new ApiError('CA_CERT_WRONG_ENTERPRISE');
  if (account.disabled) throw new ApiError('ACCOUNT_DISABLED');
  await writeAudit(deps, { actorKind: 'account', actorId: String(account.id), action: 'console.sign_in', outcome: 'ok', requestId, detail: { method: 'ca', serial: caSerial } });
  return openSession(deps, { authMethod: 'ca', accountId: Number(account.id), organisationId, caSerial });
}

/** E1 (2): a citizen account (phone + SMS code, L4-verified) signs in; it still has to associate with an enterprise. */
export async function consolePersonalSignIn(deps: D, rawPhone: string, smsCode: string, requestId?: string) {
  const m = checkMobile(rawPhone);
  if (!m.ok) throw new ApiError('VALIDATION_FAILED', [{ field: 'phone', problem: m.problem }]);
  const smsId = await checkSmsCode(deps, m.normalized, 'console', smsCode);
  const user = (await deps.db.models.CitizenUser.findOne({ where: { phoneHash: deps.pii.hash(m.normalized) }, raw: true })) as unknown as {
    id: number;
    personId: number | null;
  } | null;
  if (!user || user.personId == null) {
    throw new ApiError('L4_REQUIRED', undefined, '请先在八闽健康码中完成 L4 级实名认证，再以个人实名账号登录');
  }
  await deps.db.sequelize.transaction((transaction) => consumeSmsCode(deps, smsId, transaction));
  // An account associated earlier with exactly one enterprise enters it straight away.
  const links = (await deps.db.models.EnterpriseAssociation.findAll({ where: { citizenUserId: user.id }, raw: true })) as unknown as { organisationId: number }[];
  await writeAudit(deps, { actorKind: 'person', actorId: String(user.id), action: 'console.sign_in', outcome: 'ok', requestId, detail: { method: 'personal' } });
  return openSession(deps, { authMethod: 'personal', citizenUserId: Number(user.id), organisationId: links.length === 1 ? Number(links[0].organisationId) : null });
}

/**
 * Associates a personal session with the enterprise of `creditCode`: the person's verified ID number must
 * be the legal representative's or the agent's (compared through the keyed hash).
 */
export async function associateEnterprise(deps: D, session: ConsoleSession, creditCode: string, requestId?: string): Promise<ConsoleMe> {
  if (session.authMethod !== 'personal' || session.citizenUserId == null) throw new ApiError('FORBIDDEN', undefined, '只有个人实名账号需要关联企业');
  const org = (await deps.db.models.Organisation.findOne({ where: { creditCode, kind: 'enterprise' }, raw: true })) as unknown as {
    id: number;
    legalRepIdHash: string | null;
    agentIdHash: string | null;
  } | null;
  const user = (await deps.db.models.CitizenUser.findByPk(session.citizenUserId, { raw: true })) as unknown as { personId: number };
  const person = (await deps.db.models.Person.findByPk(user.personId, { attributes: ['idHash'], raw: true })) as unknown as { idHash: string };
  const role = !org ? null : org.legalRepIdHash === person.idHash ? 'legal_rep' : org.agentIdHash === person.idHash ? 'agent' : null;
  if (!org || !role) {
    await writeAudit(deps, { actorKind: 'person', actorId: String(session.citizenUserId), action: 'console.associate', outcome: 'refused', requestId, detail: { found: !!org } });
    throw new ApiError('ENTERPRISE_ASSOCIATION_REFUSED');
  }
  await deps.db.sequelize.transaction(async (transaction) => {
    // made once: an association made by another request at the same moment (a double tap on 关联) is kept as it is
    await insertUnlessPresent(deps.db.models.EnterpriseAssociation, [{ citizenUserId: session.citizenUserId, organisationId: org.id, role }], ['citizenUserId', 'organisationId'], transaction);
    await deps.db.models.ConsoleSession.update({ organisationId: org.id }, { where: { id: session.sessionId }, transaction });
    await writeAudit(deps, { actorKind: 'person', actorId: String(session.citizenUserId), action: 'console.associate', subjectKind: 'organisation', subjectId: org.id, outcome: 'ok', requestId, detail: { role } }, transaction);
  });
  return consoleMe(deps, { ...session, organisationId: Number(org.id), role: 'enterprise' });
}

export async function resolveConsoleSession(deps: Pick<Deps, 'db' | 'clock'>, token: string): Promise<ConsoleSession | null> {
  const s = (await deps.db.models.ConsoleSession.findOne({ where: { tokenHash: tokenHash(token), revokedAt: null }, raw: true })) as unknown as {
    id: number;
    authMethod: ConsoleAuthMethod;
    accountId: number | null;
    citizenUserId: number | null;
    organisationId: number | null;
    expiresAt: unknown;
  } | null;
  if (!s || toDate(s.expiresAt) <= deps.clock.now()) return null;
  let mustChangePassword = false;
  if (s.accountId != null) {
    const account = (await deps.db.models.Account.findByPk(s.accountId, { attributes: ['disabled', 'mustChangePassword', 'kind'], raw: true })) as unknown as {
      disabled: boolean | number;
      mustChangePassword: boolean | number;
      kind: string;
    } | null;
    if (!account || account.disabled || account.kind !== 'main') return null;
    // A CA session proves the enterprise by its certificate; the password rule concerns password sign-in.
    mustChangePassword = s.authMethod === 'password' && !!account.mustChangePassword;
  }
  let role: ConsoleRole | null = null;
  if (s.organisationId != null) {
    const org = (await deps.db.models.Organisation.findByPk(s.organisationId, { attributes: ['kind'], raw: true })) as unknown as { kind: OrganisationKind } | null;
    if (!org) return null;
    role = org.kind;
  }
  return {
    sessionId: Number(s.id),
    authMethod: s.authMethod,
    accountId: s.accountId == null ? null : Number(s.accountId),
    citizenUserId: s.citizenUserId == null ? null : Number(s.citizenUserId),
    organisationId: s.organisationId == null ? null : Number(s.organisationId),
    role,
    mustChangePassword,
  };
}

export async function consoleSignOut(deps: Pick<Deps, 'db' | 'clock'>, session: ConsoleSession): Promise<void> {
  await deps.db.models.ConsoleSession.update({ revokedAt: deps.clock.now() }, { where: { id: session.sessionId } });
}

export async function consoleMe(deps: D, session: ConsoleSession): Promise<ConsoleMe> {
  const account = session.accountId
    ? ((await deps.db.models.Account.findByPk(session.accountId, { attributes: ['loginName'], raw: true })) as unknown as { loginName: string | null })
    : null;
  const org = session.organisationId
    ? ((await deps.db.models.Organisation.findByPk(session.organisationId, { attributes: ['id', 'name', 'kind', 'creditCode', 'areaCode'], raw: true })) as unknown as {
        id: number;
        name: string;
        kind: OrganisationKind;
        creditCode: string | null;
        areaCode: string | null;
      })
    : null;
  let personNameMasked: string | null = null;
  if (session.citizenUserId) {
    const user = (await deps.db.models.CitizenUser.findByPk(session.citizenUserId, { attributes: ['personId'], raw: true })) as unknown as { personId: number | null };
    const person = user?.personId ? ((await deps.db.models.Person.findByPk(user.personId, { attributes: ['name'], raw: true })) as unknown as { name: string | null }) : null;
    personNameMasked = person?.name ? maskName(person.name) : null;
  }
  return {
    accountId: session.accountId,
    loginName: account?.loginName ?? null,
    role: session.role,
    authMethod: session.authMethod,
    mustChangePassword: session.mustChangePassword,
    organisation: org ? { id: Number(org.id), name: org.name, kind: org.kind, creditCode: org.creditCode, areaCode: org.areaCode } : null,
    personNameMasked,
  };
}

/** Replaces a main account's password (the initial one first of all); its other console sessions end. */
export async function changeConsolePassword(deps: D, session: ConsoleSession, currentPassword: string, newPassword: string, requestId?: string): Promise<ConsoleMe> {
  if (session.accountId == null) throw new ApiError('FORBIDDEN', undefined, '个人实名账号没有单位密码');
  const account = (await deps.db.models.Account.findByPk(session.accountId, { raw: true })) as unknown as MainAccountRow;
  if (!(await verifyPassword(currentPassword, account.passwordHash))) {
    throw new ApiError('PASSWORD_WRONG', [{ field: 'currentPassword', problem: '原密码错误' }]);
  }
  const rule = checkNewPassword(newPassword, { current: currentPassword, loginName: account.loginName });
  if (!rule.ok) throw new ApiError('PASSWORD_WEAK', [{ field: 'newPassword', problem: rule.problem }]);
  const passwordHash = await hashPassword(newPassword);
  await deps.db.sequelize.transaction(async (transaction) => {
    await deps.db.models.Account.update({ passwordHash, mustChangePassword: false }, { where: { id: account.id }, transaction });
    await deps.db.models.ConsoleSession.update(
      { revokedAt: deps.clock.now() },
      { where: { accountId: account.id, revokedAt: null, id: { [Op.ne]: session.sessionId } }, transaction },
    );
    await writeAudit(deps, { actorKind: 'account', actorId: String(account.id), action: 'console.password_changed', subjectKind: 'account', subjectId: account.id, outcome: 'ok', requestId }, transaction);
  });
  return consoleMe(deps, { ...session, mustChangePassword: false });
}
