// What a signed-in unit manages in the console (manual 四(四), 四(七), 五(二)6–7; D3, D6, E5, E6): its
// scanning sub-accounts, its own information, and its employees. Every function takes the session and
// touches only the session's unit: another unit's ids are "not found".
import {
  checkMobile,
  maskIdNumber,
  maskPhone,
  SUB_ACCOUNT_INITIAL_PASSWORD,
  type EmployeeRequest,
  type EmployeeView,
  type IdType,
  type OrganisationUpdateRequest,
  type OrganisationView,
  type Page,
  type SubAccountView,
} from '@bamin/common';
import { Op, UniqueConstraintError } from 'sequelize';
import type { Deps } from '../deps';
import { containsPattern, toDate } from '../db/values';
import { areaFullName } from '../domain/areas';
import { checkEmployee, employeeIdentityKey } from '../domain/employees';
import { ApiError } from '../errors';
import { consoleActor, writeAudit } from './auditService';
import type { ConsoleSession } from './consoleSessionService';
import { hashPassword } from './passwords';
import { searchIdHashes } from './peopleService';

type D = Pick<Deps, 'db' | 'pii' | 'clock'>;

const unitOf = (s: ConsoleSession): number => {
  if (s.organisationId == null) throw new ApiError('ENTERPRISE_NOT_ASSOCIATED');
  return s.organisationId;
};
const actor = consoleActor;

// ---- sub-accounts (D3, E6) -----------------------------------------------------------------------

interface SubRow {
  id: number;
  organisationId: number;
  displayName: string | null;
  phoneEnc: string | null;
  authorised: boolean | number;
  disabled: boolean | number;
  mustChangePassword: boolean | number;
  createdAt: Date | string;
}

/** Enterprises manage sub-accounts only with the CA certificate presented (五(二)7(1)). */
function requireCaForEnterprise(s: ConsoleSession): void {
  if (s.role === 'enterprise' && s.authMethod !== 'ca') throw new ApiError('CA_SESSION_REQUIRED');
}

function subView(deps: D, r: SubRow): SubAccountView {
  return {
    id: Number(r.id),
    name: r.displayName,
    phoneMasked: r.phoneEnc ? maskPhone(deps.pii.decrypt(r.phoneEnc)) : '',
    authorised: !!r.authorised,
    disabled: !!r.disabled,
    mustChangePassword: !!r.mustChangePassword,
    createdAt: toDate(r.createdAt).toISOString(),
  };
}

export async function listSubAccounts(deps: D, s: ConsoleSession, page: number, pageSize: number): Promise<Page<SubAccountView>> {
  requireCaForEnterprise(s);
  const { rows, count } = await deps.db.models.Account.findAndCountAll({
    where: { organisationId: unitOf(s), kind: 'sub' },
    order: [['id', 'DESC']],
    limit: pageSize,
    offset: (page - 1) * pageSize,
    raw: true,
  });
  return { items: (rows as unknown as SubRow[]).map((r) => subView(deps, r)), page, pageSize, total: count };
}

export async function addSubAccount(deps: D, s: ConsoleSession, body: { phone: string; name: string }, requestId?: string): Promise<SubAccountView> {
  requireCaForEnterprise(s);
  const m = checkMobile(body.phone);
  if (!m.ok) throw new ApiError('VALIDATION_FAILED', [{ field: 'phone', problem: m.problem }]);
  const phoneHash = deps.pii.hash(m.normalized);
  if (await deps.db.models.Account.findOne({ where: { phoneHash } })) throw new ApiError('SUB_ACCOUNT_PHONE_TAKEN', [{ field: 'phone', problem: '该手机号已是子账号' }]);
  const passwordHash = await hashPassword(SUB_ACCOUNT_INITIAL_PASSWORD);
  try {
    // the account and its audit entry together
    const row = await deps.db.sequelize.transaction(async (transaction) => {
      const created = await deps.db.models.Account.create(
        {
          organisationId: unitOf(s),
          kind: 'sub',
          phoneHash,
          phoneEnc: deps.pii.encrypt(m.normalized),
          displayName: body.name.trim(),
          passwordHash,
          mustChangePassword: true,
          // 六(二)2(2): a government unit's sub-accounts are authorised at creation; an enterprise authorises them afterwards
          authorised: s.role !== 'enterprise',
        },
        { transaction },
      );
      await writeAudit(deps, { ...actor(s), action: 'console.sub_account_added', subjectKind: 'account', subjectId: Number(created.get('id')), outcome: 'ok', requestId }, transaction);
      return created;
    });
    return subView(deps, row.get({ plain: true }) as SubRow);
  } catch (e) {
    if (e instanceof UniqueConstraintError) throw new ApiError('SUB_ACCOUNT_PHONE_TAKEN', [{ field: 'phone', problem: '该手机号已是子账号' }]);
    throw e;
  }
}

export type SubAccountAction = 'authorise' | 'revoke' | 'disable' | 'enable' | 'reset-password';

export async function changeSubAccount(deps: D, s: ConsoleSession, id: number, action: SubAccountAction, requestId?: string): Promise<SubAccountView> {
  requireCaForEnterprise(s);
  const where = { id, organisationId: unitOf(s), kind: 'sub' };
  if (!(await deps.db.models.Account.findOne({ where, attributes: ['id'] }))) throw new ApiError('SUB_ACCOUNT_NOT_FOUND');
  const values: Record<string, unknown> =
    action === 'authorise' ? { authorised: true }
    : action === 'revoke' ? { authorised: false }
    : action === 'disable' ? { disabled: true }
    : action === 'enable' ? { disabled: false }
    : { passwordHash: await hashPassword(SUB_ACCOUNT_INITIAL_PASSWORD), mustChangePassword: true, failedLogins: 0, lockedUntil: null };
  await deps.db.sequelize.transaction(async (transaction) => {
    await deps.db.models.Account.update(values, { where, transaction });
    // Taking away the right to scan, or the password, ends the staff member's sessions at once.
    if (action !== 'authorise' && action !== 'enable') {
      await deps.db.models.AccountSession.update({ revokedAt: deps.clock.now() }, { where: { accountId: id, revokedAt: null }, transaction });
    }
    await writeAudit(deps, { ...actor(s), action: `console.sub_account_${action}`, subjectKind: 'account', subjectId: id, outcome: 'ok', requestId }, transaction);
  });
  return subView(deps, (await deps.db.models.Account.findByPk(id, { raw: true })) as unknown as SubRow);
}

// ---- the unit (E5) ---------------------------------------------------------------------------------

export async function organisationView(deps: D, s: ConsoleSession): Promise<OrganisationView> {
  const org = (await deps.db.models.Organisation.findByPk(unitOf(s), { raw: true })) as unknown as {
    id: number;
    kind: OrganisationView['kind'];
    name: string;
    creditCode: string | null;
    areaCode: string | null;
    legalRepName: string | null;
    legalRepPhoneEnc: string | null;
    parentId: number | null;
  };
  const parent = org.parentId ? ((await deps.db.models.Organisation.findByPk(org.parentId, { attributes: ['id', 'name'], raw: true })) as unknown as { id: number; name: string } | null) : null;
  return {
    id: Number(org.id),
    kind: org.kind,
    name: org.name,
    creditCode: org.creditCode,
    areaCode: org.areaCode,
    areaName: org.areaCode ? areaFullName(org.areaCode) || null : null,
    legalRepName: org.legalRepName,
    legalRepPhoneMasked: org.legalRepPhoneEnc ? maskPhone(deps.pii.decrypt(org.legalRepPhoneEnc)) : null,
    parent: parent ? { id: Number(parent.id), name: parent.name } : null,
  };
}

/** E5: name, legal representative and phone; the credit code never changes. */
export async function updateOrganisation(deps: D, s: ConsoleSession, body: OrganisationUpdateRequest, requestId?: string): Promise<OrganisationView> {
  const m = checkMobile(body.legalRepPhone);
  if (!m.ok) throw new ApiError('VALIDATION_FAILED', [{ field: 'legalRepPhone', problem: m.problem }]);
  await deps.db.sequelize.transaction(async (transaction) => {
    await deps.db.models.Organisation.update(
      { name: body.name.trim(), legalRepName: body.legalRepName.trim(), legalRepPhoneEnc: deps.pii.encrypt(m.normalized) },
      { where: { id: unitOf(s) }, transaction },
    );
    await writeAudit(deps, { ...actor(s), action: 'console.organisation_updated', subjectKind: 'organisation', subjectId: unitOf(s), outcome: 'ok', requestId }, transaction);
  });
  return organisationView(deps, s);
}

// ---- employees (D6, E5) ------------------------------------------------------------------------------

interface EmployeeRow {
  id: number;
  name: string;
  idType: IdType;
  idMasked: string;
  phoneMasked: string | null;
  department: string | null;
  createdAt: Date | string;
}

const employeeView = (r: EmployeeRow): EmployeeView => ({
  id: Number(r.id),
  name: r.name,
  idType: r.idType,
  idMasked: r.idMasked,
  phoneMasked: r.phoneMasked,
  department: r.department,
  createdAt: toDate(r.createdAt).toISOString(),
});

/** Column values of a checked employee, personal data encrypted and hashed. */
export function employeeColumns(deps: Pick<Deps, 'pii'>, v: ReturnType<typeof checkedEmployee>) {
  return {
    name: v.name,
    idType: v.idType,
    idHash: deps.pii.hash(employeeIdentityKey(v)),
    idNumberEnc: deps.pii.encrypt(v.idNumber),
    idMasked: maskIdNumber(v.idNumber),
    phoneHash: v.phone ? deps.pii.hash(v.phone) : null,
    phoneEnc: v.phone ? deps.pii.encrypt(v.phone) : null,
    phoneMasked: v.phone ? maskPhone(v.phone) : null,
    department: v.department,
  };
}

function checkedEmployee(body: EmployeeRequest) {
  const c = checkEmployee(body);
  if (!c.ok) throw new ApiError('VALIDATION_FAILED', c.problems.map((p) => ({ field: p.field, problem: p.problem })));
  return c.value;
}

export async function listEmployees(deps: D, s: ConsoleSession, q: { name?: string; idNumber?: string; page: number; pageSize: number }): Promise<Page<EmployeeView>> {
  const where: Record<string | symbol, unknown> = { organisationId: unitOf(s) };
  const name = containsPattern(q.name);
  if (name) where.name = { [Op.like]: name };
  if (q.idNumber?.trim()) {
    // exact match through the keyed hash: the number is never compared in clear
    where.idHash = { [Op.in]: searchIdHashes(deps, q.idNumber) };
  }
  const { rows, count } = await deps.db.models.Employee.findAndCountAll({
    where,
    attributes: ['id', 'name', 'idType', 'idMasked', 'phoneMasked', 'department', 'createdAt'],
    order: [['id', 'DESC']],
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
    raw: true,
  });
  return { items: (rows as unknown as EmployeeRow[]).map(employeeView), page: q.page, pageSize: q.pageSize, total: count };
}

export async function addEmployee(deps: D, s: ConsoleSession, body: EmployeeRequest, requestId?: string): Promise<EmployeeView> {
  const cols = employeeColumns(deps, checkedEmployee(body));
  try {
    const row = await deps.db.sequelize.transaction(async (transaction) => {
      const created = await deps.db.models.Employee.create({ organisationId: unitOf(s), ...cols }, { transaction });
      await writeAudit(deps, { ...actor(s), action: 'console.employee_added', subjectKind: 'employee', subjectId: Number(created.get('id')), outcome: 'ok', requestId }, transaction);
      return created;
    });
    return employeeView(row.get({ plain: true }) as EmployeeRow);
  } catch (e) {
    if (e instanceof UniqueConstraintError) throw new ApiError('EMPLOYEE_EXISTS', [{ field: 'idNumber', problem: '本单位已有该证件号码的职工' }]);
    throw e;
  }
}

export async function updateEmployee(deps: D, s: ConsoleSession, id: number, body: EmployeeRequest, requestId?: string): Promise<EmployeeView> {
  const cols = employeeColumns(deps, checkedEmployee(body));
  const where = { id, organisationId: unitOf(s) };
  if (!(await deps.db.models.Employee.findOne({ where, attributes: ['id'] }))) throw new ApiError('EMPLOYEE_NOT_FOUND');
  try {
    await deps.db.sequelize.transaction(async (transaction) => {
      await deps.db.models.Employee.update(cols, { where, transaction });
      await writeAudit(deps, { ...actor(s), action: 'console.employee_updated', subjectKind: 'employee', subjectId: id, outcome: 'ok', requestId }, transaction);
    });
  } catch (e) {
    if (e instanceof UniqueConstraintError) throw new ApiError('EMPLOYEE_EXISTS', [{ field: 'idNumber', problem: '本单位已有该证件号码的职工' }]);
    throw e;
  }
  return employeeView((await deps.db.models.Employee.findByPk(id, { raw: true })) as unknown as EmployeeRow);
}

/** Deletes the listed employees of the unit — all of them, or none when one is not the unit's. */
export async function deleteEmployees(deps: D, s: ConsoleSession, ids: number[], requestId?: string): Promise<number> {
  const unique = [...new Set(ids)];
  return deps.db.sequelize.transaction(async (transaction) => {
    const found = await deps.db.models.Employee.count({ where: { id: { [Op.in]: unique }, organisationId: unitOf(s) }, transaction });
    if (found !== unique.length) throw new ApiError('EMPLOYEE_NOT_FOUND', undefined, '所选职工中有不属于本单位或已删除的记录，未删除任何职工');
    const n = await deps.db.models.Employee.destroy({ where: { id: { [Op.in]: unique }, organisationId: unitOf(s) }, transaction });
    await writeAudit(deps, { ...actor(s), action: 'console.employees_deleted', subjectKind: 'organisation', subjectId: unitOf(s), outcome: 'ok', requestId, detail: { count: n } }, transaction);
    return n;
  });
}
