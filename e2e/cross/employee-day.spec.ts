// Across both apps (issue 6: D5, E4, A8, A9): the console reminds two employees who have not reported;
// one of them opens the H5 mini-program, finds the reminder (unread badge, 站内消息), submits a health
// report there, and the console then shows them as 已上报.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenWithCode } from '../../server/test/helpers/citizen';
import { passwordSignIn, registerEnterprise } from '../../server/test/helpers/console';
import { residentId } from '../../server/test/helpers/people';
import { fill, startConsole, text, tid, toast } from '../admin/console';
import type { E2E } from '../helpers/browser';

let e: E2E;
let ent: Awaited<ReturnType<typeof registerEnterprise>>;
let h5: Page;
const ids = { a: residentId('350102', '19860606', 901), b: residentId('350102', '19870707', 902) };
const employeeIds: Record<'a' | 'b', number> = { a: 0, b: 0 };
let tokenA = '';

beforeAll(async () => {
  if (!existsSync(path.resolve(__dirname, '../../miniapp/dist/h5/index.html'))) throw new Error('miniapp/dist/h5 is missing: run `npm run build:h5` first');
  e = await startConsole();
  const { ctx } = e;
  ent = await registerEnterprise(ctx, { name: '福州鼓楼示例物流有限公司' });
  const a = await passwordSignIn(ctx, ent.loginName, ent.password as string);
  for (const [key, name] of [['a', '林员工'], ['b', '黄员工']] as const) {
    const r = await a.post('/api/v1/console/employees').send({ name, idType: 'resident_id', idNumber: ids[key], department: '仓储部' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    employeeIds[key] = r.body.id;
  }
  // employee A already uses the app (signed in, real-name checked, code generated)
  tokenA = (await citizenWithCode(ctx, '13688880001', ids.a, '林员工')).token;
}, 180_000);
afterAll(() => e?.close());

/** Confirms the first option of each level of the mini-program's area picker. */
async function pickFirstArea(page: Page, id: string) {
  for (let level = 0; level < 3; level++) {
    const column = page.locator(`${tid(id)} ${tid(`${id}-level-${level}`)}`);
    if (level > 0 && !(await column.count())) break;
    await column.click();
    await page.locator('.weui-picker__action:visible').filter({ hasText: '确定' }).click();
    await page.locator('.weui-picker__action:visible').first().waitFor({ state: 'hidden' });
  }
}

describe('Console + H5 / a reminded employee reports', () => {
  it('the console reminds the two employees who have not reported today', async () => {
    const { page, base } = e;
    await page.goto(`${base}/admin/`);
    await fill(page, 'login-name', ent.loginName);
    await fill(page, 'login-password', ent.password as string);
    await page.click(tid('login-submit'));
    await page.click(tid('menu-employee-health'));
    await page.waitForSelector(tid(`eh-status-${employeeIds.a}`));
    expect(await text(page, `eh-status-${employeeIds.a}`)).toBe('未上报');
    await page.click(tid(`eh-select-${employeeIds.a}`));
    await page.click(tid(`eh-select-${employeeIds.b}`));
    await page.click(tid('eh-batch-remind'));
    await toast(page, '提醒成功');
  });

  it('in the H5 mini-program, employee A sees the reminder and reports', async () => {
    h5 = await e.browser.newPage();
    // stored from a non-app page of the same origin: no app instance can reLaunch over the navigation
    await h5.goto(`${e.base}/api/health`);
    // signed in as employee A (the citizen session the app keeps in storage)
    await h5.evaluate((token) => localStorage.setItem('bamin.sessionToken', JSON.stringify({ data: token })), tokenA);
    await h5.goto(`${e.base}/h5/#/pages/code/index`);
    await h5.reload(); // a hash change alone does not restart the app with the new session
    await expect.poll(async () => (await h5.textContent(tid('unread-badge')))?.trim(), { timeout: 15_000 }).toBe('1');
    await h5.click(tid('entry-messages'));
    await h5.getByText('健康上报提醒').first().waitFor();
    expect(await h5.getByText('福州鼓楼示例物流有限公司提醒您').count()).toBeGreaterThan(0);
    // back only once the messages page is in the history (a loaded CI machine once went back too early),
    // and on only once the code page is shown again
    await h5.waitForFunction(() => location.hash.includes('/pages/messages/'));
    await h5.goBack();
    await h5.waitForFunction(() => location.hash.includes('/pages/code/'));
    await h5.click(tid('entry-report'));
    await h5.waitForSelector(tid('report-submit'));
    await h5.locator(`${tid('report-temperature')} input, input${tid('report-temperature')}`).first().fill('36.5');
    await h5.click(tid('report-symptom-none'));
    await pickFirstArea(h5, 'report-area');
    await h5.locator(`${tid('report-location')} input, input${tid('report-location')}, ${tid('report-location')} textarea`).first().fill('仓库 1 号门');
    await h5.click(tid('report-submit'));
    await h5.waitForSelector(tid('report-item'));
    expect(await e.ctx.deps.db.models.HealthReport.count({ where: { reportType: 'self' } })).toBe(1);
  });

  it('the console now shows employee A as 已上报, B still 未上报', async () => {
    const { page } = e;
    await page.click(tid('menu-employee-health'));
    await page.click(tid('eh-query'));
    await expect.poll(() => text(page, `eh-status-${employeeIds.a}`)).toBe('已上报');
    expect(await text(page, `eh-status-${employeeIds.b}`)).toBe('未上报');
  });
});
