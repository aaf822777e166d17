// Browser test of 审计日志 (H3; issue 11): a government unit's scanner types a person's code number; the unit
// opens 审计日志 and finds the 人工输入查询 row with the person masked and the route, without a 单位 column;
// the health department finds the same row with the unit's name, and narrows the trail to that unit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryView } from '@bamin/common/auditApi';
import { NEW_PASSWORD, governmentUnit, healthDepartment } from '../../server/test/helpers/console';
import { residentId } from '../../server/test/helpers/people';
import { bearer, personWithCode, staffAtPoint } from '../../server/test/helpers/staff';
import type { E2E } from '../helpers/browser';
import { fill, signOut, startConsole, text, tid } from './console';

let e: E2E;
const unitName = '鼓楼区东街街道办事处';
const idNumber = residentId('350102', '19800101', 501);
let unitLogin = '';
let hdLogin = '';
let unitId = 0;
let entry: AuditEntryView;

beforeAll(async () => {
  e = await startConsole();
  const { ctx } = e;
  hdLogin = `wjwaudit${Date.now() % 100000}`;
  const hd = await healthDepartment(ctx, hdLogin);
  const unit = await governmentUnit(ctx, hd, { name: unitName });
  unitId = unit.organisationId;
  unitLogin = (await unit.agent.get('/api/v1/console/me')).body.loginName;
  const staff = await staffAtPoint(ctx, '350102', { organisationId: unit.organisationId, name: '张扫码' });
  const person = await personWithCode(ctx, { name: '王小明', idNumber });
  const scan = await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: person.codeNumber });
  expect(scan.status, JSON.stringify(scan.body)).toBe(201);
  const trail = (await unit.agent.get('/api/v1/console/audit?action=code.lookup_typed')).body.items as AuditEntryView[];
  expect(trail).toHaveLength(1);
  entry = trail[0];
});
afterAll(() => e?.close());

async function signIn(loginName: string) {
  const { page, base } = e;
  await page.goto(`${base}/admin/`);
  await fill(page, 'login-name', loginName);
  await fill(page, 'login-password', NEW_PASSWORD);
  await page.click(tid('login-submit'));
  await page.waitForSelector(tid('header-title'));
}

describe('Console / 审计日志', () => {
  it('the unit sees its scanner\'s 人工输入查询 with the person masked and the route, and no 单位 column', async () => {
    const { page } = e;
    await signIn(unitLogin);
    await page.click(tid('menu-audit'));
    await page.waitForSelector(tid(`audit-action-${entry.id}`));
    expect(await text(page, `audit-action-${entry.id}`)).toBe('人工输入查询');
    const person = await text(page, `audit-person-${entry.id}`);
    expect(person).toBe(`**明 35*****${idNumber.slice(-3)}`);
    expect(person).not.toContain('王小明');
    expect(await text(page, `audit-route-${entry.id}`)).toBe('POST /api/v1/staff/scans');
    expect(await text(page, `audit-outcome-${entry.id}`)).toBe('成功');
    expect(await page.locator(tid(`audit-unit-${entry.id}`)).count()).toBe(0);
    expect(await page.locator(tid('audit-q-unit')).count()).toBe(0);
    expect(await page.locator(tid('audit-table')).textContent()).not.toContain(idNumber);
    await signOut(page);
  });

  it('the health department sees the same row with the unit\'s name, and narrows the trail to the unit', async () => {
    const { page } = e;
    await signIn(hdLogin);
    await page.click(tid('menu-audit'));
    await page.waitForSelector(tid(`audit-unit-${entry.id}`));
    expect(await text(page, `audit-unit-${entry.id}`)).toBe(unitName);
    expect(await text(page, `audit-action-${entry.id}`)).toBe('人工输入查询');
    expect(await text(page, `audit-person-${entry.id}`)).toBe(`**明 35*****${idNumber.slice(-3)}`);
    // the health department's own sign-ins are in its trail too; narrowed to the unit, only the unit's rows remain
    const units = async () => [...new Set(await page.locator(`${tid('audit-table')} [data-testid^="audit-unit-"]`).allTextContents())];
    expect((await units()).length).toBeGreaterThan(1);
    // part of the unit's name, typed: the units found by the server are offered
    const searched = page.waitForResponse((r) => r.url().includes('/api/v1/console/units?q='));
    await page.click(`${tid('audit-q-unit')}`);
    await page.keyboard.type('东街街道');
    expect((await (await searched).json()).items).toContainEqual({ id: unitId, name: unitName, kind: 'government' });
    await page.locator('.ant-select-item-option:visible').filter({ hasText: `${unitName}（${unitId}）` }).first().click();
    await page.click(tid('audit-query'));
    await expect.poll(units).toEqual([unitName]);
    expect(await page.locator(tid(`audit-action-${entry.id}`)).count()).toBe(1);
  });
});
