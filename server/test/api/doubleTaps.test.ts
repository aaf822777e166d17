// The same request twice at the same moment (a double tap, two tabs, two units at once) gets the answers it
// gets one after the other — never a 500 from a unique key met halfway. On MariaDB the requests really run at
// once (the second waits inside the database for the first's row); on SQLite the process's writers take turns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenWithCode, smsCode } from '../helpers/citizen';
import { agent, creditCode, governmentUnit, healthDepartment, healthDepartmentId, registerEnterprise, type Agent } from '../helpers/console';
import { createTestContext, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/people';

let ctx: TestContext;
let hd: Agent;
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
  hd = await healthDepartment(ctx);
}, 120_000);
afterAll(() => ctx.close());

describe('the same request twice at once', () => {
  it('关联企业 tapped twice: both answer with the enterprise, one association', async () => {
    for (let round = 0; round < 3; round++) {
      const repId = residentId('350102', '19700707', 930 + round);
      const e = await registerEnterprise(ctx, { legalRepIdNumber: repId });
      const phone = `1373333930${round}`;
      await citizenWithCode(ctx, phone, repId, '杨凡');
      const a = agent(ctx);
      expect((await a.post('/api/v1/console/personal/sessions').send({ phone, smsCode: await smsCode(ctx, phone, 'console') })).status).toBe(201);
      const answers = await Promise.all([0, 1, 2].map(() => a.post('/api/v1/console/personal/association').send({ creditCode: e.creditCode })));
      expect(answers.map((r) => [r.status, r.body.organisation?.id])).toEqual([0, 1, 2].map(() => [200, e.organisationId]));
      expect(await ctx.deps.db.models.EnterpriseAssociation.count({ where: { organisationId: e.organisationId } })).toBe(1);
    }
  });

  it('生成政府单位账号 with two activation codes for one unit at once: one account, the other told 已注册, its code unused', async () => {
    for (let round = 0; round < 3; round++) {
      const name = `仓山区某街道办事处${round}`;
      const code = creditCode('350104', '11');
      const issued = [];
      for (let i = 0; i < 2; i++) issued.push((await hd.post('/api/v1/console/activation-codes').send({ unitName: name, creditCode: code, areaCode: '350104' })).body);
      const answers = await Promise.all(issued.map((c) => agent(ctx).post('/api/v1/console/government-accounts').send({ name, creditCode: code, activationCode: c.activationCode })));
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(answers.find((r) => r.status === 409)!.body.error.code).toBe('CREDIT_CODE_TAKEN');
      expect(await ctx.deps.db.models.Organisation.count({ where: { creditCode: code } })).toBe(1);
      const used = (await ctx.deps.db.models.ActivationCode.findAll({ where: { id: issued.map((c) => c.id) }, attributes: ['usedAt'], raw: true })) as unknown as { usedAt: unknown }[];
      expect(used.filter((u) => u.usedAt !== null)).toHaveLength(1);
    }
  });

  it('two pending corrections of one person accepted at once: both 已采纳, one override', async () => {
    const { Correction, StatusOverride } = ctx.deps.db.models;
    for (let round = 0; round < 3; round++) {
      const c = await citizenWithCode(ctx, `1360000940${round}`, residentId('350102', '19770707', 940 + round), '双申诉');
      const filed = await ctx.http.post('/api/v1/app/corrections').set(c.bearer).send({ holder: 'self', kind: 'local', reason: '我没有去过发热门诊，是同名的人' });
      expect(filed.status, JSON.stringify(filed.body)).toBe(201);
      // a second one filed at the same moment as the first (the open-correction check does not lock)
      const row = (await Correction.findByPk(filed.body.id, { raw: true })) as unknown as Record<string, unknown>;
      const twin = await Correction.create({ ...row, id: undefined, createdAt: undefined, updatedAt: undefined });
      const ids = [filed.body.id, Number(twin.get('id'))];
      const answers = await Promise.all(ids.map((id) => hd.post(`/api/v1/console/corrections/${id}/decision`).send({ decision: 'accept', note: '经核实' })));
      expect(answers.map((r) => [r.status, r.body.status])).toEqual([
        [200, 'accepted'],
        [200, 'accepted'],
      ]);
      const personId = Number(row.personId);
      const overrides = (await StatusOverride.findAll({ where: { personId }, attributes: ['correctionId'], raw: true })) as unknown as { correctionId: number }[];
      expect(overrides).toHaveLength(1);
      expect(ids).toContain(Number(overrides[0].correctionId));
    }
  });

  it('纠错 filed twice at once: one correction, the other told one is open', async () => {
    for (let round = 0; round < 3; round++) {
      const c = await citizenWithCode(ctx, `1360000950${round}`, residentId('350102', '19780808', 950 + round), '双提交');
      const body = { holder: 'self', kind: 'local', reason: '我没有去过发热门诊，是同名的人' };
      const answers = await Promise.all([0, 1].map(() => ctx.http.post('/api/v1/app/corrections').set(c.bearer).send(body)));
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(answers.find((r) => r.status === 409)!.body.error.code).toBe('CORRECTION_OPEN');
      expect(await ctx.deps.db.models.Correction.count({ where: { id: answers.filter((r) => r.status === 201).map((r) => r.body.id) } })).toBe(1);
      const personId = Number(((await ctx.deps.db.models.Correction.findByPk(answers.find((r) => r.status === 201)!.body.id, { attributes: ['personId'], raw: true })) as unknown as { personId: number }).personId);
      expect(await ctx.deps.db.models.Correction.count({ where: { personId } })).toBe(1);
    }
  });

  it('定时上报 added twice at once: one schedule, the other told it is a duplicate', async () => {
    const hdId = await healthDepartmentId(ctx);
    for (let round = 0; round < 3; round++) {
      const unit = await governmentUnit(ctx, hd);
      const answers = await Promise.all([0, 1].map(() => unit.agent.post('/api/v1/console/data-report-schedules').send({ toOrganisationId: hdId, frequency: 'daily' })));
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(answers.find((r) => r.status === 409)!.body.error.code).toBe('REPORT_SCHEDULE_DUPLICATE');
      expect(await ctx.deps.db.models.DataReportSchedule.count({ where: { organisationId: unit.organisationId } })).toBe(1);
    }
  });
});
