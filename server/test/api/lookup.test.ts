import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../helpers/context';
import { csv, residentId } from '../helpers/people';

let ctx: TestContext;
const A = residentId('350121', '19550315', 51);
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
});
afterAll(() => ctx.close());

const lookup = (body: object) => ctx.http.post('/api/v1/people/lookup').set(auth(ctx)).send(body);
const load = (type: string, text: string) => ctx.http.post(`/api/v1/sources/${type}`).set(auth(ctx)).set('Content-Type', 'text/csv').send(text);

describe('POST /api/v1/people/lookup', () => {
  it('answers 404 PERSON_NOT_FOUND for an unknown person, and audits the call', async () => {
    const before = await ctx.deps.db.models.AuditLog.count({ where: { action: 'person.lookup' } });
    const res = await lookup({ idType: 'resident_id', idNumber: A });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'PERSON_NOT_FOUND', message: '未找到该人员' } });
    expect(await ctx.deps.db.models.AuditLog.count({ where: { action: 'person.lookup', outcome: 'not_found' } })).toBe(before + 1);
  });

  it.each([
    ['a bad check digit', { idType: 'resident_id', idNumber: A.slice(0, 17) + (A[17] === '1' ? '2' : '1') }, 'idNumber'],
    ['an unknown id type', { idType: 'driver_licence', idNumber: A }, 'idType'],
    ['a passport without country', { idType: 'passport', idNumber: 'E12345678' }, 'country'],
    ['an unknown field', { idType: 'resident_id', idNumber: A, extra: 1 }, undefined],
  ])('refuses %s with 400 naming the field', async (_n, body, field) => {
    const res = await lookup(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    if (field) expect(res.body.error.details).toEqual([expect.objectContaining({ field })]);
  });

  it('shows nucleic-acid tests of the last 7 days, newest first, and the open-ended close-contact rule', async () => {
    const tests = csv(
      'id_type,id_number,name,sampled_at,result,institution',
      `resident_id,${A},林南,2026-03-08T23:59:00,negative,福建省疾病预防控制中心`,
      `resident_id,${A},林南,2026-03-09T00:00:00,negative,福州市疾病预防控制中心`,
      `resident_id,${A},林南,2026-03-14T09:00:00,positive,金域医学检验所（福州）`,
    );
    expect((await load('nucleic-acid-tests', tests)).status).toBe(200);
    expect((await load('close-contacts', csv('id_type,id_number,name,identified_at,released_at', `resident_id,${A},林南,2026-03-13T10:00:00,`))).status).toBe(200);
    const res = await lookup({ idType: 'resident_id', idNumber: A });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      colour: 'orange',
      reasons: ['CLOSE_CONTACT'],
      greenFrom: null,
      codeNumber: null,
      nucleicAcidTests: [
        { sampledAt: '2026-03-14T01:00:00.000Z', result: 'positive', institution: '金域医学检验所（福州）' },
        { sampledAt: '2026-03-08T16:00:00.000Z', result: 'negative', institution: '福州市疾病预防控制中心' },
      ],
    });
  });

  it('turns green when the close contact is released (re-import updates the row)', async () => {
    const res = await load('close-contacts', csv('id_type,id_number,name,identified_at,released_at', `resident_id,${A},林南,2026-03-13T10:00:00,2026-03-15T08:00:00`));
    expect(res.body).toMatchObject({ inserted: 0, updated: 1, recomputed: 1 });
    expect((await lookup({ idType: 'resident_id', idNumber: A })).body).toMatchObject({ colour: 'green', reasons: [], greenFrom: null });
  });

  it('closed community: residents turn orange when their community closes', async () => {
    const B = residentId('350203', '19800101', 52);
    await load('community-residents', csv('id_type,id_number,name,community_code', `resident_id,${B},黄仁,350203003002`));
    expect((await lookup({ idType: 'resident_id', idNumber: B })).body.colour).toBe('green');
    const r = await load('closed-communities', csv('community_code,community_name,area_code,closed_from,closed_until', '350203003002,新华社区,350203,2026-03-12,2026-03-20'));
    expect(r.body).toMatchObject({ inserted: 1, recomputed: 1 });
    expect((await lookup({ idType: 'resident_id', idNumber: B })).body).toMatchObject({ colour: 'orange', reasons: ['CLOSED_COMMUNITY'], greenFrom: '2026-03-20' });
  });

  it('a passport holder is found by number and country', async () => {
    await load('arrivals', csv('id_type,id_number,name,from_area,arrived_at,country', 'passport,E1234567,John Smith,英国伦敦,2026-03-10T12:00:00,GBR'));
    expect((await lookup({ idType: 'passport', idNumber: 'e1234567', country: 'gbr' })).body).toMatchObject({ colour: 'orange', reasons: ['HIGH_RISK_ARRIVAL'] });
    expect((await lookup({ idType: 'passport', idNumber: 'E1234567', country: 'USA' })).status).toBe(404);
  });
});
