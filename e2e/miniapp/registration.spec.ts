// Browser test of active registration (issue 7, C1–C4): an enterprise adds a service point and prints its
// poster; a citizen with a code opens the point page from the poster's address (?token=), sees the unit
// and point, registers oneself with 发热 and sees 登记成功; scanning the poster again through 扫一扫 (the H5
// image upload of the poster PNG, headless Chromium has no camera) and registering within 10 minutes shows
// 只计一次 and leaves one active scan record; a user who never generated a code is told to generate one (C1).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { posterOf } from '../../server/src/services/servicePointService';
import type { ConsoleSession } from '../../server/src/services/consoleSessionService';
import { enterpriseWithCa } from '../../server/test/helpers/console';
import { residentId } from '../../server/test/helpers/people';
import { startE2E, type E2E } from '../helpers/browser';

let e: E2E;
let pointId: number;
let token: string;
let unitName: string;
let posterFile: string;
const POINT = { name: '软件园9号食堂', address: '福州市鼓楼区软件大道89号', areaCode: '350102', type: 'canteen', staffEmployeeIds: [] };

beforeAll(async () => {
  e = await startE2E(new Date().toISOString());
  const unit = await enterpriseWithCa(e.ctx);
  const created = await unit.agent.post('/api/v1/console/service-points').send(POINT);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  pointId = created.body.id;
  const organisationId = ((await e.ctx.deps.db.models.ServicePoint.findByPk(pointId, { raw: true })) as unknown as { organisationId: number }).organisationId;
  const poster = await posterOf(e.ctx.deps, { organisationId } as ConsoleSession, pointId);
  token = poster.qrText;
  unitName = poster.unitName;
  const png = await unit.agent
    .get(`/api/v1/console/service-points/${pointId}/poster.png`)
    .buffer(true)
    .parse((r, cb) => {
      const parts: Buffer[] = [];
      r.on('data', (c: Buffer) => parts.push(c));
      r.on('end', () => cb(null, Buffer.concat(parts)));
    });
  expect(png.status).toBe(200);
  const image = PNG.sync.read(png.body as Buffer);
  expect(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe(token);
  posterFile = path.join(mkdtempSync(path.join(tmpdir(), 'bamin-poster-')), 'poster.png');
  writeFileSync(posterFile, png.body as Buffer);
});
afterAll(() => e?.close());

const tid = (id: string) => `[data-testid="${id}"]`;

async function fill(id: string, value: string) {
  await e.page.locator(`${tid(id)} input, input${tid(id)}, ${tid(id)} textarea`).first().fill(value);
}

async function text(id: string): Promise<string> {
  await e.page.waitForSelector(tid(id));
  return (await e.page.textContent(tid(id))) ?? '';
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

async function signIn(phone: string) {
  await e.page.goto(`${e.base}/h5/`);
  await fill('login-phone', phone);
  await e.page.click(tid('login-send-code'));
  await fill('login-code', await smsCodeFor(phone));
  await e.page.click(tid('login-submit'));
}

/** Confirms the first option of each level of the area picker. */
async function pickFirst(id: string) {
  for (let level = 0; level < 3; level++) {
    const column = e.page.locator(`${tid(id)} ${tid(`${id}-level-${level}`)}`);
    if (level > 0 && !(await column.count())) break;
    await column.click();
    await e.page.locator('.weui-picker__action:visible').filter({ hasText: '确定' }).click();
    await e.page.locator('.weui-picker__action:visible').first().waitFor({ state: 'hidden' });
  }
}

async function registerSelfWithFever() {
  await e.page.click(tid('point-register'));
  await e.page.waitForSelector(tid('register-member-info'));
  expect(await text('register-notice')).toBe('请您按照各项信息上报本人真实的健康信息：');
  expect(await text('register-name')).toBe('*斌');
  expect(await text('register-id-type')).toBe('居民身份证');
  expect(await text('register-phone')).toBe('137****4444');
  await e.page.click(tid('register-symptom-fever'));
  await e.page.click(tid('register-submit'));
  expect(await text('register-result-title')).toBe('登记成功');
  expect(await text('register-result-point')).toBe(POINT.name);
  expect(await text('register-result-colour')).toContain('绿码');
}

describe('Citizen H5 / service point registration', () => {
  it('a citizen with a code opens the poster address (?token=), sees the point and registers oneself with 发热', async () => {
    await signIn('13700004444');
    await fill('l4-name', '王斌');
    await fill('l4-id-number', residentId('350102', '19800101', 511));
    await e.page.click(tid('l4-submit'));
    await e.page.click(tid('face-confirm'));
    await pickFirst('residence-area');
    await fill('residence-address', '五一路 1 号');
    await e.page.click(tid('profile-submit'));
    await e.page.click(tid('generate-code'));
    await e.page.waitForSelector(tid('code-number'));

    await e.page.goto(`${e.base}/h5/#/pages/point/index?token=${encodeURIComponent(token)}`);
    expect(await text('point-unit')).toBe(unitName);
    expect(await text('point-name')).toBe(POINT.name);
    expect(await text('point-type')).toBe('食堂');
    expect(await text('point-area')).toBe('福建省福州市鼓楼区');
    expect(await text('point-address')).toBe(POINT.address);
    expect(await text('point-staff-empty')).toBe('暂无在岗员工信息');
    await registerSelfWithFever();
    expect(await e.page.locator(tid('register-dedup')).count()).toBe(0);
  });

  it('scans the poster again through 扫一扫 (image upload) within 10 minutes: 只计一次, one active record', async () => {
    await e.page.click(tid('register-done'));
    await e.page.waitForSelector(tid('code-number'));
    await e.page.click(tid('entry-scan'));
    await e.page.waitForSelector(tid('scan-panel'));
    // Headless Chromium has no camera: the panel says so and the upload stays.
    expect(await text('scan-problem')).toContain('上传服务单位二维码图片');
    await e.page.locator(tid('scan-upload-input')).setInputFiles(posterFile);
    expect(await text('point-name')).toBe(POINT.name);
    await registerSelfWithFever();
    expect(await text('register-dedup')).toBe('10 分钟内重复登记只计一次');

    const records = (await e.ctx.deps.db.models.ScanRecord.findAll({ where: { servicePointId: pointId }, raw: true })) as unknown as { mode: string }[];
    expect(records).toHaveLength(1);
    expect(records[0].mode).toBe('active');
  });

  it('a user who never generated a code is told to generate one first (C1)', async () => {
    await e.page.evaluate(() => localStorage.clear());
    await signIn('13700005555');
    await e.page.waitForSelector(tid('l4-name'));
    await e.page.goto(`${e.base}/h5/#/pages/point/index?token=${encodeURIComponent(token)}`);
    expect(await text('point-code-required-message')).toBe('请先生成本人的八闽健康码，再进行扫码登记');
    expect(await e.page.locator(tid('point-unit')).count()).toBe(0);
    await e.page.click(tid('point-generate-code'));
    await e.page.waitForSelector(tid('l4-name'));
  });
});
