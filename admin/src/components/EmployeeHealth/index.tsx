// 职工健康管理 (D5, E4; manual 四(六), 五(二)5): every employee of the unit with today's 已上报/未上报, the
// latest report and its result. 提醒上报 (one) and 批量提醒 (only 未上报 rows can be chosen) send an in-app
// message; 批量导出 downloads the reports of a date range; 查看历史记录 opens one employee's reports, and
// 查看 one report, each with 返回.
import { App, Button, DatePicker, Descriptions, Form, Input, Modal, Select, Space, Table, Tag, Typography, type FormInstance } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { HealthReportView } from '@bamin/common/appApi';
import type { EmployeeHealthRow, Page } from '@bamin/common/consoleApi';
import { api, saveBlob, type EmployeeHealthQuery } from '../../api';
import { useFailure } from '../../forms/failure';
import { time } from '../ScanRecords';

const PAGE_SIZE = 10;
export const REMINDED_TEXT = '提醒成功';

export interface HealthFilterValues {
  name?: string;
  idNumber?: string;
  status?: EmployeeHealthQuery['status'];
  dates?: [Dayjs | null, Dayjs | null] | null;
  result?: EmployeeHealthQuery['result'];
}

export function toHealthQuery(v: HealthFilterValues): EmployeeHealthQuery {
  const q: EmployeeHealthQuery = {
    name: v.name?.trim() || undefined,
    idNumber: v.idNumber?.trim().toUpperCase() || undefined,
    status: v.status || undefined,
    from: v.dates?.[0]?.format('YYYY-MM-DD'),
    to: v.dates?.[1]?.format('YYYY-MM-DD'),
    result: v.result || undefined,
  };
  return Object.fromEntries(Object.entries(q).filter(([, x]) => x !== undefined)) as EmployeeHealthQuery;
}

/** Only employees who have not reported today can be reminded (manual 五(二)5 (4)). */
export const remindable = (r: EmployeeHealthRow) => !r.reportedToday;

export function HealthFilters({ form, onSearch, onReset }: { form: FormInstance<HealthFilterValues>; onSearch: (q: EmployeeHealthQuery) => void; onReset: () => void }) {
  return (
    <Form<HealthFilterValues> form={form} layout="inline" style={{ marginBottom: 16, rowGap: 12 }} onFinish={(v) => onSearch(toHealthQuery(v))}>
      <Form.Item name="name" label="姓名">
        <Input data-testid="eh-q-name" placeholder="请输入职工姓名" allowClear />
      </Form.Item>
      <Form.Item name="idNumber" label="证件号码">
        <Input data-testid="eh-q-id" placeholder="请输入完整证件号码" allowClear />
      </Form.Item>
      <Form.Item name="status" label="今日状态">
        <Select data-testid="eh-q-status" placeholder="请选择" allowClear style={{ width: 120 }} options={[{ value: 'reported', label: '已上报' }, { value: 'not_reported', label: '未上报' }]} />
      </Form.Item>
      <Form.Item name="dates" label="最新上报时间">
        <DatePicker.RangePicker data-testid="eh-q-dates" />
      </Form.Item>
      <Form.Item name="result" label="最新上报结果">
        <Select data-testid="eh-q-result" placeholder="请选择" allowClear style={{ width: 120 }} options={[{ value: 'normal', label: '正常' }, { value: 'abnormal', label: '异常' }]} />
      </Form.Item>
      <Space>
        <Button data-testid="eh-query" type="primary" htmlType="submit">
          查询
        </Button>
        <Button
          data-testid="eh-reset"
          onClick={() => {
            form.resetFields();
            onReset();
          }}
        >
          重置
        </Button>
      </Space>
    </Form>
  );
}

type View = { kind: 'list' } | { kind: 'history'; employee: EmployeeHealthRow } | { kind: 'report'; employee: EmployeeHealthRow; report: HealthReportView };

export function EmployeeHealthPage() {
  const [view, setView] = useState<View>({ kind: 'list' });
  return (
    <>
      {/* the list stays mounted (hidden) so 返回 finds the filters and page as they were */}
      <div style={{ display: view.kind === 'list' ? undefined : 'none' }}>
        <HealthList onHistory={(employee) => setView({ kind: 'history', employee })} />
      </div>
      {view.kind === 'history' && <HistoryView employee={view.employee} onBack={() => setView({ kind: 'list' })} onReport={(report) => setView({ kind: 'report', employee: view.employee, report })} />}
      {view.kind === 'report' && <ReportView employee={view.employee} report={view.report} onBack={() => setView({ kind: 'history', employee: view.employee })} />}
    </>
  );
}

function HealthList({ onHistory }: { onHistory: (r: EmployeeHealthRow) => void }) {
  const { message } = App.useApp();
  const fail = useFailure();
  const [form] = Form.useForm<HealthFilterValues>();
  const [query, setQuery] = useState<EmployeeHealthQuery>({});
  const [pageNo, setPageNo] = useState(1);
  const [page, setPage] = useState<Page<EmployeeHealthRow> | null>(null);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<number[]>([]);
  const [exporting, setExporting] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setPage(await api.employeeHealth({ ...query, page: pageNo, pageSize: PAGE_SIZE }));
    } catch (e) {
      fail(e, form);
    } finally {
      setLoading(false);
    }
  }, [query, pageNo, fail, form]);
  useEffect(() => {
    void load();
  }, [load]);

  const remind = async (ids: number[]) => {
    try {
      await api.remind(ids);
      void message.success(REMINDED_TEXT);
      setSelected([]);
      void load();
    } catch (e) {
      fail(e);
    }
  };

  const columns: ColumnsType<EmployeeHealthRow> = [
    { title: '序号', key: 'no', width: 64, render: (_v, _r, i) => (pageNo - 1) * PAGE_SIZE + i + 1 },
    { title: '姓名', dataIndex: 'name', render: (v: string, r) => <span data-testid={`eh-name-${r.employeeId}`}>{v}</span> },
    { title: '证件号码', dataIndex: 'idMasked' },
    { title: '部门', dataIndex: 'department', render: (v: string | null) => v ?? '—' },
    {
      title: '今日状态',
      dataIndex: 'statusText',
      render: (v: string, r) => (
        <Tag data-testid={`eh-status-${r.employeeId}`} color={r.reportedToday ? 'green' : 'default'}>
          {v}
        </Tag>
      ),
    },
    { title: '最新上报时间', dataIndex: 'latestReportAt', render: time },
    { title: '最新上报结果', dataIndex: 'latestResultText', render: (v: string | null) => (v ? <Tag color={v === '正常' ? 'green' : 'red'}>{v}</Tag> : '—') },
    {
      title: '操作',
      key: 'actions',
      render: (_v, r) => (
        <Space>
          {r.latestReportAt && (
            <Typography.Link data-testid={`eh-history-${r.employeeId}`} onClick={() => onHistory(r)}>
              查看历史记录
            </Typography.Link>
          )}
          {remindable(r) && (
            <Typography.Link data-testid={`eh-remind-${r.employeeId}`} onClick={() => void remind([r.employeeId])}>
              提醒上报
            </Typography.Link>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div>
      <Typography.Title level={4}>职工健康管理</Typography.Title>
      <HealthFilters
        form={form}
        onSearch={(q) => {
          setQuery(q);
          setPageNo(1);
          setSelected([]);
        }}
        onReset={() => {
          setQuery({});
          setPageNo(1);
          setSelected([]);
        }}
      />
      <Space style={{ marginBottom: 16 }}>
        <Button data-testid="eh-batch-remind" type="primary" disabled={selected.length === 0} onClick={() => void remind(selected)}>
          批量提醒{selected.length ? `（${selected.length}）` : ''}
        </Button>
        <Button data-testid="eh-export" onClick={() => setExporting(true)}>
          批量导出
        </Button>
      </Space>
      <Table<EmployeeHealthRow>
        data-testid="eh-table"
        rowKey="employeeId"
        loading={loading}
        columns={columns}
        dataSource={page?.items ?? []}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys as number[]),
          getCheckboxProps: (r) => ({ disabled: !remindable(r), 'data-testid': `eh-select-${r.employeeId}` }) as object,
        }}
        pagination={{
          current: pageNo,
          pageSize: PAGE_SIZE,
          total: page?.total ?? 0,
          showSizeChanger: false,
          showQuickJumper: true,
          showTotal: (t) => <span data-testid="eh-total">共 {t} 条</span>,
          onChange: (p) => {
            setPageNo(p);
            setSelected([]);
          },
        }}
      />
      <ExportModal open={exporting} onClose={() => setExporting(false)} />
    </div>
  );
}

/** 批量导出: by default up to yesterday (截至昨日), the last 30 days. */
export function ExportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const fail = useFailure();
  const [form] = Form.useForm<{ dates: [Dayjs, Dayjs] }>();
  const [busy, setBusy] = useState(false);
  const yesterday = dayjs().subtract(1, 'day');
  return (
    <Modal
      title="批量导出健康上报数据"
      open={open}
      onCancel={onClose}
      destroyOnHidden
      okText="导出"
      cancelText="取消"
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'eh-export-submit' }}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ dates: [yesterday.subtract(29, 'day'), yesterday] }}
        onFinish={async (v) => {
          const from = v.dates[0].format('YYYY-MM-DD');
          const to = v.dates[1].format('YYYY-MM-DD');
          setBusy(true);
          try {
            saveBlob(await api.exportReports(from, to), `健康上报_${from}_${to}.xlsx`);
            onClose();
          } catch (e) {
            fail(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="dates" label="上报时间范围" rules={[{ required: true, message: '请选择上报时间范围' }]}>
          <DatePicker.RangePicker data-testid="eh-export-dates" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const TYPE_OPTIONS = [
  { value: 'self', label: '本人上报' },
  { value: 'family', label: '家属代报' },
  { value: 'scan', label: '扫码登记' },
];

function HistoryView({ employee, onBack, onReport }: { employee: EmployeeHealthRow; onBack: () => void; onReport: (r: HealthReportView) => void }) {
  const fail = useFailure();
  const [form] = Form.useForm<{ dates?: [Dayjs, Dayjs] | null; type?: string }>();
  const [filter, setFilter] = useState<{ from?: string; to?: string; type?: string }>({});
  const [pageNo, setPageNo] = useState(1);
  const [page, setPage] = useState<Page<HealthReportView> | null>(null);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    setLoading(true);
    api.employeeReports(employee.employeeId, { ...filter, page: pageNo, pageSize: PAGE_SIZE }).then(setPage, (e) => fail(e)).finally(() => setLoading(false));
  }, [employee.employeeId, filter, pageNo, fail]);
  const columns: ColumnsType<HealthReportView> = [
    { title: '序号', key: 'no', width: 64, render: (_v, _r, i) => (pageNo - 1) * PAGE_SIZE + i + 1 },
    { title: '上报时间', dataIndex: 'reportedAt', render: time },
    { title: '上报地址', key: 'place', render: (_v, r) => [r.areaName, r.location].filter(Boolean).join(' ') || '—' },
    { title: '上报类型', dataIndex: 'typeText' },
    {
      title: '上报详情',
      key: 'detail',
      render: (_v, r) => (
        <Typography.Link data-testid={`eh-report-${r.id}`} onClick={() => onReport(r)}>
          查看
        </Typography.Link>
      ),
    },
  ];
  return (
    <div data-testid="eh-history">
      <Space style={{ marginBottom: 8 }}>
        <Button data-testid="eh-history-back" onClick={onBack}>
          返回
        </Button>
        <Typography.Title level={4} style={{ margin: 0 }}>
          职工健康上报记录
        </Typography.Title>
      </Space>
      <Descriptions column={3} size="small" style={{ margin: '12px 0' }}>
        <Descriptions.Item label="职工姓名">
          <span data-testid="eh-history-name">{employee.name}</span>
        </Descriptions.Item>
        <Descriptions.Item label="证件号码">{employee.idMasked}</Descriptions.Item>
        <Descriptions.Item label="部门">{employee.department ?? '—'}</Descriptions.Item>
      </Descriptions>
      <Form
        form={form}
        layout="inline"
        style={{ marginBottom: 16 }}
        onFinish={(v) => {
          setFilter({ from: v.dates?.[0]?.format('YYYY-MM-DD'), to: v.dates?.[1]?.format('YYYY-MM-DD'), type: v.type || undefined });
          setPageNo(1);
        }}
      >
        <Form.Item name="dates" label="上报时间">
          <DatePicker.RangePicker />
        </Form.Item>
        <Form.Item name="type" label="上报类型">
          <Select placeholder="请选择" allowClear style={{ width: 140 }} options={TYPE_OPTIONS} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" data-testid="eh-history-query">
            查询
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              setFilter({});
              setPageNo(1);
            }}
          >
            重置
          </Button>
        </Space>
      </Form>
      <Table<HealthReportView>
        data-testid="eh-history-table"
        rowKey="id"
        loading={loading}
        columns={columns}
        dataSource={page?.items ?? []}
        pagination={{ current: pageNo, pageSize: PAGE_SIZE, total: page?.total ?? 0, showSizeChanger: false, showTotal: (t) => `共 ${t} 条`, onChange: setPageNo }}
      />
    </div>
  );
}

function ReportView({ employee, report, onBack }: { employee: EmployeeHealthRow; report: HealthReportView; onBack: () => void }) {
  return (
    <div data-testid="eh-report-detail">
      <Space style={{ marginBottom: 16 }}>
        <Button data-testid="eh-report-back" onClick={onBack}>
          返回
        </Button>
        <Typography.Title level={4} style={{ margin: 0 }}>
          健康上报详情
        </Typography.Title>
      </Space>
      <Descriptions column={1} bordered size="middle" style={{ maxWidth: 720 }}>
        <Descriptions.Item label="职工姓名">{employee.name}</Descriptions.Item>
        <Descriptions.Item label="证件号码">{employee.idMasked}</Descriptions.Item>
        <Descriptions.Item label="上报时间">{time(report.reportedAt)}</Descriptions.Item>
        <Descriptions.Item label="上报类型">{report.typeText}</Descriptions.Item>
        <Descriptions.Item label="体温">
          <span data-testid="eh-report-temperature">{report.temperatureCelsius === null ? '—' : `${report.temperatureCelsius.toFixed(1)} ℃`}</span>
        </Descriptions.Item>
        <Descriptions.Item label="症状">{report.symptomText || '—'}</Descriptions.Item>
        <Descriptions.Item label="所在地区">{report.areaName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="当前位置">{report.location ?? '—'}</Descriptions.Item>
      </Descriptions>
    </div>
  );
}
