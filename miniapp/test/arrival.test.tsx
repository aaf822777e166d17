import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { addDays, shanghaiDay } from '@bamin/common/dates';
import type { ArrivalDeclarationView } from '@bamin/common/nationalApi';
import { resetTaroMock } from './mocks/taro';
import * as api from '../src/services/api';
import { ApiError } from '../src/services/api';
import Arrival, { declaredText } from '../src/pages/arrival/index';
import { arrivalDateRange, validateArrival } from '../src/pages/arrival/validate';

jest.mock('../src/services/api', () => ({
  ...jest.requireActual('../src/services/api'),
  listAreas: jest.fn(),
  listArrivalDeclarations: jest.fn(),
  submitArrivalDeclaration: jest.fn(),
}));

const mocked = api as jest.Mocked<typeof api>;

const PROVINCES = [
  { code: '110000', name: '北京市', level: 'province' as const },
  { code: '350000', name: '福建省', level: 'province' as const },
  { code: '440000', name: '广东省', level: 'province' as const },
];

function declaration(overrides: Partial<ArrivalDeclarationView> = {}): ArrivalDeclarationView {
  return { id: 1, originProvinceCode: '440000', originProvinceName: '广东省', arrivalDate: '2026-11-30', createdAt: '2026-11-30T01:00:00Z', ...overrides };
}

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
  mocked.listAreas.mockResolvedValue(PROVINCES);
  mocked.listArrivalDeclarations.mockResolvedValue([]);
});

async function renderArrival() {
  const utils = render(<Arrival />);
  await screen.findByTestId('arrival-list-empty');
  return utils;
}

async function pickProvince(name: string) {
  const select = within(screen.getByTestId('arrival-province')).getByTestId('picker-select') as HTMLSelectElement;
  await waitFor(() => expect(select.options.length).toBeGreaterThan(1));
  const index = Array.from(select.options).findIndex((o) => o.textContent === name) - 1;
  await act(async () => {
    fireEvent.change(select, { target: { value: String(index) } });
  });
}

function pickDate(day: string) {
  fireEvent.change(within(screen.getByTestId('arrival-date')).getByTestId('picker-date'), { target: { value: day } });
}

describe('入闽日期 range (the last 14 days or the next 3, Beijing days)', () => {
  // 2026-12-01 00:30 in Beijing is still 2026-11-30 in UTC: the Beijing day counts.
  const now = new Date('2026-11-30T16:30:00Z');
  it('is 13 days back to 3 days ahead of the Beijing day', () => {
    expect(arrivalDateRange(now)).toEqual({ start: '2026-11-18', end: '2026-12-04', today: '2026-12-01' });
  });
  it.each([
    ['2026-11-18', true],
    ['2026-11-17', false],
    ['2026-12-01', true],
    ['2026-12-04', true],
    ['2026-12-05', false],
  ])('%s allowed: %s', (day, ok) => {
    const r = validateArrival({ originProvinceCode: '440000', arrivalDate: day }, now);
    expect(r.ok).toBe(ok);
    if (!ok) expect(!r.ok && r.errors.arrivalDate).toBe('入闽日期须在近 14 天内或未来 3 天内（2026-11-18 至 2026-12-04）');
  });
  it('refuses a missing or impossible date, no province and Fujian itself', () => {
    expect(validateArrival({ originProvinceCode: '', arrivalDate: '' }, now)).toEqual({
      ok: false, errors: { originProvinceCode: '请选择出发地所在省（自治区、直辖市）', arrivalDate: '请选择入闽日期' },
    });
    expect(validateArrival({ originProvinceCode: '350000', arrivalDate: '2026-11-31' }, now)).toEqual({
      ok: false, errors: { originProvinceCode: '出发地应为福建省以外的省份', arrivalDate: '请选择入闽日期' },
    });
    expect(validateArrival({ originProvinceCode: '440100', arrivalDate: '2026-12-01' }, now).ok).toBe(false);
  });
});

describe('入闽申报 page', () => {
  const today = shanghaiDay(new Date());

  it('offers the provinces but Fujian, defaults the date to today within the allowed range', async () => {
    await renderArrival();
    const select = within(screen.getByTestId('arrival-province')).getByTestId('picker-select') as HTMLSelectElement;
    await waitFor(() => expect(select.options.length).toBe(3));
    expect(Array.from(select.options).map((o) => o.textContent)).toEqual(['-', '北京市', '广东省']);
    expect(screen.getByTestId('arrival-date-value').textContent).toBe(today);
    const date = within(screen.getByTestId('arrival-date')).getByTestId('picker-date');
    expect(date.getAttribute('data-start')).toBe(addDays(today, -13));
    expect(date.getAttribute('data-end')).toBe(addDays(today, 3));
    expect(mocked.listAreas).toHaveBeenCalledWith();
  });

  it('requires the province before calling', async () => {
    await renderArrival();
    fireEvent.click(screen.getByTestId('arrival-submit'));
    expect(screen.getByTestId('error-originProvinceCode').textContent).toBe('请选择出发地所在省（自治区、直辖市）');
    expect(screen.getByTestId('arrival-error').textContent).toBe('请检查标红的填写项');
    expect(mocked.submitArrivalDeclaration).not.toHaveBeenCalled();
  });

  it('refuses a date out of range on the device', async () => {
    await renderArrival();
    await pickProvince('广东省');
    pickDate(addDays(today, 4));
    fireEvent.click(screen.getByTestId('arrival-submit'));
    expect(screen.getByTestId('error-arrivalDate').textContent).toContain('入闽日期须在近 14 天内或未来 3 天内');
    expect(mocked.submitArrivalDeclaration).not.toHaveBeenCalled();
  });

  it('posts the exact body, shows the result and goes back to the code page', async () => {
    const day = addDays(today, -2);
    mocked.submitArrivalDeclaration.mockResolvedValue(declaration({ arrivalDate: day }));
    await renderArrival();
    await pickProvince('广东省');
    pickDate(day);
    expect(screen.getByTestId('arrival-province-value').textContent).toBe('广东省');
    fireEvent.click(screen.getByTestId('arrival-submit'));
    await waitFor(() => expect(Taro.navigateBack).toHaveBeenCalled());
    expect(mocked.submitArrivalDeclaration).toHaveBeenCalledWith({ originProvinceCode: '440000', arrivalDate: day });
    expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '申报成功', content: declaredText(declaration({ arrivalDate: day })) }));
    expect(declaredText(declaration())).toBe('出发地：广东省，入闽日期：2026-11-30。来源地健康通行码的核验结果将显示在您的八闽健康码页面。');
  });

  it("shows the server's field problem under its field", async () => {
    mocked.submitArrivalDeclaration.mockRejectedValue(new ApiError('请求参数不正确', 400, 'VALIDATION_FAILED', [
      { field: 'arrivalDate', problem: '入闽日期须在近 14 天内或未来 3 天内' },
    ]));
    await renderArrival();
    await pickProvince('北京市');
    fireEvent.click(screen.getByTestId('arrival-submit'));
    expect((await screen.findByTestId('error-arrivalDate')).textContent).toBe('入闽日期须在近 14 天内或未来 3 天内');
    expect(screen.getByTestId('arrival-error').textContent).toBe('请求参数不正确');
    expect(mocked.submitArrivalDeclaration).toHaveBeenCalledWith({ originProvinceCode: '110000', arrivalDate: today });
    expect(Taro.navigateBack).not.toHaveBeenCalled();
  });

  it('lists earlier declarations, newest first as the server sends them', async () => {
    mocked.listArrivalDeclarations.mockResolvedValue([
      declaration({ id: 2, originProvinceName: '北京市', arrivalDate: '2026-12-01' }),
      declaration({ id: 1 }),
    ]);
    render(<Arrival />);
    const items = await screen.findAllByTestId('arrival-item');
    expect(items.map((i) => within(i).getByTestId('arrival-item-origin').textContent)).toEqual(['出发地：北京市', '出发地：广东省']);
    expect(within(items[1]).getByTestId('arrival-item-date').textContent).toBe('入闽日期：2026-11-30');
    expect(items[1].textContent).toContain('申报时间：2026-11-30 09:00');
  });
});
