import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as job from '../../src/jobs/recomputeDue.job';
import { auth, createTestContext, type TestContext } from '../helpers/context';
import { csv, residentId } from '../helpers/people';

let ctx: TestContext;
const A = residentId('350102', '19661010', 61);
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-23T12:00:00+08:00' });
  const res = await ctx.http
    .post('/api/v1/sources/fever-clinic-visits')
    .set(auth(ctx))
    .set('Content-Type', 'text/csv')
    .send(csv('id_type,id_number,name,hospital,visited_at', `resident_id,${A},刘洋,福建省立医院,2026-03-10T09:00:00`));
  expect(res.status).toBe(200);
});
afterAll(() => ctx.close());

const stored = async () => {
  const person = await ctx.deps.db.models.Person.findOne({ where: { name: '刘洋' }, raw: true });
  return ctx.deps.db.models.HealthStatus.findByPk((person as unknown as { id: number }).id, { raw: true }) as unknown as Promise<{ colour: string; greenFrom: string | null; reviewOn: string | null }>;
};

describe('recompute-due job (00:00 Asia/Shanghai)', () => {
  it('orange at 23:59:59 on day S+13; the midnight run turns it green on S+14', async () => {
    expect(await stored()).toMatchObject({ colour: 'orange', greenFrom: '2026-03-24', reviewOn: '2026-03-24' });

    ctx.clock.set('2026-03-23T23:59:59+08:00');
    expect(await job.run(ctx.deps)).toEqual({ ran: true, recomputed: 0 });
    expect((await stored()).colour).toBe('orange');

    ctx.clock.set('2026-03-24T00:00:00+08:00');
    expect(await job.run(ctx.deps)).toEqual({ ran: true, recomputed: 1 });
    expect(await stored()).toMatchObject({ colour: 'green', greenFrom: null, reviewOn: null });
  });

  it('runs once per day however many instances fire it', async () => {
    ctx.clock.set('2026-03-24T00:00:01+08:00');
    expect(await job.run(ctx.deps)).toEqual({ ran: false, recomputed: 0 });
    const runs = await ctx.deps.db.models.JobRun.findAll({ where: { jobName: 'recompute-due' }, raw: true });
    expect(runs.map((r) => (r as unknown as { runKey: string }).runKey).sort()).toEqual(['2026-03-23', '2026-03-24']);
  });

  it('a read on the day greenFrom has come is green even before the job runs', async () => {
    const B = residentId('350102', '19661010', 62);
    ctx.clock.set('2026-03-24T12:00:00+08:00');
    await ctx.http
      .post('/api/v1/sources/arrivals')
      .set(auth(ctx))
      .set('Content-Type', 'text/csv')
      .send(csv('id_type,id_number,name,from_area,arrived_at', `resident_id,${B},刘海,湖北省武汉市,2026-03-11T09:00:00`));
    const look = () => ctx.http.post('/api/v1/people/lookup').set(auth(ctx)).send({ idType: 'resident_id', idNumber: B });
    expect((await look()).body).toMatchObject({ colour: 'orange', greenFrom: '2026-03-25' });
    ctx.clock.set('2026-03-25T00:00:00+08:00');
    expect((await look()).body).toMatchObject({ colour: 'green', reasons: [], greenFrom: null });
  });
});

describe('recomputeAll (npm run recompute)', () => {
  it('recomputes everyone in small batches, two at once on MySQL, with progress up to the total and the same decisions', async () => {
    const { recomputeAll } = await import('../../src/services/statusService');
    const ids = Array.from({ length: 9 }, (_, i) => residentId('350103', '19700303', 400 + i));
    const res = await ctx.http
      .post('/api/v1/sources/fever-clinic-visits')
      .set(auth(ctx))
      .set('Content-Type', 'text/csv')
      .send(csv('id_type,id_number,name,hospital,visited_at', ...ids.map((id) => `resident_id,${id},批量,福建省立医院,${'2026-03-20T09:00:00'}`)));
    expect(res.status).toBe(200);
    const { HealthStatus, Person } = ctx.deps.db.models;
    const before = (await HealthStatus.findAll({ attributes: ['personId', 'colour', 'reasons', 'greenFrom', 'reviewOn'], order: [['personId', 'ASC']], raw: true })) as unknown[];
    await HealthStatus.destroy({ where: {} });
    const progress: [number, number][] = [];
    const total = await Person.count();
    expect(await recomputeAll(ctx.deps, (done, all) => progress.push([done, all]), 2)).toBe(total);
    expect(progress.at(-1)).toEqual([total, total]);
    expect(progress.map(([d]) => d)).toEqual([...progress.map(([d]) => d)].sort((a, b) => a - b));
    expect(progress).toHaveLength(Math.ceil(total / 2));
    const after = await HealthStatus.findAll({ attributes: ['personId', 'colour', 'reasons', 'greenFrom', 'reviewOn'], order: [['personId', 'ASC']], raw: true });
    expect(after).toEqual(before);
    expect(after.filter((r) => (r as unknown as { colour: string }).colour === 'orange').length).toBeGreaterThanOrEqual(9);
  });
});
