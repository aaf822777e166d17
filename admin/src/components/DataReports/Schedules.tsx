// 定时上报 (G3): the unit's daily or weekly reports to a department, sent by the server after each period
// (see REPORT_PERIOD_TEXT); each can be stopped (停用) and started again, or deleted (reports already
// sent stay). The server refuses a duplicate and more than REPORT_MAX_SCHEDULES (409): its message is shown.
import { Alert, App, Button, Empty, Form, Modal, Popconfirm, Radio, Select, Space, Switch, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import {
  REPORT_FREQUENCY_TEXT,
  REPORT_MAX_SCHEDULES,
  REPORT_PERIOD_TEXT,
  type ReceiverOption,
  type ReportFrequency,
  type ReportScheduleRequest,
  type ReportScheduleView,
} from '@bamin/common/reportApi';
import { api } from '../../api';
import { applyFailure, useFailure } from '../../forms/failure';
import { time } from '../ScanRecords';
import { FILTER_DEFAULTS, FilterFields, StatusTag, rangeText, toFilter, type PointOption, type ReportFilterValues } from './parts';

export interface ScheduleFormValues extends ReportFilterValues {
  toOrganisationId?: number;
  frequency: ReportFrequency;
}

export function toScheduleRequest(v: ScheduleFormValues): ReportScheduleRequest {
  return { toOrganisationId: v.toOrganisationId!, frequency: v.frequency, ...toFilter(v) };
}

export function SchedulesPanel({ receivers, points }: { receivers: ReceiverOption[]; points: PointOption[] | null }) {
  const { message } = App.useApp();
  const fail = useFailure();
  const [rows, setRows] = useState<ReportScheduleView[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [busyId, setBusyId] = useState<number | null>(null);

  const load = useCallback(async () => {
    try {
      setRows(await api.reportSchedules());
    } catch (e) {
      setRows([]);
      fail(e);
    }
  }, [fail]);
  useEffect(() => {
    void load();
  }, [load]);

  const toggle = async (s: ReportScheduleView, enabled: boolean) => {
    setBusyId(s.id);
    try {
      const next = await api.setReportScheduleEnabled(s.id, enabled);
      setRows((rs) => rs?.map((r) => (r.id === next.id ? next : r)) ?? null);
      void message.success(enabled ? '已启用定时上报' : '已停用定时上报');
    } catch (e) {
      fail(e);
    } finally {
      setBusyId(null);
    }
  };
  const remove = async (s: ReportScheduleView) => {
    try {
      await api.deleteReportSchedule(s.id);
      void message.success('定时上报已删除');
      void load();
    } catch (e) {
      fail(e);
    }
  };

  const columns: ColumnsType<ReportScheduleView> = [
    { title: '接收部门', key: 'to', render: (_v, s) => <span data-testid={`rs-to-${s.id}`}>{s.to.name}</span> },
    {
      title: '频率',
      key: 'frequency',
      render: (_v, s) => (
        <div>
          <div data-testid={`rs-frequency-${s.id}`}>{s.frequencyText}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {s.periodText}
          </Typography.Text>
        </div>
      ),
    },
    { title: '筛选', dataIndex: 'filterText', render: (v: string, s) => <span data-testid={`rs-filter-${s.id}`}>{v}</span> },
    {
      title: '状态',
      key: 'enabled',
      render: (_v, s) => (
        <Space>
          <Switch data-testid={`rs-enabled-${s.id}`} aria-label={s.enabled ? '停用' : '启用'} checked={s.enabled} loading={busyId === s.id} onChange={(on) => void toggle(s, on)} />
          <span data-testid={`rs-state-${s.id}`}>{s.enabled ? '启用' : '停用'}</span>
        </Space>
      ),
    },
    {
      title: '最近一次',
      key: 'last',
      render: (_v, s) =>
        s.lastReport ? (
          <Space direction="vertical" size={0}>
            <StatusTag report={{ ...s.lastReport, failureReason: null }} testId={`rs-last-${s.id}`} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {rangeText(s.lastReport.rangeFrom, s.lastReport.rangeTo)}
            </Typography.Text>
          </Space>
        ) : (
          <span data-testid={`rs-last-${s.id}`}>尚未上报</span>
        ),
    },
    { title: '创建时间', dataIndex: 'createdAt', render: time },
    {
      title: '操作',
      key: 'actions',
      render: (_v, s) => (
        <Popconfirm
          title="确定删除该定时上报吗？"
          description="已送达的上报文件不受影响。"
          okText="删除"
          cancelText="取消"
          okButtonProps={{ danger: true, 'data-testid': `rs-delete-confirm-${s.id}` }}
          onConfirm={() => remove(s)}
        >
          <Typography.Link data-testid={`rs-delete-${s.id}`} type="danger">
            删除
          </Typography.Link>
        </Popconfirm>
      ),
    },
  ];

  const full = (rows?.length ?? 0) >= REPORT_MAX_SCHEDULES;
  return (
    <div>
      <Space style={{ marginBottom: 16 }}>
        <Button data-testid="rs-add" type="primary" disabled={receivers.length === 0 || full} onClick={() => setAdding(true)}>
          新增定时上报
        </Button>
        {full && <Typography.Text type="secondary">每个单位最多 {REPORT_MAX_SCHEDULES} 个定时上报</Typography.Text>}
      </Space>
      <Table<ReportScheduleView>
        data-testid="rs-table"
        rowKey="id"
        size="middle"
        loading={rows === null}
        columns={columns}
        dataSource={rows ?? []}
        locale={{ emptyText: <Empty data-testid="rs-empty" image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有定时上报：新增后系统将按每日或每周自动上报出入扫码记录" /> }}
        pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
      />
      <ScheduleFormModal
        open={adding}
        receivers={receivers}
        points={points}
        onClose={() => setAdding(false)}
        onSaved={() => {
          setAdding(false);
          void message.success('定时上报已新增');
          void load();
        }}
      />
    </div>
  );
}

export function ScheduleFormModal({
  open,
  receivers,
  points,
  onClose,
  onSaved,
}: {
  open: boolean;
  receivers: ReceiverOption[];
  points: PointOption[] | null;
  onClose: () => void;
  onSaved: (s: ReportScheduleView) => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ScheduleFormValues>();
  const [busy, setBusy] = useState(false);
  const frequency = Form.useWatch('frequency', form) ?? 'daily';
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  return (
    <Modal
      title="新增定时上报"
      open={open}
      onCancel={onClose}
      destroyOnHidden
      okText="提交"
      cancelText="取消"
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'rs-form-submit' }}
      onOk={() => form.submit()}
      width={620}
    >
      <Form<ScheduleFormValues>
        form={form}
        layout="vertical"
        initialValues={{ ...FILTER_DEFAULTS, frequency: 'daily' }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            onSaved(await api.createReportSchedule(toScheduleRequest(v)));
          } catch (e) {
            applyFailure(e, form, (t) => void message.error(t));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="toOrganisationId" label="上报部门" rules={[{ required: true, message: '请选择上报部门' }]}>
          <Select data-testid="rs-form-receiver" placeholder="请选择上报的部门" options={receivers.map((r) => ({ value: r.id, label: r.name }))} />
        </Form.Item>
        <Form.Item name="frequency" label="上报频率" extra={<span data-testid="rs-form-period">{REPORT_PERIOD_TEXT[frequency]}</span>}>
          <Radio.Group data-testid="rs-form-frequency" optionType="button">
            {(Object.keys(REPORT_FREQUENCY_TEXT) as ReportFrequency[]).map((f) => (
              <Radio key={f} value={f} data-testid={`rs-form-frequency-${f}`}>
                {REPORT_FREQUENCY_TEXT[f]}
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <FilterFields points={points} prefix="rs-form" />
        <Alert type="info" showIcon message="停用后再启用，从启用时所在的周期重新开始上报，停用期间的记录不会补报。" />
      </Form>
    </Modal>
  );
}
