import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import dayjs from 'dayjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DataReportView, ReceiverOption, ReportScheduleView } from '@bamin/common/reportApi';
import { fileNameFromDisposition } from '../../api';
import { fakeServer, refuse, renderUi, type FakeCall } from '../../../test/render';
import { DataReportsPage, SentReports } from '.';
import { NO_RECEIVER_TEXT, ReportFormModal, rangeProblem, toReportRequest, yesterday } from './ReportForm';
import { SchedulesPanel } from './Schedules';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const receivers: ReceiverOption[] = [
  { id: 11, name: '福州市鼓楼区卫生健康局', kind: 'health_department' },
  { id: 1, name: '福建省卫生健康委员会', kind: 'health_department' },
];
const points = [
  { id: 5, name: '东门' },
  { id: 6, name: '单位食堂' },
];
const report = (over: Partial<DataReportView> = {}): DataReportView => ({
  id: 30,
  from: { id: 3, name: '鼓楼区东街街道办事处' },
  to: { id: 11, name: '福州市鼓楼区卫生健康局' },
  rangeFrom: '2026-03-14',
  rangeTo: '2026-03-15',
  rowCount: 3,
  status: 'delivered',
  statusText: '已送达',
  failureReason: null,
  readAt: null,
  deliveredAt: '2026-03-15T02:03:30Z',
  createdAt: '2026-03-15T02:00:00Z',
  fileName: '鼓楼区东街街道办事处_出入扫码记录_2026-03-14至2026-03-15.xlsx',
  filterText: '全部服务点',
  scheduleId: null,
  originText: '手动',
  ...over,
});
const page = (items: DataReportView[]) => ({ status: 200, body: { items, page: 1, pageSize: 10, total: items.length } });

async function choose(testId: string, label: string) {
  const select = screen.getByTestId(testId).closest('.ant-select')!;
  fireEvent.mouseDown(select.querySelector('.ant-select-selector')!);
  const options = await screen.findAllByTitle(label);
  fireEvent.click(options[options.length - 1]);
}

describe('Console / Data reports / form (D7)', () => {
  it.each([
    ['2026-03-14', '2026-03-14', null],
    ['2026-03-15', '2026-03-14', '结束日期不能早于开始日期'],
    ['2025-03-15', '2026-03-15', null], // 366 days inclusive
    ['2025-03-14', '2026-03-15', '上报范围最多 366 天'],
  ])('range %s – %s → %s', (from, to, problem) => {
    expect(rangeProblem(dayjs(from), dayjs(to))).toBe(problem);
  });

  it('a range needs both ends', () => {
    expect(rangeProblem(null, dayjs('2026-03-14'))).toBe('请选择上报范围');
  });

  it('sends only the filters chosen; 全部 is no filter', () => {
    const range = [dayjs('2026-03-14'), dayjs('2026-03-15')] as [dayjs.Dayjs, dayjs.Dayjs];
    expect(toReportRequest({ toOrganisationId: 11, range, servicePointIds: [], colour: 'all', temperature: 'all' })).toEqual({ toOrganisationId: 11, from: '2026-03-14', to: '2026-03-15' });
    expect(toReportRequest({ toOrganisationId: 11, range, servicePointIds: [5], colour: 'orange', temperature: 'none' })).toEqual({
      toOrganisationId: 11, from: '2026-03-14', to: '2026-03-15', servicePointIds: [5], colour: 'orange', temperature: 'none',
    });
  });

  it('refuses to submit without a receiver', async () => {
    const calls = fakeServer(() => ({ status: 500 }));
    renderUi(<ReportFormModal open receivers={receivers} points={points} onClose={() => {}} onSent={() => {}} />);
    fireEvent.click(screen.getByTestId('dr-form-submit'));
    expect(await screen.findByText('请选择上报部门')).toBeTruthy();
    expect(screen.queryByTestId('dr-confirm-ok')).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it('confirms naming the receiver and the range (yesterday by default), then posts exactly the form', async () => {
    const sent = report({ status: 'generating', statusText: '生成中', rowCount: null });
    const calls = fakeServer(() => ({ status: 202, body: sent }));
    const onSent = vi.fn();
    renderUi(<ReportFormModal open receivers={receivers} points={points} onClose={() => {}} onSent={onSent} />);
    await choose('dr-form-receiver', '福建省卫生健康委员会');
    await choose('dr-form-points', '单位食堂');
    fireEvent.click(screen.getByTestId('dr-form-colour-green'));
    fireEvent.click(screen.getByTestId('dr-form-temperature-abnormal'));
    fireEvent.click(screen.getByTestId('dr-form-submit'));
    const day = yesterday().format('YYYY-MM-DD');
    const text = (await screen.findByTestId('dr-confirm-text')).textContent;
    expect(text).toContain('福建省卫生健康委员会');
    expect(text).toContain(day);
    expect(text).toContain('服务点 1 个；绿码；体温异常');
    expect(calls).toHaveLength(0);
    fireEvent.click(screen.getByTestId('dr-confirm-ok'));
    await waitFor(() => expect(onSent).toHaveBeenCalledWith(sent));
    expect(calls).toEqual([
      { method: 'POST', url: '/api/v1/console/data-reports', contentType: 'application/json', body: { toOrganisationId: 1, from: day, to: day, servicePointIds: [6], colour: 'green', temperature: 'abnormal' } },
    ]);
  });

  it('shows the server\'s refusal of the range on the range field', async () => {
    fakeServer(() => refuse(400, 'VALIDATION_FAILED', '请求参数不正确', [{ field: 'to', problem: '上报范围最多 366 天' }]));
    renderUi(<ReportFormModal open receivers={receivers} points={points} onClose={() => {}} onSent={() => {}} />);
    await choose('dr-form-receiver', '福州市鼓楼区卫生健康局');
    fireEvent.click(screen.getByTestId('dr-form-submit'));
    fireEvent.click(await screen.findByTestId('dr-confirm-ok'));
    expect(await screen.findByText('上报范围最多 366 天')).toBeTruthy();
  });

  it('shows the server\'s 409 when three reports are already 生成中, and does not call it sent', async () => {
    fakeServer(() => refuse(409, 'DATA_REPORT_BUSY', '本单位已有 3 份上报正在生成，请等待生成完成后再发起'));
    const onSent = vi.fn();
    renderUi(<ReportFormModal open receivers={receivers} points={points} onClose={() => {}} onSent={onSent} />);
    await choose('dr-form-receiver', '福州市鼓楼区卫生健康局');
    fireEvent.click(screen.getByTestId('dr-form-submit'));
    fireEvent.click(await screen.findByTestId('dr-confirm-ok'));
    expect(await screen.findByText('本单位已有 3 份上报正在生成，请等待生成完成后再发起')).toBeTruthy();
    expect(onSent).not.toHaveBeenCalled();
  });

  it('the health department, with nobody above it, is told so and cannot start a report', async () => {
    fakeServer((c) => {
      if (c.url.endsWith('/data-reports/receivers')) return { status: 200, body: [] };
      if (c.url.startsWith('/api/v1/console/service-points')) return { status: 200, body: { items: [], page: 1, pageSize: 100, total: 0 } };
      if (c.url.startsWith('/api/v1/console/data-reports/sent')) return page([]);
      return { status: 500 };
    });
    renderUi(<DataReportsPage />);
    expect((await screen.findByTestId('dr-no-receiver')).textContent).toBe(NO_RECEIVER_TEXT);
    expect((screen.getByTestId('dr-start') as HTMLButtonElement).disabled).toBe(true);
    expect(await screen.findByTestId('dr-empty')).toBeTruthy();
  });
});

describe('Console / Data reports / sent list (D7)', () => {
  it('shows each status: 生成中, 已送达 with 未读/已读 and a download, 失败 with its reason', async () => {
    fakeServer(() =>
      page([
        report({ id: 1, status: 'generating', statusText: '生成中', rowCount: null }),
        report({ id: 2, readAt: '2026-03-15T03:00:00Z', originText: '每日', filterText: '全部服务点；橙码' }),
        report({ id: 3 }),
        report({ id: 4, status: 'failed', statusText: '失败', rowCount: null, failureReason: '生成文件失败，请重新上报' }),
      ]),
    );
    renderUi(<SentReports pollMs={60_000} />);
    expect((await screen.findByTestId('dr-status-1')).textContent).toBe('生成中');
    expect(screen.getByTestId('dr-status-1').querySelector('.anticon-spin')).toBeTruthy();
    expect(screen.getByTestId('dr-rows-1').textContent).toBe('—');
    expect(screen.queryByTestId('dr-download-1')).toBeNull();
    expect(screen.getByTestId('dr-status-2').textContent).toBe('已送达');
    expect(screen.getByTestId('dr-read-2').textContent).toBe('已读');
    expect(screen.getByTestId('dr-origin-2').textContent).toBe('每日');
    expect(screen.getByTestId('dr-filter-2').textContent).toBe('全部服务点；橙码');
    expect(screen.getByTestId('dr-read-3').textContent).toBe('未读');
    expect(screen.getByTestId('dr-rows-3').textContent).toBe('3');
    expect(screen.getByTestId('dr-range-3').textContent).toBe('2026-03-14 至 2026-03-15');
    expect(screen.getByTestId('dr-download-3')).toBeTruthy();
    expect(screen.getByTestId('dr-status-4').textContent).toBe('失败');
    expect(screen.getByTestId('dr-status-4-reason').textContent).toBe('生成文件失败，请重新上报');
    expect(screen.queryByTestId('dr-download-4')).toBeNull();
  });

  it('polls every 2 s while a report is 生成中, and stops once it is delivered', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let n = 0;
    const calls = fakeServer(() => (n++ < 2 ? page([report({ status: 'generating', statusText: '生成中', rowCount: null })]) : page([report()])));
    renderUi(<SentReports />);
    expect((await screen.findByTestId('dr-status-30')).textContent).toBe('生成中');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(2000);
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(2000);
    });
    await waitFor(() => expect(screen.getByTestId('dr-status-30').textContent).toBe('已送达'));
    expect(screen.getByTestId('dr-rows-30').textContent).toBe('3');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(6000);
    });
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => c.url === '/api/v1/console/data-reports/sent?page=1&pageSize=10')).toBe(true);
  });

  it('after a report is sent the list is read again and shows it 生成中', async () => {
    let sent = false;
    const calls = fakeServer((c) => {
      if (c.url.endsWith('/data-reports/receivers')) return { status: 200, body: receivers };
      if (c.url.startsWith('/api/v1/console/service-points')) return { status: 200, body: { items: [], page: 1, pageSize: 100, total: 0 } };
      if (c.method === 'POST') {
        sent = true;
        return { status: 202, body: report({ status: 'generating', statusText: '生成中', rowCount: null }) };
      }
      return page(sent ? [report({ status: 'generating', statusText: '生成中', rowCount: null })] : []);
    });
    renderUi(<DataReportsPage />);
    await screen.findByTestId('dr-empty');
    await waitFor(() => expect((screen.getByTestId('dr-start') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('dr-start'));
    await choose('dr-form-receiver', '福州市鼓楼区卫生健康局');
    fireEvent.click(screen.getByTestId('dr-form-submit'));
    fireEvent.click(await screen.findByTestId('dr-confirm-ok'));
    expect(await screen.findByText('已提交，正在生成上报文件，完成后将送达“福州市鼓楼区卫生健康局”')).toBeTruthy();
    expect((await screen.findByTestId('dr-status-30')).textContent).toBe('生成中');
    expect(calls.filter((c) => c.url.startsWith('/api/v1/console/data-reports/sent')).length).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ["attachment; filename*=UTF-8''%E9%BC%93%E6%A5%BC.xlsx", '鼓楼.xlsx'],
    ['attachment; filename="report.xlsx"', 'report.xlsx'],
    [null, null],
  ])('Content-Disposition %s → %s', (header, name) => {
    expect(fileNameFromDisposition(header)).toBe(name);
  });
});

const schedule = (over: Partial<ReportScheduleView> = {}): ReportScheduleView => ({
  id: 7,
  to: { id: 11, name: '福州市鼓楼区卫生健康局' },
  frequency: 'daily',
  frequencyText: '每日',
  periodText: '每日凌晨自动上报前一日的出入扫码记录',
  servicePointIds: [],
  colour: null,
  temperature: null,
  filterText: '全部服务点',
  enabled: true,
  createdAt: '2026-03-15T02:00:00Z',
  lastReport: null,
  ...over,
});

describe('Console / Data reports / 定时上报 (G3)', () => {
  function serveSchedules(list: ReportScheduleView[], answer: (c: FakeCall) => { status: number; body?: unknown } | undefined = () => undefined) {
    return fakeServer((c) => answer(c) ?? (c.method === 'GET' ? { status: 200, body: list } : { status: 500 }));
  }

  it('lists schedules with frequency, filters, state and the last report', async () => {
    serveSchedules([
      schedule({ id: 8, frequency: 'weekly', frequencyText: '每周', periodText: '每周一凌晨自动上报上一周（周一至周日）的出入扫码记录', enabled: false, lastReport: { id: 40, status: 'delivered', statusText: '已送达', rangeFrom: '2026-03-09', rangeTo: '2026-03-15', createdAt: '2026-03-16T16:30:00Z' } }),
      schedule(),
    ]);
    renderUi(<SchedulesPanel receivers={receivers} points={points} />);
    expect((await screen.findByTestId('rs-frequency-8')).textContent).toBe('每周');
    expect(screen.getByTestId('rs-last-8').textContent).toBe('已送达');
    expect(screen.getByText('2026-03-09 至 2026-03-15')).toBeTruthy();
    expect(screen.getByTestId('rs-enabled-8').getAttribute('aria-checked')).toBe('false');
    expect(screen.getByTestId('rs-state-8').textContent).toBe('停用');
    expect(screen.getByTestId('rs-state-7').textContent).toBe('启用');
    expect(screen.getByTestId('rs-last-7').textContent).toBe('尚未上报');
  });

  it('creates a weekly schedule with the exact body and lists it', async () => {
    let created = false;
    const calls = fakeServer((c) => {
      if (c.method === 'POST') {
        created = true;
        return { status: 201, body: schedule({ frequency: 'weekly', frequencyText: '每周' }) };
      }
      return { status: 200, body: created ? [schedule({ frequency: 'weekly', frequencyText: '每周' })] : [] };
    });
    renderUi(<SchedulesPanel receivers={receivers} points={points} />);
    await screen.findByTestId('rs-empty');
    fireEvent.click(screen.getByTestId('rs-add'));
    expect(screen.getByTestId('rs-form-period').textContent).toBe('每日凌晨自动上报前一日的出入扫码记录');
    fireEvent.click(screen.getByTestId('rs-form-frequency-weekly'));
    await waitFor(() => expect(screen.getByTestId('rs-form-period').textContent).toBe('每周一凌晨自动上报上一周（周一至周日）的出入扫码记录'));
    fireEvent.click(screen.getByTestId('rs-form-submit'));
    expect(await screen.findByText('请选择上报部门')).toBeTruthy();
    await choose('rs-form-receiver', '福州市鼓楼区卫生健康局');
    fireEvent.click(screen.getByTestId('rs-form-temperature-none'));
    fireEvent.click(screen.getByTestId('rs-form-submit'));
    expect((await screen.findByTestId('rs-frequency-7')).textContent).toBe('每周');
    expect(calls.filter((c) => c.method === 'POST')).toEqual([
      { method: 'POST', url: '/api/v1/console/data-report-schedules', contentType: 'application/json', body: { toOrganisationId: 11, frequency: 'weekly', temperature: 'none' } },
    ]);
  });

  it('shows the server\'s 409 message (duplicate) and keeps the form open', async () => {
    serveSchedules([], (c) => (c.method === 'POST' ? refuse(409, 'REPORT_SCHEDULE_DUPLICATE', '已有相同的定时上报（同一接收部门、频率和筛选条件）') : undefined));
    renderUi(<SchedulesPanel receivers={receivers} points={points} />);
    await screen.findByTestId('rs-empty');
    fireEvent.click(screen.getByTestId('rs-add'));
    await choose('rs-form-receiver', '福州市鼓楼区卫生健康局');
    fireEvent.click(screen.getByTestId('rs-form-submit'));
    expect(await screen.findByText('已有相同的定时上报（同一接收部门、频率和筛选条件）')).toBeTruthy();
    expect(screen.getByTestId('rs-form-submit')).toBeTruthy();
  });

  it('停用 and 启用 patch the schedule; 删除 asks first, then deletes', async () => {
    let enabled = true;
    let deleted = false;
    const calls = fakeServer((c) => {
      if (c.method === 'PATCH') {
        enabled = (c.body as { enabled: boolean }).enabled;
        return { status: 200, body: schedule({ enabled }) };
      }
      if (c.method === 'DELETE') {
        deleted = true;
        return { status: 204 };
      }
      return { status: 200, body: deleted ? [] : [schedule({ enabled })] };
    });
    renderUi(<SchedulesPanel receivers={receivers} points={points} />);
    fireEvent.click(await screen.findByTestId('rs-enabled-7'));
    await waitFor(() => expect(screen.getByTestId('rs-state-7').textContent).toBe('停用'));
    expect(await screen.findByText('已停用定时上报')).toBeTruthy();
    fireEvent.click(screen.getByTestId('rs-enabled-7'));
    await waitFor(() => expect(screen.getByTestId('rs-state-7').textContent).toBe('启用'));
    fireEvent.click(screen.getByTestId('rs-delete-7'));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    fireEvent.click(await screen.findByTestId('rs-delete-confirm-7'));
    expect(await screen.findByTestId('rs-empty')).toBeTruthy();
    expect(calls.filter((c) => c.method !== 'GET').map((c) => [c.method, c.url, c.body])).toEqual([
      ['PATCH', '/api/v1/console/data-report-schedules/7', { enabled: false }],
      ['PATCH', '/api/v1/console/data-report-schedules/7', { enabled: true }],
      ['DELETE', '/api/v1/console/data-report-schedules/7', undefined],
    ]);
  });

  it('a refused toggle (another unit\'s schedule: 404) shows the message and keeps the state', async () => {
    serveSchedules([schedule()], (c) => (c.method === 'PATCH' ? refuse(404, 'REPORT_SCHEDULE_NOT_FOUND', '未找到该定时上报') : undefined));
    renderUi(<SchedulesPanel receivers={receivers} points={points} />);
    fireEvent.click(await screen.findByTestId('rs-enabled-7'));
    expect(await screen.findByText('未找到该定时上报')).toBeTruthy();
    expect(within(screen.getByTestId('rs-table')).getByTestId('rs-state-7').textContent).toBe('启用');
    expect(screen.getByTestId('rs-enabled-7').getAttribute('aria-checked')).toBe('true');
  });
});
