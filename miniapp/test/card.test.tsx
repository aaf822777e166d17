// 健康码卡片 (H4): the card page for oneself or a family member (preview, PDF, 作废 and 补办 each confirmed first,
// earlier cards with their status), the code page's entry to it, and the scanner's result for a card online
// (current colour and the card marker) and offline (validity and the warning, never a colour).
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { CardView } from '@bamin/common/cardApi';
import { modalAnswers, resetTaroMock, routerState } from './mocks/taro';
import * as api from '../src/services/api';
import * as cardFile from '../src/services/cardFile';
import Card, { REISSUE_CONFIRM, REVOKE_CONFIRM } from '../src/pages/card/index';
import Code from '../src/pages/code/index';
import StaffResult from '../src/pages/staff/result/index';
import { isRefusal } from '../src/services/scan';
import { setOutcome } from '../src/services/staffStore';
import { OFFLINE_CARD_NOTICE } from '../src/services/offlineCheck';
import { CODES, greenSelf } from './fixtures';
import { scanResult } from './staffFixtures';

jest.mock('../src/services/api', () => ({
  ...jest.requireActual('../src/services/api'),
  listCards: jest.fn(),
  issueCard: jest.fn(),
  revokeCard: jest.fn(),
  reissueCard: jest.fn(),
  listCodes: jest.fn(),
  getCode: jest.fn(),
  unreadMessageCount: jest.fn(),
}));
jest.mock('../src/services/cardFile', () => ({ downloadCardFile: jest.fn(), openCardPdf: jest.fn() }));

const mocked = api as jest.Mocked<typeof api>;
const files = cardFile as jest.Mocked<typeof cardFile>;

function card(overrides: Partial<CardView> = {}): CardView {
  return {
    cardId: 7,
    holder: '17',
    nameMasked: '**华',
    issuedAt: '2026-12-01T02:00:00.000Z',
    expiresAt: '2026-12-15T02:00:00.000Z',
    validUntil: '2026-12-15',
    status: 'active',
    statusText: '有效',
    revokedAt: null,
    revokeReason: null,
    ...overrides,
  };
}
const revoked = card({ cardId: 5, status: 'revoked', statusText: '已作废', revokedAt: '2026-11-30T02:00:00.000Z', revokeReason: '卡片遗失' });

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
  routerState.params = { holder: '17' };
  mocked.listCodes.mockResolvedValue(CODES);
  files.downloadCardFile.mockResolvedValue('blob:card-png');
  files.openCardPdf.mockResolvedValue(undefined);
});

describe('card page', () => {
  it("shows the family member's active card as its PNG, with the validity, and earlier cards with their status", async () => {
    mocked.listCards.mockResolvedValue([card(), revoked]);
    render(<Card />);
    const preview = await screen.findByTestId('card-preview');
    expect(preview.getAttribute('src')).toBe('blob:card-png');
    expect(mocked.listCards).toHaveBeenCalledWith('17');
    expect(files.downloadCardFile).toHaveBeenCalledWith(7, 'png');
    expect(screen.getByTestId('card-name').textContent).toBe('**华');
    expect(screen.getByTestId('card-validity').textContent).toBe('有效期至 2026-12-15');
    await waitFor(() => expect(screen.getByText(/健康码卡片 · 父母 \*\*华/)).toBeTruthy());
    expect(screen.getByTestId('card-intro').textContent).toContain('本卡不显示健康码颜色，以扫码核验结果为准');
    const items = screen.getAllByTestId('card-item');
    expect(items).toHaveLength(1);
    expect(items[0].getAttribute('data-status')).toBe('revoked');
    expect(screen.getByTestId('card-item-status').textContent).toBe('已作废');
    expect(screen.getByTestId('card-item-revoked').textContent).toContain('卡片遗失');
  });

  it('downloads the PDF for printing', async () => {
    mocked.listCards.mockResolvedValue([card()]);
    render(<Card />);
    fireEvent.click(await screen.findByTestId('card-pdf'));
    await waitFor(() => expect(files.openCardPdf).toHaveBeenCalledWith(7));
  });

  it('issues a card when there is none active', async () => {
    mocked.listCards.mockResolvedValueOnce([revoked]).mockResolvedValueOnce([card(), revoked]);
    mocked.issueCard.mockResolvedValue(card());
    render(<Card />);
    expect(await screen.findByTestId('card-none')).toBeTruthy();
    expect(files.downloadCardFile).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('card-issue'));
    await screen.findByTestId('card-preview');
    expect(mocked.issueCard).toHaveBeenCalledWith('17');
  });

  it('作废 asks first: cancelled nothing happens; confirmed the card is revoked and the list reloads', async () => {
    mocked.listCards.mockResolvedValueOnce([card()]).mockResolvedValue([card({ status: 'revoked', statusText: '已作废' })]);
    mocked.revokeCard.mockResolvedValue(card({ status: 'revoked', statusText: '已作废' }));
    render(<Card />);
    modalAnswers.push({ confirm: false });
    fireEvent.click(await screen.findByTestId('card-revoke'));
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: REVOKE_CONFIRM, confirmText: '作废' })));
    expect(mocked.revokeCard).not.toHaveBeenCalled();
    modalAnswers.push({ confirm: true });
    fireEvent.click(screen.getByTestId('card-revoke'));
    await waitFor(() => expect(mocked.revokeCard).toHaveBeenCalledWith(7));
    expect(await screen.findByTestId('card-none')).toBeTruthy();
    expect(screen.getAllByTestId('card-item-status')[0].textContent).toBe('已作废');
  });

  it('补办 asks first, then shows the new card', async () => {
    const fresh = card({ cardId: 8, validUntil: '2026-12-20' });
    mocked.listCards.mockResolvedValueOnce([card()]).mockResolvedValue([fresh, card({ status: 'revoked', statusText: '已作废', revokeReason: '补办新卡' })]);
    mocked.reissueCard.mockResolvedValue(fresh);
    modalAnswers.push({ confirm: true });
    render(<Card />);
    fireEvent.click(await screen.findByTestId('card-reissue'));
    await waitFor(() => expect(mocked.reissueCard).toHaveBeenCalledWith(7));
    expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: REISSUE_CONFIRM, confirmText: '补办' }));
    await waitFor(() => expect(screen.getByTestId('card-validity').textContent).toBe('有效期至 2026-12-20'));
    expect(files.downloadCardFile).toHaveBeenLastCalledWith(8, 'png');
  });

  it('says why when the server refuses', async () => {
    mocked.listCards.mockRejectedValue(new api.ApiError('未找到该家人', 404, 'FAMILY_NOT_FOUND'));
    render(<Card />);
    expect((await screen.findByTestId('card-error')).textContent).toBe('未找到该家人');
  });
});

describe('code page entry', () => {
  it('打印健康码卡片 opens the card page for the code shown', async () => {
    routerState.params = { holder: '17' };
    mocked.getCode.mockResolvedValue(greenSelf({ holder: '17', relation: 'parent', nameMasked: '**华' }));
    mocked.unreadMessageCount.mockResolvedValue(0);
    render(<Code />);
    fireEvent.click(await screen.findByTestId('card-link'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/card/index?holder=17' });
  });
});

describe('scanner result for a card', () => {
  it('online: the current colour and the card marker', () => {
    setOutcome({
      kind: 'result',
      result: scanResult({ method: 'camera', methodText: '扫码', colour: 'orange', colourText: '橙码', card: { expiresAt: '2026-12-15T02:00:00.000Z', validUntil: '2026-12-15', text: '健康码卡片 · 有效期至 2026-12-15' } }),
    });
    render(<StaffResult />);
    expect(screen.getByTestId('result-colour').textContent).toContain('橙码');
    expect(screen.getByTestId('result-card').textContent).toBe('健康码卡片 · 有效期至 2026-12-15');
  });

  it('offline: the validity and the warning that the colour is unknown, and no colour at all', () => {
    setOutcome({
      kind: 'offline',
      checkedAt: '2026-12-01T03:00:00Z',
      check: { ok: true, kind: 'card', codeNumber: '350100123456', colour: null, issuedAt: Date.parse('2026-12-01T02:00:00Z') / 1000, expiresAt: Date.parse('2026-12-15T02:00:00Z') / 1000 },
    });
    render(<StaffResult />);
    expect(screen.getByTestId('offline-notice').textContent).toBe(OFFLINE_CARD_NOTICE);
    expect(screen.getByTestId('offline-card-warning').textContent).toContain('离线核验：无法确认当前健康码颜色，请联网后复核');
    expect(screen.getByTestId('offline-card-validity').textContent).toBe('卡片有效期至 2026-12-15');
    expect(screen.queryByTestId('result-colour')).toBeNull();
    expect(screen.getByTestId('result-page').textContent).not.toMatch(/绿码|橙码/);
  });

  it('a revoked or expired card is a refusal', () => {
    for (const code of ['CARD_REVOKED', 'CARD_EXPIRED']) expect(isRefusal(new api.ApiError('该健康码卡片已作废', 410, code))).toBe(true);
  });
});
