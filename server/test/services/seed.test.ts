import { REASON_CODES } from '@bamin/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConsoleAccounts, seedDemo } from '../../src/services/seedService';
import { createTestContext, type TestContext } from '../helpers/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-12-01T09:00:00+08:00' });
});
afterAll(() => ctx.close());

describe('demo seed', () => {
  it('seeds a province with orange people for each of the six reasons, units and service points', async () => {
    const summary = await seedDemo(ctx.deps, { people: 600 });
    expect(summary).toMatchObject({ people: 600, organisations: 17 });
    expect(summary!.servicePoints).toBeGreaterThanOrEqual(14);
    expect(summary!.employees).toBe(0); // 600 people: the employee slice starts at person 1000
    // demo scanning accounts: one per sign-in state (F1)
    expect(summary!.staffAccounts).toBe(4);
    const signIn = (phone: string, password: string) => ctx.http.post('/api/v1/staff/sessions').send({ phone, password });
    expect((await signIn('13800000001', 'Bamin2026scan')).body.me).toMatchObject({ mustChangePassword: false, organisation: { kind: 'government' } });
    expect((await signIn('13800000002', 'Bamin2026init')).body.me.mustChangePassword).toBe(true);
    expect((await signIn('13800000003', 'Bamin2026scan')).body.me.organisation.kind).toBe('enterprise');
    expect((await signIn('13800000004', 'Bamin2026scan')).body.error.code).toBe('STAFF_NOT_AUTHORISED');
    // demo console accounts (D2): health department, government unit, enterprise
    const accounts = await demoConsoleAccounts(ctx.deps);
    expect(accounts.map((a) => a.note.slice(0, 4))).toEqual(['卫健委（', '政府单位', '企业（C']);
    expect(accounts[0].loginName).toBe('wjw');
    for (const a of accounts) {
      const res = await ctx.http.post('/api/v1/console/sessions').send({ loginName: a.loginName, password: a.password });
      expect(res.status, a.loginName).toBe(201);
      expect(res.body.me.mustChangePassword).toBe(false);
    }
    const statuses = (await ctx.deps.db.models.HealthStatus.findAll({ raw: true })) as unknown as { colour: string; reasons: string }[];
    expect(statuses).toHaveLength(600);
    // the six rules of the manual's 服务介绍 (SELF_DECLARED comes only from family applications)
    for (const reason of REASON_CODES.slice(0, 6)) {
      expect(statuses.some((s) => s.colour === 'orange' && s.reasons.split(',').includes(reason)), reason).toBe(true);
    }
    expect(statuses.filter((s) => s.colour === 'green').length).toBeGreaterThan(400);
  });

  it('does nothing on a database that already has people', async () => {
    expect(await seedDemo(ctx.deps)).toBeNull();
  });
});

describe('demo seed is repeatable', () => {
  it('gives the same people, codes and colours from the same seed on the same day', async () => {
    const snapshot = async (c: TestContext) =>
      (
        (await c.deps.db.models.Person.findAll({ attributes: ['name', 'idMasked', 'codeNumber', 'residenceArea'], order: [['id', 'ASC']], raw: true })) as unknown[]
      ).map((p) => JSON.stringify(p));
    const other = await createTestContext({ now: '2026-12-01T09:00:00+08:00' });
    try {
      await seedDemo(other.deps, { people: 600 });
      expect(await snapshot(other)).toEqual(await snapshot(ctx));
    } finally {
      await other.close();
    }
  });
});
