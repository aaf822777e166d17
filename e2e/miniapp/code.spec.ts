// Browser test of the citizen H5 app (issue 3): sign in, pass L4, see a green code, read the QR back out of
// a screenshot and verify it against the published keys, apply for a parent and a child, switch codes,
// and see a family member's code turn orange with its reason after a fever-clinic visit is imported.
import { checkToken, base64UrlDecode } from '@bamin/common';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeEd25519Verify } from '../../server/src/domain/codeTokens';
import { residentId } from '../../server/test/helpers/people';
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

describe('Citizen H5 / code', () => {
  const phone = '13700001111';
  const self = residentId('350102', '19800101', 501);

  it('signs in with an SMS code, passes L4, fills the profile and sees a green code', async () => {
    await e.page.goto(`${e.base}/h5/`);
    await fill('login-phone', phone);
    await e.page.click(tid('login-send-code'));
    await fill('login-code', await smsCodeFor(phone));
    await e.page.click(tid('login-submit'));

    await fill('l4-name', '王斌');
    await fill('l4-id-number', self);
    await e.page.click(tid('l4-submit'));
    await e.page.click(tid('face-confirm'));

    await pickFirst('residence-area');
    await fill('residence-address', '五一路 1 号');
    await e.page.click(tid('profile-submit'));
    await e.page.click(tid('generate-code'));

    await e.page.waitForSelector(tid('code-number'));
    expect(await e.page.textContent(tid('code-colour'))).toContain('绿码');
    expect(await e.page.textContent(tid('whose'))).toContain('本人');
    for (const entry of ['疫情服务', '去乘车', '去买药', '为家人申领']) expect(await e.page.textContent(tid('entries'))).toContain(entry);
  });

  it('the QR on screen carries a token that verifies against the published keys', async () => {
    const shot = PNG.sync.read(await e.page.locator(tid('qr')).screenshot());
    const qr = jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height);
    expect(qr).not.toBeNull();
    const keys = (await (await fetch(`${e.base}/api/v1/codes/keys`)).json()) as { keys: { keyId: string; publicKey: string }[] };
    const checked = checkToken(qr!.data, Object.fromEntries(keys.keys.map((k) => [k.keyId, base64UrlDecode(k.publicKey)!])), Math.floor(Date.now() / 1000), nodeEd25519Verify);
    expect(checked.ok).toBe(true);
    const number = (await e.page.textContent(tid('code-number')))!.replace(/\D/g, '');
    expect(checked.ok && checked.payload).toMatchObject({ kind: 'code', subject: number, colour: 'green' });
  });

  const familyIds: Record<string, string> = {
    parent: residentId('350102', '19560101', 502),
    child: residentId('350102', '20150101', 503),
  };

  it.each([
    ['parent', '13700002222'],
    ['child', '13700003333'],
  ])('applies for a %s through the family form and lands on their code', async (relation, memberPhone) => {
    await e.page.goto(`${e.base}/h5/#/pages/code/index`);
    await e.page.click(tid('entry-family'));
    await e.page.click(tid(`family-relation-${relation}`));
    await fill('family-name', relation === 'parent' ? '王建国' : '王子涵');
    await e.page.click(tid('family-id-type-resident_id'));
    await fill('family-id-number', familyIds[relation]);
    await fill('family-phone', memberPhone);
    await e.page.click(tid('family-send-code'));
    await fill('family-sms-code', await smsCodeFor(memberPhone));
    for (const q of ['inFujian', 'leftFujianIn14Days', 'isolatedOrContactOrRecentlyDischarged', 'feverOrRespiratorySymptoms', 'otherAbnormalHealth']) {
      await e.page.click(tid(`family-q-${q}-${q === 'inFujian' ? 'yes' : 'no'}`));
    }
    await e.page.click(tid('family-commitment'));
    await e.page.click(tid('family-submit'));
    await e.page.waitForFunction((text) => document.querySelector('[data-testid="whose"]')?.textContent?.includes(text), relation === 'parent' ? '父母' : '子女');
    expect(await e.page.textContent(tid('code-colour'))).toContain('绿码');
  });

  it('switches between codes and shows an orange code with its reason after a fever-clinic visit is imported', async () => {
    const body = `id_type,id_number,name,hospital,visited_at\nresident_id,${familyIds.child},王子涵,福建省立医院,${new Date().toISOString()}\n`;
    const res = await fetch(`${e.base}/api/v1/sources/fever-clinic-visits`, { method: 'POST', headers: { Authorization: `Bearer ${e.ctx.sourceToken}`, 'Content-Type': 'text/csv' }, body });
    expect(res.status).toBe(200);
    await e.page.goto(`${e.base}/h5/#/pages/code/index`);
    await e.page.waitForSelector(tid('code-number'));
    expect(await e.page.textContent(tid('whose'))).toContain('本人');
    await e.page.click(tid('switch-open'));
    const items = e.page.locator(`${tid('switch-list')} [data-testid^="switch-"]`);
    expect(await items.count()).toBe(3);
    await items.filter({ hasText: '子女' }).click();
    await e.page.waitForFunction(() => document.querySelector('[data-testid="whose"]')?.textContent?.includes('子女'));
    expect(await e.page.textContent(tid('code-colour'))).toContain('橙码');
    expect(await e.page.textContent(tid('reasons'))).toContain('14天内在我省有发热门诊就诊记录');
    expect(await e.page.locator(tid('entries')).count()).toBe(0);
  });
});
