// 发起上报 (manual 四(八)1–3; D7): the department to report to (an ancestor of the unit, nearest first), the
// range of scan records (yesterday by default, at most 366 days, end not before start, nothing after
// today) and the filters; a confirmation naming the receiver and the range before anything is sent.
import { Alert, App, DatePicker, Form, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { dataReportFilterText, type DataReportRequest, type DataReportView, type ReceiverOption } from '@bamin/common/reportApi';
import { ApiFailure, api, isApiFailure } from '../../api';
import { applyFailure } from '../../forms/failure';
import { FILTER_DEFAULTS, FilterFields, rangeText, toFilter, type PointOption, type ReportFilterValues } from './parts';

/** The server refuses a range of this many days or more (dataReportService's REPORT_MAX_DAYS). */
export const REPORT_MAX_DAYS = 366;
export const NO_RECEIVER_TEXT = '本单位是卫健委，已是最上级部门，没有可上报的上级部门。下级单位上报的数据请在“数据接收”中查看。';

export interface ReportFormValues extends ReportFilterValues {
  toOrganisationId?: number;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** Why a range cannot be sent, in the server's words, or null. */
export function rangeProblem(from: Dayjs | null | undefined, to: Dayjs | null | undefined): string | null {
  if (!from || !to) return '请选择上报范围';
  if (to.isBefore(from, 'day')) return '结束日期不能早于开始日期';
  if (to.startOf('day').diff(from.startOf('day'), 'day') >= REPORT_MAX_DAYS) return `上报范围最多 ${REPORT_MAX_DAYS} 天`;
  return null;
}

/** The form's values as POST /data-reports takes them. */
export function toReportRequest(v: ReportFormValues): DataReportRequest {
  return {
    toOrganisationId: v.toOrganisationId!,
    from: v.range![0]!.format('YYYY-MM-DD'),
    to: v.range![1]!.format('YYYY-MM-DD'),
    ...toFilter(v),
  };
}

/** The server names the range's ends `from` and `to`; the form holds them in one field. */
export function onRangeField(e: unknown): unknown {
  if (!isApiFailure(e)) return e;
  return new ApiFailure(e.status, e.code, e.message, e.details.map((d) => (d.field === 'from' || d.field === 'to' ? { ...d, field: 'range' } : d)));
}

export const yesterday = () => dayjs().subtract(1, 'day').startOf('day');

export function ReportFormModal({
  open,
  receivers,
  points,
  onClose,
  onSent,
}: {
  open: boolean;
  receivers: ReceiverOption[];
  points: PointOption[] | null;
  onClose: () => void;
  onSent: (r: DataReportView) => void;
}) {
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<ReportFormValues>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const confirmAndSend = (v: ReportFormValues) => {
    const body = toReportRequest(v);
    const receiver = receivers.find((r) => r.id === body.toOrganisationId);
    modal.confirm({
      title: '确认上报',
      content: (
        <div data-testid="dr-confirm-text">
          将 {rangeText(body.from, body.to)} 的出入扫码记录（{dataReportFilterText(body)}）生成 Excel 文件，上报给“{receiver?.name ?? ''}”？
        </div>
      ),
      okText: '确认上报',
      cancelText: '取消',
      okButtonProps: { 'data-testid': 'dr-confirm-ok' },
      cancelButtonProps: { 'data-testid': 'dr-confirm-cancel' },
      onOk: async () => {
        setBusy(true);
        try {
          onSent(await api.sendReport(body));
        } catch (e) {
          applyFailure(onRangeField(e), form, (t) => void message.error(t));
        } finally {
          setBusy(false);
        }
      },
    });
  };

  return (
    <Modal
      title="发起上报"
      open={open}
      onCancel={onClose}
      destroyOnHidden
      okText="提交"
      cancelText="取消"
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'dr-form-submit', disabled: receivers.length === 0 }}
      onOk={() => form.submit()}
      width={620}
    >
      {receivers.length === 0 && <Alert data-testid="dr-form-no-receiver" type="info" showIcon message={NO_RECEIVER_TEXT} style={{ marginBottom: 16 }} />}
      <Form<ReportFormValues> form={form} layout="vertical" initialValues={{ ...FILTER_DEFAULTS, range: [yesterday(), yesterday()] }} onFinish={confirmAndSend}>
        <Form.Item name="toOrganisationId" label="上报部门" rules={[{ required: true, message: '请选择上报部门' }]}>
          <Select
            data-testid="dr-form-receiver"
            placeholder="请选择上报的部门"
            disabled={receivers.length === 0}
            options={receivers.map((r) => ({ value: r.id, label: r.name }))}
          />
        </Form.Item>
        <Form.Item
          name="range"
          label="上报范围（扫码日期）"
          extra={`最多 ${REPORT_MAX_DAYS} 天`}
          rules={[
            {
              validator: async (_r, v: ReportFormValues['range']) => {
                const problem = rangeProblem(v?.[0], v?.[1]);
                if (problem) throw new Error(problem);
              },
            },
          ]}
        >
          <DatePicker.RangePicker data-testid="dr-form-range" allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <FilterFields points={points} prefix="dr-form" />
      </Form>
    </Modal>
  );
}
