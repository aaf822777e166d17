// The plugin's pages and its public component (H7) under jest: plugin.json names a wrapper for each page, the
// wrappers render the app's pages (miniprogram-simulate cannot open plugin:// paths), the code card shows the
// code and opens the code page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { PLUGIN_PAGES } from '@bamin/common/hostApi';
import { resetTaroMock, routerState } from './mocks/taro';
import * as api from '../src/services/api';
import * as staff from '../src/services/staff';
import { setToken } from '../src/services/storage';
import { forgetPoint } from '../src/services/point';
import { setOutcome } from '../src/services/staffStore';
import { PLUGIN_PAGE_URLS } from '../src/plugin/routes';
import CodeCard, { NO_CODE_TEXT, SIGNED_OUT_TEXT } from '../src/plugin/components/code-card/index';
import PluginCode from '../src/plugin/pages/code/index';
import PluginReport from '../src/plugin/pages/report/index';
import PluginRegister from '../src/plugin/pages/register/index';
import PluginScanner from '../src/plugin/pages/staff/home/index';
import PluginSignedOut, { HOST_SIGN_IN_TEXT } from '../src/plugin/pages/login/index';
import { CODES, greenSelf, orangeSelf } from './fixtures';
import { POINT_TOKEN, pointPage, tokenOf } from './pointFixtures';
import { staffMe } from './staffFixtures';

jest.mock('../src/services/api', () => ({
  ...jest.requireActual('../src/services/api'),
  getCode: jest.fn(),
  listCodes: jest.fn(),
  unreadMessageCount: jest.fn(),
  listAreas: jest.fn(),
  listHealthReports: jest.fn(),
  getServicePointByToken: jest.fn(),
}));
jest.mock('../src/services/staff', () => ({
  ...jest.requireActual('../src/services/staff'),
  getStaffMe: jest.fn(),
  fetchCodeKeys: jest.fn(),
}));

const mocked = api as jest.Mocked<typeof api>;
const mockedStaff = staff as jest.Mocked<typeof staff>;
const { ApiError } = jest.requireActual('../src/services/api') as typeof api;

const pluginJson = JSON.parse(readFileSync(join(__dirname, '..', 'src', 'plugin', 'plugin.json'), 'utf8')) as {
  pages: Record<string, string>;
  publicComponents: Record<string, string>;
  main: string;
};

// Taro's build provides these globals to config files.
(globalThis as any).definePageConfig = (config: unknown) => config;

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
  forgetPoint();
  setOutcome(null);
  mocked.listCodes.mockResolvedValue(CODES);
  mocked.unreadMessageCount.mockResolvedValue(0);
  mocked.listAreas.mockResolvedValue([]);
  mocked.listHealthReports.mockResolvedValue({ items: [], page: 1, pageSize: 10, total: 0 });
  mockedStaff.getStaffMe.mockResolvedValue(staffMe());
  mockedStaff.fetchCodeKeys.mockResolvedValue({});
});

describe('plugin.json', () => {
  it('exposes every page of PLUGIN_PAGES at the address open() uses, the code card and main', () => {
    for (const page of PLUGIN_PAGES) {
      expect(pluginJson.pages[page]).toBeDefined();
      expect(PLUGIN_PAGE_URLS[page]).toBe(`/${pluginJson.pages[page]}`);
    }
    expect(pluginJson.publicComponents).toEqual({ 'code-card': 'components/code-card/index' });
    expect(pluginJson.main).toBe('index.ts');
  });

  it.each(Object.entries(pluginJson.pages))('page %s (%s) is a wrapper with a page config', (_name, path) => {
    const wrapper = require(`../src/plugin/${path}`);
    expect(typeof wrapper.default).toBe('function');
    expect(require(`../src/plugin/${path}.config`).default).toEqual(expect.objectContaining({ navigationBarTitleText: expect.any(String) }));
  });

  it('re-exports the app\'s own page wherever the plugin does not need its own', () => {
    const own = new Set(['pages/login/index', 'pages/register/index']);
    for (const path of Object.values(pluginJson.pages).filter((p) => !own.has(p))) {
      expect(require(`../src/plugin/${path}`).default).toBe(require(`../src/${path}`).default);
    }
  });
});

describe('plugin pages', () => {
  it('code: the personal code with family switching', async () => {
    mocked.getCode.mockResolvedValue(greenSelf());
    render(<PluginCode />);
    expect((await screen.findByTestId('code-number')).textContent).toBe('350100123456');
    fireEvent.click(screen.getByTestId('switch-open'));
    await screen.findByTestId('switch-list');
    fireEvent.click(screen.getByTestId('switch-17'));
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/pages/code/index?holder=17' });
  });

  it('report: 健康上报 with the holders to report for and the history', async () => {
    render(<PluginReport />);
    expect(await screen.findByTestId('report-page')).toBeTruthy();
    await waitFor(() => expect(mocked.listHealthReports).toHaveBeenCalledWith('self', 1, 10));
    expect(await screen.findByTestId('report-holder-17')).toBeTruthy();
  });

  it('register with a poster token (the host scanned it): the app\'s registration page', async () => {
    routerState.params = { token: POINT_TOKEN };
    mocked.getServicePointByToken.mockResolvedValue(pointPage());
    render(<PluginRegister />);
    expect((await screen.findByTestId('register-notice')).textContent).toBe('请您按照各项信息上报本人真实的健康信息：');
    expect(mocked.getServicePointByToken).toHaveBeenCalledWith(POINT_TOKEN);
  });

  it('register without a token: 扫一扫 first, a poster opens its point page', async () => {
    (Taro.scanCode as jest.Mock).mockResolvedValueOnce({ result: POINT_TOKEN });
    render(<PluginRegister />);
    fireEvent.click(screen.getByTestId('plugin-register-scan-button'));
    await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/pages/point/index?token=${encodeURIComponent(POINT_TOKEN)}` }));
  });

  it('register without a token: a personal code is turned away, a cancel says nothing', async () => {
    (Taro.scanCode as jest.Mock).mockResolvedValueOnce({ result: tokenOf('code') }).mockRejectedValueOnce({ errMsg: 'scanCode:fail cancel' });
    render(<PluginRegister />);
    fireEvent.click(screen.getByTestId('plugin-register-scan-button'));
    expect((await screen.findByTestId('plugin-register-problem')).textContent).toBe('这是个人健康码，不是服务单位健康码，请扫描服务单位张贴的二维码');
    fireEvent.click(screen.getByTestId('plugin-register-scan-button'));
    await waitFor(() => expect(screen.queryByTestId('plugin-register-problem')).toBeNull());
    expect(Taro.navigateTo).not.toHaveBeenCalled();
  });

  it('scanner: 出入扫码服务 of a signed-in scanner', async () => {
    render(<PluginScanner />);
    expect(await screen.findByTestId('point-summary')).toBeTruthy();
    expect(mockedStaff.getStaffMe).toHaveBeenCalled();
  });

  it('login: the plugin sends a signed-out user back to the host instead of asking for an SMS code', () => {
    render(<PluginSignedOut />);
    expect(screen.getByTestId('plugin-signed-out-text').textContent).toBe(HOST_SIGN_IN_TEXT);
    expect(screen.queryByTestId('login-phone')).toBeNull();
    fireEvent.click(screen.getByTestId('plugin-back'));
    expect(Taro.navigateBack).toHaveBeenCalled();
  });
});

describe('code-card component', () => {
  it('shows colour, masked name, code number and a small QR; a tap opens the code page', async () => {
    setToken('sess-abc');
    mocked.getCode.mockResolvedValue(orangeSelf());
    render(<CodeCard />);
    expect((await screen.findByTestId('code-card-number')).textContent).toBe('350100123456');
    expect(mocked.getCode).toHaveBeenCalledWith('self');
    expect(screen.getByTestId('code-card-colour').textContent).toBe('橙码');
    expect(screen.getByTestId('code-card-colour').getAttribute('data-colour')).toBe('orange');
    expect(screen.getByTestId('code-card-name').textContent).toBe('*斌');
    expect(screen.getByTestId('qr').getAttribute('src')).toMatch(/^data:image\/gif;base64,/);
    fireEvent.click(screen.getByTestId('code-card'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/code/index' });
  });

  it('asks for the host\'s sign-in when there is no session, without calling the server', async () => {
    render(<CodeCard />);
    expect((await screen.findByTestId('code-card-note')).textContent).toBe(SIGNED_OUT_TEXT);
    expect(mocked.getCode).not.toHaveBeenCalled();
  });

  it.each([
    ['a lapsed session (401)', new ApiError('登录已失效，请重新登录', 401, 'UNAUTHENTICATED'), SIGNED_OUT_TEXT],
    ['no code yet (409 CODE_NOT_GENERATED)', new ApiError('尚未生成健康码', 409, 'CODE_NOT_GENERATED'), NO_CODE_TEXT],
    ['the network down', new ApiError('网络连接失败，请稍后重试', 0, 'NETWORK'), '网络连接失败，请稍后重试'],
  ])('says so for %s and still opens the code page', async (_name, error, text) => {
    setToken('sess-abc');
    mocked.getCode.mockRejectedValue(error);
    render(<CodeCard />);
    expect((await screen.findByTestId('code-card-note')).textContent).toBe(text);
    expect(screen.queryByTestId('qr')).toBeNull();
    fireEvent.click(screen.getByTestId('code-card'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/code/index' });
  });
});

describe('demo host page (src/host)', () => {
  const main = { signIn: jest.fn(), getCodeSummary: jest.fn(), open: jest.fn() };
  beforeEach(() => {
    (Taro as any).requirePlugin = jest.fn(() => main);
    main.signIn.mockReset();
    main.getCodeSummary.mockReset();
    main.open.mockReset();
  });
  afterAll(() => {
    delete (Taro as any).requirePlugin;
  });

  it('signs in with the pasted ticket through main, shows the summary and opens each page by plugin://bamin/…', async () => {
    const HostHome = require('../src/host/index').default;
    main.signIn.mockResolvedValue({ ok: true });
    main.getCodeSummary.mockResolvedValue({ colour: 'green', colourText: '绿码', codeNumber: '350100123456' });
    render(<HostHome />);
    fireEvent.change(screen.getByTestId('host-ticket'), { target: { value: 'HT1.a.b' } });
    fireEvent.click(screen.getByTestId('host-sign-in'));
    await waitFor(() => expect(screen.getByTestId('host-summary').textContent).toBe('绿码 · 350100123456'));
    expect((Taro as any).requirePlugin).toHaveBeenCalledWith('bamin');
    expect(main.signIn).toHaveBeenCalledWith('HT1.a.b');
    expect(screen.getByTestId('host-status').textContent).toBe('已登录八闽健康码');
    for (const page of PLUGIN_PAGES) {
      fireEvent.click(screen.getByTestId(`host-open-${page}`));
      expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `plugin://bamin/${page}` });
    }
  });

  it('shows a refused ticket\'s code and message', async () => {
    const HostHome = require('../src/host/index').default;
    main.signIn.mockResolvedValue({ ok: false, code: 'HOST_TICKET_EXPIRED', message: '登录票据已过期，请从宿主应用重新进入' });
    render(<HostHome />);
    fireEvent.change(screen.getByTestId('host-ticket'), { target: { value: 'HT1.a.b' } });
    fireEvent.click(screen.getByTestId('host-sign-in'));
    expect((await screen.findByTestId('host-status')).textContent).toBe('HOST_TICKET_EXPIRED：登录票据已过期，请从宿主应用重新进入');
    expect(main.getCodeSummary).not.toHaveBeenCalled();
  });
});
