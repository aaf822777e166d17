// Console accounts (manual 四(二), 五(二)1; D1, E1): the health department's account (npm run
// create-admin), activation codes it issues, government account generation with such a code, and
// enterprise registration (法人注册). Units sit in a department tree (province → city → county) built
// from GB/T 2260 on demand.
import { randomBytes, randomInt } from 'node:crypto';
import { tokenHash } from '../domain/tokenHash';
import {
  checkCreditCode,
  checkIdDocument,
  checkMobile,
  ENTERPRISE_PASSWORD_MAX,
  ENTERPRISE_PASSWORD_MIN,
  identityKey,
  maskName,
  type ActivationCodeIssued,
  type ActivationCodeRequest,
  type ActivationCodeView,
  type EnterpriseRegistered,
  type EnterpriseRegistrationRequest,
  type ErrorDetail,
  type GovernmentAccountIssued,
  type GovernmentAccountRequest,
  type Page,
} from '@bamin/common';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import { toDate } from '../db/values';
import { areaFullName, findArea, isCountyLevelCode, isKnownAreaCode } from '../domain/areas';
import { ApiError } from '../errors';
import { writeAudit } from './auditService';
import { checkSmsCode, consumeSmsCode } from './citizenService';
import type { ConsoleSession } from './consoleSessionService';
import { hashPassword } from './passwords';

type D = Pick<Deps, 'db' | 'pii' | 'clock'>;

export const ACTIVATION_CODE_TTL_MS = 30 * 24 * 3600_000;
export const HEALTH_DEPARTMENT_NAME = '福建省卫生健康委员会';
const PROVINCE = '350000';

/** 12 characters of letters and digits (both present), easy to type, no look-alikes. */
function randomSecret(length = 12): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  for (;;) {
    let s = '';
    for (let i = 0; i < length; i++) s += all[randomInt(0, all.length)];
    if (/[A-Za-z]/.test(s) && /\d/.test(s)) return s;
  }
}

const hashCode = (deps: Pick<Deps, 'pii'>, code: string) => deps.pii.hash(`activation:${code.trim().toUpperCase()}`);

// ---- department tree -----------------------------------------------------------------------------

/**
 * The department organisation of an area (the province's is the health department), created with its
 * ancestors when missing. Its parent is the department of the parent area.
 */
export async function departmentOf(deps: Pick<Deps, 'db'>, areaCode: string, transaction?: Transaction): Promise<number> {
  const { Organisation } = deps.db.models;
  if (areaCode === PROVINCE) {
    const found = await Organisation.findOne({ where: { kind: 'health_department', areaCode: PROVINCE }, transaction });
    if (found) return Number(found.get('id'));
    const created = await Organisation.create({ kind: 'health_department', name: HEALTH_DEPARTMENT_NAME, areaCode: PROVINCE }, { transaction });
    return Number(created.get('id'));
  }
  const area = findArea(areaCode);
  if (!area?.parentCode) throw new ApiError('AREA_UNKNOWN', [{ field: 'areaCode', problem: '不是福建省的区划代码' }]);
  const parentId = await departmentOf(deps, area.parentCode, transaction);
  const found = await Organisation.findOne({ where: { kind: 'government', areaCode, parentId }, transaction });
  if (found) return Number(found.get('id'));
  const name = area.level === 'city' ? `${area.name}卫生健康委员会` : `${areaFullName(areaCode).replace(/^福建省/, '')}卫生健康局`;
  const created = await Organisation.create({ kind: 'government', name, areaCode, parentId }, { transaction });
  return Number(created.get('id'));
}

// ---- the health department's account -------------------------------------------------------------

/** npm run create-admin: the health department's main account, with a one-time initial password. */
export async function createConsoleAdmin(deps: D, loginName: string): Promise<{ loginName: string; initialPassword: string }> {
  if (!/^[A-Za-z][\w.-]{2,31}$/.test(loginName)) throw new ApiError('VALIDATION_FAILED', [{ field: 'loginName', problem: '用户名须为 3–32 位字母、数字、点、下划线或连字符，以字母开头' }]);
  const initialPassword = randomSecret();
  const passwordHash = await hashPassword(initialPassword);
  await deps.db.sequelize.transaction(async (transaction) => {
    const orgId = await departmentOf(deps, PROVINCE, transaction);
    if (await deps.db.models.Account.findOne({ where: { loginName }, transaction })) {
      throw new ApiError('VALIDATION_FAILED', [{ field: 'loginName', problem: '该用户名已存在' }]);
    }
    await deps.db.models.Account.create({ organisationId: orgId, kind: 'main', loginName, passwordHash, mustChangePassword: true, authorised: true }, { transaction });
  });
  return { loginName, initialPassword };
}

// ---- activation codes (health department) -------------------------------------------------------------

export async function issueActivationCode(deps: D, session: ConsoleSession, body: ActivationCodeRequest, requestId?: string): Promise<ActivationCodeIssued> {
  const credit = checkCreditCode(body.creditCode);
  if (!credit.ok) throw new ApiError('VALIDATION_FAILED', [{ field: 'creditCode', problem: credit.problem }]);
  if (!isKnownAreaCode(body.areaCode) || !body.areaCode.startsWith('35') || body.areaCode === PROVINCE) {
    throw new ApiError('AREA_UNKNOWN', [{ field: 'areaCode', problem: '请选择福建省内的市或区县' }]);
  }
  if (await deps.db.models.Organisation.findOne({ where: { creditCode: credit.normalized } })) throw new ApiError('CREDIT_CODE_TAKEN');
  const code = `${randomSecret(4)}-${randomSecret(4)}-${randomSecret(4)}`.toUpperCase();
  const expiresAt = new Date(deps.clock.now().getTime() + ACTIVATION_CODE_TTL_MS);
  // the code and its audit entry together
  const id = await deps.db.sequelize.transaction(async (transaction) => {
    const row = await deps.db.models.ActivationCode.create(
      { codeHash: hashCode(deps, code), unitName: body.unitName, creditCode: credit.normalized, areaCode: body.areaCode, issuedByAccountId: session.accountId, expiresAt },
      { transaction },
    );
    const codeId = Number(row.get('id'));
    await writeAudit(deps, { actorKind: 'account', actorId: String(session.accountId), action: 'console.activation_code_issued', subjectKind: 'activation_code', subjectId: codeId, outcome: 'ok', requestId }, transaction);
    return codeId;
  });
  return { id, activationCode: code, expiresAt: expiresAt.toISOString() };
}

export async function listActivationCodes(deps: D, page: number, pageSize: number): Promise<Page<ActivationCodeView>> {
  const { rows, count } = await deps.db.models.ActivationCode.findAndCountAll({ order: [['id', 'DESC']], limit: pageSize, offset: (page - 1) * pageSize, raw: true });
  return {
    items: (rows as unknown as { id: number; unitName: string; creditCode: string; areaCode: string; expiresAt: Date | string; usedAt: Date | string | null }[]).map((r) => ({
      id: Number(r.id),
      unitName: r.unitName,
      creditCode: r.creditCode,
      areaCode: r.areaCode,
      areaName: areaFullName(r.areaCode),
      expiresAt: toDate(r.expiresAt).toISOString(),
      usedAt: r.usedAt ? toDate(r.usedAt).toISOString() : null,
    })),
    page,
    pageSize,
    total: count,
  };
}

/** D1: name + credit code + activation code → user name and a one-time initial password (shown once). */
export async function generateGovernmentAccount(deps: D, body: GovernmentAccountRequest, requestId?: string): Promise<GovernmentAccountIssued> {
  const credit = checkCreditCode(body.creditCode);
  if (!credit.ok) throw new ApiError('VALIDATION_FAILED', [{ field: 'creditCode', problem: credit.problem }]);
  const now = deps.clock.now();
  const initialPassword = randomSecret();
  const passwordHash = await hashPassword(initialPassword);
  const generate = () => deps.db.sequelize.transaction(async (transaction) => {
    const code = (await deps.db.models.ActivationCode.findOne({ where: { codeHash: hashCode(deps, body.activationCode) }, transaction, raw: true })) as unknown as {
      id: number;
      unitName: string;
      creditCode: string;
      areaCode: string;
      expiresAt: Date | string;
      usedAt: Date | string | null;
    } | null;
    const valid = code && !code.usedAt && toDate(code.expiresAt) > now && code.creditCode === credit.normalized && code.unitName === body.name.trim();
    if (!valid) return null;
    const [claimed] = await deps.db.models.ActivationCode.update({ usedAt: now }, { where: { id: code.id, usedAt: null }, transaction });
    if (claimed !== 1) return null;
    if (await deps.db.models.Organisation.findOne({ where: { creditCode: credit.normalized }, transaction })) throw new ApiError('CREDIT_CODE_TAKEN');
    const parentId = await departmentOf(deps, code.areaCode, transaction);
    const org = await deps.db.models.Organisation.create({ kind: 'government', name: code.unitName, creditCode: credit.normalized, areaCode: code.areaCode, parentId }, { transaction });
    const organisationId = Number(org.get('id'));
    await deps.db.models.ActivationCode.update({ usedByOrganisationId: organisationId }, { where: { id: code.id }, transaction });
    await deps.db.models.Account.create(
      { organisationId, kind: 'main', loginName: credit.normalized, passwordHash, mustChangePassword: true, authorised: true },
      { transaction },
    );
    // with the account: an account made without its entry (or an entry without the account) is neither
    await writeAudit(deps, { actorKind: 'system', action: 'console.government_account', subjectKind: 'organisation', subjectId: organisationId, outcome: 'ok', requestId }, transaction);
    return { organisationId };
  });
  let result: Awaited<ReturnType<typeof generate>>;
  try {
    result = await generate();
  } catch (e) {
    // the unit registered at the same moment through another activation code (or as an enterprise): the same
    // answer as when it had registered before — the code stays unused, rolled back with the rest
    if (e instanceof UniqueConstraintError) throw new ApiError('CREDIT_CODE_TAKEN');
    throw e;
  }
  if (!result) {
    await writeAudit(deps, { actorKind: 'system', action: 'console.government_account', outcome: 'refused', requestId, detail: { error: 'ACTIVATION_CODE_INVALID' } });
    throw new ApiError('ACTIVATION_CODE_INVALID', [{ field: 'activationCode', problem: '激活码无效、已使用、已过期，或与单位名称、统一社会信用代码不符' }]);
  }
  return { loginName: credit.normalized, initialPassword, organisationId: result.organisationId };
}

// ---- enterprise registration (E1) -----------------------------------------------------------------------

/** Only a passport names its issuing country (the form's 国家/地区 is 中国 for the other documents). */
const repCountryOf = (body: EnterpriseRegistrationRequest) => (body.legalRepIdType === 'passport' ? body.legalRepCountry : null);

/** Every problem of the form, by field; the SMS code is checked last so a bad form does not use it up. */
function registrationProblems(body: EnterpriseRegistrationRequest): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const add = (field: string, problem: string) => problems.push({ field, problem });
  const credit = checkCreditCode(body.creditCode);
  if (!credit.ok) add('creditCode', credit.problem);
  if (body.hasLicence && !body.licenceNumber?.trim()) add('licenceNumber', '请输入许可证编号');
  const rep = checkIdDocument(body.legalRepIdType, body.legalRepIdNumber, repCountryOf(body));
  if (!rep.ok) add(rep.field === 'country' ? 'legalRepCountry' : rep.field === 'id_type' ? 'legalRepIdType' : 'legalRepIdNumber', rep.problem);
  const phone = checkMobile(body.agentPhone);
  if (!phone.ok) add('agentPhone', phone.problem);
  const agent = checkIdDocument('resident_id', body.agentIdNumber, null);
  if (!agent.ok) add('agentIdNumber', agent.problem);
  const p = body.password;
  if (p.length < ENTERPRISE_PASSWORD_MIN || p.length > ENTERPRISE_PASSWORD_MAX) add('password', `登录密码须为 ${ENTERPRISE_PASSWORD_MIN}–${ENTERPRISE_PASSWORD_MAX} 个字符`);
  else if (!/^[\x21-\x7e]+$/.test(p)) add('password', '登录密码只能使用字母、数字和英文符号，不能有空格');
  else if (!/[A-Za-z]/.test(p) || !/\d/.test(p)) add('password', '登录密码须同时包含字母和数字');
  if (body.passwordConfirmation !== p) add('passwordConfirmation', '两次输入的登录密码不一致');
  if (!body.agreed) add('agreed', '请阅读并同意用户协议');
  return problems;
}

export async function registerEnterprise(deps: D, body: EnterpriseRegistrationRequest, requestId?: string): Promise<EnterpriseRegistered> {
  const problems = registrationProblems(body);
  if (problems.length) throw new ApiError('VALIDATION_FAILED', problems);
  const credit = checkCreditCode(body.creditCode) as { ok: true; normalized: string };
  const phone = (checkMobile(body.agentPhone) as { ok: true; normalized: string }).normalized;
  const rep = checkIdDocument(body.legalRepIdType, body.legalRepIdNumber, repCountryOf(body)) as { ok: true; number: string; country: string | null };
  const agentId = (checkIdDocument('resident_id', body.agentIdNumber, null) as { ok: true; number: string }).number;
  if (await deps.db.models.Organisation.findOne({ where: { creditCode: credit.normalized } })) throw new ApiError('CREDIT_CODE_TAKEN', [{ field: 'creditCode', problem: '该统一社会信用代码已注册' }]);
  const smsId = await checkSmsCode(deps, phone, 'console', body.smsCode);
  const passwordHash = await hashPassword(body.password);
  // The registering authority's area (characters 3–8 of the credit code) places the enterprise in the tree when it is a Fujian county.
  const area = credit.normalized.slice(2, 8);
  const areaCode = area.startsWith('35') && isCountyLevelCode(area) ? area : null;
  const repCountry = rep.country;
  try {
    const organisationId = await deps.db.sequelize.transaction(async (transaction) => {
      await consumeSmsCode(deps, smsId, transaction);
      const parentId = areaCode ? await departmentOf(deps, areaCode, transaction) : null;
      const org = await deps.db.models.Organisation.create(
        {
          kind: 'enterprise',
          name: body.name.trim(),
          creditCode: credit.normalized,
          areaCode,
          parentId,
          legalPersonType: body.legalPersonType,
          licenceNumber: body.hasLicence ? body.licenceNumber!.trim() : null,
          legalRepName: body.legalRepName.trim(),
          legalRepIdType: body.legalRepIdType,
          legalRepCountry: repCountry,
          legalRepIdHash: deps.pii.hash(identityKey(body.legalRepIdType, rep.number, repCountry)),
          legalRepIdEnc: deps.pii.encrypt(rep.number),
          agentName: body.agentName.trim(),
          agentPhoneEnc: deps.pii.encrypt(phone),
          agentIdHash: deps.pii.hash(identityKey('resident_id', agentId, null)),
          agentIdEnc: deps.pii.encrypt(agentId),
          // the agent's phone is the unit's contact phone until the enterprise edits it
          legalRepPhoneEnc: deps.pii.encrypt(phone),
        },
        { transaction },
      );
      const id = Number(org.get('id'));
      await deps.db.models.Account.create(
        { organisationId: id, kind: 'main', loginName: credit.normalized, passwordHash, mustChangePassword: false, authorised: true },
        { transaction },
      );
      await writeAudit(deps, { actorKind: 'system', action: 'console.enterprise_registered', subjectKind: 'organisation', subjectId: id, outcome: 'ok', requestId, detail: { agent: maskName(body.agentName) } }, transaction);
      return id;
    });
    return { organisationId, loginName: credit.normalized };
  } catch (e) {
    if (e instanceof UniqueConstraintError) throw new ApiError('CREDIT_CODE_TAKEN', [{ field: 'creditCode', problem: '该统一社会信用代码已注册' }]);
    throw e;
  }
}

/** A random hex id for challenges and jobs. */
export const randomId = () => randomBytes(16).toString('hex');
