// Starts the real server (in process, on a random port) with a fresh database and launches Chromium.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../../server/test/helpers/context';

export interface E2E {
  ctx: TestContext;
  base: string;
  browser: BrowserContext;
  page: Page;
  /** What is still under way: the browser's requests without an answer and the server's without an end. */
  inFlight(): string;
  close(): Promise<void>;
}

const inFlightOf = new WeakMap<Page, () => string>();

/** The E2E's inFlight() for a page it launched (for shared steps that take only the page). */
export function inFlight(page: Page): string {
  return inFlightOf.get(page)?.() ?? 'unknown page';
}

/** `national`: a stand-in national platform (server/test/helpers/national.ts) the server talks to, sharing its keys dir. */
export async function startE2E(now?: string, national?: { url: string; keysDir: string }): Promise<E2E> {
  const ctx = await createTestContext({ now, nationalUrl: national?.url, nationalKeysDir: national?.keysDir });
  const server = ctx.app.koa.listen(0, '127.0.0.1');
  const serving = new Map<object, string>();
  server.on('request', (req: { method?: string; url?: string }, res: { once(e: 'close', f: () => void): void }) => {
    serving.set(res, `${req.method} ${req.url} since ${new Date().toISOString()}`);
    res.once('close', () => serving.delete(res));
  });
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'bamin-chromium-')), {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 414, height: 896 },
    // the users' browsers are in Fujian: "today" in the pages is an Asia/Shanghai day whatever this machine's zone
    timezoneId: 'Asia/Shanghai',
    locale: 'zh-CN',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const asked = new Map<object, string>();
  browser.on('request', (r) => asked.set(r, `${r.method()} ${r.url()} since ${new Date().toISOString()}`));
  browser.on('requestfinished', (r) => asked.delete(r));
  browser.on('requestfailed', (r) => asked.delete(r));
  const inFlight = () => `browser: [${[...asked.values()].join('; ')}]; server: [${[...serving.values()].join('; ')}]`;
  inFlightOf.set(page, inFlight);
  return {
    ctx,
    base,
    browser,
    page,
    inFlight,
    async close() {
      await browser.close();
      server.close();
      await ctx.close();
    },
  };
}
