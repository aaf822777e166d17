// Sign-in through a host super-app (H7; issue 10) on a real database: a valid ticket of the development host
// gives a citizen session at L4 recorded as asserted by that host, and the code can be generated at once;
// forged, expired (or too long-lived), replayed (also two racing uses), wrong-audience, unknown-host and
// malformed tickets are each refused with their own code and leave nothing behind; an RSA host works; the
// same phone signing in by SMS is the same account; an ID number of another account is refused.
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { HostTicketPayload } from '@bamin/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_HOST_APP_ID, devHostFiles, signHostTicket } from '../../src/integrations/hostIdentity';
import { citizenWithCode, signIn } from '../helpers/citizen';
import { createTestContext, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/people';

let ctx: TestContext;
let devKey: ReturnType<typeof createPrivateKey>;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
  devKey = createPrivateKey(readFileSync(devHostFiles(ctx.dir).privateKeyFile, 'utf8'));
  // a second, RSA host registered beside the development one
  ctx.deps.hosts.hosts.set('rsa-host', { appId: 'rsa-host', name: 'RSA 宿主', publicKey: rsa.publicKey });
}, 60_000);
afterAll(() => ctx.close());

let seq = 0;
function payload(over: Partial<HostTicketPayload> = {}): HostTicketPayload {
  seq++;
  const now = Math.floor(ctx.clock.now().getTime() / 1000);
  return {
    v: 1, iss: DEV_HOST_APP_ID, aud: 'bamin-health-code', jti: randomBytes(12).toString('hex'), iat: now, exp: now + 120,
    sub: `host-user-${seq}`, l4: true, name: '宿主用户', idType: 'resident_id', idNumber: residentId('350102', '19900101', 700 + seq), phone: `1380000${String(7000 + seq)}`,
    ...over,
  };
}
const post = (ticket: string) => ctx.http.post('/api/v1/app/host-sessions').send({ ticket });
const counts = async () => ({
  users: await ctx.deps.db.models.CitizenUser.count(),
  sessions: await ctx.deps.db.models.AppSession.count(),
  uses: await ctx.deps.db.models.HostTicketUse.count(),
  people: await ctx.deps.db.models.Person.count(),
});

describe('POST /api/v1/app/host-sessions', () => {
  it('a valid ticket signs the host\'s user in at L4, asserted by that host; the code can be generated at once', async () => {
    const p = payload({ name: '林宿主' });
    const res = await post(signHostTicket(p, devKey));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ token: expect.any(String), host: { appId: DEV_HOST_APP_ID, name: '闽政通（开发）' } });
    const auth = { Authorization: `Bearer ${res.body.token}` };
    const me = await ctx.http.get('/api/v1/app/me').set(auth);
    expect(me.body).toMatchObject({ l4Verified: true, person: { nameMasked: '**主', codeNumber: null } });
    const user = (await ctx.deps.db.models.CitizenUser.findOne({ where: { phoneHash: ctx.deps.pii.hash(p.phone) }, raw: true })) as unknown as { l4Provider: string };
    expect(user.l4Provider).toBe(`host:${DEV_HOST_APP_ID}`);
    expect((await ctx.http.put('/api/v1/app/profile').set(auth).send({ residenceArea: '350102', residenceAddress: '五一路 1 号' })).status).toBe(200);
    const code = await ctx.http.post('/api/v1/app/code').set(auth).send({ currentArea: '350102' });
    expect(code.status).toBe(200);
    expect(code.body.colour).toBe('green');
    // the same host user again: the same account, a new session
    const again = await post(signHostTicket({ ...p, jti: randomBytes(12).toString('hex') }, devKey));
    expect(again.status).toBe(201);
    expect((await ctx.http.get('/api/v1/app/me').set({ Authorization: `Bearer ${again.body.token}` })).body.person.codeNumber).toBe(code.body.codeNumber);
    const audit = await ctx.deps.db.models.AuditLog.findOne({ where: { action: 'citizen.host_sign_in', outcome: 'ok' }, raw: true });
    expect(JSON.parse((audit as unknown as { detail: string }).detail)).toEqual({ host: DEV_HOST_APP_ID });
  });

  it('an RSA (RS256) host works too', async () => {
    const res = await post(signHostTicket(payload({ iss: 'rsa-host' }), rsa.privateKey));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.host).toEqual({ appId: 'rsa-host', name: 'RSA 宿主' });
  });

  const other = generateKeyPairSync('ed25519');
  it.each([
    ['forged (signed by another key)', (): string => signHostTicket(payload(), other.privateKey), 401, 'HOST_TICKET_FORGED'],
    ['forged (payload changed after signing)', (): string => {
      const t = signHostTicket(payload(), devKey).split('.');
      const body = JSON.parse(Buffer.from(t[1], 'base64url').toString());
      body.idNumber = residentId('350102', '19800101', 999);
      return `${t[0]}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${t[2]}`;
    }, 401, 'HOST_TICKET_FORGED'],
    ['expired', (): string => signHostTicket(payload({ iat: Math.floor(ctx.clock.now().getTime() / 1000) - 200, exp: Math.floor(ctx.clock.now().getTime() / 1000) - 1 }), devKey), 401, 'HOST_TICKET_EXPIRED'],
    ['valid for longer than 300 s', (): string => signHostTicket(payload({ exp: Math.floor(ctx.clock.now().getTime() / 1000) + 301 }), devKey), 401, 'HOST_TICKET_EXPIRED'],
    ['issued in the future', (): string => signHostTicket(payload({ iat: Math.floor(ctx.clock.now().getTime() / 1000) + 120, exp: Math.floor(ctx.clock.now().getTime() / 1000) + 200 }), devKey), 401, 'HOST_TICKET_EXPIRED'],
    ['for another audience', (): string => signHostTicket(payload({ aud: 'another-service' }), devKey), 401, 'HOST_TICKET_WRONG_AUDIENCE'],
    ['from an unknown host', (): string => signHostTicket(payload({ iss: 'unknown-host' }), devKey), 401, 'HOST_UNKNOWN'],
    ['without the L4 assertion', (): string => signHostTicket({ ...payload(), l4: false as unknown as true }, devKey), 400, 'HOST_TICKET_MALFORMED'],
    ['with an invalid ID number', (): string => signHostTicket(payload({ idNumber: '350102199001011234' }), devKey), 400, 'HOST_TICKET_MALFORMED'],
    ['not a ticket', (): string => 'eyJhbGciOi.abc.def', 400, 'HOST_TICKET_MALFORMED'],
    ['garbage base64', (): string => 'HT1.@@@.###', 400, 'HOST_TICKET_MALFORMED'],
  ] as const)('refuses a ticket %s and writes nothing', async (_what, make, status, code) => {
    const before = await counts();
    const res = await post(make());
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.details[0].field).toBe('ticket');
    expect(await counts()).toEqual(before);
  });

  it('refuses a replayed ticket, also when two uses race', async () => {
    const t = signHostTicket(payload(), devKey);
    expect((await post(t)).status).toBe(201);
    const replay = await post(t);
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('HOST_TICKET_REPLAYED');
    const raced = signHostTicket(payload(), devKey);
    const results = await Promise.all([post(raced), post(raced), post(raced)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('the same phone by SMS is the same account; an ID number held by another account is refused and uses nothing up', async () => {
    const smsToken = await signIn(ctx, '13800007999');
    const p = payload({ phone: '13800007999', name: '同一人' });
    const res = await post(signHostTicket(p, devKey));
    expect(res.status).toBe(201);
    expect((await ctx.http.get('/api/v1/app/me').set({ Authorization: `Bearer ${smsToken}` })).body.l4Verified).toBe(true);

    const holder = await citizenWithCode(ctx, '13800006999', residentId('350102', '19700707', 888), '原持有人');
    void holder;
    const before = await counts();
    const taken = signHostTicket(payload({ idNumber: residentId('350102', '19700707', 888) }), devKey);
    const r = await post(taken);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('IDENTITY_TAKEN');
    expect(await counts()).toEqual(before);
  });
});

describe('two tickets of one first-time host user at once (the host opening the page twice)', () => {
  it('both sign in, to one account, one person and one host link', async () => {
    for (let round = 0; round < 3; round++) {
      const p = payload({ name: '双开宿主' });
      const jtis = [0, 1, 2].map(() => randomBytes(12).toString('hex'));
      const tickets = jtis.map((jti) => signHostTicket({ ...p, jti }, devKey));
      const answers = await Promise.all(tickets.map(post));
      expect(answers.map((r) => r.status), JSON.stringify(answers.map((r) => r.body))).toEqual([201, 201, 201]);
      const users = (await ctx.deps.db.models.CitizenUser.findAll({ where: { phoneHash: ctx.deps.pii.hash(p.phone) }, attributes: ['id', 'personId'], raw: true })) as unknown as { id: number; personId: number }[];
      expect(users).toHaveLength(1);
      expect(await ctx.deps.db.models.CitizenUserHost.count({ where: { hostAppId: DEV_HOST_APP_ID, hostUserId: p.sub } })).toBe(1);
      expect(await ctx.deps.db.models.HostTicketUse.count({ where: { hostAppId: DEV_HOST_APP_ID, jti: jtis } })).toBe(3);
      for (const a of answers) {
        const me = await ctx.http.get('/api/v1/app/me').set({ Authorization: `Bearer ${a.body.token}` });
        expect(me.body).toMatchObject({ l4Verified: true, person: { nameMasked: '***主' } });
      }
    }
  });
});

