import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConsoleMe } from '@bamin/common/consoleApi';
import { ConsoleApp } from './App';
import { consoleTitle, menuFor } from './components/ConsoleLayout/menu';
import { fakeServer, refuse, renderUi } from '../test/render';

beforeEach(() => {
  window.location.hash = '';
});
afterEach(() => vi.unstubAllGlobals());

const me = (over: Partial<ConsoleMe> = {}): ConsoleMe => ({
  accountId: 1,
  loginName: 'gov350100001',
  role: 'government',
  authMethod: 'password',
  mustChangePassword: false,
  organisation: { id: 3, name: '鼓楼区某街道办事处', kind: 'government', creditCode: null, areaCode: '350102' },
  personNameMasked: null,
  ...over,
});

const org = { id: 3, kind: 'government', name: '鼓楼区某街道办事处', creditCode: '11350102MB0123456X', areaCode: '350102', areaName: '鼓楼区', legalRepName: null, legalRepPhoneMasked: null, parent: null };
const emptyPage = { items: [], page: 1, pageSize: 1, total: 0 };

function serve(current: ConsoleMe | null) {
  return fakeServer((c) => {
    if (c.url.endsWith('/console/me')) return current ? { status: 200, body: current } : refuse(401, 'CONSOLE_SESSION_REQUIRED', '请先登录');
    if (c.url.endsWith('/console/organisation')) return { status: 200, body: org };
    if (c.url.includes('/console/employees')) return { status: 200, body: emptyPage };
    return { status: 500 };
  });
}

describe('Console / shell', () => {
  it('shows the login page without a session', async () => {
    serve(null);
    renderUi(<ConsoleApp />);
    expect(await screen.findByTestId('login-submit')).toBeTruthy();
  });

  it('the initial password must be changed before anything else', async () => {
    serve(me({ mustChangePassword: true }));
    renderUi(<ConsoleApp />);
    expect(await screen.findByTestId('pwd-forced')).toBeTruthy();
    expect(screen.queryByTestId('menu')).toBeNull();
  });

  it('a personal session without an enterprise sees only the association', async () => {
    serve(me({ role: null, authMethod: 'personal', loginName: null, organisation: null, personNameMasked: '*经办' }));
    renderUi(<ConsoleApp />);
    expect((await screen.findByTestId('assoc-notice')).textContent).toContain('*经办');
    expect(screen.queryByTestId('menu')).toBeNull();
  });

  it('a government unit lands on its unit page with the header of 政府用户电脑端 and E2 import prompt', async () => {
    serve(me());
    renderUi(<ConsoleApp />);
    expect((await screen.findByTestId('header-title')).textContent).toBe('服务单位健康码管理侧（政府用户电脑端）');
    expect(screen.getByTestId('header-unit').textContent).toContain('鼓楼区某街道办事处');
    expect((await screen.findByTestId('org-name')).textContent).toBe('鼓楼区某街道办事处');
    expect((await screen.findByTestId('no-employees-prompt')).textContent).toContain('尚未导入员工信息');
    await waitFor(() => expect(window.location.hash).toBe('#/organisation'));
  });
});

describe('Console / lost session', () => {
  it('a 401 on any call returns to the login page', async () => {
    fakeServer((c) => (c.url.endsWith('/console/me') ? { status: 200, body: me() } : refuse(401, 'CONSOLE_SESSION_REQUIRED', '请先登录')));
    renderUi(<ConsoleApp />);
    expect(await screen.findByTestId('login-submit')).toBeTruthy();
    await waitFor(() => expect(window.location.hash).toBe('#/login'));
  });
});

describe('Console / menu', () => {
  const ten = ['企业数据管理', '出入扫码记录', '职工健康管理', '单位组织管理', '企业服务点管理', '人流预警管理', '子账号管理', '数据上报', '数据接收', '审计日志'];
  it.each([
    ['government', ten],
    ['enterprise', ten],
    ['health_department', [...ten, '激活码管理', '健康码申诉']],
  ] as const)('%s sees the manual\'s menu', (role, labels) => {
    expect(menuFor(role).map((m) => m.label)).toEqual(labels);
  });

  it('every entry is open (数据上报 and 数据接收 came with issue 8)', () => {
    for (const role of ['government', 'enterprise', 'health_department'] as const) expect(menuFor(role).filter((m) => m.notOpen)).toEqual([]);
  });

  it.each([
    ['enterprise', '服务单位健康码管理侧（企业用户电脑端）'],
    ['government', '服务单位健康码管理侧（政府用户电脑端）'],
    ['health_department', '服务单位健康码管理侧（政府用户电脑端）'],
  ] as const)('%s → %s', (role, title) => {
    expect(consoleTitle(role)).toBe(title);
  });
});
