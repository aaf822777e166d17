// The code page's hot path (issue 12): GET /api/v1/app/codes/self reads the session and the holder's own
// code in one statement when nothing else has to happen first, and hands out a signed token again while it
// has more than half its life left. These tests hold it to the full path's answers, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../helpers/context';
import { citizenWithCode, residentId, signIn } from '../helpers/citizen';
import { bearer as staffBearer, createStaff, staffSignIn } from '../helpers/staff';
import { csv } from '../helpers/people';
import { codeView, resolveSession } from '../../src/services/citizenService';
import { revokeTokens } from '../../src/services/codeService';
import { withFirstStatementHeld } from '../helpers/coalesced';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
});
afterAll(() => ctx.close());

const load = (type: string, text: string) => ctx.http.post(`/api/v1/sources/${type}`).set(auth(ctx)).set('Content-Type', 'text/csv').send(text);

/** Statements sent to the database while `fn` runs: Sequelize's and the hot path's (on SQLite the hot path goes through Sequelize). */
async function statements<T>(fn: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
  const sql: string[] = [];
  const { sequelize, hot } = ctx.deps.db;
  const query = sequelize.query.bind(sequelize);
  const select = hot.select.bind(hot);
  sequelize.query = ((s: unknown, o: unknown) => (sql.push(String(typeof s === 'string' ? s : (s as { query: string }).query)), query(s as string, o as never))) as typeof sequelize.query;
  if (ctx.deps.db.dialect === 'mysql') hot.select = ((s: string, p: readonly unknown[]) => (sql.push(s), select(s, p))) as typeof hot.select;
  try {
    return { result: await fn(), sql };
  } finally {
    sequelize.query = query;
    hot.select = select;
  }
}

/** The full path's answer for the same holder: a session read without the snapshot. */
async function fullPath(bearer: { Authorization: string }) {
  const session = await resolveSession(ctx.deps, bearer.Authorization.slice('Bearer '.length));
  expect(session?.own).toBeUndefined();
  return codeView(ctx.deps, session!, 'self');
}

describe('GET /api/v1/app/codes/self (the code page, one statement)', () => {
  it('answers from one statement, with the nucleic-acid tests of 7 days, exactly as the full path does', async () => {
    const id = residentId('350102', '19900101', 901);
    const { bearer } = await citizenWithCode(ctx, '13800000901', id, '陈平');
    const tests = csv(
      'id_type,id_number,name,sampled_at,result,institution',
      `resident_id,${id},陈平,2026-03-08T23:59:00,negative,福建省疾病预防控制中心`,
      `resident_id,${id},陈平,2026-03-09T00:00:00,negative,福州市疾病预防控制中心`,
      `resident_id,${id},陈平,2026-03-14T09:00:00,negative,金域医学检验所（福州）`,
    );
    expect((await load('nucleic-acid-tests', tests)).status).toBe(200);
    const { result: res, sql } = await statements(() => ctx.http.get('/api/v1/app/codes/self').set(bearer));
    expect(res.status).toBe(200);
    expect(sql).toHaveLength(1);
    expect(res.body).toMatchObject({ holder: 'self', relation: 'self', nameMasked: '*平', colour: 'green', colourText: '绿码', reasons: [], greenFrom: null, origin: null });
    expect(res.body.nucleicAcidTests).toEqual([
      { sampledAt: '2026-03-14T01:00:00.000Z', result: 'negative', institution: '金域医学检验所（福州）' },
      { sampledAt: '2026-03-08T16:00:00.000Z', result: 'negative', institution: '福州市疾病预防控制中心' },
    ]);
    expect(await fullPath(bearer)).toEqual(res.body);
  });

  it('hands out the same token while it has more than half its life left, and a new one after', async () => {
    const { bearer } = await citizenWithCode(ctx, '13800000902', residentId('350102', '19900101', 902), '陈安');
    const first = (await ctx.http.get('/api/v1/app/codes/self').set(bearer)).body;
    ctx.clock.advance(149_000); // TTL 300 s: half is 150 s
    const again = (await ctx.http.get('/api/v1/app/codes/self').set(bearer)).body;
    expect(again.token).toBe(first.token);
    expect(again.expiresAt).toBe(first.expiresAt);
    ctx.clock.advance(1_000);
    const renewed = (await ctx.http.get('/api/v1/app/codes/self').set(bearer)).body;
    expect(renewed.token).not.toBe(first.token);
    expect(Date.parse(renewed.expiresAt) - Date.parse(ctx.clock.now().toISOString())).toBe(300_000);
  });

  it('a changed colour or a revocation of the code is never answered from a token signed before', async () => {
    const id = residentId('350102', '19900101', 903);
    const { bearer, code } = await citizenWithCode(ctx, '13800000903', id, '陈康');
    const before = (await ctx.http.get('/api/v1/app/codes/self').set(bearer)).body;
    expect(before.token).toBe(code.token);
    await load('fever-clinic-visits', csv('id_type,id_number,name,hospital,visited_at', `resident_id,${id},陈康,福建省立医院,2026-03-15T09:00:00`));
    const orange = (await ctx.http.get('/api/v1/app/codes/self').set(bearer)).body;
    expect(orange).toMatchObject({ colour: 'orange', reasons: [{ code: 'FEVER_CLINIC' }] });
    expect(orange.token).not.toBe(before.token);
    ctx.clock.advance(1_000);
    await revokeTokens(ctx.deps, 'code', code.codeNumber, 'test');
    const after = (await ctx.http.get('/api/v1/app/codes/self').set(bearer)).body;
    expect(after.token).not.toBe(orange.token);
    const staff = await createStaff(ctx);
    const v = await ctx.http.post('/api/v1/codes/verify').set(staffBearer(await staffSignIn(ctx, staff.phone, staff.password))).send({ token: orange.token });
    expect(v.body.error?.code).toBe('TOKEN_REVOKED');
  });

  it('a decision due for review is recomputed first (the full path), then the page is one statement again', async () => {
    const id = residentId('350102', '19900101', 904);
    await citizenWithCode(ctx, '13800000904', id, '陈静');
    await load('fever-clinic-visits', csv('id_type,id_number,name,hospital,visited_at', `resident_id,${id},陈静,福建省立医院,2026-03-15T09:00:00`));
    const bearer = { Authorization: `Bearer ${await signIn(ctx, '13800000904')}` };
    const orange = (await ctx.http.get('/api/v1/app/codes/self').set(bearer)).body;
    expect(orange.colour).toBe('orange');
    ctx.clock.set(`${orange.greenFrom}T08:00:00+08:00`);
    bearer.Authorization = `Bearer ${await signIn(ctx, '13800000904')}`; // the week-long session has run out
    const { result: due, sql: dueSql } = await statements(() => ctx.http.get('/api/v1/app/codes/self').set(bearer));
    expect(due.body).toMatchObject({ colour: 'green', reasons: [], greenFrom: null });
    expect(dueSql.length).toBeGreaterThan(1);
    const { result: again, sql } = await statements(() => ctx.http.get('/api/v1/app/codes/self').set(bearer));
    expect(sql).toHaveLength(1);
    expect(again.body.colour).toBe('green');
    ctx.clock.set('2026-03-15T10:00:00+08:00');
  });
});

describe('GET /api/v1/app/codes/self at once (coalesced reads, issue 12)', () => {
  const ownCode = () => ctx.deps.db.coalescedStats()['own code'];

  it('answers concurrent code pages from fewer statements, each with its own holder', async () => {
    const people: { bearer: { Authorization: string }; name: string }[] = [];
    for (let i = 0; i < 12; i++) {
      const { bearer } = await citizenWithCode(ctx, `138000009${20 + i}`, residentId('350102', '19850101', 920 + i), `林${'一二三四五六七八九十甲乙'[i]}`);
      people.push({ bearer, name: `*${'一二三四五六七八九十甲乙'[i]}` });
    }
    const before = { ...ownCode() };
    // the first statement stays open until the other eleven pages wait for it (so they share the next)
    const pages = await withFirstStatementHeld(ctx, 'own code', 'src_nucleic_acid_tests', 12, () => Promise.all(people.map((p) => ctx.http.get('/api/v1/app/codes/self').set(p.bearer))));
    const after = ownCode();
    expect(pages.map((r) => r.status)).toEqual(people.map(() => 200));
    expect(pages.map((r) => r.body.nameMasked)).toEqual(people.map((p) => p.name));
    expect(new Set(pages.map((r) => r.body.codeNumber)).size).toBe(12);
    expect(after.reads - before.reads).toBe(12);
    expect(after.statements - before.statements).toBe(2);
    for (const [i, p] of people.entries()) expect(await fullPath(p.bearer)).toEqual({ ...pages[i].body, token: expect.any(String), issuedAt: expect.any(String), expiresAt: expect.any(String) });
  });

  it('a sign-out committed while a statement runs is seen by every page asked for after it', async () => {
    const a = await citizenWithCode(ctx, '13800000940', residentId('350102', '19850101', 940), '黄一');
    const b = await citizenWithCode(ctx, '13800000941', residentId('350102', '19850101', 941), '黄二');
    const c = await citizenWithCode(ctx, '13800000942', residentId('350102', '19850101', 942), '黄三');
    const { hot } = ctx.deps.db;
    const select = hot.select.bind(hot);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held = 0;
    // the code page's first statement reads the database at once, then stays open until released
    hot.select = (async (sql: string, params: readonly unknown[]) => {
      const rows = await select(sql, params);
      if (sql.includes('src_nucleic_acid_tests') && held++ === 0) await gate;
      return rows;
    }) as typeof hot.select;
    try {
      const before = ownCode().reads;
      const pageA = ctx.http.get('/api/v1/app/codes/self').set(a.bearer).then((r) => r);
      while (ownCode().reads < before + 1 || held < 1) await new Promise((r) => setTimeout(r, 5));
      expect((await ctx.http.delete('/api/v1/app/sessions/current').set(b.bearer)).status).toBe(204);
      const pageB = ctx.http.get('/api/v1/app/codes/self').set(b.bearer).then((r) => r);
      const pageC = ctx.http.get('/api/v1/app/codes/self').set(c.bearer).then((r) => r);
      while (ownCode().reads < before + 3) await new Promise((r) => setTimeout(r, 5));
      expect(held).toBe(1); // B and C wait for the statement in flight
      release();
      const [ra, rb, rc] = await Promise.all([pageA, pageB, pageC]);
      expect(ra.status).toBe(200);
      expect(rb.status).toBe(401);
      expect(rb.body.error.code).toBe('UNAUTHENTICATED');
      expect(rc.status).toBe(200);
      expect(rc.body.nameMasked).toBe('*三');
    } finally {
      hot.select = select;
    }
  });
});

