// Browser test of 健康上报 (A8) and 站内消息 (A9), issue 6: a citizen reports a fever with 其他症状 for
// themself and sees it in the history; a reminder written for them shows on the code page as an unread
// badge, and opening it marks it read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentId } from '../../server/test/helpers/people';
import { startE2E, type E2E } from '../helpers/browser';

let e: E2E;
beforeAll(async () => {
  e = await startE2E(new Date().toISOString());
});
afterAll(() => e?.close());

const tid = (id: string) => `[data-testid="${id}"]`;
const text = async (id: string) => ((await e.page.textContent(tid(id))) ?? '').trim();

async function fill(id: string, value: string) {
  const inner = e.page.locator(`${tid(id)} input, input${tid(id)}, ${tid(id)} textarea`).first();
  await inner.fill(value);
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

/** Confirms the first option of each level of the area picker (province → city → county; municipalities have two). */
async function pickFirst(id: string) {
  for (let level = 0; level < 3; level++) {
    const column = e.page.locator(`${tid(id)} ${tid(`${id}-level-${level}`)}`);
    if (level > 0 && !(await column.count())) break;
    await column.click();
    await e.page.locator('.weui-picker__action:visible').filter({ hasText: '确定' }).click();
    await e.page.locator('.weui-picker__action:visible').first().waitFor({ state: 'hidden' });
  }
}

describe('Citizen H5 / health report and messages', () => {
  const phone = '13700004444';
  let codeNumber = '';

  it('signs in, passes L4 and gets a code', async () => {
    await e.page.goto(`${e.base}/h5/`);
    await fill('login-phone', phone);
    await e.page.click(tid('login-send-code'));
    await fill('login-code', await smsCodeFor(phone));
    await e.page.click(tid('login-submit'));
    await fill('l4-name', '林芳');
    await fill('l4-id-number', residentId('350102', '19850505', 601));
    await e.page.click(tid('l4-submit'));
    await e.page.click(tid('face-confirm'));
    await pickFirst('residence-area');
    await fill('residence-address', '五一路 2 号');
    await e.page.click(tid('profile-submit'));
    await e.page.click(tid('generate-code'));
    await e.page.waitForSelector(tid('code-number'));
    codeNumber = (await text('code-number')).replace(/\D/g, '');
    expect(codeNumber).toMatch(/^\d{12}$/);
    expect(await text('app-entries')).toContain('健康上报');
    expect(await e.page.locator(tid('unread-badge')).count()).toBe(0);
  });

  it('submits a report with 发热 and 其他症状 and sees it in the history', async () => {
    await e.browser.grantPermissions(['geolocation'], { origin: e.base });
    await e.browser.setGeolocation({ latitude: 26.07451, longitude: 119.29649 });
    await e.page.click(tid('entry-report'));
    await e.page.waitForSelector(tid('report-history-empty'));
    expect(await text('report-holder')).toContain('本人');

    // Nothing filled: the form says what is missing and sends nothing.
    await e.page.click(tid('report-submit'));
    expect(await text('error-temperature')).toBe('请填写体温');
    expect(await text('error-symptoms')).toBe('请选择是否有以下症状');

    await fill('report-temperature', '42.5');
    await e.page.click(tid('report-symptom-none'));
    await e.page.click(tid('report-symptom-fever'));
    await e.page.click(tid('report-symptom-other'));
    expect(await e.page.locator(`${tid('report-symptom-none')}.chip-on`).count()).toBe(0);
    await pickFirst('report-area');
    await e.page.click(tid('report-locate'));
    await e.page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="report-location"]');
      const input = el instanceof HTMLInputElement ? el : el?.querySelector('input');
      return input?.value === '北纬26.0745° 东经119.2965°';
    });
    await e.page.click(tid('report-submit'));
    expect(await text('error-temperature')).toBe('体温应在 35.0–42.0 ℃ 之间');
    expect(await text('error-otherSymptom')).toBe('请填写其他症状');

    await fill('report-temperature', '38.2');
    await fill('report-other-symptom', '头痛');
    await e.page.click(tid('report-submit'));
    await e.page.waitForSelector(tid('report-item'));
    const item = await text('report-item');
    expect(item).toContain('本人上报');
    expect(item).toContain('体温：38.2℃');
    expect(item).toContain('症状：发热、其他症状（头痛）');
    expect(item).toContain('北纬26.0745° 东经119.2965°');
    expect(await e.page.locator(tid('report-item')).count()).toBe(1);

    const person = await e.ctx.deps.db.models.Person.findOne({ where: { codeNumber }, raw: true }) as unknown as { id: number };
    const rows = await e.ctx.deps.db.models.HealthReport.findAll({ where: { personId: person.id }, raw: true }) as unknown as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reportType: 'self', temperatureTenths: 382, symptoms: 'fever,other', otherSymptom: '头痛', location: '北纬26.0745° 东经119.2965°' });
  });

  it('shows a new message as an unread badge on the code page; opening it marks it read', async () => {
    const person = await e.ctx.deps.db.models.Person.findOne({ where: { codeNumber }, raw: true }) as unknown as { id: number };
    const message = await e.ctx.deps.db.models.Message.create({
      personId: person.id, kind: 'reminder', title: '健康上报提醒', body: '请及时完成今日健康上报', senderOrganisationId: null,
    });
    const id = Number(message.get('id'));

    await e.page.goto(`${e.base}/h5/#/pages/code/index`);
    await e.page.waitForSelector(tid('unread-badge'));
    expect(await text('unread-badge')).toBe('1');

    await e.page.click(tid('entry-messages'));
    await e.page.waitForSelector(tid(`message-${id}`));
    expect(await text('messages-unread')).toBe('1 条未读');
    expect(await text(`message-${id}-title`)).toBe('健康上报提醒');
    expect(await text(`message-${id}-body`)).toBe('请及时完成今日健康上报');
    expect(await text(`message-${id}-sender`)).toBe('系统通知');
    expect(await e.page.locator(tid(`message-${id}-dot`)).count()).toBe(1);

    await e.page.click(tid(`message-${id}`));
    await e.page.waitForSelector(tid(`message-${id}-dot`), { state: 'detached' });
    expect(await text('messages-unread')).toBe('全部已读');
    const row = await e.ctx.deps.db.models.Message.findByPk(id, { raw: true }) as unknown as { readAt: unknown };
    expect(row.readAt).not.toBeNull();

    // Back on the code page (shown again, not reloaded) the badge is gone.
    await e.page.goBack();
    await e.page.waitForSelector(tid('code-number'));
    await e.page.waitForSelector(tid('unread-badge'), { state: 'detached' });
  });
});
