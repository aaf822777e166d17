// Browser test of the PC console for an enterprise (issue 5; E1, E2, E5, E6): 法人注册 with the SMS code,
// CA-certificate sign-in with a PEM file from the development CA, a sub-account added and authorised,
// employees imported from an .xlsx (a bad file first: nothing loaded, every row error listed), one
// edited, two batch-deleted.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EMPLOYEE_IMPORT_COLUMNS } from '@bamin/common';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenWithCode } from '../../server/test/helpers/citizen';
import { certificateFor, creditCode } from '../../server/test/helpers/console';
import { residentId } from '../../server/test/helpers/people';
import type { E2E } from '../helpers/browser';
import { expectMenu, fill, overlaysSettled, signOut, smsCodeFor, startConsole, text, tid, toast } from './console';

let e: E2E;
const dir = mkdtempSync(path.join(tmpdir(), 'bamin-console-'));
beforeAll(async () => {
  e = await startConsole();
});
afterAll(() => e?.close());

const company = {
  name: '福州闽江示例科技有限公司',
  creditCode: creditCode('350102'),
  legalRep: '林法人',
  legalRepId: residentId('350102', '19750101', 11),
  agentPhone: '13755550001',
  agentName: '陈经办',
  agentId: residentId('350103', '19880808', 22),
  password: 'Qiye2026ok',
};

const staff = [
  { name: '王一', id: residentId('350102', '19900101', 101), phone: '13800000101', department: '行政部' },
  { name: '王二', id: residentId('350102', '19900102', 102), phone: '', department: '研发部' },
  { name: '王三', id: residentId('350102', '19900103', 103), phone: '13800000103', department: '' },
];

async function xlsx(file: string, rows: string[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('员工信息');
  ws.addRow([...EMPLOYEE_IMPORT_COLUMNS]);
  // ID numbers as text, as the template asks
  for (const r of rows) ws.addRow(r);
  ws.getColumn(3).numFmt = '@';
  await wb.xlsx.writeFile(file);
  return file;
}

describe('Console / Enterprise', () => {
  it('registers (法人注册) with every field and the SMS code, and is given its login name', async () => {
    const { page, base } = e;
    await page.goto(`${base}/admin/`);
    await page.waitForSelector(tid('login-submit'));
    await page.click(tid('link-register'));
    await fill(page, 'reg-name', company.name);
    await fill(page, 'reg-credit-code', company.creditCode);
    await fill(page, 'reg-legal-rep-name', company.legalRep);
    await fill(page, 'reg-legal-rep-id-number', company.legalRepId);
    await fill(page, 'reg-agent-phone', company.agentPhone);
    await page.click(tid('reg-send-code'));
    await page.locator(tid('reg-send-code')).filter({ hasText: '秒后重新获取' }).waitFor();
    await fill(page, 'reg-sms-code', await smsCodeFor(base, company.agentPhone));
    await fill(page, 'reg-agent-name', company.agentName);
    await fill(page, 'reg-agent-id-number', company.agentId);
    await fill(page, 'reg-password', company.password);
    await fill(page, 'reg-password-confirmation', company.password);
    await page.click(tid('reg-agreed'));
    await page.click(tid('reg-submit'));
    await page.waitForSelector(tid('register-login-name'));
    expect(await text(page, 'register-login-name')).toBe(company.creditCode);
    await page.click(tid('register-to-login'));
    await page.waitForSelector(tid('login-submit'));
  });

  it('a password session sees 子账号管理 refuse without the CA certificate', async () => {
    const { page } = e;
    await fill(page, 'login-name', company.creditCode);
    await fill(page, 'login-password', company.password);
    await page.click(tid('login-submit'));
    await page.waitForSelector(tid('header-title'));
    expect(await text(page, 'header-title')).toBe('服务单位健康码管理侧（企业用户电脑端）');
    await page.click(tid('menu-sub-accounts'));
    expect(await text(page, 'sub-ca-required')).toContain('子账号管理的所有操作都必须插入 CA 数字证书');
    expect(await page.locator(tid('sub-add')).count()).toBe(0);
    await signOut(page);
  });

  it('a certificate of an unregistered credit code, or a key that does not match, is refused with its message', async () => {
    const { page, ctx } = e;
    const other = await certificateFor(ctx, creditCode('350103'));
    const mine = await certificateFor(ctx, company.creditCode);
    await page.click(tid('login-tab-ca'));
    for (const [file, message] of [
      [other.certificatePem + other.privateKeyPem, '证书中的统一社会信用代码与已注册的企业不符'],
      [mine.certificatePem + other.privateKeyPem, '证书私钥签名校验失败'],
      [mine.certificatePem, '证书文件中没有私钥'],
    ] as const) {
      const pem = path.join(dir, `refused-${message.length}.pem`);
      writeFileSync(pem, file);
      await page.setInputFiles(tid('ca-file'), pem);
      await page.click(tid('ca-submit'));
      await page.locator(tid('ca-error')).filter({ hasText: message }).waitFor();
    }
  });

  it('signs in with the CA certificate file (certificate + PKCS#8 key) and lands on its unit with the import prompt', async () => {
    const { page, ctx } = e;
    const cert = await certificateFor(ctx, company.creditCode);
    const pem = path.join(dir, 'enterprise.pem');
    writeFileSync(pem, cert.certificatePem + cert.privateKeyPem);
    await page.setInputFiles(tid('ca-file'), pem);
    await page.click(tid('ca-submit'));
    await page.waitForSelector(tid('header-ca'));
    expect(await text(page, 'header-unit')).toContain(company.name);
    await expectMenu(page);
    expect(await text(page, 'org-credit-code')).toBe(company.creditCode);
    expect(await text(page, 'org-legal-rep')).toBe(company.legalRep);
    await page.waitForSelector(tid('no-employees-prompt'));
    expect(await text(page, 'no-employees-prompt')).toContain('尚未导入员工信息');
  });

  it('edits the enterprise information (企业数据管理); the credit code stays read-only', async () => {
    const { page } = e;
    await page.click(tid('org-edit'));
    expect(await page.locator(tid('org-form-credit-code')).isDisabled()).toBe(true);
    await fill(page, 'org-form-legal-rep', '林新法人');
    await fill(page, 'org-form-phone', '13755550002');
    await page.click(tid('org-form-submit'));
    await expect.poll(() => text(page, 'org-legal-rep')).toBe('林新法人');
    expect(await text(page, 'org-phone')).toBe('137****0002');
  });

  it('adds a sub-account (initial password abc@123456) and authorises it', async () => {
    const { page } = e;
    await page.click(tid('menu-sub-accounts'));
    await page.click(tid('sub-add'));
    await fill(page, 'sub-form-phone', '13755550009');
    await fill(page, 'sub-form-name', '张扫码');
    await page.click(tid('sub-form-submit'));
    await page.waitForSelector(tid('sub-created'));
    expect(await text(page, 'sub-created')).toContain('初始密码为 abc@123456');
    const state = page.locator('[data-testid^="sub-state-"]').first();
    await expect.poll(() => state.textContent()).toBe('未授权需改初始密码');
    expect(await page.locator('[data-testid^="sub-phone-"]').first().textContent()).toBe('137****0009');
    await page.locator('[data-testid^="sub-authorise-"]').first().click();
    await expect.poll(() => state.textContent()).toBe('已授权需改初始密码');
  });

  it('imports employees: a bad file loads nothing and lists every error; the good file loads all', async () => {
    const { page } = e;
    await page.click(tid('menu-organisation'));
    await page.click(tid('no-employees-import'));
    await page.waitForSelector(tid('import-file'));
    const bad = await xlsx(path.join(dir, 'bad.xlsx'), [
      [staff[0].name, '居民身份证', staff[0].id, '', staff[0].phone, staff[0].department],
      ['', '居民身份证', '350102199001010000', '', '12345', ''],
    ]);
    await page.setInputFiles(tid('import-file'), bad);
    await page.click(tid('import-start'));
    await page.waitForSelector(tid('import-failed'));
    expect(await text(page, 'import-failed-text')).toBe('导入失败，未导入任何数据。');
    const rows = await page.locator(`${tid('import-errors')} tbody tr.ant-table-row`).allTextContents();
    expect(rows.length).toBeGreaterThanOrEqual(3); // name, ID number and phone of row 3
    expect(rows.every((r) => r.startsWith('3'))).toBe(true);
    await page.click(tid('import-retry'));

    const good = await xlsx(path.join(dir, 'good.xlsx'), staff.map((s) => [s.name, '居民身份证', s.id, '', s.phone, s.department]));
    await page.setInputFiles(tid('import-file'), good);
    await page.click(tid('import-start'));
    await page.locator(`${tid('import-done')}, ${tid('import-failed')}`).first().waitFor({ timeout: 10000 }).catch(async () => {
      throw new Error(`import did not finish: ${await page.locator('.ant-modal').first().innerText()}`);
    });
    if (await page.locator(tid('import-failed')).count()) throw new Error(`import failed: ${await text(page, 'import-failed')}`);
    expect(await text(page, 'import-done')).toContain('共导入 3 名员工');
    await page.click(tid('import-close'));
    await expect.poll(() => text(page, 'emp-total')).toBe('共 3 条');
  });

  it('edits one employee (修改信息) and batch-deletes two', async () => {
    const { page } = e;
    const row = page.locator(`${tid('emp-table')} tr.ant-table-row`).filter({ hasText: '王二' });
    await row.locator('[data-testid^="emp-edit-"]').click();
    await fill(page, 'emp-form-name', '王二改');
    await fill(page, 'emp-form-id-number', staff[1].id);
    await fill(page, 'emp-form-phone', '13800000102');
    await page.click(tid('emp-form-submit'));
    await toast(page, '员工信息已修改');
    const edited = page.locator(`${tid('emp-table')} tr.ant-table-row`).filter({ hasText: '王二改' });
    await edited.waitFor();
    expect(await edited.textContent()).toContain('138****0102');

    // query by name, then reset
    await fill(page, 'emp-query-name', '王三');
    await page.click(tid('emp-query'));
    await expect.poll(() => text(page, 'emp-total')).toBe('共 1 条');
    await page.click(tid('emp-reset'));
    await expect.poll(() => text(page, 'emp-total')).toBe('共 3 条');

    for (const name of ['王一', '王三']) {
      await page.locator(`${tid('emp-table')} tr.ant-table-row`).filter({ hasText: name }).locator('input[type="checkbox"]').check();
    }
    await page.click(tid('emp-batch-delete'));
    expect(await text(page, 'emp-batch-delete-text')).toContain('2 名员工');
    await overlaysSettled(page);
    await page.click(tid('emp-batch-delete-confirm'));
    await expect.poll(() => text(page, 'emp-total')).toBe('共 1 条');
    expect(await page.locator(`${tid('emp-table')} tr.ant-table-row`).allTextContents()).toEqual([expect.stringContaining('王二改')]);
  });

  it('数据上报 and 数据接收 (issue 8) are open: their pages load and none says 尚未开放', async () => {
    const { page } = e;
    for (const [key, ready] of [['data-reports', 'dr-start'], ['data-received', 'rcv-table']]) {
      await page.click(tid(`menu-${key}`));
      await page.waitForSelector(tid(ready));
      expect(await page.locator(tid('not-open')).count()).toBe(0);
    }
  });

  it('the agent signs in with the personal real-name account and associates it with the enterprise', async () => {
    const { page, ctx, base } = e;
    await signOut(page);
    // the agent's citizen account, past the L4 check, with the agent's ID number
    await citizenWithCode(ctx, company.agentPhone, company.agentId, company.agentName);
    ctx.clock.advance(61_000); // one SMS code a minute per phone
    await page.click(tid('login-tab-personal'));
    await fill(page, 'personal-phone', company.agentPhone);
    await page.click(tid('personal-send-code'));
    await page.locator(tid('personal-send-code')).filter({ hasText: '秒后重新获取' }).waitFor();
    await fill(page, 'personal-code', await smsCodeFor(base, company.agentPhone));
    await page.click(tid('personal-submit'));
    await page.waitForSelector(tid('assoc-notice'));
    await fill(page, 'assoc-credit-code', company.creditCode);
    await page.click(tid('assoc-submit'));
    await page.waitForSelector(tid('header-title'));
    expect(await text(page, 'header-unit')).toContain(company.name);
    expect(await page.locator(tid('header-change-password')).count()).toBe(0);
    await page.click(tid('menu-sub-accounts'));
    expect(await text(page, 'sub-ca-required')).toContain('请使用 CA 证书登录');
    await page.click(tid('menu-employees'));
    await expect.poll(() => text(page, 'emp-total')).toBe('共 1 条');
  });
});
