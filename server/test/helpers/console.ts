// Drives the console API the way admin/ does: cookie sessions through a supertest agent, the health
// department's account, government units from activation codes, enterprises registered and signed in
// with a certificate from the development CA.
import { randomInt, webcrypto } from 'node:crypto';
import { creditCodeCheckChar } from '@bamin/common';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { expect } from 'vitest';
import { issueEnterpriseCertificate } from '../../src/integrations/ca';
import { createConsoleAdmin } from '../../src/services/consoleAccountService';
import { smsCode } from './citizen';
import type { TestContext } from './context';
import { residentId } from './people';

export type Agent = TestAgent;

export const agent = (ctx: TestContext): Agent => request.agent(ctx.app.koa.callback());

/** A valid GB 32100 code registered in `area` (9 random body characters). */
export function creditCode(area = '350102', prefix = '91'): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let body = '';
  for (let i = 0; i < 9; i++) body += chars[randomInt(0, chars.length)];
  const first17 = `${prefix}${area}${body}`;
  return first17 + creditCodeCheckChar(first17);
}

export const NEW_PASSWORD = 'Console2026ok';

/** Signs in with user name and password; when the initial password must go, replaces it with NEW_PASSWORD. */
export async function passwordSignIn(ctx: TestContext, loginName: string, password: string): Promise<Agent> {
  const a = agent(ctx);
  const res = await a.post('/api/v1/console/sessions').send({ loginName, password });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  if (res.body.me.mustChangePassword) {
    const changed = await a.post('/api/v1/console/password').send({ currentPassword: password, newPassword: NEW_PASSWORD });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  }
  return a;
}

export async function healthDepartment(ctx: TestContext, loginName = `wjw${randomInt(0, 1e6)}`): Promise<Agent> {
  const { initialPassword } = await createConsoleAdmin(ctx.deps, loginName);
  return passwordSignIn(ctx, loginName, initialPassword);
}

/** The id of the health department (福建省卫生健康委员会), the top of every department chain. */
export async function healthDepartmentId(ctx: TestContext): Promise<number> {
  return Number((await ctx.deps.db.models.Organisation.findOne({ where: { kind: 'health_department' } }))!.get('id'));
}

/** A government unit generated with an activation code from the health department, past its first login. */
export async function governmentUnit(ctx: TestContext, hd: Agent, opts: { name?: string; areaCode?: string } = {}) {
  const name = opts.name ?? `鼓楼区某街道办事处${randomInt(0, 1e6)}`;
  const code = creditCode(opts.areaCode ?? '350102', '11');
  const issued = await hd.post('/api/v1/console/activation-codes').send({ unitName: name, creditCode: code, areaCode: opts.areaCode ?? '350102' });
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  const gen = await agent(ctx).post('/api/v1/console/government-accounts').send({ name, creditCode: code, activationCode: issued.body.activationCode });
  expect(gen.status, JSON.stringify(gen.body)).toBe(201);
  const a = await passwordSignIn(ctx, gen.body.loginName, gen.body.initialPassword);
  return { agent: a, organisationId: gen.body.organisationId as number, creditCode: code, name };
}

export function registration(overrides: Record<string, unknown> = {}) {
  return {
    legalPersonType: 'enterprise',
    name: `福州示例科技有限公司${randomInt(0, 1e6)}`,
    creditCode: creditCode(),
    hasLicence: false,
    licenceNumber: null,
    legalRepName: '杨凡',
    legalRepIdType: 'resident_id',
    legalRepCountry: 'CHN',
    legalRepIdNumber: residentId('350102', '19750101', randomInt(1, 999)),
    agentPhone: `137${String(randomInt(0, 1e8)).padStart(8, '0')}`,
    smsCode: '000000',
    agentName: '陈经办',
    agentIdNumber: residentId('350103', '19880808', randomInt(1, 999)),
    password: 'Qiye2026',
    passwordConfirmation: 'Qiye2026',
    agreed: true,
    ...overrides,
  };
}

/** Registers an enterprise through the API (the agent's SMS code from the development outbox). */
export async function registerEnterprise(ctx: TestContext, overrides: Record<string, unknown> = {}) {
  const form = registration(overrides);
  form.smsCode = await smsCode(ctx, form.agentPhone as string, 'console');
  const res = await agent(ctx).post('/api/v1/console/enterprises').send(form);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ...form, organisationId: res.body.organisationId as number, loginName: res.body.loginName as string };
}

/** A certificate for `creditCode` from the development CA, valid around the test clock by default. */
export async function certificateFor(ctx: TestContext, creditCodeValue: string, opts: { notBefore?: Date; notAfter?: Date } = {}) {
  const now = ctx.clock.now();
  return issueEnterpriseCertificate(ctx.deps.ca!, {
    creditCode: creditCodeValue,
    name: '福州示例科技有限公司',
    notBefore: opts.notBefore ?? new Date(now.getTime() - 86400_000),
    notAfter: opts.notAfter ?? new Date(now.getTime() + 365 * 86400_000),
  });
}

/** Signs the challenge exactly as the console does in the browser (WebCrypto, raw r||s). */
export async function signChallenge(privateKeyPem: string, challenge: string): Promise<string> {
  const der = Buffer.from(privateKeyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const key = await webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const sig = await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, Buffer.from(challenge, 'base64url'));
  return Buffer.from(sig).toString('base64url');
}

export async function caSignIn(ctx: TestContext, cert: { certificatePem: string; privateKeyPem: string }, a: Agent = agent(ctx)) {
  const ch = await a.post('/api/v1/console/ca/challenges');
  expect(ch.status).toBe(201);
  const res = await a.post('/api/v1/console/ca/sessions').send({
    challengeId: ch.body.challengeId,
    certificatePem: cert.certificatePem,
    signature: await signChallenge(cert.privateKeyPem, ch.body.challenge),
  });
  return { res, agent: a };
}

/** An enterprise signed in with its certificate (the session sub-account management needs). */
export async function enterpriseWithCa(ctx: TestContext) {
  const e = await registerEnterprise(ctx);
  const { res, agent: a } = await caSignIn(ctx, await certificateFor(ctx, e.creditCode));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ...e, agent: a };
}
