import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../helpers/context';
import { csv, residentId } from '../helpers/people';

const lines: string[] = [];
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ logLines: lines });
});
afterAll(() => ctx.close());

describe('logs (H3)', () => {
  it('carry a request id and never a full ID number or phone, even when a request fails', async () => {
    const A = residentId('350102', '19900101', 77);
    const bad = A.slice(0, 17) + (A[17] === '0' ? '1' : '0');
    await ctx.http
      .post('/api/v1/sources/fever-clinic-visits')
      .set(auth(ctx))
      .set('Content-Type', 'text/csv')
      .send(csv('id_type,id_number,name,hospital,visited_at', `resident_id,${A},张三,医院,2026-03-10`, `resident_id,${bad},李四,医院,2026-03-10`));
    await ctx.http.post('/api/v1/people/lookup').set(auth(ctx)).send({ idType: 'resident_id', idNumber: A });
    ctx.deps.logger.info({ note: `manual line with ${A} and 13912345678` }, `message with ${A}`);
    expect(lines.length).toBeGreaterThan(2);
    const all = lines.join('');
    expect(all).not.toContain(A);
    expect(all).not.toContain(bad);
    expect(all).not.toContain('13912345678');
    expect(all).toContain('139****5678');
    const requestLines = lines.map((l) => JSON.parse(l)).filter((l) => l.msg?.startsWith('request'));
    expect(requestLines.every((l) => typeof l.reqId === 'string' && l.reqId.length > 0)).toBe(true);
  });

  it('logs a client that goes away mid-body as a refused request, not as the database being down', async () => {
    const server = http.createServer(ctx.app.koa.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const before = lines.length;
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const [name, value] = Object.entries(auth(ctx))[0];
    socket.write(`POST /api/v1/sources/fever-clinic-visits HTTP/1.1\r\nHost: x\r\n${name}: ${value}\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\nid_type,id_number`);
    await new Promise((r) => setTimeout(r, 200));
    socket.destroy();
    const entry = () => lines.slice(before).map((l) => JSON.parse(l)).find((l) => l.path === '/api/v1/sources/fever-clinic-visits');
    await expect.poll(entry, { timeout: 5_000 }).toBeDefined();
    expect(entry()).toMatchObject({ msg: 'request refused', status: 400 });
    expect(lines.slice(before).join('')).not.toContain('database unavailable');
    await new Promise((r) => server.close(r));
  });
});
