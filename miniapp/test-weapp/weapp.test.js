/**
 * Smoke test of the built WeChat mini-program: dist/weapp/pages/code/index under
 * miniprogram-simulate, with a mocked `wx` that answers like the server.
 *
 * How: miniprogram-simulate knows components, not pages or apps. So `App` only captures Taro's
 * app options (onLaunch is called by hand: it starts Taro's React root), and `Page` hands Taro's
 * page options to miniprogram-simulate's `Component` with onLoad/onShow on `attached`, onReady on
 * `ready`, onUnload on `detached`. The page's index.wxml, base.wxml, comp.wxml and utils.wxs are
 * compiled by WeChat's own wcc (Linux binary shipped in miniprogram-compiler) and rendered by
 * j-component/exparser into jsdom. Run `npm run build:weapp` first.
 */
const fs = require('fs');
const path = require('path');

const DIST = path.resolve(__dirname, '../dist/weapp');
const SESSION_TOKEN = 'test-session-token';

const codeView = {
  holder: 'self',
  relation: 'self',
  nameMasked: '*斌',
  colour: 'green',
  colourText: '绿码',
  codeNumber: '123456789012',
  token: 'signed-token-for-the-qr',
  issuedAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
  reasons: [],
  greenFrom: null,
  nucleicAcidTests: [],
};

const requests = [];
function answer(method, url) {
  const p = url.replace(/^https?:\/\/[^/]+/, '').split('?')[0];
  if (method === 'GET' && p.endsWith('/api/v1/app/codes/self')) return { statusCode: 200, data: codeView };
  if (method === 'GET' && p.endsWith('/api/v1/app/codes')) {
    return { statusCode: 200, data: { codes: [{ holder: 'self', relation: 'self', nameMasked: '*斌', colour: 'green' }] } };
  }
  return { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: '未找到' } } };
}

const storage = { 'bamin.sessionToken': SESSION_TOKEN };
const wxMock = {
  request: jest.fn((opts) => {
    const method = (opts.method || 'GET').toUpperCase();
    requests.push({ method, url: opts.url, header: opts.header });
    const res = { ...answer(method, opts.url), header: {}, errMsg: 'request:ok' };
    setTimeout(() => {
      if (opts.success) opts.success(res);
      if (opts.complete) opts.complete(res);
    }, 0);
    return { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} };
  }),
  getStorageSync: jest.fn((k) => (k in storage ? storage[k] : '')),
  setStorageSync: jest.fn((k, v) => { storage[k] = v; }),
  removeStorageSync: jest.fn((k) => { delete storage[k]; }),
  getSystemInfoSync: () => ({ platform: 'devtools', windowWidth: 375, windowHeight: 667, pixelRatio: 2, screenWidth: 375, screenHeight: 667, statusBarHeight: 20, SDKVersion: '3.0.0' }),
  getWindowInfo: () => ({ windowWidth: 375, windowHeight: 667, pixelRatio: 2, screenWidth: 375, screenHeight: 667, statusBarHeight: 20 }),
  getAppBaseInfo: () => ({ SDKVersion: '3.0.0' }),
  getDeviceInfo: () => ({ platform: 'devtools' }),
  nextTick: (fn) => setTimeout(fn, 0),
  redirectTo: jest.fn(), navigateTo: jest.fn(), reLaunch: jest.fn(),
  showModal: jest.fn((opts) => setTimeout(() => opts.success && opts.success({ confirm: true, cancel: false, errMsg: 'showModal:ok' }), 0)),
  showToast: jest.fn(),
};

describe('built weapp: pages/code/index', () => {
  let simulate;
  let appOptions;
  let pageOptions;

  let page; // the rendered j-component (miniprogram-simulate)

  beforeAll(async () => {
    if (!fs.existsSync(path.join(DIST, 'pages/code/index.js'))) {
      throw new Error(`${DIST} has no pages/code/index.js: run \`npm run build:weapp\` first`);
    }
    global.wx = wxMock;
    simulate = require('miniprogram-simulate'); // defines global.Component (j-component)
    global.App = (opts) => { appOptions = opts; };
    global.getApp = () => appOptions;
    global.getCurrentPages = () => (page ? [page.instance] : []);
    // A page is a component with page lifecycles: hand Taro's Page options to j-component.
    global.Page = (opts) => {
      pageOptions = opts;
      const methods = {};
      for (const [k, v] of Object.entries(opts)) if (typeof v === 'function') methods[k] = v;
      global.Component({
        data: opts.data,
        methods,
        lifetimes: {
          attached() {
            this.route = 'pages/code/index';
            this.onLoad({});
            this.onShow();
          },
          ready() { this.onReady(); },
          detached() { this.onUnload(); },
        },
      });
    };
    require(path.join(DIST, 'app.js'));
    appOptions.onLaunch({ path: 'pages/code/index', query: {}, scene: 1001 });
    const id = simulate.load(path.join(DIST, 'pages/code/index'), 'code-page', { rootPath: DIST });
    page = simulate.render(id);
    const parent = document.createElement('div');
    page.attach(parent);
    for (let i = 0; i < 20 && !page.dom.textContent.includes(codeView.codeNumber); i++) await simulate.sleep(50);
  });

  afterAll(() => {
    if (page) page.detach(); // unmounts the React tree: stops the page's clock and refresh timers
  });

  test('Page() got the Taro page config', () => {
    expect(typeof pageOptions.onLoad).toBe('function');
    expect(typeof pageOptions.eh).toBe('function'); // Taro's event handler used by base.wxml
  });

  test('the page renders the code number', () => {
    expect(page.dom.textContent).toContain('123456789012');
  });

  test('it asked the server for the own code with the session token', () => {
    expect(requests.some((r) => r.method === 'GET' && /\/api\/v1\/app\/codes\/self$/.test(r.url))).toBe(true);
    const self = requests.find((r) => /\/api\/v1\/app\/codes\/self$/.test(r.url));
    expect(self.header.Authorization).toBe(`Bearer ${SESSION_TOKEN}`);
    expect(requests.some((r) => r.method === 'GET' && /\/api\/v1\/app\/codes$/.test(r.url))).toBe(true);
    expect(wxMock.request).toHaveBeenCalledWith(expect.objectContaining({ url: expect.stringMatching(/\/api\/v1\/app\/codes\/self$/) }));
  });

  test('a tap on 退出登录 goes through Taro\'s event handler to wx.showModal and wx.request', async () => {
    const label = Array.from(page.dom.querySelectorAll('wx-text')).find((el) => el.textContent === '退出登录');
    expect(label).toBeTruthy();
    const sid = label.parentElement.getAttribute('data-sid'); // the link-row <View onClick>
    const row = page.querySelector(`#${sid}`);
    expect(row).toBeTruthy();
    const before = requests.length;
    row.dispatchEvent('tap');
    for (let i = 0; i < 20 && !requests.slice(before).some((r) => r.method === 'DELETE'); i++) await simulate.sleep(20);
    expect(wxMock.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '退出登录' }));
    expect(requests.slice(before)).toEqual(
      expect.arrayContaining([expect.objectContaining({ method: 'DELETE', url: expect.stringMatching(/\/api\/v1\/app\/sessions\/current$/) })]),
    );
  });
});
