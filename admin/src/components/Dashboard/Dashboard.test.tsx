import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConsoleMe, Dashboard } from '@bamin/common/consoleApi';
import { fakeServer, renderUi } from '../../../test/render';
import { trendTooltipText } from '../TrendChart';
import { DashboardCard, EnterprisesTable } from '.';

afterEach(() => vi.unstubAllGlobals());

const me: ConsoleMe = { accountId: 1, loginName: 'x', role: 'enterprise', authMethod: 'password', mustChangePassword: false, organisation: { id: 1, name: '某企业', kind: 'enterprise', creditCode: null, areaCode: null }, personNameMasked: null };
const dash: Dashboard = { asOf: '2026-11-30', totals: { employees: 3, reportedEmployees: 2, reports: 5 }, trend: [{ day: '2026-11-30', reportedEmployees: 2, employees: 3, share: 2 / 3 }] };

describe('Console / Dashboard (E3)', () => {
  it('the tooltip gives the day\'s reporting employees and their share of the roll', () => {
    expect(trendTooltipText(dash.trend[0])).toEqual(['2026-11-30', '健康上报人数：2 人', '占企业人数比例：66.7%（2/3）']);
  });

  it('shows the totals as of yesterday and the chart', async () => {
    fakeServer(() => ({ status: 200, body: dash }));
    renderUi(<DashboardCard me={me} />);
    expect((await screen.findByTestId('dash-employees')).textContent).toBe('3');
    expect(screen.getByTestId('dash-reported-employees').textContent).toBe('2');
    expect(screen.getByTestId('dash-reports').textContent).toBe('5');
    expect(screen.getByTestId('dash-as-of').textContent).toContain('2026-11-30');
    await waitFor(() => expect(screen.getByTestId('dash-trend-chart').querySelector('svg')).toBeTruthy());
  });

  it('lists the area\'s enterprises with yesterday\'s share', async () => {
    fakeServer(() => ({ status: 200, body: { items: [{ organisationId: 9, name: '甲公司', creditCode: '91350102X', employees: 4, yesterdayShare: 0.5, yesterdayEntries: 7 }], page: 1, pageSize: 10, total: 1 } }));
    renderUi(<EnterprisesTable />);
    expect((await screen.findByTestId('ent-name-9')).textContent).toBe('甲公司');
    expect(screen.getByTestId('ent-share-9').textContent).toBe('50.0%');
  });
});
