import { fireEvent, screen, waitFor } from '@testing-library/react';
import dayjs from 'dayjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DataReportView } from '@bamin/common/reportApi';
import { XLSX_TYPE } from '../../api';
import { renderUi } from '../../../test/render';
import { DataReceivedPage } from '.';

const report = (over: Partial<DataReportView> = {}): DataReportView => ({
  id: 30,
  from: { id: 3, name: '鼓楼区东街街道办事处' },
  to: { id: 11, name: '福州市鼓楼区卫生健康局' },
  rangeFrom: '2026-03-14',
  rangeTo: '2026-03-14',
  rowCount: 3,
  status: 'delivered',
  statusText: '已送达',
  failureReason: null,
  readAt: null,
  deliveredAt: '2026-03-15T02:03:30Z',
  createdAt: '2026-03-15T02:00:00Z',
  fileName: '鼓楼区东街街道办事处_出入扫码记录_2026-03-14至2026-03-14.xlsx',
  filterText: '全部服务点；绿码',
  scheduleId: 7,
  originText: '每日',
  ...over,
});

interface Call {
  url: string;
  credentials: RequestCredentials | undefined;
}

/** The received list (read once the file was downloaded) and the file, or `fileAnswer` for it. */
function serve(fileAnswer?: () => Response) {
  const calls: Call[] = [];
  let read = false;
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    calls.push({ url, credentials: init.credentials });
    if (url === '/api/v1/console/data-reports/30/file') {
      if (fileAnswer) return fileAnswer();
      read = true;
      return new Response(new Blob(['PK'], { type: XLSX_TYPE }), {
        status: 200,
        headers: { 'Content-Type': XLSX_TYPE, 'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent('东街_出入扫码记录.xlsx')}` },
      });
    }
    const items = [report({ readAt: read ? '2026-03-15T03:00:00Z' : null })];
    return new Response(JSON.stringify({ items, page: 1, pageSize: 10, total: 1 }), { status: 200, headers: { 'Content-Type': 'application/json' } });
  });
  return calls;
}

let saved: string[] = [];
beforeEach(() => {
  saved = [];
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:report', revokeObjectURL: () => {} }));
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push(this.download);
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('Console / Data received (D7)', () => {
  it('lists a delivered report 未读 with its sender, range, filters and origin', async () => {
    const calls = serve();
    renderUi(<DataReceivedPage />);
    expect((await screen.findByTestId('rcv-read-30')).textContent).toBe('未读');
    expect(screen.getByTestId('rcv-from-30').textContent).toBe('鼓楼区东街街道办事处');
    expect(screen.getByTestId('rcv-range-30').textContent).toBe('2026-03-14');
    expect(screen.getByTestId('rcv-filter-30').textContent).toBe('全部服务点；绿码');
    expect(screen.getByTestId('rcv-origin-30').textContent).toBe('每日');
    expect(screen.getByTestId('rcv-rows-30').textContent).toBe('3');
    // 送达时间 is when the file was written (02:03:30 UTC), not when the report was asked for (02:00)
    expect(screen.getByTestId('rcv-delivered-30').textContent).toBe(dayjs('2026-03-15T02:03:30Z').format('YYYY-MM-DD HH:mm:ss'));
    for (const h of ['上报单位', '上报范围', '筛选', '方式', '记录数', '送达时间', '状态', '操作']) expect(screen.getAllByText(h).length).toBeGreaterThan(0);
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/console/data-reports/received?page=1&pageSize=10']);
  });

  it('downloads the file under the server\'s name with the session cookie, then shows 已读', async () => {
    const calls = serve();
    renderUi(<DataReceivedPage />);
    fireEvent.click(await screen.findByTestId('rcv-download-30'));
    await waitFor(() => expect(screen.getByTestId('rcv-read-30').textContent).toBe('已读'));
    expect(saved).toEqual(['东街_出入扫码记录.xlsx']);
    expect(calls.map((c) => c.url)).toEqual([
      '/api/v1/console/data-reports/received?page=1&pageSize=10',
      '/api/v1/console/data-reports/30/file',
      '/api/v1/console/data-reports/received?page=1&pageSize=10',
    ]);
    expect(calls[1].credentials).toBe('same-origin');
  });

  it('a corrupt file (409) shows the server\'s message and saves nothing', async () => {
    serve(() => new Response(JSON.stringify({ error: { code: 'REPORT_FILE_CORRUPT', message: '上报文件已损坏（校验值不符），请联系上报单位重新上报' } }), { status: 409, headers: { 'Content-Type': 'application/json' } }));
    renderUi(<DataReceivedPage />);
    fireEvent.click(await screen.findByTestId('rcv-download-30'));
    expect(await screen.findByText('上报文件已损坏（校验值不符），请联系上报单位重新上报')).toBeTruthy();
    expect(saved).toEqual([]);
    expect(screen.getByTestId('rcv-read-30').textContent).toBe('未读');
  });

  it('says so when nothing was received', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ items: [], page: 1, pageSize: 10, total: 0 }), { status: 200 }));
    renderUi(<DataReceivedPage />);
    expect((await screen.findByTestId('rcv-empty')).textContent).toContain('暂无下级单位上报的数据');
  });
});
