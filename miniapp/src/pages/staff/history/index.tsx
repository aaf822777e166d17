// 更多: the identified person's scan records, page by page (only for the staff member's own scan).
import { useCallback, useEffect, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import type { ScanHistoryPage } from '@bamin/common/staffApi';
import { getScanHistory, staffErrorText } from '../../../services/staff';
import { ScanRecordItem } from '../ScanRecordItem';
import '../staff.scss';

export const HISTORY_PAGE_SIZE = 10;

export default function StaffHistory() {
  const router = useRouter();
  const scanId = Number(router?.params?.scanId);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<ScanHistoryPage | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);

  const load = useCallback(async (p: number) => {
    if (!Number.isInteger(scanId) || scanId <= 0) {
      setError('缺少扫码记录，请返回重新扫码');
      return;
    }
    setLoading(true);
    try {
      setData(await getScanHistory(scanId, p, HISTORY_PAGE_SIZE));
      setPage(p);
      setError('');
    } catch (e) {
      setError(staffErrorText(e));
    } finally {
      setLoading(false);
    }
  }, [scanId]);

  useEffect(() => {
    load(1);
  }, [load]);

  const pages = data ? Math.max(1, Math.ceil(data.total / (data.pageSize || HISTORY_PAGE_SIZE))) : 1;

  return (
    <View className='page staff-page' data-testid='history-page'>
      <View className='card'>
        <Text className='title'>扫码记录</Text>
        {error ? <Text className='error-box' data-testid='history-error'>{error}</Text> : null}
        {!data ? (
          error ? null : <Text className='hint'>加载中…</Text>
        ) : data.items.length === 0 ? (
          <Text className='empty' data-testid='history-empty'>暂无扫码记录</Text>
        ) : (
          <>
            <Text className='hint' data-testid='history-total'>共 {data.total} 条</Text>
            {data.items.map((r) => <ScanRecordItem key={r.id} record={r} />)}
            {pages > 1 ? (
              <View className='pager'>
                <Button className='btn btn-plain' data-testid='history-prev' disabled={loading || page <= 1} onClick={() => load(page - 1)}>上一页</Button>
                <Text data-testid='history-page-no'>{page} / {pages}</Text>
                <Button className='btn btn-plain' data-testid='history-next' disabled={loading || page >= pages} onClick={() => load(page + 1)}>下一页</Button>
              </View>
            ) : null}
          </>
        )}
      </View>
    </View>
  );
}
