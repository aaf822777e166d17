// The plugin's main for hosts (H7): signIn / getCodeSummary / open, through the app's real request helper with
// Taro.request answering as the server would.
import Taro from '@tarojs/taro';
import { PLUGIN_PAGES } from '@bamin/common/hostApi';
import { resetTaroMock } from './mocks/taro';
import { getCodeSummary, open, signIn } from '../src/plugin/index';
import { getToken, setToken, TOKEN_KEY } from '../src/services/storage';
import { greenSelf, orangeSelf } from './fixtures';

const request = Taro.request as unknown as jest.Mock;
const answer = (statusCode: number, data: unknown) => request.mockResolvedValueOnce({ statusCode, data, header: {} });
const refusal = (code: string, message: string) => ({ error: { code, message } });

beforeEach(() => {
  resetTaroMock();
  request.mockReset();
});

describe('main.signIn(hostTicket)', () => {
  it('posts the ticket to /api/v1/app/host-sessions and keeps the session where the app reads it', async () => {
    answer(201, { token: 'sess-abc', expiresAt: '2026-12-01T12:00:00Z', host: { appId: 'mzt-dev', name: '闽政通（开发）' } });
    await expect(signIn(' HT1.payload.sig ')).resolves.toEqual({ ok: true });
    expect(request).toHaveBeenCalledTimes(1);
    expect(request.mock.calls[0][0]).toMatchObject({ url: '/api/v1/app/host-sessions', method: 'POST', data: { ticket: 'HT1.payload.sig' } });
    expect(getToken()).toBe('sess-abc');
    expect(Taro.setStorageSync).toHaveBeenCalledWith(TOKEN_KEY, 'sess-abc');
    // the next call of any page is signed in with it
    answer(200, greenSelf());
    await getCodeSummary();
    expect(request.mock.calls[1][0].header.Authorization).toBe('Bearer sess-abc');
  });

  it.each([
    [401, 'HOST_TICKET_EXPIRED', '登录票据已过期，请从宿主应用重新进入'],
    [401, 'HOST_TICKET_FORGED', '登录票据的签名校验失败'],
    [409, 'HOST_TICKET_REPLAYED', '登录票据已使用过，请从宿主应用重新进入'],
    [400, 'HOST_TICKET_MALFORMED', '宿主应用的登录票据格式不正确'],
  ])('answers %i %s with { ok: false, code, message } and keeps no session', async (status, code, message) => {
    answer(status, refusal(code, message));
    await expect(signIn('HT1.x.y')).resolves.toEqual({ ok: false, code, message });
    expect(getToken()).toBe('');
  });

  it('says so without calling the server when the ticket is empty', async () => {
    await expect(signIn('  ')).resolves.toEqual({ ok: false, code: 'HOST_TICKET_MALFORMED', message: '缺少宿主应用的登录票据' });
    expect(request).not.toHaveBeenCalled();
  });

  it('reports a network failure as NETWORK', async () => {
    request.mockRejectedValueOnce({ errMsg: 'request:fail' });
    await expect(signIn('HT1.x.y')).resolves.toEqual({ ok: false, code: 'NETWORK', message: '网络连接失败，请稍后重试' });
  });
});

describe('main.getCodeSummary()', () => {
  beforeEach(() => setToken('sess-abc'));

  it('maps the own code (GET /api/v1/app/codes/self) to colour, colour text and code number', async () => {
    answer(200, orangeSelf());
    await expect(getCodeSummary()).resolves.toEqual({ colour: 'orange', colourText: '橙码', codeNumber: '350100123456' });
    expect(request.mock.calls[0][0]).toMatchObject({ url: '/api/v1/app/codes/self', method: 'GET' });
  });

  it('is null before the first code (409 CODE_NOT_GENERATED)', async () => {
    answer(409, refusal('CODE_NOT_GENERATED', '尚未生成健康码'));
    await expect(getCodeSummary()).resolves.toBeNull();
  });

  it('rejects with the server\'s message otherwise (401: signed out)', async () => {
    answer(401, refusal('UNAUTHENTICATED', '请先登录'));
    await expect(getCodeSummary()).rejects.toMatchObject({ code: 'UNAUTHENTICATED', status: 401, message: '请先登录' });
  });
});

describe('main.open(page)', () => {
  it.each([
    ['code', '/pages/code/index'],
    ['report', '/pages/report/index'],
    ['register', '/pages/register/index'],
    ['scanner', '/pages/staff/home/index'],
  ])('open(%s) navigates to %s', async (page, url) => {
    await open(page as (typeof PLUGIN_PAGES)[number]);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url });
  });

  it('refuses a page that is not in PLUGIN_PAGES and navigates nowhere', async () => {
    await expect(open('x' as any)).rejects.toThrow('未知的插件页面：x（可用：code、report、register、scanner）');
    await expect(open('login' as any)).rejects.toThrow('未知的插件页面');
    expect(Taro.navigateTo).not.toHaveBeenCalled();
  });

  it('in the plugin build every page is reached by plugin-private://<plugin appid>/…', () => {
    (globalThis as any).PAGE_ROOT = 'plugin-private://wx1234567890abcdef';
    try {
      jest.isolateModules(() => {
        const { PLUGIN_PAGE_URLS } = require('../src/plugin/routes');
        const { PAGES } = require('../src/services/routes');
        const { STAFF_PAGES } = require('../src/services/staffRoutes');
        expect(PLUGIN_PAGE_URLS.scanner).toBe('plugin-private://wx1234567890abcdef/pages/staff/home/index');
        for (const url of [...Object.values(PAGES), ...Object.values(STAFF_PAGES)] as string[]) {
          expect(url).toMatch(/^plugin-private:\/\/wx1234567890abcdef\/pages\//);
        }
      });
    } finally {
      delete (globalThis as any).PAGE_ROOT;
    }
  });
});
