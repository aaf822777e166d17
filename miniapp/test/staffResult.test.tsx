import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { resetTaroMock, routerState } from './mocks/taro';
import * as staff from '../src/services/staff';
import { ApiError } from '../src/services/api';
import StaffResult from '../src/pages/staff/result/index';
import StaffFeedback from '../src/pages/staff/feedback/index';
import StaffHistory from '../src/pages/staff/history/index';
import { validateFeedback } from '../src/pages/staff/feedback/validate';
import { setOutcome } from '../src/services/staffStore';
import { OFFLINE_NOTICE } from '../src/services/offlineCheck';
import { SPORADIC_WARNING, record, scanResult } from './staffFixtures';

jest.mock('../src/services/staff', () => ({
  ...jest.requireActual('../src/services/staff'),
  putFeedback: jest.fn(),
  getScanHistory: jest.fn(),
}));

const mocked = staff as jest.Mocked<typeof staff>;

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
  setOutcome(null);
});

describe('扫码结果', () => {
  it('shows the masked person, the colour in words, the 人工输入 tag and the recent records', () => {
    setOutcome({ kind: 'result', result: scanResult({ hasMoreScans: true }) });
    render(<StaffResult />);
    expect(screen.getByTestId('result-name').textContent).toBe('*斌');
    expect(screen.getByTestId('result-id').textContent).toBe('35*****034');
    expect(screen.getByTestId('result-residence').textContent).toBe('福建省福州市鼓楼区');
    const colour = screen.getByTestId('result-colour');
    expect(colour.textContent).toContain('绿码');
    expect(colour.getAttribute('data-colour')).toBe('green');
    expect(screen.getByTestId('method-tag').textContent).toBe('人工输入');
    expect(screen.queryByTestId('area-warning')).toBeNull();
    expect(screen.queryByTestId('scan-refusal')).toBeNull();
    const rec = screen.getByTestId('scan-record');
    expect(within(rec).getByTestId('record-address').textContent).toBe('鼓楼区温泉社区东门');
    expect(within(rec).getByTestId('record-time').textContent).toBe('2026-12-01 09:02:00');
    expect(within(rec).getByTestId('record-temperature').textContent).toBe('未反馈');
    expect(within(rec).getByTestId('record-reason').textContent).toBe('未反馈');
    fireEvent.click(screen.getByTestId('more-scans'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/staff/history/index?scanId=101' });
    fireEvent.click(screen.getByTestId('feedback-open'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/staff/feedback/index?scanId=101' });
  });

  it('tags 身份证识别, none for a camera scan, and an orange code', () => {
    setOutcome({ kind: 'result', result: scanResult({ method: 'ocr', methodText: '身份证识别', colour: 'orange', colourText: '橙码' }) });
    const { unmount } = render(<StaffResult />);
    expect(screen.getByTestId('method-tag').textContent).toBe('身份证识别');
    expect(screen.getByTestId('result-colour').getAttribute('data-colour')).toBe('orange');
    expect(screen.getByTestId('result-colour').textContent).toContain('橙码');
    unmount();
    setOutcome({ kind: 'result', result: scanResult({ method: 'camera', methodText: '扫码', hasMoreScans: false }) });
    render(<StaffResult />);
    expect(screen.queryByTestId('method-tag')).toBeNull();
    expect(screen.queryByTestId('more-scans')).toBeNull();
  });

  it('shows the 14-day area warning with the level in bold and the policy', () => {
    setOutcome({ kind: 'result', result: scanResult({ areaWarning: SPORADIC_WARNING }) });
    render(<StaffResult />);
    const w = screen.getByTestId('area-warning');
    expect(w.textContent).toContain('温馨提示');
    expect(screen.getByTestId('area-warning-text').textContent).toBe('14天内去过的最严重地区是在 厦门市思明区，目前该地区为零星散发疫情区。');
    const level = screen.getByTestId('area-warning-level');
    expect(level.textContent).toBe('零星散发疫情区');
    expect(level.className).toContain('warning-level');
    expect(screen.getByTestId('area-policy').textContent).toBe(`疫情区防控策略：零星散发疫情区-${SPORADIC_WARNING.policy}`);
  });

  it('leaves out the policy line when there is none', () => {
    setOutcome({ kind: 'result', result: scanResult({ areaWarning: { ...SPORADIC_WARNING, policy: null } }) });
    render(<StaffResult />);
    expect(screen.getByTestId('area-warning')).toBeTruthy();
    expect(screen.queryByTestId('area-policy')).toBeNull();
  });

  it('shows a refusal as a red banner with the server message, never as a result', () => {
    setOutcome({ kind: 'refused', code: 'TOKEN_EXPIRED', message: '二维码已过期，请刷新后重新出示' });
    render(<StaffResult />);
    const banner = screen.getByTestId('scan-refusal');
    expect(banner.className).toContain('refusal');
    expect(banner.getAttribute('data-code')).toBe('TOKEN_EXPIRED');
    expect(banner.textContent).toContain('核验未通过');
    expect(screen.getByTestId('scan-refusal-message').textContent).toBe('二维码已过期，请刷新后重新出示');
    expect(screen.queryByTestId('result-colour')).toBeNull();
    expect(screen.queryByTestId('result-name')).toBeNull();
    expect(screen.queryByTestId('feedback-open')).toBeNull();
  });

  it('shows an offline check with the loud notice, and an offline refusal as a refusal', () => {
    setOutcome({ kind: 'offline', checkedAt: '2026-12-01T01:00:00Z', check: { ok: true, kind: 'code', codeNumber: '350100123456', colour: 'orange', issuedAt: 1_796_000_000, expiresAt: 1_796_000_300 } });
    const { unmount } = render(<StaffResult />);
    expect(screen.getByTestId('offline-notice').textContent).toBe(OFFLINE_NOTICE);
    expect(screen.getByTestId('result-colour').getAttribute('data-colour')).toBe('orange');
    expect(screen.getByTestId('offline-code-number').textContent).toBe('350100123456');
    expect(screen.queryByTestId('feedback-open')).toBeNull();
    unmount();
    setOutcome({ kind: 'offline', checkedAt: '2026-12-01T01:00:00Z', check: { ok: false, code: 'TOKEN_BAD_SIGNATURE', message: '二维码签名无效，可能是伪造的健康码，请人工核实' } });
    render(<StaffResult />);
    expect(screen.getByTestId('scan-refusal-message').textContent).toBe('二维码签名无效，可能是伪造的健康码，请人工核实');
    expect(screen.queryByTestId('result-colour')).toBeNull();
  });

  it('says when there is nothing to show', () => {
    render(<StaffResult />);
    expect(screen.getByTestId('result-none')).toBeTruthy();
  });
});

describe('反馈结果', () => {
  it('validates the choices and the optional temperature', () => {
    expect(validateFeedback({ passReason: '', temperatureResult: '', temperature: '' })).toEqual({
      ok: false, errors: { passReason: '请选择通行原因', temperatureResult: '请选择体温结果' },
    });
    for (const t of ['34.9', '42.1', '36.55', 'abc', '3']) {
      const r = validateFeedback({ passReason: 'work', temperatureResult: 'normal', temperature: t });
      expect(r.ok).toBe(false);
    }
    expect(validateFeedback({ passReason: 'work', temperatureResult: 'normal', temperature: '42.1' })).toMatchObject({ errors: { temperature: '体温应在 35.0–42.0℃ 之间' } });
    expect(validateFeedback({ passReason: 'work', temperatureResult: 'normal', temperature: '35.0' })).toEqual({ ok: true, request: { passReason: 'work', temperatureResult: 'normal', temperatureCelsius: 35 } });
    expect(validateFeedback({ passReason: 'medical', temperatureResult: 'abnormal', temperature: '' })).toEqual({ ok: true, request: { passReason: 'medical', temperatureResult: 'abnormal', temperatureCelsius: null } });
  });

  function choose(containerId: string, label: string) {
    const select = within(screen.getByTestId(containerId)).getByTestId('picker-select') as HTMLSelectElement;
    const option = Array.from(select.options).find((o) => o.textContent === label)!;
    fireEvent.change(select, { target: { value: option.value } });
  }

  it('sends the feedback, refreshes the recent records and goes back to the result, which shows them', async () => {
    setOutcome({ kind: 'result', result: scanResult() });
    const done = record({ temperatureResult: 'normal', temperatureText: '体温正常', temperatureCelsius: 36.6, passReason: 'work', passReasonText: '工作' });
    mocked.putFeedback.mockResolvedValue(done);
    mocked.getScanHistory.mockResolvedValue({ items: [done, record({ id: 99, address: '思明区某小区' })], page: 1, pageSize: 3, total: 5 });
    const result = render(<StaffResult />);
    expect(screen.getByTestId('record-temperature').textContent).toBe('未反馈');
    result.unmount();

    routerState.params = { scanId: '101' };
    const fb = render(<StaffFeedback />);
    expect(screen.getByTestId('feedback-warning').textContent).toBe('⚠ 请务必如实反馈每一个人员情况');
    fireEvent.click(screen.getByTestId('feedback-submit'));
    expect(screen.getByTestId('error-passReason').textContent).toBe('请选择通行原因');
    expect(mocked.putFeedback).not.toHaveBeenCalled();
    choose('feedback-reason', '工作');
    choose('feedback-temperature-result', '体温正常');
    fireEvent.change(screen.getByTestId('feedback-temperature'), { target: { value: '36.6' } });
    expect(screen.getByTestId('feedback-reason-value').textContent).toBe('工作');
    fireEvent.click(screen.getByTestId('feedback-submit'));
    await waitFor(() => expect(Taro.navigateBack).toHaveBeenCalled());
    expect(mocked.putFeedback).toHaveBeenCalledWith(101, { passReason: 'work', temperatureResult: 'normal', temperatureCelsius: 36.6 });
    expect(mocked.getScanHistory).toHaveBeenCalledWith(101, 1, 3);
    fb.unmount();

    render(<StaffResult />);
    const recs = screen.getAllByTestId('scan-record');
    expect(recs).toHaveLength(2);
    expect(within(recs[0]).getByTestId('record-temperature').textContent).toBe('体温正常（36.6℃）');
    expect(within(recs[0]).getByTestId('record-reason').textContent).toBe('工作');
    expect(screen.getByTestId('more-scans')).toBeTruthy();
  });

  it('updates an open result page in place', async () => {
    setOutcome({ kind: 'result', result: scanResult() });
    render(<StaffResult />);
    const done = record({ temperatureResult: 'abnormal', temperatureText: '体温异常', passReason: 'medical', passReasonText: '就医' });
    mocked.putFeedback.mockResolvedValue(done);
    mocked.getScanHistory.mockRejectedValue(new ApiError('网络连接失败，请检查网络后重试', 0, 'NETWORK'));
    routerState.params = { scanId: '101' };
    render(<StaffFeedback />);
    choose('feedback-reason', '就医');
    choose('feedback-temperature-result', '体温异常');
    await act(async () => {
      fireEvent.click(screen.getByTestId('feedback-submit'));
    });
    await waitFor(() => expect(screen.getByTestId('record-temperature').textContent).toBe('体温异常'));
    expect(screen.getByTestId('record-reason').textContent).toBe('就医');
  });

  it("shows the server's refusal and stays", async () => {
    mocked.putFeedback.mockRejectedValue(new ApiError('不能反馈其他扫码员的记录', 403, 'SCAN_NOT_OWN'));
    routerState.params = { scanId: '101' };
    render(<StaffFeedback />);
    choose('feedback-reason', '工作');
    choose('feedback-temperature-result', '体温正常');
    fireEvent.click(screen.getByTestId('feedback-submit'));
    expect((await screen.findByTestId('feedback-error')).textContent).toBe('不能反馈其他扫码员的记录');
    expect(Taro.navigateBack).not.toHaveBeenCalled();
  });
});

describe('更多 (history)', () => {
  it('pages through the records', async () => {
    routerState.params = { scanId: '101' };
    mocked.getScanHistory.mockImplementation(async (_id, page) => ({
      items: [record({ id: page * 100, address: `地址${page}` })], page, pageSize: 10, total: 12,
    }));
    render(<StaffHistory />);
    expect((await screen.findByTestId('record-address')).textContent).toBe('地址1');
    expect(screen.getByTestId('history-total').textContent).toBe('共 12 条');
    expect(screen.getByTestId('history-page-no').textContent).toBe('1 / 2');
    fireEvent.click(screen.getByTestId('history-next'));
    await waitFor(() => expect(screen.getByTestId('record-address').textContent).toBe('地址2'));
    expect(mocked.getScanHistory).toHaveBeenLastCalledWith(101, 2, 10);
  });

  it('has an empty state', async () => {
    routerState.params = { scanId: '101' };
    mocked.getScanHistory.mockResolvedValue({ items: [], page: 1, pageSize: 10, total: 0 });
    render(<StaffHistory />);
    expect((await screen.findByTestId('history-empty')).textContent).toBe('暂无扫码记录');
  });
});
