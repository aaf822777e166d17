import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('GET /api/openapi.json', () => {
  it('documents every mounted route', async () => {
    const res = await ctx.http.get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const mounted = ctx.app.routes.routes.map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(mounted.length).toBeGreaterThan(4);
    const documented = Object.entries(res.body.paths as Record<string, object>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(documented.sort()).toEqual([...new Set(mounted)].sort());
  });
});

describe('errors', () => {
  it('an unknown route is 404 with the error shape', async () => {
    const res = await ctx.http.get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: '接口不存在' } });
  });
  it('a wrong method is 405', async () => {
    const res = await ctx.http.delete('/api/v1/codes/keys');
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
  });
  it('a body that is not JSON is 400 BAD_JSON', async () => {
    const res = await ctx.http.post('/api/v1/people/lookup').set('Authorization', `Bearer ${ctx.sourceToken}`).set('Content-Type', 'application/json').send('{"idType":');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_JSON');
  });
});

describe('credentials', () => {
  it('every route that declares a credential answers 401 without one', async () => {
    const guarded = ctx.app.api.specs.filter((s) => s.auth !== 'none');
    expect(guarded.length).toBeGreaterThanOrEqual(3);
    for (const s of guarded) {
      const res = await ctx.http[s.method](s.path.replace(/:(\w+)/g, 'x')).send({});
      expect({ route: `${s.method} ${s.path}`, status: res.status }).toEqual({ route: `${s.method} ${s.path}`, status: 401 });
    }
  });
});

describe('GET /api/health', () => {
  it('is 200 while the database answers', async () => {
    const res = await ctx.http.get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up', dialect: ctx.deps.db.dialect });
  });
  it('is 503 when the database is unreachable', async () => {
    await ctx.deps.db.sequelize.close();
    const res = await ctx.http.get('/api/health');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: { code: 'DATABASE_UNAVAILABLE', message: '数据库暂不可用，请稍后再试' } });
  });
});
