// Browser test of the PC console for the health department and a government unit (issue 5; D1–D3): the
// health department (account made with createConsoleAdmin) changes its initial password, issues an
// activation code for a unit in a county; the unit generates its account (user name and one-time
// password shown once), must change the password at first sign-in, then adds a scanning sub-account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAdmin } from '../../server/src/services/consoleAccountService';
import { creditCode } from '../../server/test/helpers/console';
import type { E2E } from '../helpers/browser';
import { expectMenu, fill, overlaysSettled, signOut, startConsole, text, tid, toast } from './console';

let e: E2E;
beforeAll(async () => {
  e = await startConsole();
});
afterAll(() => e?.close());

const unit = { name: '福州市鼓楼区示例街道办事处', creditCode: creditCode('350102', '11') };
let activationCode = '';
let initialPassword = '';
let loginName = '';

async function pickArea(names: string[]) {
  const { page } = e;
  await page.click(tid('act-area'));
  for (const name of names) {
    await page.locator('.ant-cascader-menu-item:visible').filter({ hasText: name }).first().click();
  }
}

describe('Console / Government', () => {
  it('the health department changes its initial password first, then sees 激活码管理 and 健康码申诉', async () => {
    const { page, base, ctx } = e;
    const admin = await createConsoleAdmin(ctx.deps, 'wjwadmin');
    await page.goto(`${base}/admin/`);
    await fill(page, 'login-name', admin.loginName);
    await fill(page, 'login-password', admin.initialPassword);
    await page.click(tid('login-submit'));
    await page.waitForSelector(tid('pwd-forced'));
    expect(await page.locator(tid('menu')).count()).toBe(0);
    await fill(page, 'pwd-current', admin.initialPassword);
    await fill(page, 'pwd-new', 'Weijianwei2026');
    await fill(page, 'pwd-confirm', 'Weijianwei2026');
    await page.click(tid('pwd-submit'));
    await page.waitForSelector(tid('header-title'));
    expect(await text(page, 'header-title')).toBe('服务单位健康码管理侧（政府用户电脑端）');
    expect(await text(page, 'header-role')).toBe('卫健委');
    await expectMenu(page, ['激活码管理', '健康码申诉']);
  });

  it('issues an activation code for a unit in a county; the code is shown once and listed without it', async () => {
    const { page } = e;
    await page.click(tid('menu-activation-codes'));
    await fill(page, 'act-unit-name', unit.name);
    await fill(page, 'act-credit-code', unit.creditCode);
    await pickArea(['福建省', '福州市', '鼓楼区']);
    await page.click(tid('act-submit'));
    await page.waitForSelector(tid('act-code'));
    activationCode = (await text(page, 'act-code')).trim();
    expect(activationCode.length).toBeGreaterThanOrEqual(8);
    expect(await text(page, 'act-warning')).toContain('只显示这一次');
    await page.click(tid('act-done'));
    const row = page.locator(`${tid('act-table')} tr.ant-table-row`).filter({ hasText: unit.name });
    await row.waitFor();
    expect(await row.textContent()).toContain(unit.creditCode);
    expect(await row.textContent()).toContain('未使用');
    expect(await row.textContent()).not.toContain(activationCode);
    await signOut(page);
  });

  it('the unit generates its account: user name and initial password shown once', async () => {
    const { page } = e;
    await page.click(tid('link-government'));
    await fill(page, 'gov-name', unit.name);
    await fill(page, 'gov-credit-code', unit.creditCode);
    await fill(page, 'gov-activation-code', activationCode);
    await page.click(tid('gov-submit'));
    await page.waitForSelector(tid('gov-initial-password'));
    loginName = (await text(page, 'gov-login-name')).trim();
    initialPassword = (await text(page, 'gov-initial-password')).trim();
    expect(await text(page, 'gov-warning')).toContain('初始密码只显示这一次');
    expect(loginName).not.toBe('');
    await page.click(tid('gov-to-login'));
    await page.waitForSelector(tid('login-submit'));
  });

  it('the same activation code does not work twice', async () => {
    const { page } = e;
    await page.click(tid('link-government'));
    await fill(page, 'gov-name', unit.name);
    await fill(page, 'gov-credit-code', unit.creditCode);
    await fill(page, 'gov-activation-code', activationCode);
    await page.click(tid('gov-submit'));
    await toast(page, '激活码无效');
    expect(await page.locator(tid('gov-initial-password')).count()).toBe(0);
    await page.click(tid('gov-back'));
  });

  it('first sign-in forces the password change; then the unit adds a sub-account, authorised at once', async () => {
    const { page } = e;
    await fill(page, 'login-name', loginName);
    await fill(page, 'login-password', initialPassword);
    await page.click(tid('login-submit'));
    await page.waitForSelector(tid('pwd-forced'));
    await fill(page, 'pwd-current', initialPassword);
    await fill(page, 'pwd-new', 'Jiedao2026ok');
    await fill(page, 'pwd-confirm', 'Jiedao2026ok');
    await page.click(tid('pwd-submit'));
    await page.waitForSelector(tid('header-title'));
    expect(await text(page, 'header-unit')).toContain(unit.name);
    await expectMenu(page);
    expect(await text(page, 'org-name')).toBe(unit.name);

    await page.click(tid('menu-sub-accounts'));
    await page.click(tid('sub-add'));
    await fill(page, 'sub-form-phone', '13955550001');
    await fill(page, 'sub-form-name', '李扫码');
    await page.click(tid('sub-form-submit'));
    expect(await (await page.waitForSelector(tid('sub-created'))).textContent()).toContain('abc@123456');
    const state = page.locator('[data-testid^="sub-state-"]').first();
    await expect.poll(() => state.textContent()).toBe('已授权需改初始密码');
    expect(await page.locator('[data-testid^="sub-authorise-"]').count()).toBe(0);

    // 停用 / 启用 and 重置密码 through their confirmations
    await page.locator('[data-testid^="sub-disable-"]').first().click();
    await overlaysSettled(page);
    await page.locator('[data-testid^="sub-disable-confirm-"]:visible').click();
    await expect.poll(() => state.textContent()).toBe('已授权已停用需改初始密码');
    await page.locator('[data-testid^="sub-enable-"]').first().click();
    await expect.poll(() => state.textContent()).toBe('已授权需改初始密码');
    await page.locator('[data-testid^="sub-reset-"]').first().click();
    await overlaysSettled(page);
    await page.locator('[data-testid^="sub-reset-confirm-"]:visible').click();
    await toast(page, '密码已重置为初始密码 abc@123456');
  });

  it('the header 修改密码 changes the password again', async () => {
    const { page } = e;
    await page.click(tid('header-change-password'));
    await fill(page, 'pwd-current', 'Jiedao2026ok');
    await fill(page, 'pwd-new', 'Jiedao2027ok');
    await fill(page, 'pwd-confirm', 'Jiedao2027ok');
    await page.click(tid('pwd-submit'));
    await toast(page, '密码已修改');
    await signOut(page);
    await fill(page, 'login-name', loginName);
    await fill(page, 'login-password', 'Jiedao2027ok');
    await page.click(tid('login-submit'));
    await page.waitForSelector(tid('header-title'));
  });
});
