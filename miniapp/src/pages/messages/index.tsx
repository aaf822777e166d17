// 站内消息 (A9): reminders from the user's unit (manual 五: 提醒上报 / 批量提醒 "通过 APP 站内消息通知"),
// crowd warnings and system notices, newest first. Tapping a message opens it and marks it read.
import { useCallback, useEffect, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import type { MessageView } from '@bamin/common/appApi';
import { ApiError, errorMessage, listMessages, markMessageRead } from '../../services/api';
import { toLogin } from '../../services/routes';
import { formatBeijing } from '../../services/time';
import './index.scss';

export const MESSAGES_PAGE_SIZE = 20;

export default function Messages() {
  const [items, setItems] = useState<MessageView[] | null>(null);
  const [unread, setUnread] = useState(0);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<number | null>(null);
  const [error, setError] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);

  const fail = (e: unknown) => {
    if (e instanceof ApiError && e.status === 401) {
      toLogin();
      return;
    }
    setError(errorMessage(e));
  };

  const load = useCallback(async (p: number) => {
    if (p > 1) setLoadingMore(true);
    try {
      const res = await listMessages(p, MESSAGES_PAGE_SIZE);
      setItems((prev) => (p === 1 || !prev ? res.items : [...prev, ...res.items.filter((m) => !prev.some((x) => x.id === m.id))]));
      setUnread(res.unread);
      setTotal(res.total);
      setPage(p);
      setError('');
    } catch (e) {
      fail(e);
    } finally {
      setLoadingMore(false);
    }
  }, []);

  useEffect(() => {
    load(1);
  }, [load]);

  const tap = async (m: MessageView) => {
    setOpen((o) => (o === m.id ? null : m.id));
    if (m.readAt) return;
    try {
      const read = await markMessageRead(m.id);
      setItems((prev) => prev && prev.map((x) => (x.id === m.id ? { ...x, ...read, readAt: read?.readAt ?? new Date().toISOString() } : x)));
      setUnread((n) => Math.max(0, n - 1));
    } catch (e) {
      fail(e);
    }
  };

  return (
    <View className='page messages-page' data-testid='messages-page'>
      <View className='card'>
        <View className='messages-head'>
          <Text className='title'>站内消息</Text>
          {items ? <Text className='hint' data-testid='messages-unread'>{unread > 0 ? `${unread} 条未读` : '全部已读'}</Text> : null}
        </View>
        {error ? <Text className='error-box' data-testid='messages-error'>{error}</Text> : null}
        {items === null ? (
          error ? null : <Text className='hint'>加载中…</Text>
        ) : items.length === 0 ? (
          <Text className='hint messages-empty' data-testid='messages-empty'>暂无消息</Text>
        ) : (
          <>
            {items.map((m) => (
              <View key={m.id} className={`message${m.readAt ? '' : ' message-unread'}`} data-testid={`message-${m.id}`} onClick={() => tap(m)}>
                <View className='message-head'>
                  {m.readAt ? null : <View className='unread-dot' data-testid={`message-${m.id}-dot`} />}
                  <Text className='message-title' data-testid={`message-${m.id}-title`}>{m.title}</Text>
                </View>
                <Text className={`message-body${open === m.id ? ' message-body-open' : ''}`} data-testid={`message-${m.id}-body`}>{m.body}</Text>
                <View className='message-meta'>
                  <Text data-testid={`message-${m.id}-sender`}>{m.senderName || '系统通知'}</Text>
                  <Text data-testid={`message-${m.id}-time`}>{formatBeijing(m.createdAt, false)}</Text>
                </View>
              </View>
            ))}
            {items.length < total ? (
              <Button className='btn btn-plain' data-testid='messages-more' loading={loadingMore} disabled={loadingMore} onClick={() => load(page + 1)}>加载更多</Button>
            ) : null}
          </>
        )}
      </View>
    </View>
  );
}
