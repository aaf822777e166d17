import { fireEvent, screen, waitFor } from '@testing-library/react';
import dayjs from 'dayjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Page, ScanRecordRow } from '@bamin/common/consoleApi';
import { fakeServer, refuse, renderUi } from '../../../test/render';
import { ScanRecordsPage, toScanQuery } from '.';

afterEach(() => vi.unstubAllGlobals());

const row: ScanRecordRow = {
  id: 7,
  personRef: 'ref-abc',
  nameMasked: '*斌',
  idMasked: '350102********1234',
  areaName: '福建省福州市鼓楼区',
  pointName: '东门',
  scanner: { id: 4, nameMasked: '张*' },
  scannedAt: '2026-12-01T08:00:00Z',
  mode: 'passive',
  method: 'camera',
  methodText: '扫码',
  colour: 'green',
  colourText: '绿码',
  temperatureText: '未反馈',
};
const page = (items: ScanRecordRow[]): Page<ScanRecordRow> => ({ items, page: 1, pageSize: 10, total: items.length });

describe('Console / Scan records / filters (D4, E7)', () => {
  it('turns the form into the server query: trimmed, upper-case ID, the deepest area, dates as days', () => {
    expect(
      toScanQuery({ name: ' 王 ', idNumber: ' 35010219900101123x ', area: ['350000', '350100'], temperature: 'none', colour: 'orange', dates: [dayjs('2026-11-01'), dayjs('2026-11-30')], scannerId: 4, mode: 'active' }),
    ).toEqual({ name: '王', idNumber: '35010219900101123X', areaCode: '350100', temperature: 'none', colour: 'orange', from: '2026-11-01', to: '2026-11-30', scannerId: 4, mode: 'active' });
    expect(toScanQuery({ name: '  ', area: [], dates: null })).toEqual({});
  });

  it('lists rows with the manual\'s columns, queries by name and resets; hides 扫码员 on 403', async () => {
    const calls = fakeServer((c) => {
      if (c.url.startsWith('/api/v1/console/sub-accounts')) return refuse(403, 'CA_SESSION_REQUIRED', '需要 CA 证书登录');
      if (c.url.startsWith('/api/v1/console/areas')) return { status: 200, body: { areas: [] } };
      return { status: 200, body: page([row]) };
    });
    renderUi(<ScanRecordsPage />);
    expect((await screen.findByTestId('scan-person-7')).textContent).toBe('*斌');
    expect(screen.getByTestId('scan-method-7').textContent).toBe('扫码');
    for (const h of ['序号', '姓名', '证件号码', '通行区域', '扫码点', '扫码员', '扫码时间', '健康码状态', '体温结果', '方式', '操作']) expect(screen.getAllByText(h).length).toBeGreaterThan(0);
    await waitFor(() => expect(calls.some((c) => c.url.startsWith('/api/v1/console/sub-accounts'))).toBe(true));
    expect(screen.queryByTestId('scan-q-scanner')).toBeNull();
    fireEvent.change(screen.getByTestId('scan-q-name'), { target: { value: '王' } });
    fireEvent.click(screen.getByTestId('scan-query'));
    await waitFor(() => expect(calls.some((c) => c.url === '/api/v1/console/scan-records?name=%E7%8E%8B&page=1&pageSize=10')).toBe(true));
    fireEvent.click(screen.getByTestId('scan-reset'));
    await waitFor(() => expect(calls.filter((c) => c.url === '/api/v1/console/scan-records?page=1&pageSize=10').length).toBe(2));
    expect((screen.getByTestId('scan-q-name') as HTMLInputElement).value).toBe('');
  });

  it('a name opens the person drawer with records and reports', async () => {
    fakeServer((c) => {
      if (c.url.startsWith('/api/v1/console/sub-accounts')) return { status: 200, body: { items: [], page: 1, pageSize: 100, total: 0 } };
      if (c.url.startsWith('/api/v1/console/areas')) return { status: 200, body: { areas: [] } };
      if (c.url.startsWith('/api/v1/console/scan-records/people/ref-abc'))
        return { status: 200, body: { personRef: 'ref-abc', nameMasked: '*斌', idMasked: '350102********1234', phoneMasked: null, residence: null, colour: 'green', colourText: '绿码', records: [row], reports: [] } };
      return { status: 200, body: page([row]) };
    });
    renderUi(<ScanRecordsPage />);
    fireEvent.click(await screen.findByTestId('scan-person-7'));
    expect((await screen.findByTestId('person-name')).textContent).toBe('*斌');
    expect(screen.getByTestId('person-records-count').textContent).toBe('1');
    expect(screen.getByTestId('person-reports-count').textContent).toBe('0');
    expect(screen.getByTestId('scan-q-scanner')).toBeTruthy();
  });
});
