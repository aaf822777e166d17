import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { resetTaroMock, routerState } from './mocks/taro';
import * as staff from '../src/services/staff';
import { ApiError } from '../src/services/api';
import StaffPoint from '../src/pages/staff/point/index';
import { validatePointForm } from '../src/pages/staff/point/validate';
import { formatCoordinates } from '../src/services/media';
import { POINT, staffMe } from './staffFixtures';

jest.mock('../src/services/staff', () => ({
  ...jest.requireActual('../src/services/staff'),
  getStaffMe: jest.fn(),
  putScanPoint: jest.fn(),
  listStaffAreas: jest.fn(),
}));

const mocked = staff as jest.Mocked<typeof staff>;
const AREAS: Record<string, { code: string; name: string; level: 'province' | 'city' | 'county' }[]> = {
  '': [{ code: '350000', name: '福建省', level: 'province' }],
  '350000': [{ code: '350100', name: '福州市', level: 'city' }],
  '350100': [{ code: '350102', name: '鼓楼区', level: 'county' }, { code: '350103', name: '台江区', level: 'county' }],
};

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
  mocked.listStaffAreas.mockImplementation(async (parent?: string) => AREAS[parent ?? ''] ?? []);
  mocked.putScanPoint.mockResolvedValue(POINT);
  (Taro.getLocation as jest.Mock).mockReset();
});

function type(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

async function pick(level: number, index: number) {
  const column = screen.getByTestId(`point-area-level-${level}`);
  const select = within(column).getByTestId('picker-select') as HTMLSelectElement;
  await waitFor(() => expect(select.options.length).toBeGreaterThan(index + 1));
  fireEvent.change(select, { target: { value: String(index) } });
}

describe('scan point form', () => {
  const empty = { communityName: '', pointName: '', areaCode: '', location: '', latitude: null, longitude: null, servicePointId: null };

  it('requires every field, the county included', () => {
    expect(validatePointForm(empty)).toEqual({
      communityName: '请输入社区名称',
      pointName: '请输入监测点名称',
      areaCode: '请选择所在区县（省、市、区县）',
      location: '请输入具体位置，或点击“定位当前位置”',
    });
    expect(validatePointForm({ ...empty, communityName: 'a', pointName: 'b', areaCode: '350100', location: 'c' }).areaCode).toBeDefined();
    expect(validatePointForm({ ...empty, communityName: 'a', pointName: 'b', areaCode: '350102', location: 'c' })).toEqual({});
  });

  it('formats coordinates in words', () => {
    expect(formatCoordinates(26.07451, 119.29649)).toBe('北纬26.0745° 东经119.2965°');
    expect(formatCoordinates(-33.9, -70.66)).toBe('南纬33.9000° 西经70.6600°');
  });

  it('shows the errors and sends nothing when empty', async () => {
    mocked.getStaffMe.mockResolvedValue(staffMe({ scanPoint: null }));
    render(<StaffPoint />);
    fireEvent.click(await screen.findByTestId('point-submit'));
    expect(screen.getByTestId('error-communityName').textContent).toBe('请输入社区名称');
    expect(screen.getByTestId('error-areaCode').textContent).toBe('请选择所在区县（省、市、区县）');
    expect(mocked.putScanPoint).not.toHaveBeenCalled();
  });

  it('locates the device, picks the county and a service point, and submits the body', async () => {
    mocked.getStaffMe.mockResolvedValue(staffMe({ scanPoint: null, servicePoints: [{ id: 9, name: '温泉公园服务点', areaCode: '350102', address: null }] }));
    (Taro.getLocation as jest.Mock).mockResolvedValue({ latitude: 26.07451, longitude: 119.29649 });
    render(<StaffPoint />);
    await screen.findByTestId('point-community');
    type('point-community', '温泉社区');
    type('point-name', '东门');
    await pick(0, 0);
    await pick(1, 0);
    await pick(2, 0);
    fireEvent.click(screen.getByTestId('point-locate'));
    await waitFor(() => expect((screen.getByTestId('point-location') as HTMLInputElement).value).toBe('北纬26.0745° 东经119.2965°'));
    const sp = within(screen.getByTestId('point-service')).getByTestId('picker-select');
    fireEvent.change(sp, { target: { value: '1' } });
    expect(screen.getByTestId('point-service-value').textContent).toBe('温泉公园服务点');
    fireEvent.click(screen.getByTestId('point-submit'));
    await waitFor(() => expect(mocked.putScanPoint).toHaveBeenCalled());
    expect(mocked.putScanPoint).toHaveBeenCalledWith({
      communityName: '温泉社区',
      pointName: '东门',
      areaCode: '350102',
      location: '北纬26.0745° 东经119.2965°',
      latitude: 26.07451,
      longitude: 119.29649,
      servicePointId: 9,
    });
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/staff/home/index' }));
  });

  it('says so when locating fails and keeps the field for typing', async () => {
    mocked.getStaffMe.mockResolvedValue(staffMe({ scanPoint: null }));
    (Taro.getLocation as jest.Mock).mockRejectedValue({ errMsg: 'getLocation:fail auth deny' });
    render(<StaffPoint />);
    fireEvent.click(await screen.findByTestId('point-locate'));
    expect((await screen.findByTestId('point-locate-error')).textContent).toBe('定位失败，请检查定位权限后重试，或直接输入具体位置');
    type('point-location', '五四路 1 号门口');
    expect((screen.getByTestId('point-location') as HTMLInputElement).value).toBe('五四路 1 号门口');
    expect(screen.queryByTestId('point-service')).toBeNull();
  });

  it('is pre-filled for 修改扫码点位置 and goes back after saving', async () => {
    routerState.params = { edit: '1' };
    mocked.getStaffMe.mockResolvedValue(staffMe());
    render(<StaffPoint />);
    expect(((await screen.findByTestId('point-community')) as HTMLInputElement).value).toBe('温泉社区');
    expect((screen.getByTestId('point-location') as HTMLInputElement).value).toBe('五四路 1 号');
    await waitFor(() => expect(screen.getByTestId('point-area-county').textContent).toBe('鼓楼区'));
    type('point-name', '西门');
    fireEvent.click(screen.getByTestId('point-submit'));
    await waitFor(() => expect(Taro.navigateBack).toHaveBeenCalled());
    expect(mocked.putScanPoint.mock.calls[0][0]).toMatchObject({ pointName: '西门', areaCode: '350102', location: '五四路 1 号' });
  });

  it("shows the server's field problems", async () => {
    mocked.getStaffMe.mockResolvedValue(staffMe());
    mocked.putScanPoint.mockRejectedValue(new ApiError('请求内容有误', 400, 'VALIDATION_FAILED', [{ field: 'areaCode', problem: '须为区县级代码' }]));
    render(<StaffPoint />);
    fireEvent.click(await screen.findByTestId('point-submit'));
    expect((await screen.findByTestId('point-error')).textContent).toBe('请求内容有误\n所在区县：须为区县级代码');
    expect(screen.getByTestId('error-areaCode').textContent).toBe('须为区县级代码');
  });
});
