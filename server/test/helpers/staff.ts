// Scanner-side test data made through the real services: units, sub-accounts, people with codes, area
// levels and earlier scan records.
import { randomInt } from 'node:crypto';
import type { AreaLevel } from '@bamin/common';
import { issueCodeToken } from '../../src/services/codeService';
import { ensureCodeNumber, resolvePeople } from '../../src/services/peopleService';
import { createSubAccount } from '../../src/services/staffService';
import { currentStatus } from '../../src/services/statusService';
import type { TestContext } from './context';
import { residentId } from './people';

let seq = 0;
const nextSeq = () => ++seq + randomInt(0, 500) * 1000;

export async function createOrganisation(ctx: TestContext, kind: 'government' | 'enterprise' = 'government', name?: string): Promise<number> {
  const org = await ctx.deps.db.models.Organisation.create({ kind, name: name ?? (kind === 'government' ? '鼓楼区东街街道办事处' : '福州示例科技有限公司'), areaCode: '350102' });
  return Number(org.get('id'));
}

export async function createStaff(
  ctx: TestContext,
  opts: { phone?: string; password?: string; authorised?: boolean; mustChangePassword?: boolean; orgKind?: 'government' | 'enterprise'; organisationId?: number; name?: string } = {},
): Promise<{ accountId: number; organisationId: number; phone: string; password: string }> {
  const organisationId = opts.organisationId ?? (await createOrganisation(ctx, opts.orgKind ?? 'government'));
  const phone = opts.phone ?? `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
  const password = opts.password ?? 'Init2026pass';
  const accountId = await createSubAccount(ctx.deps, {
    organisationId,
    phone,
    password,
    displayName: opts.name ?? '张扫码',
    authorised: opts.authorised ?? true,
    mustChangePassword: opts.mustChangePassword ?? false,
  });
  return { accountId, organisationId, phone, password };
}

/** Signs in over HTTP and returns the bearer token. */
export async function staffSignIn(ctx: TestContext, phone: string, password: string): Promise<string> {
  const r = await ctx.http.post('/api/v1/staff/sessions').send({ phone, password });
  if (r.status !== 201) throw new Error(`staff sign-in failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A staff member signed in with a scan point in `areaCode` (default 鼓楼区). */
export async function staffAtPoint(ctx: TestContext, areaCode = '350102', opts: Parameters<typeof createStaff>[1] = {}) {
  const s = await createStaff(ctx, opts);
  const token = await staffSignIn(ctx, s.phone, s.password);
  const r = await ctx.http
    .put('/api/v1/staff/scan-point')
    .set(bearer(token))
    .send({ communityName: '东街社区', pointName: '东门检测点', areaCode, location: '东街 88 号' });
  if (r.status !== 200) throw new Error(`scan point failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { ...s, token };
}

export async function personWithCode(
  ctx: TestContext,
  opts: { idNumber?: string; name?: string; residenceArea?: string; codeArea?: string | null } = {},
): Promise<{ personId: number; codeNumber: string; idNumber: string; name: string }> {
  const idNumber = opts.idNumber ?? residentId('350102', '19850615', nextSeq() % 1000);
  const name = opts.name ?? '王小斌';
  const ids = await ctx.deps.db.sequelize.transaction((transaction) =>
    resolvePeople(ctx.deps, [{ idType: 'resident_id', idNumber, country: null, name, birthDate: null }], transaction),
  );
  const personId = [...ids.values()][0];
  await ctx.deps.db.models.Person.update({ residenceArea: opts.residenceArea ?? '350102', residenceAddress: '东街 1 号' }, { where: { id: personId } });
  const codeNumber = await ensureCodeNumber(ctx.deps, personId, opts.codeArea === undefined ? '350102' : opts.codeArea);
  await currentStatus(ctx.deps, personId);
  return { personId, codeNumber, idNumber, name };
}

export async function codeTokenFor(ctx: TestContext, personId: number): Promise<string> {
  return (await issueCodeToken(ctx.deps, personId)).token;
}

export async function setAreaLevel(ctx: TestContext, areaCode: string, level: AreaLevel, policy?: string, effectiveFrom = '2026-01-01'): Promise<void> {
  await ctx.deps.db.models.AreaLevel.create({ areaCode, level, policy: policy ?? null, effectiveFrom });
}

export async function scanRecordAt(
  ctx: TestContext,
  r: { personId: number; organisationId: number; areaCode: string; at: Date; pointName?: string },
): Promise<number> {
  const row = await ctx.deps.db.models.ScanRecord.create({
    organisationId: r.organisationId,
    personId: r.personId,
    mode: 'passive',
    method: 'camera',
    colour: 'green',
    areaCode: r.areaCode,
    location: r.pointName ?? '检测点',
    scanPointName: r.pointName ?? '检测点',
    scannedAt: r.at,
  });
  return Number(row.get('id'));
}
