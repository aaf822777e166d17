// 健康码申诉 (H6, health department only): citizens' corrections of their codes. Local ones (本省健康码) that are
// pending are decided here — 采纳 (the code turns green until new data about the person arrives) or 不采纳 with
// a note — after a confirmation; origin ones were forwarded to the national platform and are only shown.
import { Alert, App, Button, Form, Input, Modal, Radio, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { Page } from '@bamin/common/consoleApi';
import { CORRECTION_STATUS_TEXT, type CorrectionConsoleView, type CorrectionStatus } from '@bamin/common/nationalApi';
import { api, isApiFailure } from '../../api';
import { useFailure } from '../../forms/failure';

export const PAGE_SIZE = 10;
export const NOTE_MAX = 500;

type Decision = 'accept' | 'reject';
type StatusFilter = CorrectionStatus | 'all';

const STATUS_COLOUR: Record<CorrectionStatus, string> = {
  pending: 'blue',
  accepted: 'green',
  rejected: 'red',
  forwarded: 'purple',
  forward_failed: 'orange',
};

const FILTERS: { value: StatusFilter; label: string }[] = [
  { value: 'pending', label: CORRECTION_STATUS_TEXT.pending },
  { value: 'accepted', label: CORRECTION_STATUS_TEXT.accepted },
  { value: 'rejected', label: CORRECTION_STATUS_TEXT.rejected },
  { value: 'forwarded', label: CORRECTION_STATUS_TEXT.forwarded },
  { value: 'forward_failed', label: '转国家平台失败' },
  { value: 'all', label: '全部' },
];

export const DECISION_TEXT: Record<Decision, { button: string; title: string; confirm: string }> = {
  accept: {
    button: '采纳',
    title: '采纳申诉',
    confirm: '确认采纳该申诉？采纳后该健康码将转为绿码，直至该人员有新的健康数据。',
  },
  reject: {
    button: '不采纳',
    title: '不采纳申诉',
    confirm: '确认不采纳该申诉？健康码保持现状，处理意见将告知申诉人。',
  },
};

const time = (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—');

/** Only a pending local correction is decided here; the server refuses others with 409 CORRECTION_NOT_PENDING. */
export const decidable = (r: Pick<CorrectionConsoleView, 'kind' | 'status'>) => r.kind === 'local' && r.status === 'pending';

export function CorrectionsPage() {
  const { modal } = App.useApp();
  const fail = useFailure();
  const [status, setStatus] = useState<StatusFilter>('pending');
  const [pageNo, setPageNo] = useState(1);
  const [page, setPage] = useState<Page<CorrectionConsoleView> | null>(null);
  const [loading, setLoading] = useState(false);
  const [deciding, setDeciding] = useState<{ row: CorrectionConsoleView; decision: Decision } | null>(null);
  const [decisionError, setDecisionError] = useState('');
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ note: string }>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setPage(await api.corrections({ status: status === 'all' ? undefined : status, page: pageNo, pageSize: PAGE_SIZE }));
    } catch (e) {
      fail(e);
    } finally {
      setLoading(false);
    }
  }, [status, pageNo, fail]);
  useEffect(() => {
    void load();
  }, [load]);

  // the modal's form is destroyed on close, so each opening starts empty
  const open = (row: CorrectionConsoleView, decision: Decision) => {
    setDecisionError('');
    setDeciding({ row, decision });
  };

  const decide = async ({ note }: { note?: string }) => {
    if (!deciding) return;
    const { row, decision } = deciding;
    const body = { decision, note: (note ?? '').trim() };
    modal.confirm({
      title: DECISION_TEXT[decision].title,
      content: <div data-testid="corr-confirm-text">{DECISION_TEXT[decision].confirm}</div>,
      okText: `确认${DECISION_TEXT[decision].button}`,
      cancelText: '取消',
      okButtonProps: { 'data-testid': 'corr-confirm-ok', danger: decision === 'reject' },
      cancelButtonProps: { 'data-testid': 'corr-confirm-cancel' },
      onOk: async () => {
        setBusy(true);
        try {
          await api.decideCorrection(row.id, body);
          setDeciding(null);
          void load();
        } catch (e) {
          fail(e, form);
          if (isApiFailure(e)) setDecisionError(e.message);
          // 409: someone else decided it meanwhile; show the list as it is now
          if (isApiFailure(e) && e.status === 409) void load();
        } finally {
          setBusy(false);
        }
      },
    });
  };

  const columns: ColumnsType<CorrectionConsoleView> = [
    {
      title: '申诉人',
      key: 'person',
      render: (_v, r) => (
        <span data-testid={`corr-person-${r.id}`}>
          {r.nameMasked}
          <br />
          <Typography.Text type="secondary">{r.idMasked}</Typography.Text>
        </span>
      ),
    },
    { title: '类型', dataIndex: 'kindText', render: (v: string, r) => <span data-testid={`corr-kind-${r.id}`}>{v}</span> },
    {
      title: '申诉时健康码',
      key: 'atFiling',
      render: (_v, r) => (
        <span data-testid={`corr-filing-${r.id}`}>
          {r.colourText}
          {r.reasonsText.length > 0 && (
            <Typography.Text type="secondary">（{r.reasonsText.join('；')}）</Typography.Text>
          )}
        </span>
      ),
    },
    { title: '申诉理由', dataIndex: 'reason', width: 240, render: (v: string, r) => <span data-testid={`corr-reason-${r.id}`}>{v}</span> },
    {
      title: '状态',
      dataIndex: 'status',
      render: (v: CorrectionStatus, r) => <Tag color={STATUS_COLOUR[v]} data-testid={`corr-status-${r.id}`}>{r.statusText}</Tag>,
    },
    { title: '处理人', dataIndex: 'decidedBy', render: (v: string | null, r) => <span data-testid={`corr-decider-${r.id}`}>{v ?? '—'}</span> },
    { title: '处理意见', dataIndex: 'decisionNote', render: (v: string | null, r) => <span data-testid={`corr-note-${r.id}`}>{v || '—'}</span> },
    { title: '申诉时间', dataIndex: 'createdAt', render: (v: string, r) => <span data-testid={`corr-created-${r.id}`}>{time(v)}</span> },
    { title: '处理时间', dataIndex: 'decidedAt', render: (v: string | null, r) => <span data-testid={`corr-decided-${r.id}`}>{time(v)}</span> },
    {
      title: '操作',
      key: 'actions',
      render: (_v, r) =>
        decidable(r) ? (
          <Space>
            <Button size="small" type="primary" autoInsertSpace={false} data-testid={`corr-accept-${r.id}`} onClick={() => open(r, 'accept')}>采纳</Button>
            <Button size="small" danger data-testid={`corr-reject-${r.id}`} onClick={() => open(r, 'reject')}>不采纳</Button>
          </Space>
        ) : null,
    },
  ];

  return (
    <div>
      <Typography.Title level={4}>健康码申诉</Typography.Title>
      <Typography.Paragraph type="secondary">
        市民对本省健康码的申诉由卫生健康部门核实后采纳或不采纳；采纳后该健康码转为绿码，直至该人员有新的健康数据。来源地健康通行码的申诉已转国家政务服务平台，由出发地处理。
      </Typography.Paragraph>
      <Space style={{ marginBottom: 16 }}>
        <span>状态：</span>
        <Radio.Group
          data-testid="corr-filter"
          optionType="button"
          value={status}
          options={FILTERS.map((f) => ({ value: f.value, label: <span data-testid={`corr-filter-${f.value}`}>{f.label}</span> }))}
          onChange={(e) => {
            setStatus(e.target.value as StatusFilter);
            setPageNo(1);
          }}
        />
      </Space>
      <Table<CorrectionConsoleView>
        data-testid="corr-table"
        rowKey="id"
        loading={loading}
        columns={columns}
        dataSource={page?.items ?? []}
        scroll={{ x: 1200 }}
        pagination={{ current: pageNo, pageSize: PAGE_SIZE, total: page?.total ?? 0, showSizeChanger: false, showTotal: (t) => `共 ${t} 条`, onChange: setPageNo }}
      />
      <Modal
        title={deciding ? DECISION_TEXT[deciding.decision].title : ''}
        open={deciding !== null}
        onCancel={() => setDeciding(null)}
        destroyOnHidden
        okText={deciding ? DECISION_TEXT[deciding.decision].button : ''}
        cancelText="取消"
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'corr-decision-submit', danger: deciding?.decision === 'reject' }}
        onOk={() => form.submit()}
      >
        {deciding && (
          <Space direction="vertical" style={{ width: '100%' }}>
            {decisionError && <Alert type="error" showIcon message={decisionError} data-testid="corr-decision-error" />}
            <div data-testid="corr-decision-who">
              申诉人：{deciding.row.nameMasked}（{deciding.row.idMasked}），申诉时 {deciding.row.colourText}
            </div>
            <div>申诉理由：{deciding.row.reason}</div>
            <Form form={form} layout="vertical" onFinish={decide}>
              <Form.Item
                name="note"
                label="处理意见"
                rules={[
                  ...(deciding.decision === 'reject' ? [{ required: true, whitespace: true, message: '不采纳时请填写处理意见' }] : []),
                  { max: NOTE_MAX, message: `处理意见最多 ${NOTE_MAX} 字` },
                ]}
              >
                <Input.TextArea data-testid="corr-decision-note" rows={4} showCount maxLength={NOTE_MAX}
                  placeholder={deciding.decision === 'reject' ? '请说明不采纳的理由（必填）' : '可填写核实情况（选填）'} />
              </Form.Item>
            </Form>
          </Space>
        )}
      </Modal>
    </div>
  );
}
