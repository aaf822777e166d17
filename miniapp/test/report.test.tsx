import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { HealthReportView } from '@bamin/common/appApi';
import { resetTaroMock, routerState } from './mocks/taro';
import * as api from '../src/services/api';
import Report, { HISTORY_PAGE_SIZE, placeText, temperatureText } from '../src/pages/report/index';
import { checkTemperature, toggleSymptom, validateReportForm, EMPTY_REPORT_FORM } from '../src/pages/report/validate';
import { CODES } from './fixtures';

jest.mock('../src/services/api', () => ({
  ...jest.requireActual('../src/services/api'),
  listCodes: jest.fn(),
  listAreas: jest.fn(),
  listHealthReports: jest.fn(),
  submitHealthReport: jest.fn(),
}));

const mocked = api as jest.Mocked<typeof api>;

const AREAS: Record<string, { code: string; name: string; level: 'province' | 'city' | 'county' }[]> = {
  '': [{ code: '350000', name: '福建省', level: 'province' }],
  '350000': [{ code: '350100', name: '福州市', level: 'city' }],
  '350100': [{ code: '350102', name: '鼓楼区', level: 'county' }, { code: '350103', name: '台江区', level: 'county' }],
};

function report(id: number, overrides: Partial<HealthReportView> = {}): HealthReportView {
  return {
    id,
    reportType: 'self',
    typeText: '本人上报',
    reportedAt: '2026-12-01T01:30:00Z',
    temperatureCelsius: 36.5,
    symptoms: ['none'],
    symptomText: '无症状',
    areaCode: '350102',
    areaName: '福建省福州市鼓楼区',
    location: '五一路 1 号',
    ...overrides,
  };
}

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
  mocked.listCodes.mockResolvedValue(CODES);
  mocked.listAreas.mockImplementation(async (parent?: string) => AREAS[parent ?? ''] ?? []);
  mocked.listHealthReports.mockResolvedValue({ items: [], page: 1, pageSize: HISTORY_PAGE_SIZE, total: 0 });
  (Taro.getLocation as jest.Mock).mockReset();
});

function type(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

async function pick(level: number, index: number) {
  const column = screen.getByTestId(`report-area-level-${level}`);
  const select = within(column).getByTestId('picker-select') as HTMLSelectElement;
  await waitFor(() => expect(select.options.length).toBeGreaterThan(index + 1));
  // Picking a level loads the next one: let that answer land inside act.
  await act(async () => {
    fireEvent.change(select, { target: { value: String(index) } });
  });
}

async function pickCounty() {
  await pick(0, 0);
  await pick(1, 0);
  await pick(2, 0);
}

async function renderReport() {
  const utils = render(<Report />);
  await screen.findByTestId('report-history-empty');
  return utils;
}

describe('temperature (35.0–42.0 ℃, one decimal)', () => {
  it.each([
    ['', '请填写体温'],
    ['abc', '体温格式不正确，如 36.5'],
    ['36.', '体温格式不正确，如 36.5'],
    ['-36', '体温格式不正确，如 36.5'],
    ['36.55', '体温最多保留 1 位小数'],
    ['34.9', '体温应在 35.0–42.0 ℃ 之间'],
    ['42.1', '体温应在 35.0–42.0 ℃ 之间'],
  ])('refuses %j: %s', (text, problem) => {
    expect(checkTemperature(text)).toEqual({ ok: false, problem });
  });

  it.each([
    ['35.0', 35],
    ['35', 35],
    [' 36.5 ', 36.5],
    ['42.0', 42],
    ['42', 42],
  ])('accepts %j as %d', (text, value) => {
    expect(checkTemperature(text)).toEqual({ ok: true, value });
  });
});

describe('symptoms (是否有以下症状（必选）)', () => {
  it('无症状 clears the others; another symptom clears 无症状; a second tap unpicks', () => {
    expect(toggleSymptom(['fever', 'dry_cough'], 'none')).toEqual(['none']);
    expect(toggleSymptom(['none'], 'fever')).toEqual(['fever']);
    expect(toggleSymptom(['other'], 'fever')).toEqual(['fever', 'other']);
    expect(toggleSymptom(['fever', 'other'], 'fever')).toEqual(['other']);
    expect(toggleSymptom(['none'], 'none')).toEqual([]);
  });

  it('refuses 无症状 together with another symptom even if the form was built by hand', () => {
    const r = validateReportForm({ ...EMPTY_REPORT_FORM, temperature: '36.5', symptoms: ['none', 'fever'], areaCode: '350102', location: 'x' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual({ symptoms: '“无症状”不能与其他症状同时选择' });
  });

  it('sends otherSymptom only with 其他症状', () => {
    const base = { ...EMPTY_REPORT_FORM, temperature: '36.5', areaCode: '350102', location: 'x', otherSymptom: '头痛' };
    const plain = validateReportForm({ ...base, symptoms: ['fever'] });
    expect(plain.ok && plain.request.otherSymptom).toBeNull();
    const other = validateReportForm({ ...base, symptoms: ['other'] });
    expect(other.ok && other.request.otherSymptom).toBe('头痛');
  });
});

describe('health report page', () => {
  it('lists the holders of GET codes and requires every field on an empty form', async () => {
    await renderReport();
    await waitFor(() => expect(screen.getByTestId('report-holder').textContent).toContain('父母 **华'));
    expect(screen.getByTestId('report-holder').textContent).toContain('本人');
    expect(screen.getByTestId('report-holder-self').className).toContain('chip-on');
    for (const s of ['无症状', '发热', '干咳', '身体乏力', '其他症状']) expect(screen.getByTestId('report-symptoms').textContent).toContain(s);
    expect(screen.getByText('是否有以下症状（必选）')).toBeTruthy();
    fireEvent.click(screen.getByTestId('report-submit'));
    expect(screen.getByTestId('error-temperature').textContent).toBe('请填写体温');
    expect(screen.getByTestId('error-symptoms').textContent).toBe('请选择是否有以下症状');
    expect(screen.getByTestId('error-areaCode').textContent).toBe('请选择当前所在地区（省、市、区县）');
    expect(screen.getByTestId('error-location').textContent).toBe('请填写具体位置，或点击“定位当前位置”');
    expect(screen.getByTestId('report-error').textContent).toBe('请检查标红的填写项');
    expect(mocked.submitHealthReport).not.toHaveBeenCalled();
  });

  it('makes 无症状 exclusive in the chips', async () => {
    await renderReport();
    fireEvent.click(screen.getByTestId('report-symptom-fever'));
    fireEvent.click(screen.getByTestId('report-symptom-dry_cough'));
    expect(screen.getByTestId('report-symptom-fever').className).toContain('chip-on');
    fireEvent.click(screen.getByTestId('report-symptom-none'));
    expect(screen.getByTestId('report-symptom-none').className).toContain('chip-on');
    expect(screen.getByTestId('report-symptom-fever').className).not.toContain('chip-on');
    expect(screen.getByTestId('report-symptom-dry_cough').className).not.toContain('chip-on');
    fireEvent.click(screen.getByTestId('report-symptom-fatigue'));
    expect(screen.getByTestId('report-symptom-none').className).not.toContain('chip-on');
    expect(screen.getByTestId('report-symptom-fatigue').className).toContain('chip-on');
  });

  it('reveals a required text field with 其他症状', async () => {
    await renderReport();
    expect(screen.queryByTestId('report-other-symptom')).toBeNull();
    fireEvent.click(screen.getByTestId('report-symptom-other'));
    expect(screen.getByTestId('report-other-symptom')).toBeTruthy();
    type('report-temperature', '36.8');
    type('report-location', '五一路 1 号');
    await pickCounty();
    fireEvent.click(screen.getByTestId('report-submit'));
    expect(screen.getByTestId('error-otherSymptom').textContent).toBe('请填写其他症状');
    expect(screen.queryByTestId('error-temperature')).toBeNull();
    expect(screen.queryByTestId('error-areaCode')).toBeNull();
    expect(mocked.submitHealthReport).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('report-symptom-other'));
    expect(screen.queryByTestId('report-other-symptom')).toBeNull();
  });

  it('shows the temperature problems on the form', async () => {
    await renderReport();
    type('report-temperature', '36.55');
    fireEvent.click(screen.getByTestId('report-submit'));
    expect(screen.getByTestId('error-temperature').textContent).toBe('体温最多保留 1 位小数');
    type('report-temperature', '42.5');
    fireEvent.click(screen.getByTestId('report-submit'));
    expect(screen.getByTestId('error-temperature').textContent).toBe('体温应在 35.0–42.0 ℃ 之间');
  });

  it('requires the county: a city alone is not enough', async () => {
    await renderReport();
    type('report-temperature', '36.5');
    fireEvent.click(screen.getByTestId('report-symptom-none'));
    type('report-location', '五一路 1 号');
    await pick(0, 0);
    await pick(1, 0);
    fireEvent.click(screen.getByTestId('report-submit'));
    expect(screen.getByTestId('error-areaCode').textContent).toBe('请选择当前所在地区（省、市、区县）');
    expect(mocked.submitHealthReport).not.toHaveBeenCalled();
  });

  it('submits a family member\'s report with 发热 and 其他症状, the located position, then shows the new history', async () => {
    routerState.params = { holder: '17' };
    (Taro.getLocation as jest.Mock).mockResolvedValue({ latitude: 26.07451, longitude: 119.29649 });
    const created = report(5, { reportType: 'family', typeText: '家人代报', temperatureCelsius: 38.2, symptoms: ['fever', 'other'], symptomText: '发热、其他症状（头痛）', location: '北纬26.0745° 东经119.2965°' });
    mocked.submitHealthReport.mockResolvedValue(created);
    mocked.listHealthReports
      .mockResolvedValueOnce({ items: [], page: 1, pageSize: HISTORY_PAGE_SIZE, total: 0 })
      .mockResolvedValueOnce({ items: [created], page: 1, pageSize: HISTORY_PAGE_SIZE, total: 1 });
    await renderReport();
    await waitFor(() => expect(screen.getByTestId('report-holder-17').className).toContain('chip-on'));
    expect(mocked.listHealthReports).toHaveBeenCalledWith('17', 1, HISTORY_PAGE_SIZE);
    type('report-temperature', ' 38.2 ');
    fireEvent.click(screen.getByTestId('report-symptom-fever'));
    fireEvent.click(screen.getByTestId('report-symptom-other'));
    type('report-other-symptom', ' 头痛 ');
    await pickCounty();
    fireEvent.click(screen.getByTestId('report-locate'));
    await waitFor(() => expect((screen.getByTestId('report-location') as HTMLInputElement).value).toBe('北纬26.0745° 东经119.2965°'));
    fireEvent.click(screen.getByTestId('report-submit'));
    await waitFor(() => expect(mocked.submitHealthReport).toHaveBeenCalledTimes(1));
    expect(mocked.submitHealthReport.mock.calls[0][0]).toEqual({
      holder: '17',
      temperatureCelsius: 38.2,
      symptoms: ['fever', 'other'],
      otherSymptom: '头痛',
      areaCode: '350102',
      location: '北纬26.0745° 东经119.2965°',
    });
    await waitFor(() => expect(Taro.showToast).toHaveBeenCalledWith({ title: '上报成功', icon: 'success' }));
    const item = await screen.findByTestId('report-item');
    expect(item.textContent).toContain('家人代报');
    expect(item.textContent).toContain('2026-12-01 09:30');
    expect(item.textContent).toContain('体温：38.2℃');
    expect(item.textContent).toContain('症状：发热、其他症状（头痛）');
    expect(item.textContent).toContain('地点：福建省福州市鼓楼区 北纬26.0745° 东经119.2965°');
    // The readings are cleared for the next report; the place stays.
    expect((screen.getByTestId('report-temperature') as HTMLInputElement).value).toBe('');
    expect(screen.getByTestId('report-symptom-fever').className).not.toContain('chip-on');
    expect((screen.getByTestId('report-location') as HTMLInputElement).value).toBe('北纬26.0745° 东经119.2965°');
  });

  it('keeps the form and shows a message when locating fails', async () => {
    (Taro.getLocation as jest.Mock).mockRejectedValue(new Error('denied'));
    await renderReport();
    fireEvent.click(screen.getByTestId('report-locate'));
    expect((await screen.findByTestId('report-locate-error')).textContent).toBe('定位失败，请检查定位权限后重试，或直接输入具体位置');
  });

  it("shows the server's field problems", async () => {
    mocked.submitHealthReport.mockRejectedValue(new api.ApiError('请求参数有误', 400, 'VALIDATION_FAILED', [{ field: 'temperatureCelsius', problem: '体温超出范围' }]));
    await renderReport();
    type('report-temperature', '36.5');
    fireEvent.click(screen.getByTestId('report-symptom-none'));
    type('report-location', '五一路');
    await pickCounty();
    fireEvent.click(screen.getByTestId('report-submit'));
    expect((await screen.findByTestId('error-temperature')).textContent).toBe('体温超出范围');
    expect(screen.getByTestId('report-error').textContent).toBe('请求参数有误');
    expect(Taro.showToast).not.toHaveBeenCalled();
  });

  it('falls back to oneself for a holder that is not among the codes, and reloads the history when the holder changes', async () => {
    routerState.params = { holder: '999' };
    await renderReport();
    await waitFor(() => expect(screen.getByTestId('report-holder-self').className).toContain('chip-on'));
    await waitFor(() => expect(mocked.listHealthReports).toHaveBeenLastCalledWith('self', 1, HISTORY_PAGE_SIZE));
    fireEvent.click(screen.getByTestId('report-holder-17'));
    await waitFor(() => expect(mocked.listHealthReports).toHaveBeenLastCalledWith('17', 1, HISTORY_PAGE_SIZE));
  });

  it('lists the history newest first and loads more', async () => {
    const first = Array.from({ length: HISTORY_PAGE_SIZE }, (_, i) => report(100 - i));
    mocked.listHealthReports
      .mockResolvedValueOnce({ items: first, page: 1, pageSize: HISTORY_PAGE_SIZE, total: 11 })
      .mockResolvedValueOnce({ items: [report(1, { reportType: 'scan', typeText: '扫码登记', temperatureCelsius: null, location: null })], page: 2, pageSize: HISTORY_PAGE_SIZE, total: 11 });
    render(<Report />);
    await waitFor(() => expect(screen.getAllByTestId('report-item')).toHaveLength(HISTORY_PAGE_SIZE));
    fireEvent.click(screen.getByTestId('report-history-more'));
    await waitFor(() => expect(screen.getAllByTestId('report-item')).toHaveLength(11));
    expect(mocked.listHealthReports).toHaveBeenLastCalledWith('self', 2, HISTORY_PAGE_SIZE);
    const last = screen.getAllByTestId('report-item')[10];
    expect(last.textContent).toContain('扫码登记');
    expect(last.textContent).toContain('体温：—');
    expect(last.textContent).toContain('地点：福建省福州市鼓楼区');
    expect(screen.queryByTestId('report-history-more')).toBeNull();
  });

  it('sends an expired session to login', async () => {
    mocked.listHealthReports.mockRejectedValue(new api.ApiError('请先登录', 401, 'UNAUTHENTICATED'));
    render(<Report />);
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' }));
    await act(async () => undefined);
  });

  it('formats temperatures and places', () => {
    expect(temperatureText(36)).toBe('36.0℃');
    expect(temperatureText(null)).toBe('—');
    expect(placeText({ areaName: null, location: null })).toBe('—');
    expect(placeText({ areaName: '福建省福州市鼓楼区', location: ' ' })).toBe('福建省福州市鼓楼区');
  });
});
