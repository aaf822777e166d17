// Shared steps of the console's browser tests: the built admin/ served by the real server at /admin/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { inFlight, startE2E, type E2E } from '../helpers/browser';

export const tid = (id: string) => `[data-testid="${id}"]`;

export async function startConsole(): Promise<E2E> {
  if (!existsSync(path.resolve(__dirname, '../../admin/dist/index.html'))) {
    throw new Error('admin/dist is missing: run `npm run build --prefix admin` first');
  }
  const e = await startE2E(new Date().toISOString());
  await e.page.setViewportSize({ width: 1440, height: 900 });
  return e;
}

export async function fill(page: Page, id: string, value: string) {
  await page.locator(`input${tid(id)}, ${tid(id)} input, textarea${tid(id)}`).first().fill(value);
}

export async function smsCodeFor(base: string, phone: string): Promise<string> {
  for (let i = 0; i < 25; i++) {
    const res = await fetch(`${base}/api/dev/sms-outbox`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ phone }) });
    const body = (await res.json()) as { messages: { text: string }[] };
    const code = body.messages[0] && /\d{6}/.exec(body.messages[0].text)?.[0];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no SMS code');
}

export async function text(page: Page, id: string): Promise<string> {
  return (await page.locator(tid(id)).first().textContent()) ?? '';
}

/** Waits for an antd message (toast) containing `content`. */
export async function toast(page: Page, content: string) {
  await page.locator('.ant-message-notice').filter({ hasText: content }).first().waitFor();
}

export async function expectMenu(page: Page, extra: string[] = []) {
  const labels = await page.locator(`${tid('menu')} .ant-menu-title-content`).allTextContents();
  expect(labels).toEqual(['企业数据管理', '出入扫码记录', '职工健康管理', '单位组织管理', '企业服务点管理', '人流预警管理', '子账号管理', '数据上报', '数据接收', '审计日志', ...extra]);
}

/**
 * Waits until no antd modal or popover (a Popconfirm) is still zooming in or out — rc-motion's ant-zoom-* and
 * ant-zoom-big-* classes: a button clicked while its overlay zooms can move before the click lands.
 */
export async function overlaysSettled(page: Page) {
  await page.waitForFunction(() => !document.querySelector('.ant-modal[class*="ant-zoom-"], .ant-popover[class*="ant-zoom-"]'));
}

export async function signOut(page: Page) {
  await page.click(tid('header-logout'));
  // the confirmation zooms in from the click: its button is clicked where it comes to rest
  await overlaysSettled(page);
  const ok = page.locator(tid('logout-confirm'));
  await ok.click();
  try {
    await page.waitForSelector(tid('login-submit'));
  } catch (e) {
    // 退出 shows loading until the server has ended the session: say which it was waiting on
    const button = await ok.evaluate((b) => (b.classList.contains('ant-btn-loading') ? 'loading' : 'idle'), undefined, { timeout: 1000 }).catch(() => 'gone');
    throw new Error(`no login page after 退出 (the confirmation's button: ${button}; ${inFlight(page)})`, { cause: e });
  }
}
