// Browser test of 数据上报 / 数据接收 (manual 四(八); D7, G3): an enterprise with two scan records today
// sends today's records to the health department (福建省卫生健康委员会, the top of its department chain),
// sees 已送达 with the row count, keeps a 每日 定时上报 and stops it; the health department then finds the
// report 未读 in 数据接收, downloads it (read back with exceljs: the console's rows, masked) and sees 已读.
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_REPORT_COLUMNS, DATA_REPORT_SHEET } from '../../common/src/reportApi';
import { healthDepartment, NEW_PASSWORD, passwordSignIn, registerEnterprise, type Agent } from '../../server/test/helpers/console';
import { residentId } from '../../server/test/helpers/people';
import { bearer, codeTokenFor, personWithCode, staffAtPoint } from '../../server/test/helpers/staff';
import type { E2E } from '../helpers/browser';
import { fill, overlaysSettled, signOut, startConsole, text, tid, toast } from './console';

const HD = '福建省卫生健康委员会';
const HD_LOGIN = 'wjwreports';
let e: E2E;
let ent: Awaited<ReturnType<typeof registerEnterprise>>;
let entAgent: Agent;
let reportId = 0;
const people: { idNumber: string }[] = [];
const shanghaiDay = (t: Date) => new Date(t.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
let today = '';

beforeAll(async () => {
  e = await startConsole();
  const { ctx, page } = e;
  // the console's dates (range picker, 今天) are Asia/Shanghai's whatever the machine's time zone
  await (await page.context().newCDPSession(page)).send('Emulation.setTimezoneOverride', { timezoneId: 'Asia/Shanghai' });
  today = shanghaiDay(ctx.clock.now());
  await healthDepartment(ctx, HD_LOGIN); // past its first sign-in: the password is NEW_PASSWORD
  ent = await registerEnterprise(ctx, { name: '福州鼓楼上报示例有限公司' });
  entAgent = await passwordSignIn(ctx, ent.loginName, ent.password as string);
  const staff = await staffAtPoint(ctx, '350102', { organisationId: ent.organisationId, name: '张扫码' });
  const a = await personWithCode(ctx, { name: '王小明', idNumber: residentId('350102', '19800101', 511) });
  const b = await personWithCode(ctx, { name: '李大红', idNumber: residentId('350102', '19810101', 512) });
  people.push(a, b);
  expect((await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: a.codeNumber })).status).toBe(201);
  ctx.clock.advance(60_000);
  const scanB = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token: await codeTokenFor(ctx, b.personId) });
  expect(scanB.status, JSON.stringify(scanB.body)).toBe(201);
  const fb = await ctx.http.put(`/api/v1/staff/scans/${scanB.body.scanId}/feedback`).set(bearer(staff.token)).send({ passReason: 'work', temperatureResult: 'normal' });
  expect(fb.status, JSON.stringify(fb.body)).toBe(200);
}, 180_000);
afterAll(() => e?.close());

async function pick(testId: string, label: string) {
  const { page } = e;
  await page.click(tid(testId));
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`).click();
}

describe('Console / Data reports / Send and receive (D7, G3)', () => {
  it('the enterprise sends today\'s scan records to the health department and sees 已送达 with 2 rows', async () => {
    const { page, base } = e;
    await page.goto(`${base}/admin/`);
    await fill(page, 'login-name', ent.loginName);
    await fill(page, 'login-password', ent.password as string);
    await page.click(tid('login-submit'));
    await page.click(tid('menu-data-reports'));
    await page.waitForSelector(tid('dr-empty'));
    await page.click(`${tid('dr-start')}:not([disabled])`);
    // 上报范围 starts as yesterday: today for both ends
    const rangeInputs = page.locator('.ant-modal:visible .ant-picker-range input');
    await rangeInputs.first().click();
    await page.locator('.ant-picker-dropdown:visible .ant-picker-cell-today.ant-picker-cell-in-view').first().click();
    await page.locator('.ant-picker-dropdown:visible .ant-picker-cell-today.ant-picker-cell-in-view').first().click();
    expect(await rangeInputs.evaluateAll((els) => els.map((i) => (i as HTMLInputElement).value))).toEqual([today, today]);
    await page.click(tid('dr-form-submit'));
    await page.getByText('请选择上报部门').first().waitFor();
    await pick('dr-form-receiver', HD);
    await page.click(tid('dr-form-submit'));
    const confirm = await text(page, 'dr-confirm-text');
    expect(confirm).toContain(HD);
    expect(confirm).toContain(today);
    await overlaysSettled(page);
    await page.click(tid('dr-confirm-ok'));
    await toast(page, '已提交，正在生成上报文件');
    const status = page.locator('[data-testid^="dr-status-"]').first();
    await status.waitFor();
    reportId = Number((await status.getAttribute('data-testid'))!.replace('dr-status-', ''));
    // 生成中 first, then polled every 2 s until delivered
    await expect.poll(() => text(page, `dr-status-${reportId}`), { timeout: 20_000 }).toBe('已送达');
    expect(await text(page, `dr-rows-${reportId}`)).toBe('2');
    expect(await text(page, `dr-to-${reportId}`)).toBe(HD);
    expect(await text(page, `dr-range-${reportId}`)).toBe(today);
    expect(await text(page, `dr-origin-${reportId}`)).toBe('手动');
    expect(await text(page, `dr-filter-${reportId}`)).toBe('全部服务点');
    expect(await text(page, `dr-read-${reportId}`)).toBe('未读');
  });

  it('定时上报: adds a 每日 schedule to the health department, sees it listed 启用, then stops it', async () => {
    const { page } = e;
    await page.click(tid('dr-tab-schedules'));
    await page.waitForSelector(tid('rs-empty'));
    await page.click(tid('rs-add'));
    expect(await text(page, 'rs-form-period')).toBe('每日凌晨自动上报前一日的出入扫码记录');
    await pick('rs-form-receiver', HD);
    await page.locator('.ant-modal:visible label').filter({ hasText: '橙码' }).click();
    await page.click(tid('rs-form-submit'));
    await toast(page, '定时上报已新增');
    const sw = page.locator('[data-testid^="rs-enabled-"]').first();
    await sw.waitFor();
    const id = Number((await sw.getAttribute('data-testid'))!.replace('rs-enabled-', ''));
    expect(await text(page, `rs-to-${id}`)).toBe(HD);
    expect(await text(page, `rs-frequency-${id}`)).toBe('每日');
    expect(await text(page, `rs-filter-${id}`)).toBe('全部服务点；橙码');
    expect(await text(page, `rs-state-${id}`)).toBe('启用');
    expect(await text(page, `rs-last-${id}`)).toBe('尚未上报');
    await sw.click();
    await toast(page, '已停用定时上报');
    await expect.poll(() => text(page, `rs-state-${id}`)).toBe('停用');
    expect((await entAgent.get('/api/v1/console/data-report-schedules')).body).toMatchObject([{ id, enabled: false, frequency: 'daily', colour: 'orange' }]);
  });

  it('the health department sees it 未读 in 数据接收, downloads the console\'s rows masked, and it turns 已读', async () => {
    const { page } = e;
    await signOut(page);
    await fill(page, 'login-name', HD_LOGIN);
    await fill(page, 'login-password', NEW_PASSWORD);
    await page.click(tid('login-submit'));
    await page.click(tid('menu-data-received'));
    await page.waitForSelector(tid(`rcv-read-${reportId}`));
    expect(await text(page, `rcv-read-${reportId}`)).toBe('未读');
    expect(await text(page, `rcv-from-${reportId}`)).toBe(ent.name);
    expect(await text(page, `rcv-rows-${reportId}`)).toBe('2');
    expect(await text(page, `rcv-range-${reportId}`)).toBe(today);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid(`rcv-download-${reportId}`))]);
    expect(download.suggestedFilename()).toBe(`${ent.name}_出入扫码记录_${today}至${today}.xlsx`);
    const bytes = readFileSync((await download.path())!);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.getWorksheet(DATA_REPORT_SHEET)!.eachRow({ includeEmpty: false }, (row) => rows.push(Array.from({ length: DATA_REPORT_COLUMNS.length }, (_, j) => row.getCell(j + 1).value ?? '')));

    // the same rows as the sender's 出入扫码记录 shows, oldest first
    const list = (await entAgent.get(`/api/v1/console/scan-records?from=${today}&to=${today}&pageSize=100`)).body.items.reverse();
    const expected = [];
    for (const r of list) {
      const detail = (await entAgent.get(`/api/v1/console/scan-records/${r.id}`)).body;
      const at = new Date(new Date(r.scannedAt).getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
      expected.push([r.nameMasked, r.idMasked, r.areaName, r.pointName, r.scanner?.nameMasked ?? '', at, r.methodText, r.colourText, r.temperatureText, detail.passReasonText ?? '']);
    }
    expect(rows).toEqual([[...DATA_REPORT_COLUMNS], ...expected]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['**明', '**红']);
    expect(rows[2][8]).toBe('体温正常');
    // masked ID numbers only (the .xlsx is zipped: look in the cells, not the bytes)
    for (const p of people) expect(rows.flat().some((c) => String(c).includes(p.idNumber))).toBe(false);
    expect(rows.slice(1).map((r) => String(r[1]))).toEqual(people.map((p) => expect.stringMatching(new RegExp(`\\*+${p.idNumber.slice(-3)}$`))));

    await expect.poll(() => text(page, `rcv-read-${reportId}`)).toBe('已读');
  });

  it('the sender sees the receiver has read it', async () => {
    const { page } = e;
    await signOut(page);
    await fill(page, 'login-name', ent.loginName);
    await fill(page, 'login-password', ent.password as string);
    await page.click(tid('login-submit'));
    await page.click(tid('menu-data-reports'));
    await expect.poll(() => text(page, `dr-read-${reportId}`)).toBe('已读');
  });
});
