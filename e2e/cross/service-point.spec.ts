// Across both apps (issue 7: D8, D9, C1–C4): the console adds a service point and downloads its poster
// PNG (the QR decoded here), configures its crowd-flow warning, two citizens register through the poster
// in the H5 mini-program, and the console's live card rises to 预警 and then 已超标.
import { readFileSync } from 'node:fs';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenWithCode } from '../../server/test/helpers/citizen';
import { registerEnterprise } from '../../server/test/helpers/console';
import { residentId } from '../../server/test/helpers/people';
import { fill, startConsole, text, tid } from '../admin/console';
import type { E2E } from '../helpers/browser';

let e: E2E;
let ent: Awaited<ReturnType<typeof registerEnterprise>>;
let pointId = 0;
let token = '';

beforeAll(async () => {
  e = await startConsole();
  ent = await registerEnterprise(e.ctx, { name: '福州鼓楼示例餐饮有限公司' });
}, 120_000);
afterAll(() => e?.close());

async function registerInH5(phone: string, idNumber: string, name: string) {
  const { token: session } = await citizenWithCode(e.ctx, phone, idNumber, name);
  const h5: Page = await e.browser.newPage();
  // the session is stored from a page of the same origin that is not the app: an app started with the
  // previous citizen's session would reLaunch to its code page, racing the navigation below
  await h5.goto(`${e.base}/api/health`);
  await h5.evaluate((t) => localStorage.setItem('bamin.sessionToken', JSON.stringify({ data: t })), session);
  await h5.goto(`${e.base}/h5/#/pages/point/index?token=${encodeURIComponent(token)}`);
  await h5.reload(); // a hash change alone does not restart the app with the new session
  await h5.waitForSelector(tid('point-name'));
  expect((await h5.textContent(tid('point-name')))?.trim()).toBe('一号食堂');
  await h5.click(tid('point-register'));
  await h5.waitForSelector(tid('register-member-info'));
  await h5.click(tid('register-symptom-none'));
  await h5.click(tid('register-submit'));
  // the result, or the refusal the page shows instead (named in the failure)
  const outcome = `${tid('register-result-title')}, ${tid('register-error')}`;
  await h5.waitForSelector(outcome);
  expect((await h5.locator(outcome).first().textContent())?.trim()).toBe('登记成功');
  await h5.close();
}

describe('Console + H5 / a service point from poster to crowd warning', () => {
  it('adds the point in the console and downloads its poster; the QR is the point\'s token', async () => {
    const { page, base, ctx } = e;
    await page.goto(`${base}/admin/`);
    await fill(page, 'login-name', ent.loginName);
    await fill(page, 'login-password', ent.password as string);
    await page.click(tid('login-submit'));
    await page.click(tid('menu-service-points'));
    await page.click(tid('sp-add'));
    await fill(page, 'sp-form-name', '一号食堂');
    await fill(page, 'sp-form-address', '五一路 1 号');
    await page.click(tid('sp-form-area'));
    for (const name of ['福建省', '福州市', '鼓楼区']) await page.locator('.ant-cascader-menu-item').filter({ hasText: name }).first().click();
    await page.click(tid('sp-form-type'));
    await page.locator('.ant-select-item-option[title="食堂"]').click();
    await page.click(tid('sp-form-submit'));
    await expect.poll(() => text(page, 'sp-total')).toBe('共 1 条');
    pointId = Number((await ctx.deps.db.models.ServicePoint.findOne({ where: { organisationId: ent.organisationId } }))!.get('id'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid(`sp-png-${pointId}`))]);
    const png = PNG.sync.read(readFileSync((await download.path())!));
    token = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)!.data;
    expect(token.length).toBeGreaterThan(40);
  });

  it('configures the warning: 预警 at 1, 已超标 at 2 within 30 minutes', async () => {
    const { page } = e;
    await page.click(tid('menu-flow-warnings'));
    await page.click(tid(`cf-configure-${pointId}`));
    await fill(page, 'cf-form-capacity', '2');
    await fill(page, 'cf-form-warning', '1');
    await page.click(tid('cf-form-submit'));
    await expect.poll(() => text(page, `cf-card-state-${pointId}`)).toBe('正常');
    expect(await text(page, `cf-card-current-${pointId}`)).toBe('0');
  });

  it('a citizen registers through the poster in H5: the live count rises to 1, 预警', async () => {
    await registerInH5('13699990001', residentId('350102', '19880808', 951), '吴访客');
    await expect.poll(() => text(e.page, `cf-card-current-${pointId}`), { timeout: 15_000 }).toBe('1');
    expect(await text(e.page, `cf-card-state-${pointId}`)).toBe('预警');
  });

  it('a second citizen registers: 2, 已超标', async () => {
    await registerInH5('13699990002', residentId('350102', '19890909', 952), '郑访客');
    await expect.poll(() => text(e.page, `cf-card-current-${pointId}`), { timeout: 15_000 }).toBe('2');
    expect(await text(e.page, `cf-card-state-${pointId}`)).toBe('已超标');
    expect(await e.ctx.deps.db.models.ScanRecord.count({ where: { servicePointId: pointId, mode: 'active' } })).toBe(2);
  });
});
