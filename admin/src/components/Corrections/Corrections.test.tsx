import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CorrectionConsoleView } from '@bamin/common/nationalApi';
import { fakeServer, refuse, renderUi, type FakeCall } from '../../../test/render';
import { CorrectionsPage, DECISION_TEXT, decidable } from '.';

afterEach(() => vi.unstubAllGlobals());

const row = (over: Partial<CorrectionConsoleView> = {}): CorrectionConsoleView => ({
  id: 7,
  kind: 'local',
  kindText: '本省健康码',
  reason: '发热门诊是陪家人就诊，本人无发热',
  status: 'pending',
  statusText: '待处理',
  decisionNote: null,
  decidedAt: null,
  createdAt: '2026-12-01T02:00:00Z',
  nameMasked: '*斌',
  idMasked: '35*****034',
  colourText: '橙码',
  reasonsText: ['14天内在我省有发热门诊就诊记录'],
  decidedBy: null,
  ...over,
});

const pageOf = (items: CorrectionConsoleView[], total = items.length, page = 1) => ({ status: 200, body: { items, page, pageSize: 10, total } });
const gets = (calls: FakeCall[]) => calls.filter((c) => c.method === 'GET').map((c) => c.url);
const type = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });

describe('Console / 健康码申诉 (H6)', () => {
  it('lists pending corrections first with who, kind, the code when filed, reason, status and times', async () => {
    const calls = fakeServer(() => pageOf([row()]));
    renderUi(<CorrectionsPage />);
    expect((await screen.findByTestId('corr-person-7')).textContent).toBe('*斌35*****034');
    expect(screen.getByTestId('corr-kind-7').textContent).toBe('本省健康码');
    expect(screen.getByTestId('corr-filing-7').textContent).toBe('橙码（14天内在我省有发热门诊就诊记录）');
    expect(screen.getByTestId('corr-reason-7').textContent).toBe('发热门诊是陪家人就诊，本人无发热');
    expect(screen.getByTestId('corr-status-7').textContent).toBe('待处理');
    expect(screen.getByTestId('corr-decider-7').textContent).toBe('—');
    expect(screen.getByTestId('corr-note-7').textContent).toBe('—');
    expect(screen.getByTestId('corr-decided-7').textContent).toBe('—');
    for (const h of ['申诉人', '类型', '申诉时健康码', '申诉理由', '状态', '处理人', '处理意见', '申诉时间', '处理时间']) expect(screen.getAllByText(h).length).toBeGreaterThan(0);
    expect(gets(calls)).toEqual(['/api/v1/console/corrections?status=pending&page=1&pageSize=10']);
    expect(screen.getByTestId('corr-accept-7').textContent).toBe('采纳');
    expect(screen.getByTestId('corr-reject-7').textContent).toBe('不采纳');
  });

  it('offers 采纳 / 不采纳 only for pending local corrections', async () => {
    expect(decidable({ kind: 'local', status: 'pending' })).toBe(true);
    expect(decidable({ kind: 'origin', status: 'pending' })).toBe(false);
    expect(decidable({ kind: 'local', status: 'accepted' })).toBe(false);
    fakeServer(() => pageOf([
      row({ id: 1, kind: 'origin', kindText: '来源地健康通行码', status: 'forwarded', statusText: '已转国家平台' }),
      row({ id: 2, status: 'accepted', statusText: '已采纳', decidedBy: '福建省卫生健康委员会 王审核', decisionNote: '已核实', decidedAt: '2026-12-01T06:00:00Z' }),
      row({ id: 3 }),
    ]));
    renderUi(<CorrectionsPage />);
    await screen.findByTestId('corr-status-3');
    expect(screen.queryByTestId('corr-accept-1')).toBeNull();
    expect(screen.queryByTestId('corr-accept-2')).toBeNull();
    expect(screen.getByTestId('corr-accept-3')).toBeTruthy();
    expect(screen.getByTestId('corr-status-1').textContent).toBe('已转国家平台');
    expect(screen.getByTestId('corr-decider-2').textContent).toBe('福建省卫生健康委员会 王审核');
    expect(screen.getByTestId('corr-note-2').textContent).toBe('已核实');
    expect(screen.getByTestId('corr-decided-2').textContent).toMatch(/^2026-12-01 \d\d:00$/);
  });

  it('filters by status (全部 sends none) and pages', async () => {
    const calls = fakeServer((c) => (c.url.includes('page=2') ? pageOf([row({ id: 11 })], 11, 2) : pageOf([row()], 11)));
    renderUi(<CorrectionsPage />);
    await screen.findByTestId('corr-status-7');
    fireEvent.click(screen.getByTestId('corr-filter-accepted'));
    await waitFor(() => expect(gets(calls)).toContain('/api/v1/console/corrections?status=accepted&page=1&pageSize=10'));
    fireEvent.click(screen.getByTestId('corr-filter-all'));
    await waitFor(() => expect(gets(calls)).toContain('/api/v1/console/corrections?page=1&pageSize=10'));
    fireEvent.click(await screen.findByTitle('2'));
    await waitFor(() => expect(gets(calls)).toContain('/api/v1/console/corrections?page=2&pageSize=10'));
    expect(await screen.findByTestId('corr-status-11')).toBeTruthy();
  });

  it('不采纳 needs a note, is confirmed, then posts the exact body and reloads', async () => {
    let decided = false;
    const calls = fakeServer((c) => {
      if (c.method === 'POST') {
        decided = true;
        return { status: 200, body: row({ status: 'rejected', statusText: '未采纳', decisionNote: '就诊记录属实', decidedBy: '王审核' }) };
      }
      return pageOf(decided ? [] : [row()]);
    });
    renderUi(<CorrectionsPage />);
    fireEvent.click(await screen.findByTestId('corr-reject-7'));
    expect(screen.getByTestId('corr-decision-who').textContent).toBe('申诉人：*斌（35*****034），申诉时 橙码');
    fireEvent.click(screen.getByTestId('corr-decision-submit'));
    expect(await screen.findByText('不采纳时请填写处理意见')).toBeTruthy();
    expect(screen.queryByTestId('corr-confirm-text')).toBeNull();
    type('corr-decision-note', '  就诊记录属实  ');
    fireEvent.click(screen.getByTestId('corr-decision-submit'));
    expect((await screen.findByTestId('corr-confirm-text')).textContent).toBe(DECISION_TEXT.reject.confirm);
    // cancelled: nothing sent
    fireEvent.click(screen.getByTestId('corr-confirm-cancel'));
    await waitFor(() => expect(screen.queryByTestId('corr-confirm-text')).toBeNull());
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('corr-decision-submit'));
    fireEvent.click(await screen.findByTestId('corr-confirm-ok'));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({
      url: '/api/v1/console/corrections/7/decision',
      body: { decision: 'reject', note: '就诊记录属实' },
    });
    await waitFor(() => expect(screen.queryByTestId('corr-status-7')).toBeNull());
    expect(gets(calls)).toHaveLength(2);
  });

  it('采纳 with an empty note is allowed after the confirmation', async () => {
    const calls = fakeServer((c) => (c.method === 'POST' ? { status: 200, body: row({ status: 'accepted', statusText: '已采纳' }) } : pageOf([row()])));
    renderUi(<CorrectionsPage />);
    fireEvent.click(await screen.findByTestId('corr-accept-7'));
    fireEvent.click(screen.getByTestId('corr-decision-submit'));
    expect((await screen.findByTestId('corr-confirm-text')).textContent).toBe(DECISION_TEXT.accept.confirm);
    fireEvent.click(screen.getByTestId('corr-confirm-ok'));
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')).toMatchObject({ body: { decision: 'accept', note: '' } }));
  });

  it('shows the 409 message when the correction was decided meanwhile, and reloads the list', async () => {
    let conflict = false;
    const calls = fakeServer((c) => {
      if (c.method === 'POST') {
        conflict = true;
        return refuse(409, 'CORRECTION_NOT_PENDING', '该申诉不是待处理的本省健康码申诉，不能再作决定');
      }
      return pageOf([conflict ? row({ status: 'accepted', statusText: '已采纳', decidedBy: '李审核' }) : row()]);
    });
    renderUi(<CorrectionsPage />);
    fireEvent.click(await screen.findByTestId('corr-accept-7'));
    fireEvent.click(screen.getByTestId('corr-decision-submit'));
    fireEvent.click(await screen.findByTestId('corr-confirm-ok'));
    expect((await screen.findByTestId('corr-decision-error')).textContent).toBe('该申诉不是待处理的本省健康码申诉，不能再作决定');
    await waitFor(() => expect(screen.getByTestId('corr-status-7').textContent).toBe('已采纳'));
    expect(within(screen.getByTestId('corr-table')).queryByTestId('corr-accept-7')).toBeNull();
    expect(gets(calls)).toHaveLength(2);
  });
});
