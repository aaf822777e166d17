// Drives the citizen API the way the mini-program does: SMS sign-in, L4, profile, code.
import { expect } from 'vitest';
import type { DevSmsOutbox } from '../../src/integrations/sms';
import type { TestContext } from './context';
import { residentId } from './people';

export async function smsCode(ctx: TestContext, phone: string, purpose: 'sign_in' | 'family' | 'console'): Promise<string> {
  ctx.clock.advance(61_000); // one code a minute per phone
  const res = await ctx.http.post('/api/v1/app/sms-codes').send({ phone, purpose });
  expect(res.status).toBe(204);
  return (ctx.deps.sms as DevSmsOutbox).latestCode(phone)!;
}

export async function signIn(ctx: TestContext, phone: string): Promise<string> {
  const res = await ctx.http.post('/api/v1/app/sessions').send({ phone, smsCode: await smsCode(ctx, phone, 'sign_in') });
  expect(res.status).toBe(201);
  return res.body.token;
}

/** A citizen through sign-in, L4, profile and first code. */
export async function citizenWithCode(ctx: TestContext, phone: string, idNumber: string, name = '王斌') {
  const token = await signIn(ctx, phone);
  const bearer = { Authorization: `Bearer ${token}` };
  const start = await ctx.http.post('/api/v1/app/l4/start').set(bearer).send({ name, idType: 'resident_id', idNumber });
  expect(start.status).toBe(200);
  expect((await ctx.http.post('/api/v1/app/l4/confirm').set(bearer).send({ checkId: start.body.checkId, confirmed: true })).status).toBe(200);
  expect((await ctx.http.put('/api/v1/app/profile').set(bearer).send({ residenceArea: '350102', residenceAddress: '五一路 1 号' })).status).toBe(200);
  const code = await ctx.http.post('/api/v1/app/code').set(bearer).send({ currentArea: '350102' });
  expect(code.status).toBe(200);
  return { token, bearer, code: code.body };
}

export const ANSWERS_OK = {
  inFujian: true,
  leftFujianIn14Days: false,
  isolatedOrContactOrRecentlyDischarged: false,
  feverOrRespiratorySymptoms: false,
  otherAbnormalHealth: false,
};

export { residentId };
