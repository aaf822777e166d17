// Browser test of 入闽申报 and 申诉纠错 in the H5 app (B1, H6; manual 二): a Fujian resident with a code
// declares arriving from 北京市 today; the server asks the stand-in national platform (its own process) for
// the origin pass, a yellow one, and the code page shows 来源地健康通行码：北京市 黄码 with the code turned
// orange for 跨省互认; then the citizen disputes the origin pass, which is forwarded to the platform.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenWithCode, residentId } from '../../server/test/helpers/citizen';
import { startNationalStandIn, type RunningStandIn } from '../../server/test/helpers/national';
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

/** Taro H5's showModal: checks its text and taps its confirm button. */
async function confirmModal(contains: string) {
  const modal = e.page.locator('.taro-modal__content:visible');
  await modal.waitFor();
  expect(await modal.locator('.taro-modal__text').textContent()).toContain(contains);
  await modal.locator('.taro-model__confirm').click();
}

describe('H5 / 入闽申报 and 申诉纠错', () => {
  const idNumber = residentId('110105', '19870303', 321);
  let passId = '';

  beforeAll(async () => {
    const { token } = await citizenWithCode(e.ctx, '13800136001', idNumber, '赵入闽');
    passId = (await standIn.control.seedPass({ name: '赵入闽', idNumber, provinceCode: '110000', colour: 'yellow' })).pass.passId;
    await e.page.goto(`${e.base}/api/health`);
    await e.page.evaluate((t) => localStorage.setItem('bamin.sessionToken', JSON.stringify({ data: t })), token);
    await e.page.goto(`${e.base}/h5/#/pages/code/index`);
    await e.page.reload();
  });

  it('declares arriving from 北京市 today and sees the yellow origin pass merged into an orange code', async () => {
    await e.page.waitForSelector(tid('code-number'));
    expect(await e.page.locator(tid('origin')).count()).toBe(0);
    await e.page.click(tid('arrival-link'));
    await e.page.waitForSelector(tid('arrival-list-empty'));
    // the first province offered (福建省 is not among them)
    await e.page.click(tid('arrival-province-value'));
    const options = await e.page.locator('.weui-picker__item:visible').allTextContents();
    expect(options).not.toContain('福建省');
    await e.page.locator('.weui-picker__action:visible').filter({ hasText: '确定' }).click();
    expect(await text('arrival-province-value')).toBe('北京市');
    await e.page.click(tid('arrival-submit'));
    await confirmModal('出发地：北京市');

    await e.page.waitForSelector(tid('origin-text'));
    await e.page.waitForFunction(() => document.querySelector('[data-testid="origin-text"]')?.textContent === '来源地健康通行码：北京市 黄码');
    expect(await e.page.getAttribute(tid('origin-text'), 'data-colour')).toBe('yellow');
    expect(await text('code-colour')).toContain('橙码');
    expect(await text('reasons')).toContain('跨省互认：来源地健康码非绿码');
  });

  it('disputes the origin pass: confirmed, forwarded to the national platform, listed as 已转国家平台', async () => {
    await e.page.click(tid('correction-link'));
    await e.page.waitForSelector(tid('correction-list-empty'));
    expect(await text('correction-kind')).toBe('本省健康码来源地健康通行码');
    await e.page.click(tid('correction-kind-origin'));
    expect(await text('correction-origin')).toBe('来源地健康通行码：北京市 黄码');
    await e.page.locator(`${tid('correction-reason')} textarea, textarea${tid('correction-reason')}`).first().fill('离京前核酸检测阴性，黄码有误');
    expect(await text('correction-count')).toBe('14/500');
    await e.page.click(tid('correction-submit'));
    await confirmModal('转国家政务服务平台');
    await e.page.waitForSelector(tid('correction-item'));
    expect(await text('correction-item-kind')).toBe('来源地健康通行码');
    expect(await text('correction-item-status')).toBe('已转国家平台');
    const forwarded = await standIn.control.corrections();
    expect(forwarded).toEqual([expect.objectContaining({ passId })]);
  });
});
