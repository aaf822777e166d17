// 数据接收 (manual 四(八)3; D7): the reports lower units delivered to this department, 未读 until first
// downloaded. The download goes through fetch (the session cookie, the server's refusal as a message —
// 409 when the stored file no longer matches its checksum) and the list is read again so 已读 shows.
import { Button, Empty, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import type { Page } from '@bamin/common/consoleApi';
import type { DataReportView } from '@bamin/common/reportApi';
import { api } from '../../api';
import { useFailure } from '../../forms/failure';
import { downloadReport, rangeText } from '../DataReports/parts';
import { time } from '../ScanRecords';

const PAGE_SIZE = 10;

export function DataReceivedPage() {
  const fail = useFailure();
  const [pageNo, setPageNo] = useState(1);
  const [page, setPage] = useState<Page<DataReportView> | null>(null);
  const [loading, setLoading] = useState(false);
  const [downloading, setDownloading] = useState<number | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setPage(await api.receivedReports({ page: pageNo, pageSize: PAGE_SIZE }));
    } catch (e) {
      fail(e);
    } finally {
      setLoading(false);
    }
  }, [pageNo, fail]);
  useEffect(() => {
    void load();
  }, [load]);

  const download = async (r: DataReportView) => {
    setDownloading(r.id);
    try {
      await downloadReport(r);
      if (!r.readAt) void load();
    } catch (e) {
      fail(e);
    } finally {
      setDownloading(null);
    }
  };

  const columns: ColumnsType<DataReportView> = [
    { title: '上报单位', key: 'from', render: (_v, r) => <span data-testid={`rcv-from-${r.id}`}>{r.from.name}</span> },
    { title: '上报范围', key: 'range', render: (_v, r) => <span data-testid={`rcv-range-${r.id}`}>{rangeText(r.rangeFrom, r.rangeTo)}</span> },
    { title: '筛选', dataIndex: 'filterText', render: (v: string, r) => <span data-testid={`rcv-filter-${r.id}`}>{v}</span> },
    { title: '方式', dataIndex: 'originText', render: (v: string, r) => <span data-testid={`rcv-origin-${r.id}`}>{v}</span> },
    { title: '记录数', dataIndex: 'rowCount', render: (v: number | null, r) => <span data-testid={`rcv-rows-${r.id}`}>{v ?? '—'}</span> },
    { title: '送达时间', dataIndex: 'deliveredAt', render: (v: string | null, r) => <span data-testid={`rcv-delivered-${r.id}`}>{time(v)}</span> },
    {
      title: '状态',
      key: 'read',
      render: (_v, r) =>
        r.readAt ? (
          <Typography.Text type="secondary" data-testid={`rcv-read-${r.id}`}>
            已读
          </Typography.Text>
        ) : (
          <Tag data-testid={`rcv-read-${r.id}`} color="red">
            未读
          </Tag>
        ),
    },
    {
      title: '操作',
      key: 'actions',
      render: (_v, r) => (
        <Button data-testid={`rcv-download-${r.id}`} size="small" type="link" loading={downloading === r.id} onClick={() => void download(r)}>
          下载
        </Button>
      ),
    },
  ];

  return (
    <div>
      <Typography.Title level={4}>数据接收</Typography.Title>
      <Table<DataReportView>
        data-testid="rcv-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={page?.items ?? []}
        rowClassName={(r) => (r.readAt ? '' : 'rcv-unread')}
        locale={{ emptyText: <Empty data-testid="rcv-empty" image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无下级单位上报的数据" /> }}
        pagination={{
          current: pageNo,
          pageSize: PAGE_SIZE,
          total: page?.total ?? 0,
          showSizeChanger: false,
          showTotal: (t) => <span data-testid="rcv-total">共 {t} 条</span>,
          onChange: setPageNo,
        }}
      />
    </div>
  );
}
