import Taro from '@tarojs/taro';
import { resetTaroMock } from './mocks/taro';
import {
  ApiError,
  getCode,
  listCodes,
  listHealthReports,
  listMessages,
  markMessageRead,
  signIn,
  submitHealthReport,
  unreadMessageCount,
} from '../src/services/api';
import { TOKEN_KEY, getToken, setToken } from '../src/services/storage';
import { nextPageFor } from '../src/services/routes';

const request = Taro.request as unknown as jest.Mock;

beforeEach(() => {
  resetTaroMock();
  request.mockReset();
});

describe('services/api', () => {
  it('calls /api/v1/app routes with the bearer token', async () => {
    setToken('tok-1');
    request.mockResolvedValue({ statusCode: 200, data: { codes: [{ holder: 'self' }] }, header: {} });
    await expect(listCodes()).resolves.toEqual([{ holder: 'self' }]);
    const arg = request.mock.calls[0][0];
    expect(arg.url).toBe('/api/v1/app/codes');
    expect(arg.method).toBe('GET');
    expect(arg.header.Authorization).toBe('Bearer tok-1');
  });

  it('sends no Authorization header before sign-in', async () => {
    request.mockResolvedValue({ statusCode: 201, data: { token: 't', expiresAt: '', me: {} }, header: {} });
    await signIn('13800138000', '123456');
    const arg = request.mock.calls[0][0];
    expect(arg.url).toBe('/api/v1/app/sessions');
    expect(arg.data).toEqual({ phone: '13800138000', smsCode: '123456' });
    expect(arg.header.Authorization).toBeUndefined();
  });

  it("throws the server's Chinese message", async () => {
    request.mockResolvedValue({ statusCode: 409, data: { error: { code: 'FAMILY_LIMIT', message: '最多可为8名家人申领' } }, header: {} });
    const err = await getCode('self').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('最多可为8名家人申领');
    expect(err.code).toBe('FAMILY_LIMIT');
    expect(err.status).toBe(409);
  });

  it('forgets the token on 401', async () => {
    setToken('old');
    request.mockResolvedValue({ statusCode: 401, data: { error: { code: 'UNAUTHENTICATED', message: '请先登录' } }, header: {} });
    await expect(getCode('self')).rejects.toThrow('请先登录');
    expect(getToken()).toBe('');
    expect(Taro.getStorageSync(TOKEN_KEY)).toBe('');
  });

  it('reports a network failure in Chinese', async () => {
    request.mockRejectedValue(new Error('request:fail'));
    await expect(getCode('self')).rejects.toThrow('网络连接失败，请稍后重试');
  });
});

describe('health reports and messages (A8, A9)', () => {
  const ok = (data: unknown, statusCode = 200) => request.mockResolvedValue({ statusCode, data, header: {} });

  it('posts a health report with the contract body', async () => {
    setToken('tok-2');
    ok({ id: 1 }, 201);
    const body = { holder: '17', temperatureCelsius: 38.2, symptoms: ['fever', 'other'] as const, otherSymptom: '头痛', areaCode: '350102', location: '五一路' };
    await submitHealthReport({ ...body, symptoms: [...body.symptoms] });
    const arg = request.mock.calls[0][0];
    expect(arg).toMatchObject({ url: '/api/v1/app/health-reports', method: 'POST', data: { ...body, symptoms: ['fever', 'other'] } });
    expect(arg.header.Authorization).toBe('Bearer tok-2');
  });

  it('asks for one holder\'s reports page by page', async () => {
    ok({ items: [], page: 2, pageSize: 10, total: 0 });
    await listHealthReports('17', 2, 10);
    expect(request.mock.calls[0][0]).toMatchObject({ url: '/api/v1/app/health-reports?holder=17&page=2&pageSize=10', method: 'GET' });
  });

  it('lists messages, reads the unread count and marks one read', async () => {
    ok({ items: [], unread: 4, page: 1, pageSize: 1, total: 9 });
    await listMessages(3, 20);
    expect(request.mock.calls[0][0]).toMatchObject({ url: '/api/v1/app/messages?page=3&pageSize=20', method: 'GET' });
    await expect(unreadMessageCount()).resolves.toBe(4);
    expect(request.mock.calls[1][0]).toMatchObject({ url: '/api/v1/app/messages?page=1&pageSize=1', method: 'GET' });
    ok({ id: 7, readAt: '2026-12-01T00:00:00Z' });
    await markMessageRead(7);
    expect(request.mock.calls[2][0]).toMatchObject({ url: '/api/v1/app/messages/7/read', method: 'POST' });
  });
});

describe('routing by me', () => {
  const person = { nameMasked: '*斌', idMasked: '35*****123', residenceArea: '350102', residenceAddress: 'x', codeNumber: '350100000001' };
  it('sends an unverified user to L4, then profile, then the code', () => {
    expect(nextPageFor({ phoneMasked: '138****8000', l4Verified: false, person: null })).toBe('/pages/l4/index');
    expect(nextPageFor({ phoneMasked: '', l4Verified: true, person: { ...person, residenceArea: null } })).toBe('/pages/profile/index');
    expect(nextPageFor({ phoneMasked: '', l4Verified: true, person: { ...person, codeNumber: null } })).toBe('/pages/profile/index?step=code');
    expect(nextPageFor({ phoneMasked: '', l4Verified: true, person })).toBe('/pages/code/index');
  });
});
