// 数据上报 (manual 四(八); D7, G3): 发起上报 sends the unit's scan records of a range, as an .xlsx the
// server generates, to a department above it; the list below shows each report's progress (生成中 →
// 已送达 / 失败, polled every 2 s while one is generating) and whether the receiver has read it. The
// 定时上报 tab keeps daily or weekly reports that the server sends by itself.
import { Alert, App, Button, Empty, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import type { Page } from '@bamin/common/consoleApi';
import type { DataReportView, ReceiverOption } from '@bamin/common/reportApi';
import { api } from '../../api';
import { useFailure } from '../../forms/failure';
import { time } from '../ScanRecords';
import { NO_RECEIVER_TEXT, ReportFormModal } from './ReportForm';
import { SchedulesPanel } from './Schedules';
import { StatusTag, downloadReport, loadPoints, rangeText, type PointOption } from './parts';

const PAGE_SIZE = 10;
export const SENT_POLL_MS = 2000;

export function DataReportsPage() {
  const { message } = App.useApp();
  const fail = useFailure();
  const [receivers, setReceivers] = useState<ReceiverOption[] | null>(null);
  const [points, setPoints] = useState<PointOption[] | null>(null);
  const [open, setOpen] = useState(false);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    api.reportReceivers().then(setReceivers, (e) => {
      setReceivers([]);
      fail(e);
    });
    loadPoints().then(setPoints, (e) => {
      setPoints([]);
      fail(e);
    });
  }, [fail]);

  const noReceiver = receivers !== null && receivers.length === 0;
  return (
    <div>
      <Typography.Title level={4}>数据上报</Typography.Title>
      {noReceiver && <Alert data-testid="dr-no-receiver" type="info" showIcon message={NO_RECEIVER_TEXT} style={{ marginBottom: 16 }} />}
      <Tabs
        data-testid="dr-tabs"
        items={[
          {
            key: 'sent',
            label: <span data-testid="dr-tab-sent">上报记录</span>,
            children: (
              <>
                <Space style={{ marginBottom: 16 }}>
                  <Button data-testid="dr-start" type="primary" disabled={receivers === null || noReceiver} onClick={() => setOpen(true)}>
                    发起上报
                  </Button>
                </Space>
                <SentReports reload={reload} />
              </>
            ),
          },
          {
            key: 'schedules',
            label: <span data-testid="dr-tab-schedules">定时上报</span>,
            children: <SchedulesPanel receivers={receivers ?? []} points={points} />,
          },
        ]}
      />
      <ReportFormModal
        open={open}
        receivers={receivers ?? []}
        points={points}
        onClose={() => setOpen(false)}
        onSent={(r) => {
          setOpen(false);
          void message.success(`已提交，正在生成上报文件，完成后将送达“${r.to.name}”`);
          setReload((n) => n + 1);
        }}
      />
    </div>
  );
}

/** The reports the unit sent, newest first; polled while any of the page is still 生成中. */
export function SentReports({ reload = 0, pollMs = SENT_POLL_MS }: { reload?: number; pollMs?: number }) {
  const fail = useFailure();
  const [pageNo, setPageNo] = useState(1);
  const [page, setPage] = useState<Page<DataReportView> | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (quiet = false) => {
      if (!quiet) setLoading(true);
      try {
        setPage(await api.sentReports({ page: pageNo, pageSize: PAGE_SIZE }));
      } catch (e) {
        fail(e);
      } finally {
        if (!quiet) setLoading(false);
      }
    },
    [pageNo, fail],
  );
  useEffect(() => {
    void load();
  }, [load, reload]);
  useEffect(() => {
    if (!page?.items.some((r) => r.status === 'generating')) return;
    const timer = setTimeout(() => void load(true), pollMs);
    return () => clearTimeout(timer);
  }, [page, load, pollMs]);

  const download = async (r: DataReportView) => {
    try {
      await downloadReport(r);
    } catch (e) {
      fail(e);
    }
  };

  const columns: ColumnsType<DataReportView> = [
    { title: '接收部门', key: 'to', render: (_v, r) => <span data-testid={`dr-to-${r.id}`}>{r.to.name}</span> },
    { title: '上报范围', key: 'range', render: (_v, r) => <span data-testid={`dr-range-${r.id}`}>{rangeText(r.rangeFrom, r.rangeTo)}</span> },
    { title: '筛选', dataIndex: 'filterText', render: (v: string, r) => <span data-testid={`dr-filter-${r.id}`}>{v}</span> },
    { title: '方式', dataIndex: 'originText', render: (v: string, r) => <span data-testid={`dr-origin-${r.id}`}>{v}</span> },
    { title: '记录数', dataIndex: 'rowCount', render: (v: number | null, r) => <span data-testid={`dr-rows-${r.id}`}>{v ?? '—'}</span> },
    { title: '状态', key: 'status', render: (_v, r) => <StatusTag report={r} testId={`dr-status-${r.id}`} /> },
    {
      title: '接收方',
      key: 'read',
      render: (_v, r) =>
        r.status !== 'delivered' ? (
          '—'
        ) : r.readAt ? (
          <span data-testid={`dr-read-${r.id}`}>已读</span>
        ) : (
          <Tag data-testid={`dr-read-${r.id}`} color="blue">
            未读
          </Tag>
        ),
    },
    { title: '发起时间', dataIndex: 'createdAt', render: time },
    {
      title: '操作',
      key: 'actions',
      render: (_v, r) =>
        r.status === 'delivered' ? (
          <Typography.Link data-testid={`dr-download-${r.id}`} onClick={() => void download(r)}>
            下载
          </Typography.Link>
        ) : null,
    },
  ];

  return (
    <Table<DataReportView>
      data-testid="dr-table"
      rowKey="id"
      size="middle"
      loading={loading}
      columns={columns}
      dataSource={page?.items ?? []}
      locale={{ emptyText: <Empty data-testid="dr-empty" image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有上报记录，点击“发起上报”将出入扫码记录上报给上级部门" /> }}
      pagination={{
        current: pageNo,
        pageSize: PAGE_SIZE,
        total: page?.total ?? 0,
        showSizeChanger: false,
        showTotal: (t) => <span data-testid="dr-total">共 {t} 条</span>,
        onChange: setPageNo,
      }}
    />
  );
}
