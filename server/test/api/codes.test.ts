import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/domain/codeTokens';
import { generateSigningKey, type KeyRing } from '../../src/integrations/signingKeys';
import { ensureCodeNumber, findPersonByIdentity } from '../../src/services/peopleService';
import { issueCodeToken, revokeTokens } from '../../src/services/codeService';
import { auth, createTestContext, type TestContext } from '../helpers/context';
import { csv, residentId } from '../helpers/people';
import { bearer, createStaff, staffSignIn } from '../helpers/staff';

let ctx: TestContext;
let codeNumber: string;
let personId: number;
let staff: { accountId: number; token: string };
const A = residentId('350102', '19760606', 41);

beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
  const res = await ctx.http
    .post('/api/v1/sources/fever-drug-purchases')
    .set(auth(ctx))
    .set('Content-Type', 'text/csv')
    .send(csv('id_type,id_number,name,pharmacy,drug,purchased_at', `resident_id,${A},陈斌,惠好大药房,布洛芬缓释胶囊,2026-03-14T18:00:00`));
  expect(res.status).toBe(200);
  const person = await findPersonByIdentity(ctx.deps, { idType: 'resident_id', idNumber: A, country: null });
  personId = Number(person!.id);
  codeNumber = await ensureCodeNumber(ctx.deps, personId, '350102');
  const s = await createStaff(ctx);
  staff = { accountId: s.accountId, token: await staffSignIn(ctx, s.phone, s.password) };
});
afterAll(() => ctx.close());

const verify = (body: unknown) => ctx.http.post('/api/v1/codes/verify').set(bearer(staff.token)).send(body as object);

describe('GET /api/v1/codes/keys', () => {
  it('publishes the current public key by key id, without a credential', async () => {
    const res = await ctx.http.get('/api/v1/codes/keys');
    expect(res.status).toBe(200);
    expect(res.body.keys).toEqual([
      { keyId: ctx.deps.keyRing.current.keyId, algorithm: 'Ed25519', publicKey: expect.stringMatching(/^[\w-]{43}$/), current: true, createdAt: expect.any(String) },
    ]);
  });
});

describe('POST /api/v1/codes/verify', () => {
  it('gives the code number a stable 12-digit value, not derived from the ID number', async () => {
    expect(codeNumber).toMatch(/^\d{12}$/);
    expect(A).not.toContain(codeNumber);
    expect(await ensureCodeNumber(ctx.deps, personId, '350102')).toBe(codeNumber);
  });

  it('answers the current colour for a valid token', async () => {
    const issued = await issueCodeToken(ctx.deps, personId);
    expect(issued.token.length).toBeLessThanOrEqual(120);
    expect(issued.colour).toBe('orange');
    const res = await verify({ token: issued.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kind: 'code',
      method: 'token',
      codeNumber,
      colour: 'orange',
      colourText: '橙码',
      servicePoint: null,
      tokenIssuedAt: '2026-03-15T02:00:00.000Z',
      tokenExpiresAt: '2026-03-15T02:05:00.000Z',
    });
  });

  it('answers a typed 12-digit code number, marked typed, and audits it', async () => {
    const res = await verify({ codeNumber });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ method: 'typed', codeNumber, colour: 'orange', tokenIssuedAt: null });
    const audit = await ctx.deps.db.models.AuditLog.findOne({ where: { action: 'code.lookup_typed', outcome: 'ok' }, order: [['id', 'DESC']], raw: true });
    // the person found, as the keyed hash of their ID number; not the code number
    expect(audit).toMatchObject({ actorKind: 'account', actorId: String(staff.accountId), subjectKind: 'person', subjectHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it.each([
    ['garbage', { token: 'not a token at all' }, 400, 'TOKEN_MALFORMED'],
    ['an empty token', { token: '' }, 400, 'VALIDATION_FAILED'],
    ['a code number with 11 digits', { codeNumber: '12345678901' }, 400, 'VALIDATION_FAILED'],
    ['both fields', { token: 'x', codeNumber: '123456789012' }, 400, 'VALIDATION_FAILED'],
    ['an unknown code number', { codeNumber: '000000000001' }, 404, 'CODE_NOT_FOUND'],
  ])('refuses %s', async (_n, body, status, code) => {
    const res = await verify(body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it('refuses a truncated token', async () => {
    const { token } = await issueCodeToken(ctx.deps, personId);
    const res = await verify({ token: token.slice(0, 60) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('TOKEN_MALFORMED');
  });

  it('refuses a token signed by another key', async () => {
    const other: KeyRing = { current: generateSigningKey(ctx.clock.now()), keys: [] };
    other.keys = [other.current];
    const forged = signToken(other, { kind: 'code', subject: codeNumber, colour: 'green', now: ctx.clock.now(), ttlSeconds: 300 });
    const res = await verify({ token: forged });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'TOKEN_BAD_SIGNATURE', message: '二维码签名无效，可能是伪造或被篡改的健康码' } });
  });

  it('refuses an expired token (a screenshot goes stale)', async () => {
    const { token } = await issueCodeToken(ctx.deps, personId);
    ctx.clock.advance(10 * 60 * 1000);
    const res = await verify({ token });
    ctx.clock.set('2026-03-15T10:00:00+08:00');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('TOKEN_EXPIRED');
  });

  it('refuses a revoked token', async () => {
    const { token } = await issueCodeToken(ctx.deps, personId);
    ctx.clock.advance(1000);
    await revokeTokens(ctx.deps, 'code', codeNumber, 'test');
    const res = await verify({ token });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('TOKEN_REVOKED');
    const fresh = await issueCodeToken(ctx.deps, personId);
    expect((await verify({ token: fresh.token })).status).toBe(200);
  });

  it('requires a staff session: none, or a data-source token, is refused', async () => {
    expect((await ctx.http.post('/api/v1/codes/verify').send({ codeNumber })).status).toBe(401);
    const withSourceToken = await ctx.http.post('/api/v1/codes/verify').set(auth(ctx)).send({ codeNumber });
    expect(withSourceToken.status).toBe(401);
    expect(withSourceToken.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a staff member still on the initial password', async () => {
    const s = await createStaff(ctx, { mustChangePassword: true });
    const res = await ctx.http.post('/api/v1/codes/verify').set(bearer(await staffSignIn(ctx, s.phone, s.password))).send({ codeNumber });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });
});
