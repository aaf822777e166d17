import { fireEvent, screen, waitFor } from '@testing-library/react';
import dayjs from 'dayjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntryView } from '@bamin/common/auditApi';
import { fakeServer, refuse, renderUi, type FakeCall } from '../../../test/render';
import { AuditTrailPage, EMPTY_TEXT, auditRangeProblem, toAuditQuery } from '.';

afterEach(() => vi.unstubAllGlobals());

const entry = (over: Partial<AuditEntryView> = {}): AuditEntryView => ({
  id: 7,
  at: '2026-12-01T02:03:04Z',
  actorText: '子账号 张*',
  action: 'code.lookup_typed',
  actionText: '人工输入查询',
  route: 'POST /api/v1/staff/scans',
  outcome: 'ok',
  outcomeText: '成功',
  personMasked: { name: '*斌', idMasked: '350102********1234' },
  subjectText: null,
  organisation: { id: 3, name: '鼓楼区东街街道办事处' },
  ...over,
});

const pageOf = (items: AuditEntryView[], total = items.length, page = 1) => ({ status: 200, body: { items, page, pageSize: 20, total } });
const audits = (calls: FakeCall[]) => calls.filter((c) => c.url.startsWith('/api/v1/console/audit')).map((c) => c.url);
const today = dayjs().format('YYYY-MM-DD');
const weekAgo = dayjs().subtract(6, 'day').format('YYYY-MM-DD');
const base = `/api/v1/console/audit?from=${weekAgo}&to=${today}`;

async function choose(testId: string, label: string) {
  const select = screen.getByTestId(testId).closest('.ant-select')!;
  fireEvent.mouseDown(select.querySelector('.ant-select-selector')!);
  const options = await screen.findAllByTitle(label);
  fireEvent.click(options[options.length - 1]);
}

/** Opens the select and types each text in turn into its search box, as a user typing. */
function typeInto(testId: string, ...texts: string[]) {
  const select = screen.getByTestId(testId).closest('.ant-select')!;
  fireEvent.mouseDown(select.querySelector('.ant-select-selector')!);
  for (const value of texts) fireEvent.change(select.querySelector('input')!, { target: { value } });
}

describe('Console / 审计日志 / filters (H3)', () => {
  it.each([
    ['2026-03-14', '2026-03-14', null],
    ['2026-03-15', '2026-03-14', '结束日期不能早于开始日期'],
    ['2026-01-01', '2026-04-02', null], // 92 days inclusive
    ['2026-01-01', '2026-04-03', '查询范围最多 92 天'],
  ])('range %s – %s → %s', (from, to, problem) => {
    expect(auditRangeProblem(dayjs(from), dayjs(to))).toBe(problem);
  });

  it('a range needs both ends', () => {
    expect(auditRangeProblem(dayjs('2026-03-14'), null)).toBe('请选择日期范围');
  });

  it('turns the form into the query; only the health department filters by unit', () => {
    const range = [dayjs('2026-03-01'), dayjs('2026-03-07')] as [dayjs.Dayjs, dayjs.Dayjs];
    expect(toAuditQuery({ range, action: 'code.verify', outcome: 'refused', organisationId: 9 }, 'health_department')).toEqual({
      from: '2026-03-01', to: '2026-03-07', action: 'code.verify', outcome: 'refused', organisationId: 9,
    });
    expect(toAuditQuery({ range, organisationId: 9 }, 'government')).toEqual({ from: '2026-03-01', to: '2026-03-07' });
    expect(toAuditQuery({ range: null }, 'enterprise')).toEqual({});
  });
});

describe('Console / 审计日志 / a unit', () => {
  it('asks for the last 7 days, 20 a page, and shows the columns without 单位', async () => {
    const calls = fakeServer(() => pageOf([entry()]));
    renderUi(<AuditTrailPage role="government" />);
    expect((await screen.findByTestId('audit-action-7')).textContent).toBe('人工输入查询');
    expect(audits(calls)).toEqual([`${base}&page=1&pageSize=20`]);
    expect(calls.some((c) => c.url.startsWith('/api/v1/console/units'))).toBe(false);
    expect(screen.getByTestId('audit-actor-7').textContent).toBe('子账号 张*');
    expect(screen.getByTestId('audit-route-7').textContent).toBe('POST /api/v1/staff/scans');
    expect(screen.getByTestId('audit-at-7').textContent).toBe(dayjs('2026-12-01T02:03:04Z').format('YYYY-MM-DD HH:mm:ss'));
    for (const h of ['时间', '操作人', '操作', '涉及人员', '结果', '接口']) expect(screen.getAllByText(h).length).toBeGreaterThan(0);
    expect(screen.queryByText('单位')).toBeNull();
    expect(screen.queryByTestId('audit-unit-7')).toBeNull();
    expect(screen.queryByTestId('audit-q-unit')).toBeNull();
  });

  it('sends exactly the filters chosen, from page 1, and pages on', async () => {
    const calls = fakeServer((c) => (c.url.includes('page=2') ? pageOf([entry({ id: 30 })], 41, 2) : pageOf([entry()], 41)));
    renderUi(<AuditTrailPage role="enterprise" />);
    await screen.findByTestId('audit-action-7');
    await choose('audit-q-action', '人工输入查询');
    await choose('audit-q-outcome', '已拒绝');
    fireEvent.click(screen.getByTestId('audit-query'));
    await waitFor(() => expect(audits(calls)).toContain(`${base}&action=code.lookup_typed&outcome=refused&page=1&pageSize=20`));
    fireEvent.click(await screen.findByTitle('2'));
    await waitFor(() => expect(audits(calls)).toContain(`${base}&action=code.lookup_typed&outcome=refused&page=2&pageSize=20`));
    expect(await screen.findByTestId('audit-action-30')).toBeTruthy();
    fireEvent.click(screen.getByTestId('audit-reset'));
    await waitFor(() => expect(audits(calls).filter((u) => u === `${base}&page=1&pageSize=20`)).toHaveLength(2));
  });

  it('shows the masked person as given, the subject otherwise, or —; and the outcome as a coloured tag', async () => {
    fakeServer(() =>
      pageOf([
        entry({ id: 1 }),
        entry({ id: 2, action: 'console.service_point_deleted', actionText: '删除服务点', personMasked: null, subjectText: 'service_point #5', outcome: 'refused', outcomeText: '已拒绝' }),
        entry({ id: 3, action: 'console.sign_in', actionText: '管理侧登录', personMasked: null, subjectText: null, route: null, outcome: 'not_found', outcomeText: '未找到' }),
      ]),
    );
    renderUi(<AuditTrailPage role="government" />);
    expect((await screen.findByTestId('audit-person-1')).textContent).toBe('*斌 350102********1234');
    expect(screen.getByTestId('audit-person-2').textContent).toBe('service_point #5');
    expect(screen.getByTestId('audit-person-3').textContent).toBe('—');
    expect(screen.getByTestId('audit-route-3').textContent).toBe('—');
    const tag = (id: number) => screen.getByTestId(`audit-outcome-${id}`);
    expect([tag(1).textContent, tag(2).textContent, tag(3).textContent]).toEqual(['成功', '已拒绝', '未找到']);
    expect(tag(1).className).toContain('ant-tag-green');
    expect(tag(2).className).toContain('ant-tag-red');
    expect(tag(3).className).not.toMatch(/ant-tag-(green|red)/);
  });

  it('says 暂无审计记录 when there is nothing', async () => {
    fakeServer(() => pageOf([]));
    renderUi(<AuditTrailPage role="government" />);
    expect((await screen.findByTestId('audit-empty')).textContent).toBe(EMPTY_TEXT);
  });

  it('shows the server\'s field error on the date field and its message', async () => {
    fakeServer(() => refuse(400, 'VALIDATION_FAILED', '请求参数不正确', [{ field: 'to', problem: '查询范围最多 92 天' }]));
    renderUi(<AuditTrailPage role="government" />);
    expect(await screen.findByText('查询范围最多 92 天')).toBeTruthy();
    expect(await screen.findByText('请求参数不正确')).toBeTruthy();
  });
});

describe('Console / 审计日志 / the health department', () => {
  const server = () =>
    fakeServer((c) => {
      if (c.url === '/api/v1/console/units?page=1&pageSize=20')
        return { status: 200, body: { items: [{ id: 12, name: '福州某科技有限公司', kind: 'enterprise' }], page: 1, pageSize: 20, total: 1 } };
      if (c.url.startsWith('/api/v1/console/units?q='))
        return { status: 200, body: { items: [{ id: 15, name: '福清市某街道办事处', kind: 'government' }], page: 1, pageSize: 20, total: 1 } };
      return pageOf([entry()]);
    });

  it('sees the 单位 column and filters by a unit from the list or the trail', async () => {
    const calls = server();
    renderUi(<AuditTrailPage role="health_department" />);
    expect((await screen.findByTestId('audit-unit-7')).textContent).toBe('鼓楼区东街街道办事处');
    expect(screen.getAllByText('单位').length).toBeGreaterThan(0);
    expect(calls.map((c) => c.url)).toContain('/api/v1/console/units?page=1&pageSize=20');
    await choose('audit-q-unit', '鼓楼区东街街道办事处（3）');
    fireEvent.click(screen.getByTestId('audit-query'));
    await waitFor(() => expect(audits(calls)).toContain(`${base}&organisationId=3&page=1&pageSize=20`));
    await choose('audit-q-unit', '福州某科技有限公司（12）');
    fireEvent.click(screen.getByTestId('audit-query'));
    await waitFor(() => expect(audits(calls)).toContain(`${base}&organisationId=12&page=1&pageSize=20`));
  });

  it('finds units by the name typed, after the last key', async () => {
    const calls = server();
    renderUi(<AuditTrailPage role="health_department" />);
    await screen.findByTestId('audit-unit-7');
    typeInto('audit-q-unit', '福', '福清');
    fireEvent.click((await screen.findAllByTitle('福清市某街道办事处（15）')).at(-1)!);
    // one search, for the whole name typed
    expect(calls.filter((c) => c.url.startsWith('/api/v1/console/units?q=')).map((c) => c.url)).toEqual([`/api/v1/console/units?q=${encodeURIComponent('福清')}&page=1&pageSize=20`]);
    fireEvent.click(screen.getByTestId('audit-query'));
    await waitFor(() => expect(audits(calls)).toContain(`${base}&organisationId=15&page=1&pageSize=20`));
  });

  it('may type a unit\'s number that is in no list', async () => {
    const calls = server();
    renderUi(<AuditTrailPage role="health_department" />);
    await screen.findByTestId('audit-unit-7');
    typeInto('audit-q-unit', '41');
    fireEvent.click((await screen.findAllByTitle('单位编号 41')).at(-1)!);
    fireEvent.click(screen.getByTestId('audit-query'));
    await waitFor(() => expect(audits(calls)).toContain(`${base}&organisationId=41&page=1&pageSize=20`));
  });
});
