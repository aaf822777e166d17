// Browser test of the printed code card (健康码卡片, H4; issue 11) in the H5 app: a citizen opens 打印健康码卡片
// from the code page and issues a card; its PNG preview's QR, read back out of a screenshot, is a card token the
// published keys verify. The person turns orange (a fever-clinic visit imported); a scanner staff member uploads
// that screenshot and sees 橙码 with the card marker, then with the network cut sees only the card's validity
// and the warning that the colour is unknown. The citizen revokes the card (confirmed in the dialog) and the
// scanner is refused: 该健康码卡片已作废.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { base64UrlDecode, checkToken } from '@bamin/common';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeEd25519Verify } from '../../server/src/domain/codeTokens';
import { residentId } from '../../server/test/helpers/people';
import { staffAtPoint } from '../../server/test/helpers/staff';
import { startE2E, type E2E } from '../helpers/browser';

let e: E2E;
let staffPage: Page;
beforeAll(async () => {
  e = await startE2E(new Date().toISOString());
  staffPage = await e.browser.newPage();
});
afterAll(() => e?.close());

const tid = (id: string) => `[data-testid="${id}"]`;

async function fill(page: Page, id: string, value: string) {
  await page.locator(`${tid(id)} input, input${tid(id)}, ${tid(id)} textarea`).first().fill(value);
}

async function smsCodeFor(phone: string): Promise<string> {
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`${e.base}/api/dev/sms-outbox`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ phone }) });
    const body = (await res.json()) as { messages: { text: string }[] };
    const code = body.messages[0] && /\d{6}/.exec(body.messages[0].text)?.[0];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no SMS code');
}

/** Taro H5's showModal: checks its text and taps its confirm button. */
async function confirmModal(page: Page, contains: string) {
  const modal = page.locator('.taro-modal__content:visible');
  await modal.waitFor();
  expect(await modal.locator('.taro-modal__text').textContent()).toContain(contains);
  await modal.locator('.taro-model__confirm').click();
}

/** The scanner's upload of a QR picture, then the result page. */
async function uploadAtScanner(file: string) {
  await staffPage.waitForSelector(tid('point-summary'));
  await staffPage.waitForTimeout(600); // Taro H5's page transition back home
  await staffPage.setInputFiles(tid('qr-upload-input'), file);
  await staffPage.waitForSelector(tid('result-page'));
}

async function backHome() {
  await staffPage.click(tid('result-back'));
}

describe('Citizen H5 / 健康码卡片 and the scanner', () => {
  const phone = '13500001111';
  const idNumber = residentId('350102', '19450101', 801);
  let shot: string;
  let staff: Awaited<ReturnType<typeof staffAtPoint>>;

  beforeAll(async () => {
    staff = await staffAtPoint(e.ctx);
  });

  it('signs in and opens 打印健康码卡片 from the code page', async () => {
    await e.page.goto(`${e.base}/h5/`);
    await fill(e.page, 'login-phone', phone);
    await e.page.click(tid('login-send-code'));
    await fill(e.page, 'login-code', await smsCodeFor(phone));
    await e.page.click(tid('login-submit'));
    await fill(e.page, 'l4-name', '陈阿婆');
    await fill(e.page, 'l4-id-number', idNumber);
    await e.page.click(tid('l4-submit'));
    await e.page.click(tid('face-confirm'));
    for (let level = 0; level < 3; level++) {
      const column = e.page.locator(`${tid('residence-area')} ${tid(`residence-area-level-${level}`)}`);
      if (level > 0 && !(await column.count())) break;
      await column.click();
      await e.page.locator('.weui-picker__action:visible').filter({ hasText: '确定' }).click();
      await e.page.locator('.weui-picker__action:visible').first().waitFor({ state: 'hidden' });
    }
    await fill(e.page, 'residence-address', '五一路 8 号');
    await e.page.click(tid('profile-submit'));
    await e.page.click(tid('generate-code'));
    await e.page.waitForSelector(tid('code-number'));

    await e.page.click(tid('card-link'));
    await e.page.waitForSelector(tid('card-none'));
    expect(await e.page.textContent(tid('card-intro'))).toContain('本卡不显示健康码颜色，以扫码核验结果为准');
  });

  it('issues a card whose preview carries a card token the published keys verify', async () => {
    await e.page.click(tid('card-issue'));
    const preview = e.page.locator(tid('card-preview'));
    await preview.waitFor();
    await e.page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="card-preview"] img, img[data-testid="card-preview"]') as HTMLImageElement | null;
      return !!img && img.complete && img.naturalWidth > 0;
    });
    expect(await e.page.textContent(tid('card-name'))).toBe('**婆');
    expect(await e.page.textContent(tid('card-validity'))).toMatch(/^有效期至 \d{4}-\d{2}-\d{2}$/);

    const png = await preview.screenshot();
    const image = PNG.sync.read(png);
    const qr = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(qr).not.toBeNull();
    const keys = (await (await fetch(`${e.base}/api/v1/codes/keys`)).json()) as { keys: { keyId: string; publicKey: string }[] };
    const checked = checkToken(qr!.data, Object.fromEntries(keys.keys.map((k) => [k.keyId, base64UrlDecode(k.publicKey)!])), Math.floor(Date.now() / 1000), nodeEd25519Verify);
    expect(checked.ok && checked.payload).toMatchObject({ kind: 'card', colour: null });
    shot = path.join(mkdtempSync(path.join(tmpdir(), 'bamin-card-')), 'card.png');
    writeFileSync(shot, png);
  });

  it('the scanner uploads the screenshot and sees the current colour (橙码 after an import) with the card marker', async () => {
    const body = `id_type,id_number,name,hospital,visited_at\nresident_id,${idNumber},陈阿婆,福建省立医院,${new Date().toISOString()}\n`;
    const res = await fetch(`${e.base}/api/v1/sources/fever-clinic-visits`, { method: 'POST', headers: { Authorization: `Bearer ${e.ctx.sourceToken}`, 'Content-Type': 'text/csv' }, body });
    expect(res.status).toBe(200);

    await staffPage.goto(`${e.base}/h5/#/pages/staff/login/index`);
    await fill(staffPage, 'staff-phone', staff.phone);
    await fill(staffPage, 'staff-password', staff.password);
    await staffPage.click(tid('staff-login-submit'));
    await uploadAtScanner(shot);
    await staffPage.waitForSelector(tid('result-person'));
    expect(await staffPage.textContent(tid('result-colour'))).toContain('橙码');
    expect(await staffPage.textContent(tid('result-card'))).toMatch(/^健康码卡片 · 有效期至 \d{4}-\d{2}-\d{2}$/);
    expect(await staffPage.textContent(tid('result-name'))).toBe('**婆');
    await backHome();
  });

  it('offline, the scanner shows the card validity and the warning, never a colour, and records nothing', async () => {
    const before = await e.ctx.deps.db.models.ScanRecord.count();
    await staffPage.route('**/api/v1/staff/scans', (route) => route.abort('internetdisconnected'));
    try {
      await uploadAtScanner(shot);
      await staffPage.waitForSelector(tid('offline-card-warning'));
      expect(await staffPage.textContent(tid('offline-card-warning'))).toContain('离线核验：无法确认当前健康码颜色，请联网后复核');
      expect(await staffPage.textContent(tid('offline-card-validity'))).toMatch(/^卡片有效期至 \d{4}-\d{2}-\d{2}$/);
      expect(await staffPage.locator(tid('result-colour')).count()).toBe(0);
      expect(await staffPage.textContent(tid('result-page'))).not.toMatch(/绿码|橙码/);
      await backHome();
    } finally {
      await staffPage.unroute('**/api/v1/staff/scans');
    }
    expect(await e.ctx.deps.db.models.ScanRecord.count()).toBe(before);
  });

  it('the citizen revokes the card (confirmed) and the scanner is refused: 已作废', async () => {
    await e.page.click(tid('card-revoke'));
    await confirmModal(e.page, '作废后该卡片立即失效');
    await e.page.waitForSelector(tid('card-none'));
    expect(await e.page.textContent(tid('card-item-status'))).toBe('已作废');

    await uploadAtScanner(shot);
    expect(await staffPage.getAttribute(tid('scan-refusal'), 'data-code')).toBe('CARD_REVOKED');
    expect(await staffPage.textContent(tid('scan-refusal-message'))).toContain('该健康码卡片已作废');
    expect(await staffPage.locator(tid('result-colour')).count()).toBe(0);
  });
});
