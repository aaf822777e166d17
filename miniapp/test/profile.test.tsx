import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { resetTaroMock } from './mocks/taro';
import * as api from '../src/services/api';
import Profile from '../src/pages/profile/index';
import type { AreaOption, Me } from '@bamin/common/appApi';

jest.mock('../src/services/api', () => ({
  ...jest.requireActual('../src/services/api'),
  getMe: jest.fn(),
  listAreas: jest.fn(),
  updateProfile: jest.fn(),
  generateCode: jest.fn(),
}));

const mocked = api as jest.Mocked<typeof api>;

const AREAS: Record<string, AreaOption[]> = {
  '': [
    { code: '110000', name: '北京市', level: 'province' },
    { code: '350000', name: '福建省', level: 'province' },
  ],
  '110000': [{ code: '110101', name: '东城区', level: 'county' }],
  '350000': [
    { code: '350100', name: '福州市', level: 'city' },
    { code: '350200', name: '厦门市', level: 'city' },
  ],
  '350100': [
    { code: '350102', name: '鼓楼区', level: 'county' },
    { code: '350103', name: '台江区', level: 'county' },
  ],
};

const person = { nameMasked: '*斌', idMasked: '35*****231', residenceArea: null, residenceAddress: null, codeNumber: null };
const newMe: Me = { phoneMasked: '138****8000', l4Verified: true, person };

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
  mocked.listAreas.mockImplementation(async (parent?: string) => AREAS[parent ?? ''] ?? []);
});

function selects() {
  return screen.getAllByTestId('picker-select') as HTMLSelectElement[];
}

describe('profile and first code', () => {
  it('picks province, city and county, saves, then asks the current area (default residence) and generates the code', async () => {
    mocked.getMe.mockResolvedValue(newMe);
    mocked.updateProfile.mockResolvedValue({ ...newMe, person: { ...person, residenceArea: '350103', residenceAddress: '测试路1号' } });
    mocked.generateCode.mockResolvedValue({} as any);
    render(<Profile />);
    await screen.findByTestId('residence-address');
    fireEvent.click(screen.getByTestId('profile-submit'));
    expect(screen.getByTestId('error-area').textContent).toBe('请选择居住地（省、市、区县）');
    expect(screen.getByTestId('error-address').textContent).toBe('请输入详细地址');

    await waitFor(() => expect(selects()[0].options.length).toBe(3));
    fireEvent.change(selects()[0], { target: { value: '1' } }); // 福建省
    await waitFor(() => expect(screen.getByTestId('residence-area-province').textContent).toBe('福建省'));
    await waitFor(() => expect(selects()[1].options.length).toBe(3));
    fireEvent.change(selects()[1], { target: { value: '0' } }); // 福州市
    await waitFor(() => expect(selects()[2].options.length).toBe(3));
    fireEvent.change(selects()[2], { target: { value: '1' } }); // 台江区
    expect(screen.getByTestId('residence-area-county').textContent).toBe('台江区');
    fireEvent.change(screen.getByTestId('residence-address'), { target: { value: ' 测试路1号 ' } });
    fireEvent.click(screen.getByTestId('profile-submit'));
    await waitFor(() => expect(mocked.updateProfile).toHaveBeenCalledWith({ residenceArea: '350103', residenceAddress: '测试路1号' }));

    // Current area defaults to the residence, preselected level by level.
    await screen.findByTestId('generate-code');
    await waitFor(() => expect(screen.getByTestId('current-area-county').textContent).toBe('台江区'));
    expect(screen.getByTestId('current-area-city').textContent).toBe('福州市');
    fireEvent.click(screen.getByTestId('generate-code'));
    await waitFor(() => expect(mocked.generateCode).toHaveBeenCalledWith('350103'));
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/code/index' }));
  });

  it('accepts a municipality district as the county (two levels)', async () => {
    mocked.getMe.mockResolvedValue(newMe);
    mocked.updateProfile.mockResolvedValue({ ...newMe, person: { ...person, residenceArea: '110101', residenceAddress: 'x' } });
    render(<Profile />);
    await screen.findByTestId('residence-address');
    await waitFor(() => expect(selects()[0].options.length).toBe(3));
    fireEvent.change(selects()[0], { target: { value: '0' } }); // 北京市
    await waitFor(() => expect(selects()[1].options.length).toBe(2));
    fireEvent.change(selects()[1], { target: { value: '0' } }); // 东城区
    expect(screen.queryByTestId('residence-area-county')).toBeNull();
    fireEvent.change(screen.getByTestId('residence-address'), { target: { value: '东城路1号' } });
    fireEvent.click(screen.getByTestId('profile-submit'));
    await waitFor(() => expect(mocked.updateProfile).toHaveBeenCalledWith({ residenceArea: '110101', residenceAddress: '东城路1号' }));
  });

  it('shows the server message when the code cannot be generated', async () => {
    mocked.getMe.mockResolvedValue({ ...newMe, person: { ...person, residenceArea: '350102', residenceAddress: 'x' } });
    mocked.generateCode.mockRejectedValue(new api.ApiError('地区代码无效', 400, 'VALIDATION'));
    render(<Profile />);
    await screen.findByTestId('generate-code');
    await waitFor(() => expect(screen.getByTestId('current-area-county').textContent).toBe('鼓楼区'));
    fireEvent.click(screen.getByTestId('generate-code'));
    expect((await screen.findByTestId('profile-error')).textContent).toBe('地区代码无效');
    expect(Taro.reLaunch).not.toHaveBeenCalled();
  });
});
