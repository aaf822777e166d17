// Browser test of 健康码申诉 (H6): a citizen files a correction of the Bamin code through the app API; the
// health department opens 健康码申诉 in the console, finds it 待处理 with the masked person and reason,
// 采纳 with a note after the confirmation, and the row shows 已采纳 with the decider and the note.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAdmin } from '../../server/src/services/consoleAccountService';
import { citizenWithCode, residentId } from '../../server/test/helpers/citizen';
import type { E2E } from '../helpers/browser';
import { fill, overlaysSettled, startConsole, text, tid } from './console';

let e: E2E;
beforeAll(async () => {
  e = await startConsole();
});
afterAll(() => e?.close());

describe('Console / 健康码申诉', () => {
  const reason = '发热门诊记录是陪同家人就诊，本人没有发热';
  let correctionId = 0;

  beforeAll(async () => {
    const citizen = await citizenWithCode(e.ctx, '13800135001', residentId('350102', '19900101', 501), '林申诉');
    const res = await e.ctx.http.post('/api/v1/app/corrections').set(citizen.bearer).send({ holder: 'self', kind: 'local', reason });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    correctionId = res.body.id;
  });

  it('the health department sees the pending correction, masked', async () => {
    const { page, base, ctx } = e;
    const admin = await createConsoleAdmin(ctx.deps, 'wjwshensu');
    await page.goto(`${base}/admin/`);
    await fill(page, 'login-name', admin.loginName);
    await fill(page, 'login-password', admin.initialPassword);
    await page.click(tid('login-submit'));
    await page.waitForSelector(tid('pwd-forced'));
    await fill(page, 'pwd-current', admin.initialPassword);
    await fill(page, 'pwd-new', 'Weijianwei2026');
    await fill(page, 'pwd-confirm', 'Weijianwei2026');
    await page.click(tid('pwd-submit'));
    await page.waitForSelector(tid('header-title'));
    await page.click(tid('menu-corrections'));
    await page.waitForSelector(tid(`corr-status-${correctionId}`));
    expect(await text(page, `corr-status-${correctionId}`)).toBe('待处理');
    expect(await text(page, `corr-kind-${correctionId}`)).toBe('本省健康码');
    expect(await text(page, `corr-reason-${correctionId}`)).toBe(reason);
    const person = await text(page, `corr-person-${correctionId}`);
    expect(person).toContain('**诉');
    expect(person).not.toContain('林申诉');
    expect(person).not.toContain(residentId('350102', '19900101', 501));
    expect(await text(page, `corr-filing-${correctionId}`)).toContain('绿码');
  });

  it('采纳 with a note after the confirmation: the row shows 已采纳, the decider and the note', async () => {
    const { page, ctx } = e;
    await page.click(tid(`corr-accept-${correctionId}`));
    await fill(page, 'corr-decision-note', '经核实为陪同就诊');
    await page.click(tid('corr-decision-submit'));
    expect(await page.locator(tid('corr-confirm-text')).textContent()).toContain('确认采纳该申诉');
    await overlaysSettled(page);
    await page.click(tid('corr-confirm-ok'));
    // 待处理 is the default filter: the decided row leaves it; 全部 shows it decided
    await page.locator(tid(`corr-status-${correctionId}`)).waitFor({ state: 'detached' });
    await page.click(tid('corr-filter-all'));
    await page.waitForFunction((id) => document.querySelector(`[data-testid="corr-status-${id}"]`)?.textContent === '已采纳', correctionId);
    const account = (await ctx.deps.db.models.Account.findOne({ where: { loginName: 'wjwshensu' }, raw: true })) as unknown as { displayName: string | null; loginName: string };
    expect(await text(page, `corr-decider-${correctionId}`)).toBe(account.displayName ?? account.loginName);
    expect(await text(page, `corr-note-${correctionId}`)).toBe('经核实为陪同就诊');
    expect(await text(page, `corr-decided-${correctionId}`)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(await page.locator(tid(`corr-accept-${correctionId}`)).count()).toBe(0);
    const row = await ctx.deps.db.models.Correction.findByPk(correctionId, { raw: true });
    expect(row).toMatchObject({ status: 'accepted', decisionNote: '经核实为陪同就诊' });
  });
});
