import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { CorrectionView, OriginCheckView } from '@bamin/common/nationalApi';
import { modalAnswers, resetTaroMock, routerState } from './mocks/taro';
import * as api from '../src/services/api';
import { ApiError } from '../src/services/api';
import Correction, { CONFIRM_TEXT } from '../src/pages/correction/index';
import { correctionKinds, validateCorrection } from '../src/pages/correction/validate';
import { greenSelf, orangeSelf } from './fixtures';

jest.mock('../src/services/api', () => ({
  ...jest.requireActual('../src/services/api'),
  getCode: jest.fn(),
  listCorrections: jest.fn(),
  submitCorrection: jest.fn(),
}));

const mocked = api as jest.Mocked<typeof api>;

const YELLOW_GD: OriginCheckView = {
  status: 'checked', provinceCode: '440000', provinceName: '广东省', colour: 'yellow', colourText: '黄码',
  checkedAt: '2026-12-01T01:00:00Z', note: null,
};

function correction(overrides: Partial<CorrectionView> = {}): CorrectionView {
  return {
    id: 1, kind: 'local', kindText: '本省健康码', reason: '已于昨日离开发热门诊，未购买退烧药', status: 'pending', statusText: '待处理',
    decisionNote: null, decidedAt: null, createdAt: '2026-12-01T02:00:00Z', ...overrides,
  };
}

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
  mocked.getCode.mockResolvedValue(orangeSelf());
  mocked.listCorrections.mockResolvedValue([]);
});

function type(value: string) {
  fireEvent.change(screen.getByTestId('correction-reason'), { target: { value } });
}

async function renderCorrection() {
  const utils = render(<Correction />);
  await screen.findByTestId('correction-whose');
  await screen.findByTestId('correction-list-empty');
  return utils;
}

describe('kinds offered', () => {
  it.each([
    ['no origin (a resident)', undefined, ['local']],
    ['origin not found', { ...YELLOW_GD, status: 'not_found', provinceCode: null, provinceName: null, colour: null, colourText: null }, ['local']],
    ['origin pass checked', YELLOW_GD, ['local', 'origin']],
    ['platform unavailable but a pass on record', { ...YELLOW_GD, status: 'unavailable', note: '暂未能核验' }, ['local', 'origin']],
    ['platform unavailable, never checked', { ...YELLOW_GD, status: 'unavailable', provinceCode: null, provinceName: null, colour: null, colourText: null }, ['local']],
  ] as [string, OriginCheckView | undefined, string[]][])('%s → %j', (_name, origin, kinds) => {
    expect(correctionKinds(greenSelf({ origin })).map((k) => k.value)).toEqual(kinds);
  });
});

describe('reason (5–500 characters)', () => {
  it.each([
    ['', '请写明申诉理由（至少 5 个字）'],
    ['  四个字啊  ', '请写明申诉理由（至少 5 个字）'],
    ['字'.repeat(501), '申诉理由最多 500 字（当前 501 字）'],
  ])('refuses %j', (reason, problem) => {
    expect(validateCorrection({ holder: 'self', kind: 'local', reason })).toEqual({ ok: false, errors: { reason: problem } });
  });
  it('accepts 5 and 500, trimmed', () => {
    expect(validateCorrection({ holder: 'self', kind: 'local', reason: ' 五个字够了 ' })).toEqual({ ok: true, request: { holder: 'self', kind: 'local', reason: '五个字够了' } });
    expect(validateCorrection({ holder: '17', kind: 'origin', reason: '字'.repeat(500) }).ok).toBe(true);
  });
});

describe('申诉纠错 page', () => {
  it('offers only 本省健康码 for a code without an origin pass, and counts the characters', async () => {
    await renderCorrection();
    expect(mocked.getCode).toHaveBeenCalledWith('self');
    expect(mocked.listCorrections).toHaveBeenCalledWith('self');
    expect(screen.getByTestId('correction-whose').textContent).toBe('申诉的健康码：本人 *斌 · 橙码');
    expect(screen.getByTestId('correction-kind').textContent).toBe('本省健康码');
    expect(screen.getByTestId('correction-kind-local').className).toContain('chip-on');
    expect(screen.getByTestId('correction-count').textContent).toBe('0/500');
    type('颜色不对');
    expect(screen.getByTestId('correction-count').textContent).toBe('4/500');
    fireEvent.click(screen.getByTestId('correction-submit'));
    expect(screen.getByTestId('error-reason').textContent).toBe('请写明申诉理由（至少 5 个字）');
    expect(Taro.showModal).not.toHaveBeenCalled();
    expect(mocked.submitCorrection).not.toHaveBeenCalled();
  });

  it('offers 来源地健康通行码 when the code carries an origin pass and sends the exact body after the confirmation', async () => {
    routerState.params = { holder: '17' };
    mocked.getCode.mockResolvedValue(orangeSelf({ holder: '17', relation: 'parent', nameMasked: '**华', origin: YELLOW_GD }));
    mocked.submitCorrection.mockResolvedValue(correction({ kind: 'origin', kindText: '来源地健康通行码', status: 'forwarded', statusText: '已转国家平台' }));
    await renderCorrection();
    expect(mocked.getCode).toHaveBeenCalledWith('17');
    expect(screen.getByTestId('correction-kind').textContent).toBe('本省健康码来源地健康通行码');
    fireEvent.click(screen.getByTestId('correction-kind-origin'));
    expect(screen.getByTestId('correction-origin').textContent).toBe('来源地健康通行码：广东省 黄码');
    type('  我已在广东做过核酸，结果阴性  ');
    // The first confirmation is cancelled: nothing is sent.
    modalAnswers.push({ confirm: false });
    fireEvent.click(screen.getByTestId('correction-submit'));
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalledTimes(1));
    expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '提交申诉', content: CONFIRM_TEXT.origin }));
    expect(mocked.submitCorrection).not.toHaveBeenCalled();
    mocked.listCorrections.mockResolvedValue([correction({ kind: 'origin', kindText: '来源地健康通行码', status: 'forwarded', statusText: '已转国家平台' })]);
    fireEvent.click(screen.getByTestId('correction-submit'));
    await waitFor(() => expect(mocked.submitCorrection).toHaveBeenCalledTimes(1));
    expect(mocked.submitCorrection).toHaveBeenCalledWith({ holder: '17', kind: 'origin', reason: '我已在广东做过核酸，结果阴性' });
    expect(await screen.findByTestId('correction-item-status')).toHaveProperty('textContent', '已转国家平台');
    expect(Taro.showToast).toHaveBeenCalledWith({ title: '申诉已提交', icon: 'success' });
    expect((screen.getByTestId('correction-reason') as HTMLTextAreaElement).value).toBe('');
    expect(mocked.listCorrections).toHaveBeenLastCalledWith('17');
  });

  it("shows the server's refusal and its field problems", async () => {
    await renderCorrection();
    type('已于昨日离开发热门诊');
    mocked.submitCorrection.mockRejectedValueOnce(new ApiError('该健康码已有一条正在处理的申诉，请等待处理结果', 409, 'CORRECTION_OPEN'));
    fireEvent.click(screen.getByTestId('correction-submit'));
    expect((await screen.findByTestId('correction-error')).textContent).toBe('该健康码已有一条正在处理的申诉，请等待处理结果');
    expect(mocked.submitCorrection).toHaveBeenCalledWith({ holder: 'self', kind: 'local', reason: '已于昨日离开发热门诊' });
    mocked.submitCorrection.mockRejectedValueOnce(new ApiError('请求参数不正确', 400, 'VALIDATION_FAILED', [{ field: 'reason', problem: '请写明申诉理由（至少 5 个字）' }]));
    fireEvent.click(screen.getByTestId('correction-submit'));
    expect((await screen.findByTestId('error-reason')).textContent).toBe('请写明申诉理由（至少 5 个字）');
    expect(screen.getByTestId('correction-error').textContent).toBe('请求参数不正确');
  });

  it('lists the corrections with their status and the decision note', async () => {
    mocked.listCorrections.mockResolvedValue([
      correction({ id: 3, status: 'rejected', statusText: '未采纳', decisionNote: '发热门诊记录属实', decidedAt: '2026-12-02T03:00:00Z' }),
      correction({ id: 2, status: 'accepted', statusText: '已采纳', decisionNote: '已核实为误登记', decidedAt: '2026-12-01T08:00:00Z' }),
      correction({ id: 1, kind: 'origin', kindText: '来源地健康通行码', status: 'forward_failed', statusText: '转国家平台失败，将自动重试' }),
    ]);
    render(<Correction />);
    const items = await screen.findAllByTestId('correction-item');
    expect(items.map((i) => within(i).getByTestId('correction-item-status').textContent)).toEqual(['未采纳', '已采纳', '转国家平台失败，将自动重试']);
    expect(within(items[0]).getByTestId('correction-item-status').className).toContain('correction-status-rejected');
    expect(within(items[0]).getByTestId('correction-item-note').textContent).toBe('处理意见：发热门诊记录属实');
    expect(items[0].textContent).toContain('处理时间：2026-12-02 11:00');
    expect(within(items[2]).getByTestId('correction-item-kind').textContent).toBe('来源地健康通行码');
    expect(within(items[2]).queryByTestId('correction-item-note')).toBeNull();
  });
});
