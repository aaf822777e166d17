import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { MessagePage, MessageView } from '@bamin/common/appApi';
import { resetTaroMock } from './mocks/taro';
import * as api from '../src/services/api';
import Messages, { MESSAGES_PAGE_SIZE } from '../src/pages/messages/index';

jest.mock('../src/services/api', () => ({
  ...jest.requireActual('../src/services/api'),
  listMessages: jest.fn(),
  markMessageRead: jest.fn(),
}));

const mocked = api as jest.Mocked<typeof api>;

function message(id: number, overrides: Partial<MessageView> = {}): MessageView {
  return {
    id,
    kind: 'reminder',
    title: '健康上报提醒',
    body: '请及时完成今日健康上报',
    senderName: '福州市鼓楼区卫健局',
    createdAt: '2026-12-01T00:05:00Z',
    readAt: null,
    ...overrides,
  };
}

function page(items: MessageView[], unread: number, total = items.length, p = 1): MessagePage {
  return { items, unread, page: p, pageSize: MESSAGES_PAGE_SIZE, total };
}

beforeEach(() => {
  resetTaroMock();
  jest.clearAllMocks();
});

describe('messages page', () => {
  it('says 暂无消息 when there is none', async () => {
    mocked.listMessages.mockResolvedValue(page([], 0));
    render(<Messages />);
    expect((await screen.findByTestId('messages-empty')).textContent).toBe('暂无消息');
    expect(mocked.listMessages).toHaveBeenCalledWith(1, MESSAGES_PAGE_SIZE);
  });

  it('lists title, body, sender and time with a dot on unread messages, and the unread count', async () => {
    mocked.listMessages.mockResolvedValue(page([
      message(2),
      message(1, { kind: 'system', title: '系统升级通知', body: '今晚 23:00 维护', senderName: null, readAt: '2026-11-30T12:00:00Z' }),
    ], 1));
    render(<Messages />);
    await screen.findByTestId('message-2');
    expect(screen.getByTestId('messages-unread').textContent).toBe('1 条未读');
    expect(screen.getByTestId('message-2-title').textContent).toBe('健康上报提醒');
    expect(screen.getByTestId('message-2-body').textContent).toBe('请及时完成今日健康上报');
    expect(screen.getByTestId('message-2-sender').textContent).toBe('福州市鼓楼区卫健局');
    expect(screen.getByTestId('message-2-time').textContent).toBe('2026-12-01 08:05');
    expect(screen.getByTestId('message-2-dot')).toBeTruthy();
    expect(screen.getByTestId('message-1-sender').textContent).toBe('系统通知');
    expect(screen.queryByTestId('message-1-dot')).toBeNull();
    // Newest first, as the server sends them.
    const ids = screen.getAllByTestId(/^message-\d+$/).map((el) => el.getAttribute('data-testid'));
    expect(ids).toEqual(['message-2', 'message-1']);
  });

  it('marks an unread message read when tapped, once', async () => {
    mocked.listMessages.mockResolvedValue(page([message(2), message(1)], 2));
    mocked.markMessageRead.mockResolvedValue(message(2, { readAt: '2026-12-01T02:00:00Z' }));
    render(<Messages />);
    fireEvent.click(await screen.findByTestId('message-2'));
    await waitFor(() => expect(screen.queryByTestId('message-2-dot')).toBeNull());
    expect(mocked.markMessageRead).toHaveBeenCalledWith(2);
    expect(screen.getByTestId('messages-unread').textContent).toBe('1 条未读');
    expect(screen.getByTestId('message-2-body').className).toContain('message-body-open');
    expect(screen.getByTestId('message-1-dot')).toBeTruthy();
    fireEvent.click(screen.getByTestId('message-2'));
    expect(mocked.markMessageRead).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('message-2-body').className).not.toContain('message-body-open');
  });

  it('says 全部已读 after the last unread one is read', async () => {
    mocked.listMessages.mockResolvedValue(page([message(3)], 1));
    mocked.markMessageRead.mockResolvedValue(message(3, { readAt: '2026-12-01T02:00:00Z' }));
    render(<Messages />);
    fireEvent.click(await screen.findByTestId('message-3'));
    await waitFor(() => expect(screen.getByTestId('messages-unread').textContent).toBe('全部已读'));
  });

  it("keeps the dot and shows the server's message when marking fails", async () => {
    mocked.listMessages.mockResolvedValue(page([message(4)], 1));
    mocked.markMessageRead.mockRejectedValue(new api.ApiError('未找到该消息', 404, 'MESSAGE_NOT_FOUND'));
    render(<Messages />);
    fireEvent.click(await screen.findByTestId('message-4'));
    expect((await screen.findByTestId('messages-error')).textContent).toBe('未找到该消息');
    expect(screen.getByTestId('message-4-dot')).toBeTruthy();
    expect(screen.getByTestId('messages-unread').textContent).toBe('1 条未读');
  });

  it('loads more', async () => {
    const first = Array.from({ length: MESSAGES_PAGE_SIZE }, (_, i) => message(100 - i, { readAt: '2026-12-01T02:00:00Z' }));
    mocked.listMessages
      .mockResolvedValueOnce(page(first, 0, 21))
      .mockResolvedValueOnce(page([message(1, { readAt: '2026-12-01T02:00:00Z' })], 0, 21, 2));
    render(<Messages />);
    fireEvent.click(await screen.findByTestId('messages-more'));
    await screen.findByTestId('message-1');
    expect(mocked.listMessages).toHaveBeenLastCalledWith(2, MESSAGES_PAGE_SIZE);
    expect(screen.getAllByTestId(/^message-\d+$/)).toHaveLength(21);
    expect(screen.queryByTestId('messages-more')).toBeNull();
  });

  it('sends an expired session to login', async () => {
    mocked.listMessages.mockRejectedValue(new api.ApiError('请先登录', 401, 'UNAUTHENTICATED'));
    render(<Messages />);
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' }));
  });
});
