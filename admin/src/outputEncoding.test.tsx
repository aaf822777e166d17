// Output encoding (issue 11): names and places come from citizens and enterprises' Excel files, so a
// name may be markup and a place may look like a spreadsheet formula. Every screen that shows them must
// show them as text: the literal characters on screen and no element created from them.
import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntryView } from '@bamin/common/auditApi';
import type { EmployeeHealthRow, EmployeeView, PassPersonView, ScanRecordRow } from '@bamin/common/consoleApi';
import type { HealthReportView } from '@bamin/common/appApi';
import { fakeServer, renderUi } from '../test/render';
import { AuditTrailPage } from './components/AuditTrail';
import { EmployeeHealthPage } from './components/EmployeeHealth';
import { EmployeesPage } from './components/Employees';
import { ScanRecordsPage } from './components/ScanRecords';

afterEach(() => vi.unstubAllGlobals());

export const SCRIPT = '<script>alert(1)</script>';
export const IMG = '<img src=x onerror=alert(1)>';
export const FORMULA = '=HYPERLINK("http://evil.example","x")';

/** Nothing in the document was made from the hostile strings. */
function expectNothingInjected(container: HTMLElement) {
  expect(container.querySelector('script, img[src="x"]')).toBeNull();
  expect(document.querySelector('script, img[src="x"], [onerror]')).toBeNull();
}

const page = <T,>(items: T[]) => ({ status: 200, body: { items, page: 1, pageSize: 10, total: items.length } });

describe('Console / output encoding', () => {
  it('出入扫码记录: hostile names and places in the table and the person drawer are text', async () => {
    const row = (id: number, name: string): ScanRecordRow => ({
      id,
      personRef: `ref-${id}`,
      nameMasked: name,
      idMasked: '350102********1234',
      areaName: FORMULA,
      pointName: `${FORMULA} 东门`,
      scanner: { id: 4, nameMasked: `扫${IMG}` },
      scannedAt: '2026-12-01T08:00:00Z',
      mode: 'passive',
      method: 'camera',
      methodText: '扫码',
      colour: 'green',
      colourText: '绿码',
      temperatureText: '未反馈',
    });
    const report: HealthReportView = {
      id: 9, reportType: 'self', typeText: '本人上报', reportedAt: '2026-12-01T01:00:00Z', temperatureCelsius: 36.5,
      symptoms: [], symptomText: '无', areaCode: null, areaName: null, location: FORMULA,
    };
    const person: PassPersonView = {
      personRef: 'ref-1', nameMasked: SCRIPT, idMasked: '350102********1234', phoneMasked: null, residence: FORMULA,
      colour: 'green', colourText: '绿码', records: [row(1, SCRIPT)], reports: [report],
    };
    fakeServer((c) => {
      if (c.url.startsWith('/api/v1/console/sub-accounts')) return page([]);
      if (c.url.startsWith('/api/v1/console/areas')) return { status: 200, body: { areas: [] } };
      if (c.url.startsWith('/api/v1/console/scan-records/people/')) return { status: 200, body: person };
      return page([row(1, SCRIPT), row(2, IMG)]);
    });
    const { container } = renderUi(<ScanRecordsPage />);
    expect((await screen.findByTestId('scan-person-1')).textContent).toBe(SCRIPT);
    expect(screen.getByText(SCRIPT)).toBeTruthy();
    expect(screen.getByText(IMG)).toBeTruthy();
    expect(screen.getAllByText(FORMULA).length).toBe(2);
    expect(screen.getAllByText(`${FORMULA} 东门`).length).toBe(2);
    expect(screen.getAllByText(`扫${IMG}`).length).toBe(2);
    expectNothingInjected(container);

    fireEvent.click(screen.getByTestId('scan-person-1'));
    expect((await screen.findByTestId('person-name')).textContent).toBe(SCRIPT);
    // residence, the record's area and the report's place
    expect(screen.getAllByText(FORMULA).length).toBeGreaterThanOrEqual(2 + 3);
    expectNothingInjected(container);
  });

  it('单位组织管理: hostile employee names and departments are text', async () => {
    const emp = (id: number, name: string): EmployeeView => ({
      id, name, idType: 'resident_id', idMasked: '350102********1234', phoneMasked: '138****0000', department: FORMULA, createdAt: '2026-12-01T01:00:00Z',
    });
    fakeServer(() => page([emp(1, SCRIPT), emp(2, IMG)]));
    const { container } = renderUi(<EmployeesPage />);
    expect((await screen.findByTestId('emp-name-1')).textContent).toBe(SCRIPT);
    expect(screen.getByTestId('emp-name-2').textContent).toBe(IMG);
    expect(screen.getByText(SCRIPT)).toBeTruthy();
    expect(screen.getByText(IMG)).toBeTruthy();
    expect(screen.getAllByText(FORMULA).length).toBe(2);
    expectNothingInjected(container);
  });

  it('职工健康管理: hostile names, departments and report places are text, in the list and the history', async () => {
    const emp = (id: number, name: string): EmployeeHealthRow => ({
      employeeId: id, name, idMasked: '350102********0011', department: FORMULA, reportedToday: true, statusText: '已上报',
      latestReportAt: '2026-12-01T01:00:00Z', latestResultText: '正常',
    });
    const report: HealthReportView = {
      id: 9, reportType: 'self', typeText: '本人上报', reportedAt: '2026-12-01T01:00:00Z', temperatureCelsius: 36.5,
      symptoms: [], symptomText: '无', areaCode: null, areaName: null, location: FORMULA,
    };
    fakeServer((c) => (c.url.includes('/reports') ? page([report]) : page([emp(1, SCRIPT), emp(2, IMG)])));
    const { container } = renderUi(<EmployeeHealthPage />);
    expect((await screen.findByTestId('eh-name-1')).textContent).toBe(SCRIPT);
    expect(screen.getByText(SCRIPT)).toBeTruthy();
    expect(screen.getByText(IMG)).toBeTruthy();
    expect(screen.getAllByText(FORMULA).length).toBe(2);
    expectNothingInjected(container);

    fireEvent.click(screen.getByTestId('eh-history-2'));
    expect((await screen.findByTestId('eh-history-name')).textContent).toBe(IMG);
    await screen.findByTestId('eh-report-9');
    // the department above the table and the report's place in it
    expect(within(screen.getByTestId('eh-history')).getAllByText(FORMULA).length).toBe(2);
    expectNothingInjected(container);
  });

  it('审计日志: hostile masked names, subjects, actors and unit names are text', async () => {
    const entry = (id: number, over: Partial<AuditEntryView>): AuditEntryView => ({
      id, at: '2026-12-01T02:03:04Z', actorText: `子账号 ${IMG}`, action: 'code.lookup_typed', actionText: '人工输入查询',
      route: 'POST /api/v1/staff/scans', outcome: 'ok', outcomeText: '成功', personMasked: null, subjectText: null,
      organisation: { id: 3, name: FORMULA }, ...over,
    });
    fakeServer((c) =>
      c.url.startsWith('/api/v1/console/enterprises')
        ? page([])
        : page([entry(1, { personMasked: { name: SCRIPT, idMasked: '350102********1234' } }), entry(2, { subjectText: IMG })]),
    );
    const { container } = renderUi(<AuditTrailPage role="health_department" />);
    expect((await screen.findByTestId('audit-person-1')).textContent).toBe(`${SCRIPT} 350102********1234`);
    expect(screen.getByText(SCRIPT)).toBeTruthy();
    expect(screen.getByTestId('audit-person-2').textContent).toBe(IMG);
    expect(screen.getByText(IMG)).toBeTruthy();
    expect(screen.getAllByText(`子账号 ${IMG}`).length).toBe(2);
    expect(screen.getAllByText(FORMULA).length).toBe(2);
    expectNothingInjected(container);
  });
});
