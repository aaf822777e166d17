import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { modalAnswers, resetTaroMock } from './mocks/taro';
import * as staff from '../src/services/staff';
import { ApiError } from '../src/services/api';
import StaffHome, { HOME_TIP } from '../src/pages/staff/home/index';
import { checkCodeNumberInput } from '../src/services/scan';
import { getOutcome, setOutcome } from '../src/services/staffStore';
import { STAFF_TOKEN_KEY, setStaffToken } from '../src/services/staffStorage';
import { scanResult, staffMe } from './staffFixtures';

jest.mock('../src/services/staff', () => ({
  ...jest.requireActual('../src/services/staff'),
  getStaffMe: jest.fn(),
  postScan: jest.fn(),
  postOcrScan: jest.fn(),
  staffSignOut: jest.fn(),
  fetchCodeKeys: jest.fn(),
}));

const mocked = staff as jest.Mocked<typeof staff>;

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
  setOutcome(null);
  mocked.getStaffMe.mockResolvedValue(staffMe());
  mocked.fetchCodeKeys.mockResolvedValue({ abcd0123: 'A'.repeat(43) });
  mocked.staffSignOut.mockResolvedValue(undefined);
  (Taro.scanCode as jest.Mock).mockReset();
  (Taro.chooseImage as jest.Mock).mockReset();
});

function type(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

async function renderHome() {
  const utils = render(<StaffHome />);
  await screen.findByTestId('point-summary');
  return utils;
}

describe('12-digit number check', () => {
  it.each([
    ['', '请输入健康码上方的12位数字'],
    ['35010012345', '健康码编号应为12位数字（当前11位）'],
    ['3501001234567', '健康码编号应为12位数字（当前13位）'],
    ['35010012345x', '健康码编号只能是数字'],
  ])('%j → %s', (input, problem) => {
    expect(checkCodeNumberInput(input)).toEqual({ ok: false, problem });
  });
  it('accepts 12 digits, spaces ignored', () => {
    expect(checkCodeNumberInput(' 3501 0012 3456 ')).toEqual({ ok: true, codeNumber: '350100123456' });
  });
});

describe('出入扫码服务', () => {
  it("shows the manual's tip, the scan point and the three ways to identify", async () => {
    await renderHome();
    expect(screen.getByTestId('home-tip').textContent).toBe(`温馨提示：${HOME_TIP}`);
    expect(screen.getByTestId('point-summary-name').textContent).toBe('温泉社区 · 东门');
    expect(screen.getByTestId('point-summary').textContent).toContain('福建省福州市鼓楼区');
    expect(screen.getByTestId('edit-point').textContent).toBe('修改扫码点位置>');
    expect((screen.getByTestId('code-number-input') as HTMLInputElement).placeholder).toBe('请输入健康码上方的12位数字');
    expect(screen.getByTestId('open-scanner').textContent).toBe('开启扫码模式');
    expect(screen.getByTestId('id-card').textContent).toBe('身份证识别（老年人）');
    fireEvent.click(screen.getByTestId('edit-point'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/staff/point/index?edit=1' });
    // The key set is cached for offline checks.
    await waitFor(() => expect(mocked.fetchCodeKeys).toHaveBeenCalled());
  });

  it('asks for the scan point first when none is reported', async () => {
    mocked.getStaffMe.mockResolvedValue(staffMe({ scanPoint: null }));
    render(<StaffHome />);
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/staff/point/index' }));
  });

  it('checks the 12 digits before calling', async () => {
    await renderHome();
    type('code-number-input', '35010012345');
    fireEvent.click(screen.getByTestId('code-number-query'));
    expect(screen.getByTestId('code-number-error').textContent).toBe('健康码编号应为12位数字（当前11位）');
    expect(mocked.postScan).not.toHaveBeenCalled();
  });

  it('queries a typed number and opens the result', async () => {
    mocked.postScan.mockResolvedValue(scanResult());
    await renderHome();
    type('code-number-input', '350100123456');
    fireEvent.click(screen.getByTestId('code-number-query'));
    await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/staff/result/index' }));
    expect(mocked.postScan).toHaveBeenCalledWith({ codeNumber: '350100123456' });
    expect(getOutcome()).toEqual({ kind: 'result', result: scanResult() });
  });

  it('opens the result page with a refusal for an unknown number', async () => {
    mocked.postScan.mockRejectedValue(new ApiError('未找到该健康码', 404, 'CODE_NOT_FOUND'));
    await renderHome();
    type('code-number-input', '350100123456');
    fireEvent.click(screen.getByTestId('code-number-query'));
    await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/staff/result/index' }));
    expect(getOutcome()).toEqual({ kind: 'refused', code: 'CODE_NOT_FOUND', message: '未找到该健康码' });
  });

  it('shows a rate limit on the page', async () => {
    mocked.postScan.mockRejectedValue(new ApiError('手工输入过于频繁，请稍后再试', 429, 'RATE_LIMITED'));
    await renderHome();
    type('code-number-input', '350100123456');
    fireEvent.click(screen.getByTestId('code-number-query'));
    expect((await screen.findByTestId('home-error')).textContent).toBe('手工输入过于频繁，请稍后再试');
    expect(Taro.navigateTo).not.toHaveBeenCalled();
  });

  it('goes to the scan point page when the server asks for it', async () => {
    mocked.postScan.mockRejectedValue(new ApiError('请先上报扫码点', 409, 'SCAN_POINT_REQUIRED'));
    await renderHome();
    type('code-number-input', '350100123456');
    fireEvent.click(screen.getByTestId('code-number-query'));
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/staff/point/index' }));
  });

  it('scans with the mini-program scanner and posts the token', async () => {
    (Taro.scanCode as jest.Mock).mockResolvedValue({ result: 'TOKEN-TEXT' });
    mocked.postScan.mockResolvedValue(scanResult({ method: 'camera', methodText: '扫码' }));
    await renderHome();
    fireEvent.click(screen.getByTestId('open-scanner'));
    await waitFor(() => expect(mocked.postScan).toHaveBeenCalledWith({ token: 'TOKEN-TEXT' }));
    await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/staff/result/index' }));
  });

  it('a cancelled scan is not an error', async () => {
    (Taro.scanCode as jest.Mock).mockRejectedValue({ errMsg: 'scanCode:fail cancel' });
    await renderHome();
    fireEvent.click(screen.getByTestId('open-scanner'));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByTestId('home-error')).toBeNull();
    expect(mocked.postScan).not.toHaveBeenCalled();
  });

  it('identifies an elder by the ID card photo (base64) and shows OCR problems', async () => {
    (Taro.chooseImage as jest.Mock).mockResolvedValue({ tempFilePaths: ['wxfile://tmp/1.jpg'] });
    mocked.postOcrScan.mockRejectedValueOnce(new ApiError('身份证识别仅适用于60周岁及以上老年人', 422, 'OCR_UNDER_60'));
    await renderHome();
    fireEvent.click(screen.getByTestId('id-card'));
    expect((await screen.findByTestId('home-error')).textContent).toBe('身份证识别仅适用于60周岁及以上老年人');
    expect(mocked.postOcrScan).toHaveBeenCalledWith('BASE64DATA');
    mocked.postOcrScan.mockResolvedValueOnce(scanResult({ method: 'ocr', methodText: '身份证识别' }));
    fireEvent.click(screen.getByTestId('id-card'));
    await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/staff/result/index' }));
  });

  it('shows 识别中… while the photo is being read', async () => {
    (Taro.chooseImage as jest.Mock).mockResolvedValue({ tempFilePaths: ['wxfile://tmp/1.jpg'] });
    let finish: (v: any) => void = () => undefined;
    mocked.postOcrScan.mockReturnValue(new Promise((r) => { finish = r; }));
    await renderHome();
    fireEvent.click(screen.getByTestId('id-card'));
    expect((await screen.findByTestId('home-busy')).textContent).toBe('识别中…');
    finish(scanResult({ method: 'ocr' }));
    await waitFor(() => expect(screen.queryByTestId('home-busy')).toBeNull());
  });

  it('signs out after confirmation only', async () => {
    setStaffToken('staff-tok');
    await renderHome();
    modalAnswers.push({ confirm: false });
    fireEvent.click(screen.getByTestId('staff-sign-out'));
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalledTimes(1));
    expect(mocked.staffSignOut).not.toHaveBeenCalled();
    modalAnswers.push({ confirm: true });
    fireEvent.click(screen.getByTestId('staff-sign-out'));
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/staff/login/index' }));
    expect(mocked.staffSignOut).toHaveBeenCalled();
    expect(Taro.getStorageSync(STAFF_TOKEN_KEY)).toBe('');
  });

  describe('in H5', () => {
    beforeEach(() => {
      process.env.TARO_ENV = 'h5';
    });
    afterEach(() => {
      delete (process.env as Record<string, string | undefined>).TARO_ENV;
    });

    it('says when the camera is unavailable and offers the image upload', async () => {
      await renderHome();
      expect(screen.getByTestId('qr-upload').textContent).toBe('上传二维码图片');
      const upload = screen.getByTestId('qr-upload-input') as HTMLInputElement;
      expect(upload.type).toBe('file');
      expect(upload.accept).toBe('image/*');
      const idCard = screen.getByTestId('id-card-input') as HTMLInputElement;
      expect(idCard.getAttribute('capture')).toBe('environment');
      fireEvent.click(screen.getByTestId('open-scanner'));
      // jsdom has no navigator.mediaDevices: the camera view closes and says so.
      expect((await screen.findByTestId('camera-problem')).textContent).toContain('请上传二维码图片');
      expect(screen.queryByTestId('camera-view')).toBeNull();
    });

    it('a denied camera is named as such', async () => {
      const getUserMedia = jest.fn().mockRejectedValue(Object.assign(new Error('denied'), { name: 'NotAllowedError' }));
      Object.defineProperty(navigator, 'mediaDevices', { value: { getUserMedia }, configurable: true });
      try {
        await renderHome();
        fireEvent.click(screen.getByTestId('open-scanner'));
        expect((await screen.findByTestId('camera-problem')).textContent).toBe('摄像头权限被拒绝，无法扫码。请在浏览器设置中允许使用摄像头，或上传二维码图片。');
        expect(getUserMedia).toHaveBeenCalledWith({ video: { facingMode: 'environment' }, audio: false });
      } finally {
        delete (navigator as any).mediaDevices;
      }
    });
  });
});
