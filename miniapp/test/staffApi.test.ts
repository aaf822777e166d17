import Taro from '@tarojs/taro';
import { resetTaroMock } from './mocks/taro';
import { ApiError } from '../src/services/api';
import { fetchCodeKeys, getStaffMe, isNetworkError, postScan, staffErrorText, staffSignIn } from '../src/services/staff';
import { STAFF_TOKEN_KEY, getStaffToken, setStaffToken } from '../src/services/staffStorage';
import { TOKEN_KEY, setToken } from '../src/services/storage';
import { staffNextPage } from '../src/services/staffRoutes';
import { staffMe } from './staffFixtures';

const request = Taro.request as unknown as jest.Mock;

beforeEach(() => {
  resetTaroMock();
  request.mockReset();
});

describe('staff API helper', () => {
  it('calls /api/v1/staff routes with the staff token, never the citizen one', async () => {
    setToken('citizen-tok');
    setStaffToken('staff-tok');
    request.mockResolvedValue({ statusCode: 201, data: { scanId: 1 }, header: {} });
    await postScan({ codeNumber: '350100000001' });
    const arg = request.mock.calls[0][0];
    expect(arg.url).toBe('/api/v1/staff/scans');
    expect(arg.method).toBe('POST');
    expect(arg.data).toEqual({ codeNumber: '350100000001' });
    expect(arg.header.Authorization).toBe('Bearer staff-tok');
  });

  it('signs in without a bearer token, and a 401 there does not redirect', async () => {
    setStaffToken('old');
    request.mockResolvedValue({ statusCode: 401, data: { error: { code: 'INVALID_CREDENTIALS', message: '账号或密码错误' } }, header: {} });
    await expect(staffSignIn('13900000001', 'x')).rejects.toThrow('账号或密码错误');
    expect(request.mock.calls[0][0].header.Authorization).toBeUndefined();
    expect(Taro.reLaunch).not.toHaveBeenCalled();
  });

  it('a 401 on a signed-in call forgets only the staff token and goes to the staff sign-in', async () => {
    setToken('citizen-tok');
    setStaffToken('staff-tok');
    request.mockResolvedValue({ statusCode: 401, data: { error: { code: 'UNAUTHENTICATED', message: '请先登录' } }, header: {} });
    await expect(getStaffMe()).rejects.toThrow('请先登录');
    expect(getStaffToken()).toBe('');
    expect(Taro.getStorageSync(STAFF_TOKEN_KEY)).toBe('');
    expect(Taro.getStorageSync(TOKEN_KEY)).toBe('citizen-tok');
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/staff/login/index' });
  });

  it("shows the server's message with its field details", async () => {
    request.mockResolvedValue({
      statusCode: 400,
      data: { error: { code: 'VALIDATION_FAILED', message: '请求内容有误', details: [{ field: 'communityName', problem: '不能为空' }, { problem: '其他问题' }] } },
      header: {},
    });
    const err = await getStaffMe().catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(staffErrorText(err)).toBe('请求内容有误\n社区名称：不能为空\n其他问题');
  });

  it('marks a failure without an HTTP answer as a network error', async () => {
    request.mockRejectedValue(new Error('request:fail'));
    const err = await postScan({ token: 'x' }).catch((e) => e);
    expect(isNetworkError(err)).toBe(true);
    request.mockResolvedValue({ statusCode: 503, data: '', header: {} });
    expect(isNetworkError(await postScan({ token: 'x' }).catch((e) => e))).toBe(false);
  });

  it('fetches the public key set without auth', async () => {
    setStaffToken('staff-tok');
    request.mockResolvedValue({ statusCode: 200, data: { keys: [{ keyId: 'abcd0123', publicKey: 'AAAA' }] }, header: {} });
    await expect(fetchCodeKeys()).resolves.toEqual({ abcd0123: 'AAAA' });
    expect(request.mock.calls[0][0].url).toBe('/api/v1/codes/keys');
    expect(request.mock.calls[0][0].header.Authorization).toBeUndefined();
  });
});

describe('staff routing', () => {
  it('forced password change first, then the scan point, then home', () => {
    expect(staffNextPage(staffMe({ mustChangePassword: true, scanPoint: null }))).toBe('/pages/staff/password/index');
    expect(staffNextPage(staffMe({ scanPoint: null }))).toBe('/pages/staff/point/index');
    expect(staffNextPage(staffMe())).toBe('/pages/staff/home/index');
  });
});
