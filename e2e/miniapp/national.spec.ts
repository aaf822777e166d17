// Browser test of the national 防疫健康信息码 at the scan point (B2; manual 二(三)2(2)): the stand-in national
// platform runs as its own process and shows a yellow 广东 pass's code on its page, as the holder's phone
// would; a second Chromium page screenshots that QR, and the scanner's H5 page reads the picture through the
// image upload (headless Chromium has no camera). The server verifies it with the platform (验码) and records
// the scan as national; then, with the network cut, the same picture is checked on the device against the
// platform's keys cached by the home page.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNationalStandIn, type RunningStandIn } from '../../server/test/helpers/national';
import { residentId } from '../../server/test/helpers/people';
import { staffAtPoint } from '../../server/test/helpers/staff';
import { startE2E, type E2E } from '../helpers/browser';

let standIn: RunningStandIn;
let e: E2E;
beforeAll(async () => {
  standIn = await startNationalStandIn();
  e = await startE2E(new Date().toISOString(), { url: standIn.base, keysDir: standIn.dir });
});
afterAll(async () => {
  await e?.close();
  await standIn?.close();
});

const tid = (id: string) => `[data-testid="${id}"]`;

async function text(id: string): Promise<string> {
  await e.page.waitForSelector(tid(id));
  return (await e.page.textContent(tid(id))) ?? '';
}

describe('Scanner H5 / national 防疫健康信息码', () => {
  let staff: Awaited<ReturnType<typeof staffAtPoint>>;
  let qrFile: string;
  let passId: string;
  const idNumber = residentId('440106', '19880512', 231);

  beforeAll(async () => {
    staff = await staffAtPoint(e.ctx);
    const seeded = await standIn.control.seedPass({ name: '陈粤明', idNumber, provinceCode: '440000', colour: 'yellow' });
    passId = seeded.pass.passId;
    // The holder's phone: the stand-in's page of the pass, in a second page of the browser.
    const phone = await e.browser.newPage();
    try {
      await phone.goto(`${standIn.base}/code/${encodeURIComponent(passId)}`);
      const qr = phone.locator(tid('national-qr'));
      await qr.waitFor();
      qrFile = path.join(mkdtempSync(path.join(tmpdir(), 'bamin-nhc-')), 'national.png');
      await qr.screenshot({ path: qrFile });
    } finally {
      await phone.close();
    }
  });

  it('signs in and caches the national platform keys on the home page', async () => {
    await e.page.goto(`${e.base}/h5/#/pages/staff/login/index`);
    await e.page.locator(`${tid('staff-phone')} input, input${tid('staff-phone')}`).first().fill(staff.phone);
    await e.page.locator(`${tid('staff-password')} input, input${tid('staff-password')}`).first().fill(staff.password);
    await e.page.click(tid('staff-login-submit'));
    await e.page.waitForSelector(tid('point-summary'));
    // the key set is in local storage before the scan (Taro H5 storage keeps JSON under the key)
    await e.page.waitForFunction(() => (localStorage.getItem('bamin.nationalKeys') ?? '').includes('keyId'));
  });

  it('reads the uploaded QR picture and shows 防疫健康信息码 · 来源地 广东省 · 黄码 with the Bamin colour 橙码', async () => {
    await e.page.setInputFiles(tid('qr-upload-input'), qrFile);
    await e.page.waitForSelector(tid('result-person'));
    expect(await text('result-national')).toBe('防疫健康信息码 · 来源地 广东省 · 黄码');
    expect(await text('result-national-province')).toBe('广东省');
    expect(await text('result-national-colour')).toBe('黄码');
    expect(await e.page.getAttribute(tid('result-national'), 'data-colour')).toBe('yellow');
    expect(await text('result-colour')).toContain('橙码');
    expect(await e.page.getAttribute(tid('result-colour'), 'data-colour')).toBe('orange');
    // masked as every result: not the full name
    expect(await text('result-name')).not.toContain('陈粤明');

    const rows = await e.ctx.deps.db.models.ScanRecord.findAll({ where: { scannerAccountId: staff.accountId }, raw: true });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ codeSource: 'national', originProvince: '440000', originColour: 'yellow', colour: 'orange' });
  });

  it('with the network cut, checks the same picture on the device against the cached platform keys', async () => {
    await e.page.click(tid('result-back'));
    await e.page.waitForSelector(tid('point-summary'));
    await e.page.waitForTimeout(600); // Taro H5's page transition (see scanner.spec.ts)
    await e.page.route('**/api/v1/staff/scans', (route) => route.abort('internetdisconnected'));
    try {
      await e.page.setInputFiles(tid('qr-upload-input'), qrFile);
      expect(await text('offline-notice')).toBe('网络不可用，已离线核验签名：颜色为二维码生成时的状态，可能不是最新；本次未生成扫码记录');
      expect(await text('result-national')).toBe('防疫健康信息码 · 来源地 广东省 · 黄码（生成时）');
      expect(await text('offline-name')).not.toBe('');
      expect(await text('offline-name')).not.toContain('陈粤明');
      expect(await text('offline-id')).not.toContain(idNumber);
      expect(await text('offline-id')).not.toBe('');
    } finally {
      await e.page.unroute('**/api/v1/staff/scans');
    }
    // nothing recorded offline
    expect(await e.ctx.deps.db.models.ScanRecord.count({ where: { scannerAccountId: staff.accountId } })).toBe(1);
  });
});
