// Lock-out and the forced change of an initial password, over every kind of account that signs in with a
// password (issue 11): the health department, a government unit, an enterprise, and scanner sub-accounts of
// a government unit and of an enterprise. For each: an initial password lets the account do nothing but
// change it; five wrong passwords in a row lock it for 15 minutes (423 ACCOUNT_LOCKED with Retry-After),
// during which even the right password is refused; after the lock it signs in again.
import { createConsoleAdmin } from '../../src/services/consoleAccountService';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCode, healthDepartment, registerEnterprise, type Agent } from '../helpers/console';
import { createTestContext, type TestContext } from '../helpers/context';
import { createStaff } from '../helpers/staff';

let ctx: TestContext;
let hd: Agent;
const T0 = '2026-03-15T10:00:00+08:00';

interface Kind {
  name: string;
  /** credentials of a fresh account, and whether its first password must be changed */
  make(): Promise<{ login: string; password: string; mustChange: boolean }>;
  signIn(login: string, password: string, a: Agent): Promise<request.Response>;
  /** a route the account may use once past its first password */
  use(a: Agent, token: string | null): Promise<request.Response>;
  change(a: Agent, token: string | null, current: string, next: string): Promise<request.Response>;
}

const agent = () => request.agent(ctx.app.koa.callback());
const console_ = (make: Kind['make'], use: Kind['use']): Omit<Kind, 'name'> => ({
  make,
  signIn: (login, password, a) => a.post('/api/v1/console/sessions').send({ loginName: login, password }),
  use,
  change: (a, _t, current, next) => a.post('/api/v1/console/password').send({ currentPassword: current, newPassword: next }),
});
const staff = (orgKind: 'government' | 'enterprise'): Omit<Kind, 'name'> => ({
  make: async () => {
    const s = await createStaff(ctx, { orgKind, mustChangePassword: true, password: 'Init2026pass' });
    return { login: s.phone, password: s.password, mustChange: true };
  },
  signIn: (login, password, a) => a.post('/api/v1/staff/sessions').send({ phone: login, password }),
  use: (a, token) => a.get('/api/v1/staff/scans').set('Authorization', `Bearer ${token}`),
  change: (a, token, current, next) => a.post('/api/v1/staff/password').set('Authorization', `Bearer ${token}`).send({ currentPassword: current, newPassword: next }),
});

const KINDS: Kind[] = [
  {
    name: '卫健委',
    ...console_(async () => {
      const login = `wjw-lock-${Math.floor(Math.random() * 1e6)}`;
      const { initialPassword } = await createConsoleAdmin(ctx.deps, login);
      return { login, password: initialPassword, mustChange: true };
    }, (a) => a.get('/api/v1/console/activation-codes')),
  },
  {
    name: '政府单位',
    ...console_(async () => {
      const name = `锁定测试街道${Math.floor(Math.random() * 1e6)}`;
      const code = creditCode('350102', '11');
      const issued = await hd.post('/api/v1/console/activation-codes').send({ unitName: name, creditCode: code, areaCode: '350102' });
      const gen = await agent().post('/api/v1/console/government-accounts').send({ name, creditCode: code, activationCode: issued.body.activationCode });
      expect(gen.status, JSON.stringify(gen.body)).toBe(201);
      return { login: gen.body.loginName, password: gen.body.initialPassword, mustChange: true };
    }, (a) => a.get('/api/v1/console/organisation')),
  },
  {
    name: '企业（自设密码，无需首次修改）',
    ...console_(async () => {
      const e = await registerEnterprise(ctx);
      return { login: e.loginName, password: e.password as string, mustChange: false };
    }, (a) => a.get('/api/v1/console/organisation')),
  },
  { name: '政府单位扫码员（子账号）', ...staff('government') },
  { name: '企业扫码员（子账号）', ...staff('enterprise') },
];

beforeAll(async () => {
  ctx = await createTestContext({ now: T0 });
  hd = await healthDepartment(ctx);
}, 60_000);
afterAll(() => ctx.close());

describe.each(KINDS)('$name', (kind) => {
  it('an initial password allows nothing but changing it', async () => {
    ctx.clock.set(T0);
    const { login, password, mustChange } = await kind.make();
    const a = agent();
    const res = await kind.signIn(login, password, a);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const token: string | null = res.body.token ?? null;
    expect(res.body.me.mustChangePassword).toBe(mustChange);
    if (!mustChange) {
      expect((await kind.use(a, token)).status).toBe(200);
      return;
    }
    const blocked = await kind.use(a, token);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await kind.change(a, token, password, password)).status).toBe(400); // the same password again is no change
    const changed = await kind.change(a, token, password, 'Changed2026ok');
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect((await kind.use(a, token)).status).toBe(200);
  });

  it('five wrong passwords lock it for 15 minutes, the right one included, then it signs in again', async () => {
    ctx.clock.set(T0);
    const { login, password } = await kind.make();
    for (let i = 0; i < 5; i++) {
      const wrong = await kind.signIn(login, `Wrong${i}2026x`, agent());
      expect(wrong.status, `attempt ${i + 1}`).toBe(401);
    }
    const locked = await kind.signIn(login, password, agent());
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(locked.body.error.message).toBe('密码连续输错 5 次，账号已锁定，请 15 分钟后再试');
    expect(locked.headers['retry-after']).toBe('900');
    ctx.clock.advance(14 * 60_000);
    const still = await kind.signIn(login, password, agent());
    expect(still.status).toBe(423);
    expect(still.headers['retry-after']).toBe('60');
    ctx.clock.advance(61_000);
    expect((await kind.signIn(login, password, agent())).status).toBe(201);
  });
});
