// The route table (server/src/http/routeTable.ts): what each request finds, on a real Koa server.
import Koa, { type Context } from 'koa';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { RouteTable } from '../../src/http/routeTable';

function app() {
  const routes = new RouteTable();
  const answer = (name: string) => async (ctx: Context) => {
    ctx.body = { name, params: ctx.params };
  };
  const seen: string[] = [];
  routes.add('GET', '/api/things', [answer('list')]);
  routes.add('POST', '/api/things', [answer('create')]);
  routes.add('GET', '/api/things/special', [answer('special')]);
  routes.add('PUT', '/api/things/:id', [answer('update')]);
  routes.add('GET', '/api/things/:id/parts/:part', [answer('part')]);
  routes.add('GET', '/api/other/:a', [answer('first')]);
  routes.add('GET', '/api/other/:b', [answer('second')]);
  routes.add('GET', '/api/chain', [
    async (_ctx, next) => {
      seen.push('one');
      await next();
      seen.push('one after');
    },
    async (_ctx, next) => {
      seen.push('two');
      await next(); // the last of the route goes on to the middleware after the table
    },
  ]);
  const koa = new Koa();
  koa.use(async (ctx, next) => {
    try {
      await next();
    } catch (e) {
      ctx.status = (e as { status?: number }).status ?? 500;
      ctx.body = { error: ctx.status };
    }
  });
  koa.use(routes.middleware());
  koa.use(async (ctx) => {
    seen.push('after');
    ctx.status = ctx.path === '/api/chain' ? 204 : 404;
  });
  return { http: request(koa.callback()), routes, seen };
}

describe('RouteTable', () => {
  it('finds a route by its path and method, with a trailing slash too, and HEAD as GET', async () => {
    const { http } = app();
    expect((await http.get('/api/things')).body).toEqual({ name: 'list', params: {} });
    expect((await http.post('/api/things/')).body).toEqual({ name: 'create', params: {} });
    const head = await http.head('/api/things');
    expect(head.status).toBe(200);
    expect(head.text).toBeUndefined();
  });

  it('gives parameters percent-decoded, a malformed escape as sent', async () => {
    const { http } = app();
    expect((await http.get('/api/things/a%20b/parts/%E4%B8%80')).body).toEqual({ name: 'part', params: { id: 'a b', part: '一' } });
    expect((await http.put('/api/things/100%')).body).toEqual({ name: 'update', params: { id: '100%' } });
  });

  it('a path without a route of its own for the method takes the route with parameters that has it; the first added wins', async () => {
    const { http } = app();
    expect((await http.get('/api/things/special')).body.name).toBe('special');
    expect((await http.put('/api/things/special')).body).toEqual({ name: 'update', params: { id: 'special' } });
    expect((await http.get('/api/other/x')).body).toEqual({ name: 'first', params: { a: 'x' } });
  });

  it('a known path with another method is 405 with Allow (OPTIONS: 200); an unknown path goes on', async () => {
    const { http } = app();
    const wrong = await http.delete('/api/things');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET, POST, HEAD');
    const special = await http.delete('/api/things/special');
    expect(special.status).toBe(405);
    expect(special.headers.allow).toBe('GET, PUT, HEAD');
    const options = await http.options('/api/things/1');
    expect(options.status).toBe(200);
    expect(options.headers.allow).toBe('PUT');
    expect((await http.get('/api/nothing')).status).toBe(404);
    expect((await http.get('/api/things/1/parts')).status).toBe(404);
  });

  it('runs a route\'s middleware in order, the last one\'s next going on past the table', async () => {
    const { http, seen } = app();
    expect((await http.get('/api/chain')).status).toBe(204);
    expect(seen).toEqual(['one', 'two', 'after', 'one after']);
  });

  it('refuses a route added twice and a path not starting with /', () => {
    const { routes } = app();
    expect(() => routes.add('GET', '/api/things', [])).toThrow('added twice');
    expect(() => routes.add('GET', 'api/x', [])).toThrow('must start with /');
    expect(routes.routes.map((r) => `${r.method} ${r.path}`)).toContain('PUT /api/things/:id');
  });
});
