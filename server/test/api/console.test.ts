// PC console API (issue 5: D1–D3, D6, E1, E5, E6) on a real database: sign-in by password, certificate and
// personal account; activation codes; registration; sub-accounts; the unit; employees and their import;
// and tenant isolation on every route that takes an id.
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateDevCa, issueEnterpriseCertificate } from '../../src/integrations/ca';
import { createConsoleAdmin } from '../../src/services/consoleAccountService';
import { citizenWithCode, smsCode } from '../helpers/citizen';
import {
  agent,
  caSignIn,
  certificateFor,
  creditCode,
  enterpriseWithCa,
  governmentUnit,
  healthDepartment,
  NEW_PASSWORD,
  passwordSignIn,
  registerEnterprise,
  registration,
  type Agent,
} from '../helpers/console';
import { createTestContext, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/people';

let ctx: TestContext;
let hd: Agent;
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
  hd = await healthDepartment(ctx, 'wjw-admin');
}, 60_000);
afterAll(() => ctx.close());

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('POST /api/v1/console/sessions (D2 法人用户 login)', () => {
  it('forces the initial password to be changed first, keeps the session in an httpOnly SameSite cookie, and signs out', async () => {
    const { initialPassword } = await createConsoleAdmin(ctx.deps, 'wjw-second');
    const a = agent(ctx);
    const res = await a.post('/api/v1/console/sessions').send({ loginName: 'wjw-second', password: initialPassword });
    expect(res.status).toBe(201);
    expect(res.body.me).toMatchObject({ loginName: 'wjw-second', role: 'health_department', authMethod: 'password', mustChangePassword: true, organisation: { name: '福建省卫生健康委员会', kind: 'health_department' } });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^bamin_console=[\w-]{43}; path=\/api\/v1\/console; expires=.+; samesite=strict; httponly$/i);
    const blocked = await a.get('/api/v1/console/activation-codes');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const weak = await a.post('/api/v1/console/password').send({ currentPassword: initialPassword, newPassword: 'short' });
    expect(weak.body.error).toMatchObject({ code: 'PASSWORD_WEAK', details: [{ field: 'newPassword' }] });
    expect((await a.post('/api/v1/console/password').send({ currentPassword: initialPassword, newPassword: NEW_PASSWORD })).body.mustChangePassword).toBe(false);
    expect((await a.get('/api/v1/console/activation-codes')).status).toBe(200);
    expect((await a.delete('/api/v1/console/sessions/current')).status).toBe(204);
    expect((await a.get('/api/v1/console/me')).status).toBe(401);
  });

  it('locks the account for 15 minutes after 5 wrong passwords, and answers unknown users the same way', async () => {
    const { initialPassword } = await createConsoleAdmin(ctx.deps, 'wjw-locked');
    const unknown = await agent(ctx).post('/api/v1/console/sessions').send({ loginName: 'nobody-here', password: 'x' });
    const wrong = await agent(ctx).post('/api/v1/console/sessions').send({ loginName: 'wjw-locked', password: 'x' });
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.error.code).toBe('CONSOLE_BAD_CREDENTIALS');
    for (let i = 0; i < 4; i++) await agent(ctx).post('/api/v1/console/sessions').send({ loginName: 'wjw-locked', password: `bad${i}` });
    const locked = await agent(ctx).post('/api/v1/console/sessions').send({ loginName: 'wjw-locked', password: initialPassword });
    expect(locked.status).toBe(423);
    ctx.clock.advance(15 * 60_000);
    expect((await agent(ctx).post('/api/v1/console/sessions').send({ loginName: 'wjw-locked', password: initialPassword })).status).toBe(201);
  });
});

describe('D1 government account generation with an activation code', () => {
  it('gives the user name and a one-time password, and places the unit under its county\'s department', async () => {
    const code = creditCode('350102', '11');
    const issued = await hd.post('/api/v1/console/activation-codes').send({ unitName: '鼓楼区东街街道办事处', creditCode: code, areaCode: '350102' });
    expect(issued.status).toBe(201);
    expect(issued.body.activationCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const gen = (body: object) => agent(ctx).post('/api/v1/console/government-accounts').send(body);
    // name and credit code are public: alone, or with a wrong code, they give nothing
    expect((await gen({ name: '鼓楼区东街街道办事处', creditCode: code, activationCode: 'AAAA-BBBB-CCCC' })).body.error.code).toBe('ACTIVATION_CODE_INVALID');
    expect((await gen({ name: '别的单位', creditCode: code, activationCode: issued.body.activationCode })).body.error.code).toBe('ACTIVATION_CODE_INVALID');
    const ok = await gen({ name: '鼓楼区东街街道办事处', creditCode: code, activationCode: issued.body.activationCode });
    expect(ok.status).toBe(201);
    expect(ok.body.loginName).toBe(code);
    expect(ok.body.initialPassword).toMatch(/^(?=.*[A-Za-z])(?=.*\d)[A-Za-z\d]{12}$/);
    const again = await gen({ name: '鼓楼区东街街道办事处', creditCode: code, activationCode: issued.body.activationCode });
    expect(again.status).toBe(400); // single use
    const unit = await passwordSignIn(ctx, code, ok.body.initialPassword);
    const org = await unit.get('/api/v1/console/organisation');
    expect(org.body).toMatchObject({ kind: 'government', name: '鼓楼区东街街道办事处', creditCode: code, areaName: '福建省福州市鼓楼区', parent: { name: '福州市鼓楼区卫生健康局' } });
    const county = (await ctx.deps.db.models.Organisation.findByPk(org.body.parent.id, { raw: true })) as unknown as { parentId: number };
    const city = (await ctx.deps.db.models.Organisation.findByPk(county.parentId, { raw: true })) as unknown as { name: string; parentId: number };
    expect(city.name).toBe('福州市卫生健康委员会');
    expect(((await ctx.deps.db.models.Organisation.findByPk(city.parentId, { raw: true })) as unknown as { kind: string }).kind).toBe('health_department');
  });

  it('refuses an expired code, and lets only the health department issue codes', async () => {
    const code = creditCode('350103', '11');
    const issued = await hd.post('/api/v1/console/activation-codes').send({ unitName: '台江区某单位', creditCode: code, areaCode: '350103' });
    ctx.clock.advance(31 * 86400_000);
    const late = await agent(ctx).post('/api/v1/console/government-accounts').send({ name: '台江区某单位', creditCode: code, activationCode: issued.body.activationCode });
    expect(late.body.error.code).toBe('ACTIVATION_CODE_INVALID');
    expect((await hd.get('/api/v1/console/me')).status).toBe(401); // a console session lasts 12 hours
    hd = await healthDepartment(ctx);
    const gov = await governmentUnit(ctx, hd);
    const denied = await gov.agent.post('/api/v1/console/activation-codes').send({ unitName: 'x', creditCode: creditCode(), areaCode: '350102' });
    expect(denied.status).toBe(403);
    const bad = await hd.post('/api/v1/console/activation-codes').send({ unitName: 'x', creditCode: '91350102MA2XXXXXX1', areaCode: '350102' });
    expect(bad.body.error.details[0].field).toBe('creditCode');
    const list = await hd.get('/api/v1/console/activation-codes');
    expect(list.body.items[0]).not.toHaveProperty('activationCode');
  });
});

describe('D3 sub-accounts of a government unit', () => {
  it('adds staff authorised at once with abc@123456, which must be changed at first sign-in; disable and reset', async () => {
    const gov = await governmentUnit(ctx, hd);
    const added = await gov.agent.post('/api/v1/console/sub-accounts').send({ phone: '13911112222', name: '张扫码' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: '张扫码', phoneMasked: '139****2222', authorised: true, disabled: false, mustChangePassword: true });
    const staff = await ctx.http.post('/api/v1/staff/sessions').send({ phone: '13911112222', password: 'abc@123456' });
    expect(staff.status).toBe(201);
    expect(staff.body.me.mustChangePassword).toBe(true);
    expect((await gov.agent.post('/api/v1/console/sub-accounts').send({ phone: '13911112222', name: '重复' })).status).toBe(409);
    const disabled = await gov.agent.post(`/api/v1/console/sub-accounts/${added.body.id}/disable`);
    expect(disabled.body.disabled).toBe(true);
    expect((await ctx.http.get('/api/v1/staff/me').set({ Authorization: `Bearer ${staff.body.token}` })).status).toBe(401);
    await gov.agent.post(`/api/v1/console/sub-accounts/${added.body.id}/enable`);
    const reset = await gov.agent.post(`/api/v1/console/sub-accounts/${added.body.id}/reset-password`);
    expect(reset.body.mustChangePassword).toBe(true);
    const list = await gov.agent.get('/api/v1/console/sub-accounts');
    expect(list.body).toMatchObject({ total: 1, items: [{ id: added.body.id, phoneMasked: '139****2222' }] });
  });
});

describe('E1 法人注册', () => {
  it('names every bad field at once and uses up no SMS code', async () => {
    const res = await agent(ctx)
      .post('/api/v1/console/enterprises')
      .send(registration({ creditCode: '91350102MA2XXXXXX1', hasLicence: true, licenceNumber: '', legalRepIdNumber: '350102197501010000', password: '12345', passwordConfirmation: '123456', agreed: false }));
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['creditCode', 'licenceNumber', 'legalRepIdNumber', 'password', 'passwordConfirmation', 'agreed']);
  });

  it('refuses a wrong SMS code and a credit code registered already', async () => {
    const form = registration();
    await smsCode(ctx, form.agentPhone as string, 'console');
    const wrongSms = await agent(ctx).post('/api/v1/console/enterprises').send({ ...form, smsCode: '000001' });
    expect(wrongSms.body.error.code).toMatch(/SMS_CODE_(WRONG|EXPIRED)/);
    const e = await registerEnterprise(ctx);
    const dup = registration({ creditCode: e.creditCode });
    dup.smsCode = await smsCode(ctx, dup.agentPhone as string, 'console');
    const res = await agent(ctx).post('/api/v1/console/enterprises').send(dup);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CREDIT_CODE_TAKEN');
  });
});

describe('E1 CA-certificate login', () => {
  it('signs in with the enterprise\'s certificate and key', async () => {
    const e = await enterpriseWithCa(ctx);
    const me = await e.agent.get('/api/v1/console/me');
    expect(me.body).toMatchObject({ role: 'enterprise', authMethod: 'ca', organisation: { id: e.organisationId, creditCode: e.creditCode } });
  });

  it('refuses expired, foreign-CA, wrong-enterprise and wrongly signed certificates, each with its own code', async () => {
    const e = await registerEnterprise(ctx);
    const now = ctx.clock.now().getTime();
    const expired = await certificateFor(ctx, e.creditCode, { notBefore: new Date(now - 400 * 86400_000), notAfter: new Date(now - 86400_000) });
    expect((await caSignIn(ctx, expired)).res.body.error.code).toBe('CA_CERT_EXPIRED');
    const dir = mkdtempSync(path.join(tmpdir(), 'bamin-other-ca-'));
    try {
      const otherCa = await loadOrCreateDevCa(dir, ctx.clock.now());
      const foreign = await issueEnterpriseCertificate(otherCa, { creditCode: e.creditCode, name: 'x', notBefore: new Date(now - 86400_000), notAfter: new Date(now + 86400_000) });
      expect((await caSignIn(ctx, foreign)).res.body.error.code).toBe('CA_CERT_UNTRUSTED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const unregistered = await certificateFor(ctx, creditCode());
    expect((await caSignIn(ctx, unregistered)).res.body.error.code).toBe('CA_CERT_WRONG_ENTERPRISE');
    const mine = await certificateFor(ctx, e.creditCode);
    const other = await certificateFor(ctx, e.creditCode);
    const badSig = await caSignIn(ctx, { certificatePem: mine.certificatePem, privateKeyPem: other.privateKeyPem });
    expect(badSig.res.status).toBe(401);
    expect(badSig.res.body.error.code).toBe('CA_SIGNATURE_INVALID');
    expect((await caSignIn(ctx, { certificatePem: 'not a certificate', privateKeyPem: mine.privateKeyPem })).res.body.error.code).toBe('CA_CERT_MALFORMED');
  });

  it('takes one attempt per challenge', async () => {
    const e = await registerEnterprise(ctx);
    const cert = await certificateFor(ctx, e.creditCode);
    const a = agent(ctx);
    const ch = await a.post('/api/v1/console/ca/challenges');
    const { signChallenge } = await import('../helpers/console');
    const body = { challengeId: ch.body.challengeId, certificatePem: cert.certificatePem, signature: await signChallenge(cert.privateKeyPem, ch.body.challenge) };
    expect((await a.post('/api/v1/console/ca/sessions').send(body)).status).toBe(201);
    expect((await agent(ctx).post('/api/v1/console/ca/sessions').send(body)).body.error.code).toBe('CA_CHALLENGE_EXPIRED');
  });
});

describe('E6 enterprise sub-accounts: CA session only; add, then authorise', () => {
  it('refuses a password session, and only an authorised sub-account can scan', async () => {
    const e = await enterpriseWithCa(ctx);
    const pw = await passwordSignIn(ctx, e.loginName, e.password as string);
    const refused = await pw.get('/api/v1/console/sub-accounts');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({ code: 'CA_SESSION_REQUIRED', message: '子账号管理的所有操作都必须插入 CA 数字证书，请使用 CA 证书登录后再操作' });
    const added = await e.agent.post('/api/v1/console/sub-accounts').send({ phone: '13922223333', name: '企业扫码员' });
    expect(added.body.authorised).toBe(false);
    expect((await ctx.http.post('/api/v1/staff/sessions').send({ phone: '13922223333', password: 'abc@123456' })).body.error.code).toBe('STAFF_NOT_AUTHORISED');
    expect((await e.agent.post(`/api/v1/console/sub-accounts/${added.body.id}/authorise`)).body.authorised).toBe(true);
    expect((await ctx.http.post('/api/v1/staff/sessions').send({ phone: '13922223333', password: 'abc@123456' })).status).toBe(201);
  });
});

describe('E1 personal real-name login and enterprise association', () => {
  it('lets in only an account whose verified ID is the legal representative\'s or the agent\'s', async () => {
    const repId = residentId('350102', '19700707', 77);
    const e = await registerEnterprise(ctx, { legalRepIdNumber: repId });
    const other = await registerEnterprise(ctx);
    await citizenWithCode(ctx, '13733334444', repId, '杨凡');
    const a = agent(ctx);
    const signIn = await a.post('/api/v1/console/personal/sessions').send({ phone: '13733334444', smsCode: await smsCode(ctx, '13733334444', 'console') });
    expect(signIn.status).toBe(201);
    expect(signIn.body.me).toMatchObject({ authMethod: 'personal', organisation: null, role: null, personNameMasked: '*凡' });
    expect((await a.get('/api/v1/console/organisation')).body.error.code).toBe('ENTERPRISE_NOT_ASSOCIATED');
    expect((await a.post('/api/v1/console/personal/association').send({ creditCode: other.creditCode })).body.error.code).toBe('ENTERPRISE_ASSOCIATION_REFUSED');
    const ok = await a.post('/api/v1/console/personal/association').send({ creditCode: e.creditCode });
    expect(ok.body).toMatchObject({ role: 'enterprise', organisation: { id: e.organisationId } });
    expect((await a.get('/api/v1/console/organisation')).body.id).toBe(e.organisationId);
    expect((await a.get('/api/v1/console/sub-accounts')).body.error.code).toBe('CA_SESSION_REQUIRED');
  });

  it('refuses a personal account that has not passed L4', async () => {
    const res = await agent(ctx).post('/api/v1/console/personal/sessions').send({ phone: '13755556666', smsCode: await smsCode(ctx, '13755556666', 'console') });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('L4_REQUIRED');
  });
});

describe('E5 the enterprise\'s information', () => {
  it('edits name, legal representative and phone; never the credit code; a government unit cannot edit', async () => {
    const e = await enterpriseWithCa(ctx);
    const put = await e.agent.put('/api/v1/console/organisation').send({ name: '福州新名称有限公司', legalRepName: '林新', legalRepPhone: '13812345678' });
    expect(put.body).toMatchObject({ name: '福州新名称有限公司', creditCode: e.creditCode, legalRepName: '林新', legalRepPhoneMasked: '138****5678' });
    expect((await e.agent.put('/api/v1/console/organisation').send({ name: 'x', legalRepName: 'y', legalRepPhone: '13812345678', creditCode: creditCode() })).status).toBe(400);
    const gov = await governmentUnit(ctx, hd);
    expect((await gov.agent.put('/api/v1/console/organisation').send({ name: 'x', legalRepName: 'y', legalRepPhone: '13812345678' })).status).toBe(403);
  });
});

async function workbook(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('员工信息');
  ws.addRow(['姓名', '证件类型', '证件号码', '国家/地区', '手机号码', '部门']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function importAndWait(a: Agent, body: Buffer) {
  const started = await a.post('/api/v1/console/employees/imports').set('Content-Type', XLSX).send(body);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  for (let i = 0; i < 600; i++) {
    const job = await a.get(`/api/v1/console/employees/imports/${started.body.jobId}`);
    if (job.body.status === 'done' || job.body.status === 'failed') return job.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

describe('D6/E5 employees', () => {
  it('adds, finds by name and by exact ID number, edits, refuses duplicates and bad fields', async () => {
    const gov = await governmentUnit(ctx, hd);
    const id1 = residentId('350102', '19900101', 11);
    const add = await gov.agent.post('/api/v1/console/employees').send({ name: '王小明', idType: 'resident_id', idNumber: id1, phone: '13800001111', department: '综合科' });
    expect(add.status).toBe(201);
    expect(add.body).toMatchObject({ name: '王小明', idMasked: `35*****${id1.slice(-3)}`, phoneMasked: '138****1111', department: '综合科' });
    expect((await gov.agent.post('/api/v1/console/employees').send({ name: '又一个', idType: 'resident_id', idNumber: id1 })).status).toBe(409);
    const bad = await gov.agent.post('/api/v1/console/employees').send({ name: '', idType: 'resident_id', idNumber: '350102199001010000', phone: '123' });
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['name', 'idNumber', 'phone']);
    await gov.agent.post('/api/v1/console/employees').send({ name: '李四', idType: 'resident_id', idNumber: residentId('350102', '19920202', 12) });
    expect((await gov.agent.get('/api/v1/console/employees?name=小明')).body.items.map((x: { name: string }) => x.name)).toEqual(['王小明']);
    expect((await gov.agent.get(`/api/v1/console/employees?idNumber=${id1}`)).body.total).toBe(1);
    expect((await gov.agent.get(`/api/v1/console/employees?idNumber=${id1.slice(0, 17)}`)).body.total).toBe(0); // exact only
    const edited = await gov.agent.put(`/api/v1/console/employees/${add.body.id}`).send({ name: '王晓明', idType: 'resident_id', idNumber: id1, department: '办公室' });
    expect(edited.body).toMatchObject({ name: '王晓明', department: '办公室', phoneMasked: null });
    expect((await gov.agent.get('/api/v1/console/employees?pageSize=1&page=2')).body).toMatchObject({ total: 2, page: 2, items: [{ name: '王晓明' }] });
  });

  it('imports a whole file or nothing, every bad row named by row and column, duplicates with existing staff too', async () => {
    const gov = await governmentUnit(ctx, hd);
    const template = await gov.agent.get('/api/v1/console/employees/template.xlsx').buffer(true).parse((res, cb) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => cb(null, Buffer.concat(parts)));
    });
    expect(template.headers['content-type']).toBe(XLSX);
    expect((template.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    const existing = residentId('350102', '19800101', 21);
    await gov.agent.post('/api/v1/console/employees').send({ name: '老员工', idType: 'resident_id', idNumber: existing });
    const bad = await importAndWait(
      gov.agent,
      await workbook([
        ['张三', '居民身份证', residentId('350102', '19850505', 22), null, '13800002222', '一科'],
        ['', '居民身份证', '350102198505050000', null, '12', null],
        ['老员工', '居民身份证', existing, null, null, null],
      ]),
    );
    expect(bad.status).toBe('failed');
    expect(bad.errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([
      [3, 'name'],
      [3, 'idNumber'],
      [3, 'phone'],
    ]);
    expect((await gov.agent.get('/api/v1/console/employees')).body.total).toBe(1); // nothing loaded
    const dupWithExisting = await importAndWait(gov.agent, await workbook([['老员工', '居民身份证', existing, null, null, null]]));
    expect(dupWithExisting.errors).toEqual([{ line: 2, field: 'idNumber', problem: '本单位已有该证件号码的职工（老员工）' }]);
    const good = await importAndWait(
      gov.agent,
      await workbook([
        ['张三', '居民身份证', residentId('350102', '19850505', 22), null, '13800002222', '一科'],
        ['John Smith', '护照', 'E12345678', 'USA', null, '外事科'],
      ]),
    );
    expect(good).toMatchObject({ status: 'done', total: 2, processed: 2, inserted: 2, errors: [] });
    expect((await gov.agent.get('/api/v1/console/employees')).body.total).toBe(3);
  });

  it('imports 10,000 rows in one go, reporting progress', async () => {
    const gov = await governmentUnit(ctx, hd);
    const rows = Array.from({ length: 10_000 }, (_, i) => [`职工${i}`, '居民身份证', residentId('350102', `19${String(50 + (i % 40)).padStart(2, '0')}0101`, Math.floor(i / 40) + 1), null, null, null]);
    // unique identities: 40 birth years × 250 sequence numbers
    const job = await importAndWait(gov.agent, await workbook(rows));
    expect(job.errors.slice(0, 3)).toEqual([]);
    expect(job).toMatchObject({ status: 'done', total: 10_000, processed: 10_000, inserted: 10_000 });
    expect((await gov.agent.get('/api/v1/console/employees?pageSize=1')).body.total).toBe(10_000);
  }, 120_000);

  it('deletes one, and a batch all or nothing', async () => {
    const gov = await governmentUnit(ctx, hd);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await gov.agent.post('/api/v1/console/employees').send({ name: `员工${i}`, idType: 'resident_id', idNumber: residentId('350102', '19910101', 30 + i) })).body.id);
    expect((await gov.agent.delete(`/api/v1/console/employees/${ids[0]}`)).status).toBe(204);
    const partial = await gov.agent.post('/api/v1/console/employees/batch-delete').send({ ids: [ids[1], ids[0]] });
    expect(partial.status).toBe(404);
    expect((await gov.agent.get('/api/v1/console/employees')).body.total).toBe(2);
    expect((await gov.agent.post('/api/v1/console/employees/batch-delete').send({ ids: [ids[1], ids[2]] })).body).toEqual({ deleted: 2 });
  });
});

describe('tenant isolation: unit A against unit B\'s ids on every console route', () => {
  it('refuses every read and change of another unit\'s data, and leaves it untouched', async () => {
    const a = await enterpriseWithCa(ctx);
    const b = await enterpriseWithCa(ctx);
    const sub = (await b.agent.post('/api/v1/console/sub-accounts').send({ phone: '13966667777', name: 'B 的扫码员' })).body;
    const emp = (await b.agent.post('/api/v1/console/employees').send({ name: 'B 的职工', idType: 'resident_id', idNumber: residentId('350102', '19930303', 41) })).body;
    const jobBook = await workbook([['B 导入', '居民身份证', residentId('350102', '19930303', 42), null, null, null]]);
    const job = (await b.agent.post('/api/v1/console/employees/imports').set('Content-Type', XLSX).send(jobBook)).body;
    const attempts: [string, () => Promise<{ status: number }>][] = [
      ...(['authorise', 'revoke', 'disable', 'enable', 'reset-password'] as const).map(
        (action) => [`sub-account ${action}`, () => a.agent.post(`/api/v1/console/sub-accounts/${sub.id}/${action}`)] as [string, () => Promise<{ status: number }>],
      ),
      ['employee edit', () => a.agent.put(`/api/v1/console/employees/${emp.id}`).send({ name: '改掉', idType: 'resident_id', idNumber: residentId('350102', '19930303', 43) })],
      ['employee delete', () => a.agent.delete(`/api/v1/console/employees/${emp.id}`)],
      ['employee batch delete', () => a.agent.post('/api/v1/console/employees/batch-delete').send({ ids: [emp.id] })],
      ['import job', () => a.agent.get(`/api/v1/console/employees/imports/${job.jobId}`)],
    ];
    for (const [name, attempt] of attempts) expect((await attempt()).status, name).toBe(404);
    // lists and searches show only A's own
    expect((await a.agent.get('/api/v1/console/sub-accounts')).body.total).toBe(0);
    expect((await a.agent.get('/api/v1/console/employees?name=B')).body.total).toBe(0);
    expect((await a.agent.get('/api/v1/console/organisation')).body.id).toBe(a.organisationId);
    // B's data is as it was
    expect((await b.agent.get('/api/v1/console/sub-accounts')).body.items[0]).toMatchObject({ id: sub.id, authorised: false, disabled: false });
    expect((await b.agent.get('/api/v1/console/employees?name=B 的职工')).body.items[0]).toMatchObject({ id: emp.id, name: 'B 的职工' });
  });

  it('every console route declares its roles', () => {
    const consoleSpecs = ctx.app.api.specs.filter((s) => s.path.startsWith('/api/v1/console') && s.auth !== 'none');
    expect(consoleSpecs.length).toBeGreaterThan(20);
    for (const s of consoleSpecs) expect(s.roles?.length, `${s.method} ${s.path}`).toBeGreaterThan(0);
  });
});
