import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import dayjs from 'dayjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EmployeeHealthRow } from '@bamin/common/consoleApi';
import { fakeServer, refuse, renderUi } from '../../../test/render';
import { EmployeeHealthPage, remindable, toHealthQuery } from '.';

afterEach(() => vi.unstubAllGlobals());

const emp = (id: number, reportedToday: boolean): EmployeeHealthRow => ({
  employeeId: id,
  name: `职工${id}`,
  idMasked: '350102********0011',
  department: '行政部',
  reportedToday,
  statusText: reportedToday ? '已上报' : '未上报',
  latestReportAt: reportedToday ? '2026-12-01T01:00:00Z' : null,
  latestResultText: reportedToday ? '正常' : null,
});
const rows = [emp(1, true), emp(2, false), emp(3, false)];
const list = (c: { url: string }) => c.url.startsWith('/api/v1/console/employee-health?');

describe('Console / Employee health (D5, E4)', () => {
  it('turns the filters into the server query', () => {
    expect(toHealthQuery({ name: ' 李 ', idNumber: 'x', status: 'not_reported', dates: [dayjs('2026-11-01'), dayjs('2026-11-02')], result: 'abnormal' })).toEqual({
      name: '李',
      idNumber: 'X',
      status: 'not_reported',
      from: '2026-11-01',
      to: '2026-11-02',
      result: 'abnormal',
    });
    expect(toHealthQuery({})).toEqual({});
    expect(rows.map(remindable)).toEqual([false, true, true]);
  });

  it('only 未上报 rows can be selected; 批量提醒 says 提醒成功; 提醒上报 only on 未上报', async () => {
    const calls = fakeServer((c) => (list(c) ? { status: 200, body: { items: rows, page: 1, pageSize: 10, total: 3 } } : { status: 200, body: { reminded: 2 } }));
    renderUi(<EmployeeHealthPage />);
    expect((await screen.findByTestId('eh-status-1')).textContent).toBe('已上报');
    expect(screen.queryByTestId('eh-remind-1')).toBeNull();
    expect(screen.getByTestId('eh-remind-2')).toBeTruthy();
    expect(screen.getByTestId('eh-history-1')).toBeTruthy();
    const box = (id: number) => within(screen.getByTestId(`eh-select-${id}`).closest('label') ?? screen.getByTestId(`eh-select-${id}`)).getByRole('checkbox') as HTMLInputElement;
    expect(box(1).disabled).toBe(true);
    fireEvent.click(box(2));
    fireEvent.click(box(3));
    fireEvent.click(screen.getByTestId('eh-batch-remind'));
    expect(await screen.findByText('提醒成功')).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({ url: '/api/v1/console/employee-health/reminders', body: { employeeIds: [2, 3] } });
  });

  it('shows the server\'s refusal of a reminder', async () => {
    fakeServer((c) => (list(c) ? { status: 200, body: { items: rows, page: 1, pageSize: 10, total: 3 } } : refuse(409, 'ALREADY_REPORTED', '职工2 今日已上报，无需提醒')));
    renderUi(<EmployeeHealthPage />);
    fireEvent.click(await screen.findByTestId('eh-remind-2'));
    expect(await screen.findByText('职工2 今日已上报，无需提醒')).toBeTruthy();
  });

  it('查看历史记录, 查看 one report, and 返回 twice', async () => {
    fakeServer((c) =>
      list(c)
        ? { status: 200, body: { items: rows, page: 1, pageSize: 10, total: 3 } }
        : { status: 200, body: { items: [{ id: 9, reportType: 'self', typeText: '本人上报', reportedAt: '2026-12-01T01:00:00Z', temperatureCelsius: 36.5, symptoms: ['none'], symptomText: '无', areaCode: '350102', areaName: '鼓楼区', location: '某路' }], page: 1, pageSize: 10, total: 1 } },
    );
    renderUi(<EmployeeHealthPage />);
    fireEvent.click(await screen.findByTestId('eh-history-1'));
    expect((await screen.findByTestId('eh-history-name')).textContent).toBe('职工1');
    fireEvent.click(await screen.findByTestId('eh-report-9'));
    expect(screen.getByTestId('eh-report-temperature').textContent).toBe('36.5 ℃');
    fireEvent.click(screen.getByTestId('eh-report-back'));
    expect(await screen.findByTestId('eh-history')).toBeTruthy();
    fireEvent.click(screen.getByTestId('eh-history-back'));
    await waitFor(() => expect(screen.queryByTestId('eh-history')).toBeNull());
  });
});
