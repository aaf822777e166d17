import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { resetTaroMock, routerState } from './mocks/taro';
import * as api from '../src/services/api';
import L4 from '../src/pages/l4/index';
import Login from '../src/pages/login/index';
import Help from '../src/pages/help/index';
import Service from '../src/pages/service/index';
import { TOKEN_KEY } from '../src/services/storage';
import { REASON_TEXT } from '@bamin/common/reasons';

jest.mock('../src/services/api', () => ({
  ...jest.requireActual('../src/services/api'),
  sendSmsCode: jest.fn(),
  signIn: jest.fn(),
  getMe: jest.fn(),
  startL4: jest.fn(),
  confirmL4: jest.fn(),
}));

const mocked = api as jest.Mocked<typeof api>;

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
});

function type(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

describe('login', () => {
  it('signs in, stores the token and goes to L4 for a new user', async () => {
    mocked.sendSmsCode.mockResolvedValue(undefined);
    mocked.signIn.mockResolvedValue({ token: 'sess-1', expiresAt: '2026-12-02T00:00:00Z', me: { phoneMasked: '138****8000', l4Verified: false, person: null } });
    render(<Login />);
    type('login-phone', '13800138000');
    fireEvent.click(screen.getByTestId('login-send-code'));
    await waitFor(() => expect(mocked.sendSmsCode).toHaveBeenCalledWith('13800138000', 'sign_in'));
    expect((await screen.findByTestId('login-send-code')).textContent).toMatch(/^60秒后重新获取$/);
    type('login-code', '654321');
    fireEvent.click(screen.getByTestId('login-submit'));
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/l4/index' }));
    expect(mocked.signIn).toHaveBeenCalledWith('13800138000', '654321');
    expect(Taro.getStorageSync(TOKEN_KEY)).toBe('sess-1');
  });

  it('shows the server message on a wrong code', async () => {
    mocked.signIn.mockRejectedValue(new api.ApiError('验证码错误或已过期', 400, 'SMS_CODE_INVALID'));
    render(<Login />);
    type('login-phone', '13800138000');
    type('login-code', '000000');
    fireEvent.click(screen.getByTestId('login-submit'));
    expect((await screen.findByTestId('login-error')).textContent).toBe('验证码错误或已过期');
    expect(Taro.reLaunch).not.toHaveBeenCalled();
  });
});

describe('L4 real-name check', () => {
  const verifiedMe = {
    phoneMasked: '138****8000',
    l4Verified: true,
    person: { nameMasked: '*斌', idMasked: '11*****02X', residenceArea: null, residenceAddress: null, codeNumber: null },
  };

  it('checks the resident ID check digit before starting', async () => {
    render(<L4 />);
    type('l4-name', '张斌');
    type('l4-id-number', '110105194912310021');
    fireEvent.click(screen.getByTestId('l4-submit'));
    expect(screen.getByTestId('error-idNumber').textContent).toBe('身份证号码校验位不正确');
    expect(mocked.startL4).not.toHaveBeenCalled();
  });

  it('starts the check, confirms the simulated face check and goes on to the profile', async () => {
    mocked.startL4.mockResolvedValue({ checkId: 'chk-1' });
    mocked.confirmL4.mockResolvedValue(verifiedMe);
    render(<L4 />);
    type('l4-name', '张斌');
    type('l4-id-number', '11010519491231002x');
    fireEvent.click(screen.getByTestId('l4-submit'));
    expect((await screen.findByTestId('face-check')).textContent).toContain('人脸识别认证（开发环境：点击确认模拟通过）');
    expect(mocked.startL4).toHaveBeenCalledWith({ name: '张斌', idType: 'resident_id', idNumber: '11010519491231002X', country: null, birthDate: null });
    fireEvent.click(screen.getByTestId('face-confirm'));
    await waitFor(() => expect(mocked.confirmL4).toHaveBeenCalledWith('chk-1', true));
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/profile/index' }));
  });

  it('cancelling the face check leaves the user without a code', async () => {
    mocked.startL4.mockResolvedValue({ checkId: 'chk-2' });
    mocked.confirmL4.mockResolvedValue({ phoneMasked: '138****8000', l4Verified: false, person: null });
    render(<L4 />);
    type('l4-name', '张斌');
    type('l4-id-number', '11010519491231002X');
    fireEvent.click(screen.getByTestId('l4-submit'));
    fireEvent.click(await screen.findByTestId('face-cancel'));
    await waitFor(() => expect(mocked.confirmL4).toHaveBeenCalledWith('chk-2', false));
    expect((await screen.findByTestId('l4-error')).textContent).toContain('未生成健康码');
    expect(Taro.reLaunch).not.toHaveBeenCalled();
  });
});

describe('help and service pages', () => {
  it('explains the colours, the six rules and the hotlines', () => {
    render(<Help />);
    expect(screen.getByTestId('help-green').textContent).toContain('绿码');
    expect(screen.getByTestId('help-orange').textContent).toContain('橙码');
    for (const text of Object.values(REASON_TEXT)) expect(screen.getByTestId('help-rules').textContent).toContain(text);
    const hotlines = screen.getByTestId('hotlines').textContent;
    expect(hotlines).toContain('400-1033-673');
    expect(hotlines).toContain('0591-62623959');
    expect(hotlines).toContain('8:00-12:00 14:00-18:00');
  });

  it.each([
    ['epidemic', '新冠疫情防控便民服务平台'],
    ['bus', '公交乘车码'],
    ['medicine', '医保二维码购药'],
  ])('names the external service %s would open', async (which, name) => {
    routerState.params = { which };
    render(<Service />);
    expect(screen.getByTestId('service-name').textContent).toBe(name);
    await act(async () => undefined);
  });
});
