// Serves a built front end (the mini-program's H5 build) from the same origin as the API, so the
// browser needs no CORS and the build needs no API address.
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Context, Next } from 'koa';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
};

export function serveStatic(prefix: string, root: string) {
  const base = path.resolve(root);
  return async (ctx: Context, next: Next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === prefix.replace(/\/$/, '')) return ctx.redirect(prefix);
    if (!ctx.path.startsWith(prefix)) return next();
    let rel: string;
    try {
      rel = decodeURIComponent(ctx.path.slice(prefix.length)) || 'index.html';
    } catch {
      return next();
    }
    const file = path.resolve(base, rel);
    if (!file.startsWith(base + path.sep) || !existsSync(file) || !statSync(file).isFile()) return next();
    ctx.type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    // hashed assets may be cached; the HTML shell must not be
    ctx.set('Cache-Control', file.endsWith('.html') ? 'no-cache' : 'public, max-age=86400');
    ctx.body = createReadStream(file);
  };
}
