// Browser test of the scanner staff (扫码员) side of the H5 app (issue 4, F1–F6): a fresh sub-account signs in
// on its initial password and must change it, reports its scan point (county through the picker, location
// from the browser), identifies person A by the typed 12-digit number (人工输入), is refused the camera by
// headless Chromium and falls back to uploading a PNG of person B's QR, sees B's 14-day area warning
// (零星散发疫情区), submits feedback and sees it under 近期扫码记录.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// qrcode-generator is a dependency of the mini-program (it draws the citizen's QR the same way).
import qrcode from '../../miniapp/node_modules/qrcode-generator';
import { residentId } from '../../server/test/helpers/people';
import { codeTokenFor, createStaff, personWithCode, scanRecordAt, setAreaLevel } from '../../server/test/helpers/staff';
import { startE2E, type E2E } from '../helpers/browser';

let e: E2E;
beforeAll(async () => {
  e = await startE2E(new Date().toISOString());
});
afterAll(() => e?.close());

const tid = (id: string) => `[data-testid="${id}"]`;

async function fill(id: string, value: string) {
  const inner = e.page.locator(`${tid(id)} input, input${tid(id)}, ${tid(id)} textarea`).first();
  await inner.fill(value);
}

async function text(id: string): Promise<string> {
  await e.page.waitForSelector(tid(id));
  return (await e.page.textContent(tid(id))) ?? '';
}

/**
 * 继续扫码 back to the home page, then let Taro H5's page transition (~300 ms) finish: navigating again while
 * the previous page is still sliding out leaves the router's stack inconsistent (a Taro H5 quirk; a person
 * never scans again that fast).
 */
async function backToHome() {
  await e.page.click(tid('result-back'));
  await e.page.waitForSelector(tid('point-summary'));
  await e.page.waitForTimeout(600);
}

/** Opens a picker by tapping `target` and confirms its first option. */
async function confirmFirst(target: string) {
  await e.page.locator(target).click();
  await e.page.locator('.weui-picker__action:visible').filter({ hasText: '确定' }).click();
  await e.page.locator('.weui-picker__action:visible').first().waitFor({ state: 'hidden' });
}

/** Confirms the first option of each level of the area picker (province → city → county; municipalities have two). */
async function pickFirstArea(id: string) {
  for (let level = 0; level < 3; level++) {
    const column = `${tid(id)} ${tid(`${id}-level-${level}`)}`;
    if (level > 0 && !(await e.page.locator(column).count())) break;
    await confirmFirst(column);
  }
}

/** The QR of `data` as grey levels (0 dark, 255 light), drawn like the code page draws it (error correction Q, byte mode). */
function qrPixels(data: string, width: number, height: number): Uint8Array {
  const qr = qrcode(0, 'Q');
  qr.addData(data, 'Byte');
  qr.make();
  const margin = 4;
  const n = qr.getModuleCount();
  const cell = Math.max(1, Math.min(8, Math.floor(Math.min(width, height) / (n + margin * 2))));
  const left = Math.floor((width - n * cell) / 2);
  const top = Math.floor((height - n * cell) / 2);
  const out = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < n * cell; y++) {
    for (let x = 0; x < n * cell; x++) {
      if (qr.isDark(Math.floor(y / cell), Math.floor(x / cell))) out[(top + y) * width + left + x] = 0;
    }
  }
  return out;
}

/** A PNG file of the QR of `data`. */
function qrPng(data: string, file: string): string {
  const size = 480;
  const grey = qrPixels(data, size, size);
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < grey.length; i++) {
    png.data[i * 4] = png.data[i * 4 + 1] = png.data[i * 4 + 2] = grey[i];
    png.data[i * 4 + 3] = 255;
  }
  writeFileSync(file, PNG.sync.write(png));
  return file;
}

/** A Y4M video of the QR of `data`, for Chromium's fake camera (--use-file-for-fake-video-capture). */
function qrY4m(data: string, file: string): string {
  const [w, h] = [640, 480];
  const y = qrPixels(data, w, h);
  const chroma = Buffer.alloc((w / 2) * (h / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), Buffer.from(y), chroma]);
  const frames = Array.from({ length: 5 }, () => frame);
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`), ...frames]));
  return file;
}

describe('Scanner staff H5', () => {
  const phone = '13900002222';
  const initialPassword = 'Init2026pass';
  const newPassword = 'Scan2026ok';
  const policy = '从该区无确诊病例的乡镇（街道）“点对点”前往其他区域务工的人员，实行监督性医学观察';
  let staff: Awaited<ReturnType<typeof createStaff>>;
  let personA: Awaited<ReturnType<typeof personWithCode>>;
  let personB: Awaited<ReturnType<typeof personWithCode>>;

  beforeAll(async () => {
    staff = await createStaff(e.ctx, { phone, password: initialPassword, mustChangePassword: true, orgKind: 'government' });
    personA = await personWithCode(e.ctx, { idNumber: residentId('350102', '19850615', 611), name: '王小斌' });
    personB = await personWithCode(e.ctx, { idNumber: residentId('350102', '19700301', 612), name: '林大海' });
    // B passed a scan point in 厦门市思明区 three days ago; that county is now a sporadic-case area.
    await setAreaLevel(e.ctx, '350203', 'sporadic', policy);
    await scanRecordAt(e.ctx, { personId: personB.personId, organisationId: staff.organisationId, areaCode: '350203', at: new Date(Date.now() - 3 * 86_400_000), pointName: '思明区某小区北门' });
  });

  it('signs in from the citizen page on the initial password and must change it first', async () => {
    await e.page.goto(`${e.base}/h5/`);
    await e.page.click(tid('to-staff-login'));
    await fill('staff-phone', phone);
    await fill('staff-password', 'Wrong2026pass');
    await e.page.click(tid('staff-login-submit'));
    expect(await text('staff-login-error')).not.toBe('');
    await fill('staff-password', initialPassword);
    await e.page.click(tid('staff-login-submit'));

    expect(await text('password-forced')).toContain('首次登录请先修改初始密码');
    await fill('password-current', initialPassword);
    await fill('password-new', newPassword);
    await fill('password-confirm', newPassword);
    await e.page.click(tid('password-submit'));
    await e.page.waitForSelector(tid('point-page'));
  });

  it('reports the scan point with the county picker and the browser location', async () => {
    await e.browser.grantPermissions(['geolocation'], { origin: e.base });
    await e.browser.setGeolocation({ latitude: 26.07451, longitude: 119.29649 });
    await fill('point-community', '东街社区');
    await fill('point-name', '东门检测点');
    await pickFirstArea('point-area');
    await e.page.click(tid('point-locate'));
    await e.page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="point-location"]');
      const input = el instanceof HTMLInputElement ? el : el?.querySelector('input');
      return input?.value === '北纬26.0745° 东经119.2965°';
    });
    await e.page.click(tid('point-submit'));
    expect(await text('home-tip')).toContain('对于60周岁以上老年人可通过使用身份证OCR识别方式查看');
    expect(await text('point-summary-name')).toBe('东街社区 · 东门检测点');
  });

  it('identifies person A by the typed 12-digit number, marked 人工输入', async () => {
    await fill('code-number-input', personA.codeNumber.slice(0, 11));
    await e.page.click(tid('code-number-query'));
    expect(await text('code-number-error')).toContain('12位数字');
    await fill('code-number-input', personA.codeNumber);
    await e.page.click(tid('code-number-query'));
    expect(await text('method-tag')).toBe('人工输入');
    expect(await text('result-colour')).toContain('绿码');
    expect(await text('result-name')).toContain('斌');
    expect(await text('result-name')).not.toContain('王小斌');
    expect(await e.page.locator(tid('area-warning')).count()).toBe(0);
    await backToHome();
  });

  it('without a camera says so, and identifies person B from an uploaded QR image with the 14-day area warning', async () => {
    await e.page.click(tid('open-scanner'));
    expect(await text('camera-problem')).toContain('上传二维码图片');

    const token = await codeTokenFor(e.ctx, personB.personId);
    const file = qrPng(token, path.join(mkdtempSync(path.join(tmpdir(), 'bamin-qr-')), 'b.png'));
    await e.page.setInputFiles(tid('qr-upload-input'), file);

    await e.page.waitForSelector(tid('result-person'));
    expect(await e.page.locator(tid('method-tag')).count()).toBe(0);
    expect(await text('result-colour')).toContain('绿码');
    expect(await text('area-warning-text')).toContain('14天内去过的最严重地区是在 厦门市思明区，目前该地区为零星散发疫情区');
    expect(await text('area-warning-level')).toBe('零星散发疫情区');
    expect(await text('area-policy')).toBe(`疫情区防控策略：零星散发疫情区-${policy}`);
    // Newest first: this scan (未反馈), then the one in 思明区.
    const records = e.page.locator(tid('scan-record'));
    expect(await records.count()).toBeGreaterThanOrEqual(2);
    expect(await records.first().locator(tid('record-temperature')).textContent()).toBe('未反馈');
  });

  it('submits feedback (工作, 体温正常) and sees it under 近期扫码记录', async () => {
    await e.page.click(tid('feedback-open'));
    expect(await text('feedback-warning')).toBe('⚠ 请务必如实反馈每一个人员情况');
    await confirmFirst(tid('feedback-reason-value'));
    await confirmFirst(tid('feedback-temperature-result-value'));
    expect(await text('feedback-reason-value')).toBe('工作');
    expect(await text('feedback-temperature-result-value')).toBe('体温正常');
    await fill('feedback-temperature', '36.6');
    await e.page.click(tid('feedback-submit'));

    await e.page.waitForSelector(tid('result-person'));
    const first = e.page.locator(tid('scan-record')).first();
    await e.page.waitForFunction(() => document.querySelector('[data-testid="scan-record"] [data-testid="record-reason"]')?.textContent === '工作');
    expect(await first.locator(tid('record-temperature')).textContent()).toContain('体温正常');
    expect(await first.locator(tid('record-reason')).textContent()).toBe('工作');
    // the record written at identification was completed, not duplicated
    const rows = await e.ctx.deps.db.models.ScanRecord.findAll({ where: { personId: personB.personId, scannerAccountId: staff.accountId }, raw: true });
    expect(rows).toMatchObject([{ method: 'camera', passReason: 'work', temperatureResult: 'normal', temperatureTenths: 366 }]);
  });

  it('checks a scanned token on the device when the network is down (H1), and refuses a forged one', async () => {
    await backToHome();
    const dir = mkdtempSync(path.join(tmpdir(), 'bamin-qr-'));
    const token = await codeTokenFor(e.ctx, personB.personId);
    // The same token with the colour byte changed: the signature no longer matches.
    const bytes = Buffer.from(token, 'base64url');
    bytes[11] = bytes[11] === 1 ? 2 : 1;
    const forged = bytes.toString('base64url');
    await e.page.route('**/api/v1/staff/scans', (route) => route.abort('internetdisconnected'));
    try {
      await e.page.setInputFiles(tid('qr-upload-input'), qrPng(token, path.join(dir, 'b.png')));
      expect(await text('offline-notice')).toBe('网络不可用，已离线核验签名：颜色为二维码生成时的状态，可能不是最新；本次未生成扫码记录');
      expect(await e.page.getAttribute(tid('result-colour'), 'data-colour')).toBe('green');
      expect(await text('offline-code-number')).toBe(personB.codeNumber);
      await backToHome();
      await e.page.setInputFiles(tid('qr-upload-input'), qrPng(forged, path.join(dir, 'forged.png')));
      expect(await e.page.getAttribute(tid('scan-refusal'), 'data-code')).toBe('TOKEN_BAD_SIGNATURE');
      expect(await e.page.locator(tid('result-colour')).count()).toBe(0);
      await backToHome();
    } finally {
      await e.page.unroute('**/api/v1/staff/scans');
    }
  });

  it('scans person A with the camera view (a fake camera showing the QR) in H5', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bamin-cam-'));
    const video = qrY4m(await codeTokenFor(e.ctx, personA.personId), path.join(dir, 'qr.y4m'));
    const cam = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 414, height: 896 },
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    });
    try {
      const page = cam.pages()[0] ?? (await cam.newPage());
      await page.goto(`${e.base}/h5/#/pages/staff/login/index`);
      await page.locator(`${tid('staff-phone')} input, input${tid('staff-phone')}`).first().fill(phone);
      await page.locator(`${tid('staff-password')} input, input${tid('staff-password')}`).first().fill(newPassword);
      await page.click(tid('staff-login-submit'));
      await page.waitForSelector(tid('point-summary'));
      await page.click(tid('open-scanner'));
      await page.waitForSelector(tid('camera-view'));
      await page.waitForSelector(tid('result-person'), { timeout: 20_000 });
      expect(await page.locator(tid('method-tag')).count()).toBe(0);
      expect(await page.textContent(tid('result-colour'))).toContain('绿码');
      expect(await page.locator(tid('camera-view')).count()).toBe(0);
    } finally {
      await cam.close();
    }
  });
});
