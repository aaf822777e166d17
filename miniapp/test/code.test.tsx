import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { modalAnswers, resetTaroMock, routerState, showPagesAgain } from './mocks/taro';
import * as api from '../src/services/api';
import Code, { refreshDelay } from '../src/pages/code/index';
import { ELDER_MODE_KEY } from '../src/services/storage';
import { CODES, greenSelf, orangeSelf } from './fixtures';

jest.mock('../src/services/api', () => ({
  ...jest.requireActual('../src/services/api'),
  getCode: jest.fn(),
  listCodes: jest.fn(),
  removeFamily: jest.fn(),
  signOut: jest.fn(),
  unreadMessageCount: jest.fn(),
}));

const mocked = api as jest.Mocked<typeof api>;

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
  mocked.listCodes.mockResolvedValue(CODES);
  mocked.unreadMessageCount.mockResolvedValue(0);
});

async function renderCode() {
  const utils = render(<Code />);
  await screen.findByTestId('code-number');
  return utils;
}

describe('code page', () => {
  it('shows a green code: number above the QR, colour word and icon, four entries', async () => {
    mocked.getCode.mockResolvedValue(greenSelf());
    const { unmount } = await renderCode();
    expect(mocked.getCode).toHaveBeenCalledWith('self');
    expect(screen.getByTestId('code-number').textContent).toBe('350100123456');
    const qr = screen.getByTestId('qr') as HTMLImageElement;
    expect(qr.getAttribute('src')).toMatch(/^data:image\/gif;base64,/);
    // The code number comes before the QR in the document.
    expect(screen.getByTestId('code-number').compareDocumentPosition(qr) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByTestId('code-colour').textContent).toContain('绿码');
    expect(screen.getByTestId('code-colour').textContent).toContain('✓');
    expect(screen.getByTestId('whose').textContent).toBe('本人');
    const entries = screen.getByTestId('entries');
    for (const label of ['疫情服务', '去乘车', '去买药', '为家人申领']) expect(entries.textContent).toContain(label);
    expect(screen.queryByTestId('reasons')).toBeNull();
    expect(screen.getByTestId('nucleic-empty').textContent).toBe('近7天无核酸检测记录');
    fireEvent.click(screen.getByTestId('entry-bus'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/service/index?which=bus' });
    unmount();
  });

  it('shows an orange code with its reasons and the expected green date, and hides the entries', async () => {
    mocked.getCode.mockResolvedValue(orangeSelf());
    const { unmount } = await renderCode();
    expect(screen.getByTestId('code-colour').textContent).toContain('橙码');
    expect(screen.getByTestId('code-colour').textContent).toContain('!');
    const reasons = screen.getByTestId('reasons');
    expect(reasons.textContent).toContain('14天内在我省有发热门诊就诊记录');
    expect(reasons.textContent).toContain('14天内在我省有购买退烧药品记录');
    expect(screen.getByTestId('green-from').textContent).toBe('预计 2026-12-10 转为绿码（如无新的情况）');
    expect(screen.queryByTestId('entries')).toBeNull();
    expect(screen.queryByText('为家人申领')).toBeNull();
    expect(screen.queryByText('去乘车')).toBeNull();
    unmount();
  });

  it('says the green date is not known yet when greenFrom is null', async () => {
    mocked.getCode.mockResolvedValue(orangeSelf({ greenFrom: null }));
    const { unmount } = await renderCode();
    expect(screen.getByTestId('green-from').textContent).toBe('转绿日期待定');
    unmount();
  });

  it('lists nucleic-acid tests of the last 7 days', async () => {
    mocked.getCode.mockResolvedValue(greenSelf({
      nucleicAcidTests: [{ sampledAt: '2026-11-30T02:15:00Z', result: 'negative', institution: '福州市第一医院' }],
    }));
    const { unmount } = await renderCode();
    const row = screen.getByTestId('nucleic-test');
    expect(row.textContent).toContain('2026-11-30 10:15');
    expect(row.textContent).toContain('阴性');
    expect(row.textContent).toContain('福州市第一医院');
    unmount();
  });

  it("shows a family member's code with the relation, and removes it after confirmation", async () => {
    routerState.params = { holder: '17' };
    mocked.getCode.mockResolvedValue(orangeSelf({ holder: '17', relation: 'parent', nameMasked: '**华' }));
    mocked.removeFamily.mockResolvedValue(undefined);
    const { unmount } = await renderCode();
    expect(mocked.getCode).toHaveBeenCalledWith('17');
    expect(screen.getByTestId('whose').textContent).toBe('父母 **华');
    fireEvent.click(screen.getByTestId('remove-family'));
    await waitFor(() => expect(mocked.removeFamily).toHaveBeenCalledWith('17'));
    expect(Taro.showModal).toHaveBeenCalled();
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/code/index' }));
    unmount();
  });

  it('does not remove a family member when the modal is cancelled', async () => {
    routerState.params = { holder: '17' };
    modalAnswers.push({ confirm: false });
    mocked.getCode.mockResolvedValue(greenSelf({ holder: '17', relation: 'child', nameMasked: '*明' }));
    const { unmount } = await renderCode();
    expect(screen.getByTestId('whose').textContent).toBe('子女 *明');
    expect(screen.queryByTestId('entries')).toBeNull();
    fireEvent.click(screen.getByTestId('remove-family'));
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalled());
    await act(async () => undefined);
    expect(mocked.removeFamily).not.toHaveBeenCalled();
    unmount();
  });

  it('switches between own and family codes', async () => {
    mocked.getCode.mockResolvedValue(greenSelf());
    const { unmount } = await renderCode();
    fireEvent.click(screen.getByTestId('switch-open'));
    const list = await screen.findByTestId('switch-list');
    expect(list.textContent).toContain('本人');
    expect(list.textContent).toContain('父母 **华');
    fireEvent.click(screen.getByTestId('switch-17'));
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/pages/code/index?holder=17' });
    unmount();
  });

  it('applies elder mode and keeps it in storage', async () => {
    mocked.getCode.mockResolvedValue(greenSelf());
    const first = await renderCode();
    const page = screen.getByTestId('code-page');
    expect(page.className).not.toContain('elder');
    fireEvent.click(screen.getByTestId('elder-toggle'));
    expect(screen.getByTestId('code-page').className).toContain('elder');
    expect(Taro.setStorageSync).toHaveBeenCalledWith(ELDER_MODE_KEY, true);
    first.unmount();
    // A new visit starts in elder mode.
    const second = await renderCode();
    expect(screen.getByTestId('code-page').className).toContain('elder');
    fireEvent.click(screen.getByTestId('elder-toggle'));
    expect(screen.getByTestId('code-page').className).not.toContain('elder');
    expect(Taro.getStorageSync(ELDER_MODE_KEY)).toBe(false);
    second.unmount();
  });

  it('refreshes the token before it expires', async () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(refreshDelay('2026-12-01T10:05:00Z', now)).toBe(60_000);
    expect(refreshDelay('2026-12-01T10:00:50Z', now)).toBe(20_000);
    expect(refreshDelay('2026-12-01T10:00:10Z', now)).toBe(5_000);
  });

  it('fetches a fresh code when the refresh timer fires', async () => {
    jest.useFakeTimers();
    try {
      mocked.getCode.mockResolvedValueOnce(greenSelf()).mockResolvedValue(greenSelf({ token: 'NEWTOKEN' }));
      const { unmount } = render(<Code />);
      await act(async () => undefined);
      expect(mocked.getCode).toHaveBeenCalledTimes(1);
      await act(async () => {
        jest.advanceTimersByTime(61_000);
      });
      expect(mocked.getCode).toHaveBeenCalledTimes(2);
      unmount();
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('健康上报 and 站内消息 entries', () => {
  it.each([
    ['green', greenSelf()],
    ['orange', orangeSelf()],
  ])('are shown on a %s code, apart from the host-app entries', async (_colour, view) => {
    mocked.getCode.mockResolvedValue(view);
    const { unmount } = await renderCode();
    const entries = screen.getByTestId('app-entries');
    expect(entries.textContent).toContain('健康上报');
    expect(entries.textContent).toContain('站内消息');
    expect(screen.queryByTestId('unread-badge')).toBeNull();
    fireEvent.click(screen.getByTestId('entry-report'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/report/index?holder=self' });
    fireEvent.click(screen.getByTestId('entry-messages'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/messages/index' });
    unmount();
  });

  it("opens 健康上报 for the family member whose code is shown", async () => {
    routerState.params = { holder: '17' };
    mocked.getCode.mockResolvedValue(greenSelf({ holder: '17', relation: 'parent', nameMasked: '**华' }));
    const { unmount } = await renderCode();
    fireEvent.click(screen.getByTestId('entry-report'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/report/index?holder=17' });
    unmount();
  });

  it('shows the unread count as a badge and fetches it again when the page shows again', async () => {
    mocked.getCode.mockResolvedValue(greenSelf());
    mocked.unreadMessageCount.mockResolvedValueOnce(3).mockResolvedValueOnce(0);
    const { unmount } = await renderCode();
    expect((await screen.findByTestId('unread-badge')).textContent).toBe('3');
    expect(mocked.unreadMessageCount).toHaveBeenCalledTimes(1);
    await act(async () => showPagesAgain());
    await waitFor(() => expect(screen.queryByTestId('unread-badge')).toBeNull());
    expect(mocked.unreadMessageCount).toHaveBeenCalledTimes(2);
    unmount();
  });

  it('caps the badge at 99+ and keeps the last count when a refresh fails', async () => {
    mocked.getCode.mockResolvedValue(greenSelf());
    mocked.unreadMessageCount.mockResolvedValueOnce(120).mockRejectedValueOnce(new Error('offline'));
    const { unmount } = await renderCode();
    expect((await screen.findByTestId('unread-badge')).textContent).toBe('99+');
    await act(async () => showPagesAgain());
    // A failed refresh keeps the last known count rather than flickering.
    expect(screen.getByTestId('unread-badge').textContent).toBe('99+');
    expect(screen.getByTestId('code-number').textContent).toBe('350100123456');
    unmount();
  });
});

describe('sign out', () => {
  it('revokes the session, forgets the token and returns to login', async () => {
    mocked.getCode.mockResolvedValue(greenSelf());
    Taro.setStorageSync('bamin.sessionToken', 'tok');
    mocked.signOut.mockResolvedValue(undefined);
    const { unmount } = await renderCode();
    fireEvent.click(screen.getByTestId('sign-out'));
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' }));
    expect(mocked.signOut).toHaveBeenCalled();
    expect(Taro.getStorageSync('bamin.sessionToken')).toBe('');
    unmount();
  });
});

describe('跨省互认: the origin pass on the code page (B1)', () => {
  const checked = {
    status: 'checked' as const, provinceCode: '440000', provinceName: '广东省', colour: 'yellow' as const, colourText: '黄码',
    checkedAt: '2026-12-01T01:00:00Z', note: null,
  };

  it('shows the origin province and colour, and the ORIGIN_PASS reason as it arrives', async () => {
    mocked.getCode.mockResolvedValue(orangeSelf({ origin: checked, reasons: [{ code: 'ORIGIN_PASS', text: '跨省互认：来源地健康码非绿码' }] }));
    const { unmount } = await renderCode();
    expect(screen.getByTestId('origin').getAttribute('data-status')).toBe('checked');
    expect(screen.getByTestId('origin-text').textContent).toBe('来源地健康通行码：广东省 黄码');
    expect(screen.getByTestId('origin-text').getAttribute('data-colour')).toBe('yellow');
    expect(screen.getByTestId('origin-checked-at').textContent).toBe('核验时间：2026-12-01 09:00');
    expect(screen.queryByTestId('origin-note')).toBeNull();
    expect(screen.getByTestId('reasons').textContent).toContain('跨省互认：来源地健康码非绿码');
    unmount();
  });

  it('says when no origin pass was found', async () => {
    mocked.getCode.mockResolvedValue(greenSelf({
      origin: { status: 'not_found', provinceCode: null, provinceName: null, colour: null, colourText: null, checkedAt: '2026-12-01T01:00:00Z', note: null },
    }));
    const { unmount } = await renderCode();
    expect(screen.getByTestId('origin-text').textContent).toBe('未查询到来源地健康通行码');
    expect(screen.queryByTestId('origin-note')).toBeNull();
    unmount();
  });

  it('warns with the note when the platform could not be reached', async () => {
    const note = '暂未能核验您的来源地健康通行码，已按本省数据赋码，系统将自动重试';
    mocked.getCode.mockResolvedValue(greenSelf({
      origin: { status: 'unavailable', provinceCode: null, provinceName: null, colour: null, colourText: null, checkedAt: null, note },
    }));
    const { unmount } = await renderCode();
    expect(screen.getByTestId('origin').getAttribute('data-status')).toBe('unavailable');
    expect(screen.getByTestId('origin-note').textContent).toBe(note);
    expect(screen.getByTestId('origin-note').className).toContain('notice-box');
    unmount();
  });

  it('has no origin block for a resident', async () => {
    mocked.getCode.mockResolvedValue(greenSelf({ origin: null }));
    const { unmount } = await renderCode();
    expect(screen.queryByTestId('origin')).toBeNull();
    unmount();
  });

  it('links 入闽申报 for oneself, 申诉纠错 for the code on screen, and reloads the code when shown again', async () => {
    mocked.getCode.mockResolvedValue(greenSelf());
    const { unmount } = await renderCode();
    fireEvent.click(screen.getByTestId('arrival-link'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/arrival/index' });
    expect(screen.getByTestId('correction-link').textContent).toBe('对健康码有疑问？申诉纠错');
    fireEvent.click(screen.getByTestId('correction-link'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/correction/index?holder=self' });
    mocked.getCode.mockResolvedValue(greenSelf({ origin: checked }));
    await act(async () => showPagesAgain());
    expect((await screen.findByTestId('origin-text')).textContent).toBe('来源地健康通行码：广东省 黄码');
    unmount();
  });

  it("a family member's code has 申诉纠错 for that holder but no 入闽申报", async () => {
    routerState.params = { holder: '17' };
    mocked.getCode.mockResolvedValue(orangeSelf({ holder: '17', relation: 'parent', nameMasked: '**华' }));
    const { unmount } = await renderCode();
    expect(screen.queryByTestId('arrival-link')).toBeNull();
    fireEvent.click(screen.getByTestId('correction-link'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/correction/index?holder=17' });
    unmount();
  });
});
