// 人流预警管理 (D9, E9; manual 四(十), 五(二)10): per service point a capacity (人流上限数量), a warning line
// (预警线人数 ≤ capacity) and a counting window (统计时间间隔, minutes); the 人员超标预警 cards show each
// configured point's live count, refreshed every 5 seconds, with 预警 / 已超标 highlighted.
import { Alert, App, Button, Card, Col, Empty, Form, InputNumber, Modal, Popconfirm, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import type { CrowdFlowCard, CrowdFlowRequest, CrowdFlowRow, CrowdState } from '@bamin/common/pointApi';
import { api } from '../../api';
import { applyFailure, useFailure } from '../../forms/failure';
import { time } from '../ScanRecords';

export const LIVE_POLL_MS = 5000;
export const WINDOW_HELP = '系统会根据统计时间间隔实时统计人流数量。如间隔时间为30分钟，则系统会实时计算30分钟内的来访人数。';
const STATE_COLOUR: Record<CrowdState, string> = { normal: 'green', warning: 'orange', exceeded: 'red' };

export function FlowWarningsPage() {
  const { message } = App.useApp();
  const fail = useFailure();
  const [rows, setRows] = useState<CrowdFlowRow[] | null>(null);
  const [editing, setEditing] = useState<CrowdFlowRow | 'new' | null>(null);

  const load = useCallback(async () => {
    try {
      setRows(await api.crowdFlow());
    } catch (e) {
      fail(e);
    }
  }, [fail]);
  useEffect(() => {
    void load();
  }, [load]);

  const remove = async (r: CrowdFlowRow) => {
    try {
      await api.deleteCrowdFlow(r.servicePointId);
      void message.success('预警配置已删除');
      void load();
    } catch (e) {
      fail(e);
    }
  };

  const columns: ColumnsType<CrowdFlowRow> = [
    { title: '序号', key: 'no', width: 64, render: (_v, _r, i) => i + 1 },
    { title: '门店名称', dataIndex: 'servicePointName', render: (v: string, r) => <span data-testid={`cf-name-${r.servicePointId}`}>{v}</span> },
    { title: '人流上限数量', key: 'capacity', render: (_v, r) => <span data-testid={`cf-capacity-${r.servicePointId}`}>{r.setting?.capacity ?? ''}</span> },
    { title: '预警线人数', key: 'warningLine', render: (_v, r) => <span data-testid={`cf-warning-${r.servicePointId}`}>{r.setting?.warningLine ?? ''}</span> },
    { title: '统计时间间隔', key: 'window', render: (_v, r) => (r.setting ? `${r.setting.windowMinutes}分钟` : '') },
    {
      title: '操作',
      key: 'actions',
      render: (_v, r) =>
        r.setting ? (
          <Space>
            <Typography.Link data-testid={`cf-edit-${r.servicePointId}`} onClick={() => setEditing(r)}>
              编辑
            </Typography.Link>
            <Popconfirm
              title="确定删除该门店的预警配置吗？"
              okText="删除"
              cancelText="取消"
              okButtonProps={{ danger: true, 'data-testid': `cf-delete-confirm-${r.servicePointId}` }}
              onConfirm={() => remove(r)}
            >
              <Typography.Link data-testid={`cf-delete-${r.servicePointId}`} type="danger">
                删除
              </Typography.Link>
            </Popconfirm>
          </Space>
        ) : (
          <Button data-testid={`cf-configure-${r.servicePointId}`} size="small" type="primary" onClick={() => setEditing(r)}>
            配置预警
          </Button>
        ),
    },
  ];

  return (
    <div>
      <Typography.Title level={4}>人员超标预警</Typography.Title>
      <LiveCards />
      <Typography.Title level={4} style={{ marginTop: 24 }}>
        预警提示
      </Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <Button data-testid="cf-add" type="primary" disabled={!rows?.some((r) => !r.setting)} onClick={() => setEditing('new')}>
          配置预警
        </Button>
      </Space>
      {rows !== null && rows.length === 0 && <Alert showIcon type="info" message="还没有服务点：请先在“企业服务点管理”中新增服务点，再为其配置人流预警。" style={{ marginBottom: 16 }} />}
      <Table<CrowdFlowRow> data-testid="cf-table" rowKey="servicePointId" loading={rows === null} columns={columns} dataSource={rows ?? []} pagination={{ pageSize: 10, showSizeChanger: false, showTotal: (t) => `共 ${t} 条` }} />
      <CrowdSettingModal
        open={editing !== null}
        row={editing === 'new' ? null : editing}
        rows={rows ?? []}
        onClose={() => setEditing(null)}
        onSaved={() => {
          void message.success('预警配置已保存');
          setEditing(null);
          void load();
        }}
      />
    </div>
  );
}

interface SettingValues {
  servicePointId: number;
  capacity: number;
  warningLine: number;
  windowMinutes: number;
}

/** The warning line may not be above the capacity (the server checks the same: checkCrowdSetting). */
export function warningLineProblem(capacity: number | null | undefined, warningLine: number | null | undefined): string | null {
  if (capacity == null || warningLine == null) return null;
  return warningLine > capacity ? '预警线人数不能大于人流上限数量' : null;
}

export function CrowdSettingModal({ open, row, rows, onClose, onSaved }: { open: boolean; row: CrowdFlowRow | null; rows: CrowdFlowRow[]; onClose: () => void; onSaved: (r: CrowdFlowRow) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<SettingValues>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (row) form.setFieldsValue({ servicePointId: row.servicePointId, ...(row.setting ?? { windowMinutes: 30 }) });
  }, [open, row, form]);
  const choices = row ? [row] : rows.filter((r) => !r.setting);
  return (
    <Modal
      title="预警配置"
      open={open}
      onCancel={onClose}
      destroyOnHidden
      okText="提交"
      cancelText="取消"
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'cf-form-submit' }}
      onOk={() => form.submit()}
    >
      <Form<SettingValues>
        form={form}
        layout="vertical"
        initialValues={{ windowMinutes: 30 }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const body: CrowdFlowRequest = { capacity: v.capacity, warningLine: v.warningLine, windowMinutes: v.windowMinutes };
            onSaved(await api.saveCrowdFlow(v.servicePointId, body));
          } catch (e) {
            applyFailure(e, form, (t) => void message.error(t));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="servicePointId" label="所属门店" rules={[{ required: true, message: '请选择所属门店' }]}>
          <Select data-testid="cf-form-point" placeholder="请选择门店" disabled={!!row} options={choices.map((r) => ({ value: r.servicePointId, label: r.servicePointName }))} />
        </Form.Item>
        <Form.Item name="capacity" label="人流上限数量" rules={[{ required: true, message: '请填写人流上限数量' }]}>
          <InputNumber data-testid="cf-form-capacity" min={1} max={1_000_000} precision={0} addonAfter="人" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item
          name="warningLine"
          label="预警线人数"
          dependencies={['capacity']}
          rules={[
            { required: true, message: '请填写预警线人数' },
            ({ getFieldValue }) => ({
              validator: (_r, v: number | null) => {
                const problem = warningLineProblem(getFieldValue('capacity') as number | null, v);
                return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
              },
            }),
          ]}
        >
          <InputNumber data-testid="cf-form-warning" min={1} max={1_000_000} precision={0} addonAfter="人" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="windowMinutes" label="统计时间间隔" rules={[{ required: true, message: '请填写统计时间间隔' }]} extra={<span data-testid="cf-form-help">{WINDOW_HELP}</span>}>
          <InputNumber data-testid="cf-form-window" min={1} max={1440} precision={0} addonAfter="分钟" style={{ width: 200 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 人员超标预警: every configured point's live count, polled every 5 s while the page is open. */
export function LiveCards({ pollMs = LIVE_POLL_MS }: { pollMs?: number }) {
  const [cards, setCards] = useState<CrowdFlowCard[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const tick = () =>
      api.crowdFlowLive().then(
        (c) => {
          if (!live) return;
          setCards(c);
          setError(null);
        },
        (e: Error) => live && setError(e.message),
      );
    void tick();
    const timer = setInterval(() => void tick(), pollMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [pollMs]);
  if (error && !cards) return <Alert type="error" showIcon message={error} />;
  if (!cards) return null;
  if (cards.length === 0) return <Empty data-testid="cf-live-empty" description="尚未配置人流预警" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <Row gutter={[16, 16]} data-testid="cf-live">
      {cards.map((c) => (
        <Col key={c.servicePointId} xs={24} md={12} xl={8}>
          <Card size="small" data-testid={`cf-card-${c.servicePointId}`} style={{ borderColor: c.state === 'normal' ? undefined : c.state === 'warning' ? '#fa8c16' : '#f5222d' }}>
            <p>门店信息：{c.servicePointName}</p>
            <p>人流上限：{c.capacity} 人</p>
            <p>
              当前人流：<span data-testid={`cf-card-current-${c.servicePointId}`}>{c.current}</span> 人
            </p>
            <p>
              人流状态：
              <Tag data-testid={`cf-card-state-${c.servicePointId}`} color={STATE_COLOUR[c.state]} style={{ fontWeight: c.state === 'normal' ? undefined : 'bold' }}>
                {c.stateText}
              </Tag>
            </p>
            <p style={{ marginBottom: 0 }}>更新时间：{time(c.updatedAt)}</p>
          </Card>
        </Col>
      ))}
    </Row>
  );
}
