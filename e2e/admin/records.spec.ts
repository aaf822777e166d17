// Browser test of the console pages of issues 6 and 7 for an enterprise (E3, E4, E7, E8, E9): data seeded
// through the server's own code and API, then checked in the console — the dashboard's chart and its
// tooltip after the nightly aggregation, scan records filtered with a person drill-down, two employees
// reminded (the Message rows checked in the database), a service point added and its PNG poster
// downloaded and decoded, a crowd-flow setting whose live card turns 预警 after registrations.
import { readFileSync } from 'node:fs';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateDay } from '../../server/src/services/dailyStatsService';
import { citizenWithCode } from '../../server/test/helpers/citizen';
import { passwordSignIn, registerEnterprise } from '../../server/test/helpers/console';
import { residentId } from '../../server/test/helpers/people';
import { bearer, codeTokenFor, personWithCode, staffAtPoint } from '../../server/test/helpers/staff';
import type { E2E } from '../helpers/browser';
import { fill, startConsole, text, tid, toast } from './console';

let e: E2E;
let ent: Awaited<ReturnType<typeof registerEnterprise>>;
const employeeIds: Record<string, number> = {};
let pointId = 0;
let pointToken = '';
const DAY = 86_400_000;
const shanghaiDay = (t: Date) => new Date(t.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  e = await startConsole();
  const { ctx } = e;
  ent = await registerEnterprise(ctx, { name: '福州鼓楼示例食品有限公司' });
  const a = await passwordSignIn(ctx, ent.loginName, ent.password as string);
  const staffIds = { reporter: residentId('350102', '19850505', 601), silentA: residentId('350102', '19860606', 602), silentB: residentId('350102', '19870707', 603) };
  const names = { reporter: '陈上报', silentA: '林未报', silentB: '黄未报' };
  for (const key of Object.keys(staffIds) as (keyof typeof staffIds)[]) {
    const r = await a.post('/api/v1/console/employees').send({ name: names[key], idType: 'resident_id', idNumber: staffIds[key], department: '综合科' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    employeeIds[key] = r.body.id;
  }
  // on yesterday's roll, and one of them reported yesterday
  await ctx.deps.db.models.Employee.update({ createdAt: new Date(ctx.clock.now().getTime() - 2 * DAY) }, { where: { organisationId: ent.organisationId }, silent: true });
  ctx.clock.advance(-DAY);
  const reporter = await citizenWithCode(ctx, '13611112222', staffIds.reporter, names.reporter);
  const rep = await ctx.http.post('/api/v1/app/health-reports').set(reporter.bearer).send({ holder: 'self', temperatureCelsius: 36.5, symptoms: ['none'], areaCode: '350102', location: '单位' });
  expect(rep.status, JSON.stringify(rep.body)).toBe(201);
  const yesterday = shanghaiDay(ctx.clock.now());
  ctx.clock.advance(DAY);
  await aggregateDay(ctx.deps, yesterday);
  // and today too: 已上报, so not selectable for a reminder
  const today = await ctx.http.post('/api/v1/app/health-reports').set(reporter.bearer).send({ holder: 'self', temperatureCelsius: 36.6, symptoms: ['none'], areaCode: '350102', location: '单位' });
  expect(today.status, JSON.stringify(today.body)).toBe(201);

  // two passers scanned by the enterprise's scanner: one typed, one by camera
  const staff = await staffAtPoint(ctx, '350102', { organisationId: ent.organisationId, name: '张扫码' });
  const a1 = await personWithCode(ctx, { name: '王小明', idNumber: residentId('350102', '19800101', 501) });
  const b1 = await personWithCode(ctx, { name: '李大红', idNumber: residentId('350102', '19810101', 502) });
  expect((await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: a1.codeNumber })).status).toBe(201);
  ctx.clock.advance(60_000);
  expect((await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token: await codeTokenFor(ctx, b1.personId) })).status).toBe(201);
}, 180_000);
afterAll(() => e?.close());

describe('Console / Dashboard, records, health, points, crowd flow (issues 6, 7)', () => {
  it('signs in and the dashboard shows the totals and the trend chart; a hover shows the day\'s figure', async () => {
    const { page, base } = e;
    await page.goto(`${base}/admin/`);
    await fill(page, 'login-name', ent.loginName);
    await fill(page, 'login-password', ent.password as string);
    await page.click(tid('login-submit'));
    await page.waitForSelector(`${tid('dash-trend-chart')} svg`);
    expect(await text(page, 'dash-employees')).toBe('3');
    expect(await text(page, 'dash-reported-employees')).toBe('1');
    expect(await text(page, 'dash-reports')).toBe('1');
    const box = (await page.locator(tid('dash-trend-chart')).boundingBox())!;
    // the last point (yesterday) sits at the grid's right edge (grid.right = 24)
    await page.mouse.move(box.x + box.width - 26, box.y + box.height / 2);
    const tip = page.locator('.trend-tooltip');
    await tip.waitFor({ state: 'visible' });
    expect(await tip.textContent()).toContain('健康上报人数：1 人');
    expect(await tip.textContent()).toContain('占企业人数比例：33.3%（1/3）');
    // 详情 of 企业员工人数 goes to 单位组织管理
    await page.click(tid('dash-employees-detail'));
    await page.waitForSelector(tid('emp-table'));
  });

  it('出入扫码记录: lists, filters by name, hides 扫码员 for a password session, and opens a person', async () => {
    const { page } = e;
    await page.click(tid('menu-scan-records'));
    await expect.poll(() => text(page, 'scan-total')).toBe('共 2 条');
    expect(await page.locator(tid('scan-q-scanner')).count()).toBe(0);
    await fill(page, 'scan-q-name', '小明');
    await page.click(tid('scan-query'));
    await expect.poll(() => text(page, 'scan-total')).toBe('共 1 条');
    const row = page.locator(`${tid('scan-table')} tr.ant-table-row`).first();
    expect(await row.textContent()).toContain('人工输入');
    await row.locator('[data-testid^="scan-person-"]').click();
    await page.waitForSelector(tid('person-drawer'));
    expect(await text(page, 'person-name')).toBe('**明');
    expect(await text(page, 'person-records-count')).toBe('1');
    await page.keyboard.press('Escape');
    await page.click(tid('scan-reset'));
    await expect.poll(() => text(page, 'scan-total')).toBe('共 2 条');
  });

  it('职工健康管理: reminds the two who have not reported → 提醒成功, one message each', async () => {
    const { page, ctx } = e;
    await page.click(tid('menu-employee-health'));
    await page.waitForSelector(tid(`eh-status-${employeeIds.silentA}`));
    expect(await text(page, `eh-status-${employeeIds.reporter}`)).toBe('已上报');
    expect(await page.locator(tid(`eh-select-${employeeIds.reporter}`)).isDisabled()).toBe(true);
    expect(await page.locator(tid(`eh-remind-${employeeIds.reporter}`)).count()).toBe(0);
    await page.click(tid(`eh-select-${employeeIds.silentA}`));
    await page.click(tid(`eh-select-${employeeIds.silentB}`));
    await page.click(tid('eh-batch-remind'));
    await toast(page, '提醒成功');
    expect(await ctx.deps.db.models.Message.count({ where: { kind: 'reminder', senderOrganisationId: ent.organisationId } })).toBe(2);
  });

  it('企业服务点管理: adds a point and downloads its PNG poster, whose QR is the point\'s token', async () => {
    const { page, ctx } = e;
    await page.click(tid('menu-service-points'));
    await page.click(tid('sp-add'));
    await fill(page, 'sp-form-name', '单位食堂');
    await fill(page, 'sp-form-address', '五一路 1 号');
    await page.click(tid('sp-form-area'));
    for (const name of ['福建省', '福州市', '鼓楼区']) await page.locator('.ant-cascader-menu-item').filter({ hasText: name }).first().click();
    await page.click(tid('sp-form-type'));
    await page.locator('.ant-select-item-option[title="食堂"]').click();
    await page.click(tid('sp-form-submit'));
    await expect.poll(() => text(page, 'sp-total')).toBe('共 1 条');
    pointId = Number((await ctx.deps.db.models.ServicePoint.findOne({ where: { organisationId: ent.organisationId } }))!.get('id'));
    expect(await text(page, `sp-name-${pointId}`)).toBe('单位食堂');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid(`sp-png-${pointId}`))]);
    expect(download.suggestedFilename()).toBe('单位食堂-服务点健康码.png');
    const png = PNG.sync.read(readFileSync((await download.path())!));
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(qr?.data).toBeTruthy();
    pointToken = qr!.data;
    const visitor = await citizenWithCode(ctx, '13633334444', residentId('350102', '19900101', 701), '周访客');
    const pg = await ctx.http.get(`/api/v1/app/service-points/by-token?token=${encodeURIComponent(pointToken)}`).set(visitor.bearer);
    expect(pg.status, JSON.stringify(pg.body)).toBe(200);
    expect(pg.body.servicePoint.name).toBe('单位食堂');
  });

  it('人流预警管理: configures the point, and the live card turns 预警 after two registrations', async () => {
    const { page, ctx } = e;
    await page.click(tid('menu-flow-warnings'));
    await page.click(tid(`cf-configure-${pointId}`));
    await fill(page, 'cf-form-capacity', '3');
    await fill(page, 'cf-form-warning', '4');
    await page.click(tid('cf-form-submit'));
    await page.getByText('预警线人数不能大于人流上限数量').first().waitFor();
    await fill(page, 'cf-form-warning', '2');
    await page.click(tid('cf-form-submit'));
    await expect.poll(() => text(page, `cf-capacity-${pointId}`)).toBe('3');
    await expect.poll(() => text(page, `cf-card-state-${pointId}`)).toBe('正常');
    for (const [phone, id, name] of [
      ['13644445555', residentId('350102', '19910101', 801), '吴一'],
      ['13655556666', residentId('350102', '19920101', 802), '郑二'],
    ] as const) {
      const c = await citizenWithCode(ctx, phone, id, name);
      const r = await ctx.http.post('/api/v1/app/registrations').set(c.bearer).send({ token: pointToken, holder: 'self', symptoms: ['none'] });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    // the cards poll every 5 s
    await expect.poll(() => text(page, `cf-card-state-${pointId}`), { timeout: 15_000 }).toBe('预警');
    expect(await text(page, `cf-card-current-${pointId}`)).toBe('2');
  });
});
