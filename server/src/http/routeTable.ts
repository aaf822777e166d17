// The API's route table (issue 12): each request finds its route by one Map look-up of its path (most routes
// have no parameter) or, failing that, by the few routes with parameters whose fixed prefix the path starts
// with — instead of @koa/router's test of every route's regular expression (with a `debug` call each) and
// the composition of the matched route's middleware on every request, ~10 % of the code page's CPU in the
// profile. Each route's middleware is chained once, when it is added.
//
// Behaviour kept from the router it replaces: a path with one trailing slash is the same route; HEAD is GET
// without a body (Node drops it); a path known with another method answers 405 with Allow (OPTIONS: 200 with
// Allow); an unknown path goes on to the next middleware (the 404 of errorHandler); parameters are
// percent-decoded (a malformed escape is kept as sent); when several routes match, the first added that has
// the method wins.
import type { Context, Middleware, Next } from 'koa';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Route {
  path: string;
  /** the path's fixed part before its first parameter */
  prefix: string;
  pattern: RegExp | null;
  params: string[];
  handlers: Map<string, Middleware>;
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The middleware in order, as one (each calls the next through `next`; the last one's `next` is the caller's). */
function chainOf(middleware: readonly Middleware[]): Middleware {
  return middleware.reduceRight<Middleware>(
    (after, m) => (ctx, next) => m(ctx, () => after(ctx, next)),
    (_ctx, next) => next(),
  );
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class RouteTable {
  private readonly byPath = new Map<string, Route>();
  /** routes with parameters, in the order added */
  private readonly patterns: Route[] = [];
  /** every route, in the order added (the OpenAPI document's test compares them) */
  readonly routes: { method: Method; path: string }[] = [];

  add(method: Method, path: string, chain: Middleware[]): void {
    if (!path.startsWith('/')) throw new Error(`route path must start with /: ${path}`);
    let route = this.byPath.get(path);
    if (!route) {
      const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);
      const pattern = params.length ? new RegExp(`^${path.split(/:\w+/).map(escapeRegExp).join('([^/]+)')}/?$`) : null;
      route = { path, prefix: path.slice(0, path.indexOf(':') >= 0 ? path.indexOf(':') : path.length), pattern, params, handlers: new Map() };
      this.byPath.set(path, route);
      if (pattern) this.patterns.push(route);
    }
    if (route.handlers.has(method)) throw new Error(`route ${method} ${path} added twice`);
    route.handlers.set(method, chainOf(chain));
    this.routes.push({ method, path });
  }

  middleware(): Middleware {
    return (ctx: Context, next: Next) => {
      const raw = ctx.path;
      const path = raw.length > 1 && raw.endsWith('/') ? raw.slice(0, -1) : raw;
      const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
      const exact = this.byPath.get(path);
      let known: Route[] | null = null;
      if (exact && !exact.pattern) {
        const handler = exact.handlers.get(method);
        if (handler) {
          ctx.params = {};
          return handler(ctx, next);
        }
        known = [exact];
      }
      for (const route of this.patterns) {
        if (!path.startsWith(route.prefix)) continue;
        const m = route.pattern!.exec(path);
        if (!m) continue;
        const handler = route.handlers.get(method);
        if (handler) {
          const params: Record<string, string> = {};
          route.params.forEach((name, i) => (params[name] = decode(m[i + 1])));
          ctx.params = params;
          return handler(ctx, next);
        }
        (known ??= []).push(route);
      }
      if (!known) return next();
      const allowed = new Set(known.flatMap((r) => [...r.handlers.keys()]));
      if (allowed.has('GET')) allowed.add('HEAD');
      ctx.set('Allow', [...allowed].join(', '));
      if (ctx.method === 'OPTIONS') {
        ctx.status = 200;
        ctx.body = '';
        return undefined;
      }
      ctx.throw(405);
    };
  }
}
