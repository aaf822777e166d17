import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { resetTaroMock } from './mocks/taro';
import * as staff from '../src/services/staff';
import { ApiError } from '../src/services/api';
import StaffLogin from '../src/pages/staff/login/index';
import StaffPassword from '../src/pages/staff/password/index';
import Login from '../src/pages/login/index';
import { validatePasswordForm } from '../src/pages/staff/password/validate';
import { STAFF_TOKEN_KEY, setStaffPhone } from '../src/services/staffStorage';
import { TOKEN_KEY } from '../src/services/storage';
import { STAFF_PASSWORD_RULE_TEXT } from '@bamin/common/staffApi';
import { staffMe } from './staffFixtures';

jest.mock('../src/services/staff', () => ({
  ...jest.requireActual('../src/services/staff'),
  staffSignIn: jest.fn(),
  getStaffMe: jest.fn(),
  changeStaffPassword: jest.fn(),
}));

const mocked = staff as jest.Mocked<typeof staff>;

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
  mocked.getStaffMe.mockResolvedValue(staffMe());
});

function type(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

describe('citizen login page', () => {
  it('links to the staff sign-in (法人用户登录)', () => {
    render(<Login />);
    const link = screen.getByTestId('to-staff-login');
    expect(link.textContent).toBe('法人用户登录（扫码员）');
    fireEvent.click(link);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/staff/login/index' });
  });
});

describe('staff sign-in', () => {
  async function signIn(phone = '13900000001', password = 'Init1234') {
    render(<StaffLogin />);
    type('staff-phone', phone);
    type('staff-password', password);
    fireEvent.click(screen.getByTestId('staff-login-submit'));
  }

  it('stores the staff token apart from the citizen one and forces the password change first', async () => {
    mocked.staffSignIn.mockResolvedValue({ token: 'staff-1', expiresAt: '', me: staffMe({ mustChangePassword: true, scanPoint: null }) });
    await signIn();
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/staff/password/index' }));
    expect(mocked.staffSignIn).toHaveBeenCalledWith('13900000001', 'Init1234');
    expect(Taro.getStorageSync(STAFF_TOKEN_KEY)).toBe('staff-1');
    expect(Taro.getStorageSync(TOKEN_KEY)).toBe('');
  });

  it('goes to the scan point page when none is reported, else home', async () => {
    mocked.staffSignIn.mockResolvedValue({ token: 's', expiresAt: '', me: staffMe({ scanPoint: null }) });
    await signIn();
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/staff/point/index' }));
  });

  it.each([
    ['INVALID_CREDENTIALS', 401, '账号或密码错误，还可尝试4次'],
    ['ACCOUNT_LOCKED', 423, '密码错误次数过多，账号已锁定，请15分钟后再试'],
    ['STAFF_NOT_AUTHORISED', 403, '本账号尚未获单位授权，请联系单位管理员'],
  ])('shows the server message for %s (%d)', async (code, status, text) => {
    const err = new ApiError(text, status, code);
    mocked.staffSignIn.mockRejectedValue(err);
    await signIn();
    const box = await screen.findByTestId('staff-login-error');
    expect(box.textContent).toBe(text);
    expect(box.getAttribute('data-code')).toBe(err.code);
    expect(Taro.reLaunch).not.toHaveBeenCalled();
    expect(Taro.getStorageSync(STAFF_TOKEN_KEY)).toBe('');
  });

  it('checks the phone number and password before calling', async () => {
    await signIn('123', 'x');
    expect((await screen.findByTestId('staff-login-error')).textContent).not.toBe('');
    expect(mocked.staffSignIn).not.toHaveBeenCalled();
  });
});

describe('password change', () => {
  it('checks the rule on the device', () => {
    const base = { currentPassword: 'Init1234', newPassword: 'Abcd1234', confirmPassword: 'Abcd1234' };
    expect(validatePasswordForm(base)).toEqual({});
    expect(validatePasswordForm({ ...base, newPassword: 'Ab1', confirmPassword: 'Ab1' }).newPassword).toBe('新密码长度须为 8–32 位');
    expect(validatePasswordForm({ ...base, newPassword: 'abcdefgh', confirmPassword: 'abcdefgh' }).newPassword).toBe('新密码须同时包含字母和数字');
    expect(validatePasswordForm({ ...base, newPassword: '12345678', confirmPassword: '12345678' }).newPassword).toBe('新密码须同时包含字母和数字');
    expect(validatePasswordForm({ ...base, newPassword: 'Init1234', confirmPassword: 'Init1234' }).newPassword).toBe('新密码不能与原密码相同');
    expect(validatePasswordForm({ ...base, newPassword: 'a13900000001', confirmPassword: 'a13900000001' }, '13900000001').newPassword).toBe('新密码不能包含手机号');
    expect(validatePasswordForm({ ...base, confirmPassword: 'Abcd12345' }).confirmPassword).toBe('两次输入的新密码不一致');
    expect(validatePasswordForm({ currentPassword: '', newPassword: '', confirmPassword: '' })).toEqual({
      currentPassword: '请输入原密码', newPassword: '请输入新密码', confirmPassword: '请再次输入新密码',
    });
  });

  it('shows the rule, sends the change and goes on to the scan point', async () => {
    mocked.getStaffMe.mockResolvedValue(staffMe({ mustChangePassword: true, scanPoint: null }));
    mocked.changeStaffPassword.mockResolvedValue(staffMe({ mustChangePassword: false, scanPoint: null }));
    setStaffPhone('13900000001');
    render(<StaffPassword />);
    expect(screen.getByTestId('password-rule').textContent).toBe(STAFF_PASSWORD_RULE_TEXT);
    expect((await screen.findByTestId('password-forced')).textContent).toContain('首次登录请先修改初始密码');
    type('password-current', 'Init1234');
    type('password-new', 'Abcd1234');
    type('password-confirm', 'Abcd1235');
    fireEvent.click(screen.getByTestId('password-submit'));
    expect((await screen.findByTestId('error-confirmPassword')).textContent).toBe('两次输入的新密码不一致');
    expect(mocked.changeStaffPassword).not.toHaveBeenCalled();
    type('password-confirm', 'Abcd1234');
    fireEvent.click(screen.getByTestId('password-submit'));
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/staff/point/index' }));
    expect(mocked.changeStaffPassword).toHaveBeenCalledWith('Init1234', 'Abcd1234');
  });

  it("shows the server's refusal (wrong current password)", async () => {
    mocked.changeStaffPassword.mockRejectedValue(new ApiError('原密码错误', 400, 'PASSWORD_WRONG', [{ field: 'currentPassword', problem: '原密码错误' }]));
    render(<StaffPassword />);
    type('password-current', 'Wrong1234');
    type('password-new', 'Abcd1234');
    type('password-confirm', 'Abcd1234');
    fireEvent.click(screen.getByTestId('password-submit'));
    expect((await screen.findByTestId('password-error')).textContent).toBe('原密码错误');
    expect(screen.getByTestId('error-currentPassword').textContent).toBe('原密码错误');
    expect(Taro.reLaunch).not.toHaveBeenCalled();
  });
});
