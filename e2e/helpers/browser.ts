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
  close(): Promise<void>;
}

/** `national`: a stand-in national platform (server/test/helpers/national.ts) the server talks to, sharing its keys dir. */
export async function startE2E(now?: string, national?: { url: string; keysDir: string }): Promise<E2E> {
  const ctx = await createTestContext({ now, nationalUrl: national?.url, nationalKeysDir: national?.keysDir });
  const server = ctx.app.koa.listen(0, '127.0.0.1');
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
  return {
    ctx,
    base,
    browser,
    page,
    async close() {
      await browser.close();
      server.close();
      await ctx.close();
    },
  };
}
