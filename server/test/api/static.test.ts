import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { serveStatic } from '../../src/http/static';

describe('serving the H5 build at /h5/', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'bamin-static-'));
  mkdirSync(path.join(root, 'js'));
  writeFileSync(path.join(root, 'index.html'), '<div id="app"></div>');
  writeFileSync(path.join(root, 'js', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(path.dirname(root), 'secret.txt'), 'no');
  const app = new Koa();
  app.use(serveStatic('/h5/', root));
  const http = request(app.callback());

  it('serves the shell, assets with their type, and redirects /h5', async () => {
    const index = await http.get('/h5/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.text).toBe('<div id="app"></div>');
    expect((await http.get('/h5/js/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await http.get('/h5')).status).toBe(302);
  });

  it('never leaves its folder', async () => {
    expect((await http.get('/h5/../secret.txt')).status).toBe(404);
    expect((await http.get('/h5/%2e%2e/secret.txt')).status).toBe(404);
    expect((await http.get('/h5/%E0%A4%A')).status).toBe(404);
  });
});
