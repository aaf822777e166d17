// 出入扫码记录 (D4, E7; manual 四(五), 五(二)8): the unit's scan records — staff scans at its scan points
// (被扫) and registrations at its service points (主扫) — with the manual's columns and filters; 查看详情
// shows one record; a passer's name opens their basic information, pass records here and health reports;
// a scanner's name opens the scanner and their records. Names and ID numbers arrive masked.
import { Button, DatePicker, Descriptions, Drawer, Form, Input, Select, Skeleton, Space, Table, Tag, Typography, type FormInstance } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { HealthReportView } from '@bamin/common/appApi';
import type { Page, PassPersonView, ScannerView, ScanRecordDetail, ScanRecordRow, SubAccountView } from '@bamin/common/consoleApi';
import { api, isApiFailure, type ScanRecordQuery } from '../../api';
import { useFailure } from '../../forms/failure';
import { AreaCascader } from '../AreaCascader';

const PAGE_SIZE = 10;
export const time = (v: string | null | undefined) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm:ss') : '—');

export interface ScanFilterValues {
  name?: string;
  idNumber?: string;
  area?: string[];
  temperature?: ScanRecordQuery['temperature'];
  colour?: ScanRecordQuery['colour'];
  dates?: [Dayjs | null, Dayjs | null] | null;
  scannerId?: number;
  mode?: ScanRecordQuery['mode'];
}

/** The form's values as the server's query: trimmed, the deepest area chosen, dates as YYYY-MM-DD. */
export function toScanQuery(v: ScanFilterValues): ScanRecordQuery {
  const q: ScanRecordQuery = {
    name: v.name?.trim() || undefined,
    idNumber: v.idNumber?.trim().toUpperCase() || undefined,
    areaCode: v.area?.length ? v.area[v.area.length - 1] : undefined,
    temperature: v.temperature || undefined,
    colour: v.colour || undefined,
    from: v.dates?.[0]?.format('YYYY-MM-DD'),
    to: v.dates?.[1]?.format('YYYY-MM-DD'),
    scannerId: v.scannerId || undefined,
    mode: v.mode || undefined,
  };
  return Object.fromEntries(Object.entries(q).filter(([, x]) => x !== undefined)) as ScanRecordQuery;
}

export const TEMPERATURE_OPTIONS = [
  { value: 'normal', label: '体温正常' },
  { value: 'abnormal', label: '体温异常' },
  { value: 'none', label: '未反馈' },
];
export const COLOUR_OPTIONS = [
  { value: 'green', label: '绿码' },
  { value: 'orange', label: '橙码' },
];
export const MODE_OPTIONS = [
  { value: 'passive', label: '被扫（扫码员扫码）' },
  { value: 'active', label: '主扫（服务点登记）' },
];

const colourTag = (colour: 'green' | 'orange', text: string) => <Tag color={colour === 'green' ? 'green' : 'orange'}>{text}</Tag>;

export function ScanFilters({ form, scanners, onSearch, onReset }: { form: FormInstance<ScanFilterValues>; scanners: SubAccountView[] | null; onSearch: (q: ScanRecordQuery) => void; onReset: () => void }) {
  return (
    <Form<ScanFilterValues> form={form} layout="inline" style={{ marginBottom: 16, rowGap: 12 }} onFinish={(v) => onSearch(toScanQuery(v))}>
      <Form.Item name="name" label="姓名">
        <Input data-testid="scan-q-name" placeholder="请输入姓名" allowClear />
      </Form.Item>
      <Form.Item name="idNumber" label="证件号码">
        <Input data-testid="scan-q-id" placeholder="请输入完整证件号码" allowClear />
      </Form.Item>
      <Form.Item name="area" label="通行区域">
        <AreaCascader anyLevel testId="scan-q-area" placeholder="请选择通行区域" />
      </Form.Item>
      <Form.Item name="temperature" label="体温结果">
        <Select data-testid="scan-q-temperature" placeholder="请选择" allowClear options={TEMPERATURE_OPTIONS} style={{ width: 140 }} />
      </Form.Item>
      <Form.Item name="colour" label="健康码状态">
        <Select data-testid="scan-q-colour" placeholder="请选择" allowClear options={COLOUR_OPTIONS} style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name="dates" label="扫码日期">
        <DatePicker.RangePicker data-testid="scan-q-dates" />
      </Form.Item>
      {scanners && (
        <Form.Item name="scannerId" label="扫码员">
          <Select
            data-testid="scan-q-scanner"
            placeholder="请选择扫码员"
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ width: 180 }}
            options={scanners.map((s) => ({ value: s.id, label: `${s.name ?? '未命名'}（${s.phoneMasked}）` }))}
          />
        </Form.Item>
      )}
      <Form.Item name="mode" label="方式">
        <Select data-testid="scan-q-mode" placeholder="主扫/被扫" allowClear options={MODE_OPTIONS} style={{ width: 180 }} />
      </Form.Item>
      <Space>
        <Button data-testid="scan-query" type="primary" htmlType="submit">
          查询
        </Button>
        <Button
          data-testid="scan-reset"
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

export function ScanRecordsPage() {
  const fail = useFailure();
  const [form] = Form.useForm<ScanFilterValues>();
  const [query, setQuery] = useState<ScanRecordQuery>({});
  const [pageNo, setPageNo] = useState(1);
  const [page, setPage] = useState<Page<ScanRecordRow> | null>(null);
  const [loading, setLoading] = useState(false);
  const [scanners, setScanners] = useState<SubAccountView[] | null>(null);
  const [detailId, setDetailId] = useState<number | null>(null);
  const [personRef, setPersonRef] = useState<string | null>(null);
  const [scannerId, setScannerId] = useState<number | null>(null);

  useEffect(() => {
    // An enterprise without a CA session may not list its sub-accounts (403): no 扫码员 filter then.
    api.subAccounts({ page: 1, pageSize: 100 }).then(
      (p) => setScanners(p.items),
      (e) => {
        if (!(isApiFailure(e) && e.status === 403)) fail(e);
        setScanners(null);
      },
    );
  }, [fail]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setPage(await api.scanRecords({ ...query, page: pageNo, pageSize: PAGE_SIZE }));
    } catch (e) {
      fail(e, form);
    } finally {
      setLoading(false);
    }
  }, [query, pageNo, fail, form]);
  useEffect(() => {
    void load();
  }, [load]);

  const columns: ColumnsType<ScanRecordRow> = [
    { title: '序号', key: 'no', width: 64, render: (_v, _r, i) => (pageNo - 1) * PAGE_SIZE + i + 1 },
    {
      title: '姓名',
      dataIndex: 'nameMasked',
      render: (v: string, r) => (
        <Typography.Link data-testid={`scan-person-${r.id}`} onClick={() => setPersonRef(r.personRef)}>
          {v}
        </Typography.Link>
      ),
    },
    { title: '证件号码', dataIndex: 'idMasked' },
    { title: '通行区域', dataIndex: 'areaName' },
    { title: '扫码点', dataIndex: 'pointName' },
    {
      title: '扫码员',
      key: 'scanner',
      render: (_v, r) =>
        r.scanner ? (
          <Typography.Link data-testid={`scan-scanner-${r.id}`} onClick={() => setScannerId(r.scanner!.id)}>
            {r.scanner.nameMasked}
          </Typography.Link>
        ) : (
          '—'
        ),
    },
    { title: '扫码时间', dataIndex: 'scannedAt', render: time },
    { title: '健康码状态', key: 'colour', render: (_v, r) => colourTag(r.colour, r.colourText) },
    { title: '体温结果', dataIndex: 'temperatureText' },
    { title: '方式', dataIndex: 'methodText', render: (v: string, r) => <span data-testid={`scan-method-${r.id}`}>{v}</span> },
    {
      title: '操作',
      key: 'actions',
      render: (_v, r) => (
        <Typography.Link data-testid={`scan-detail-${r.id}`} onClick={() => setDetailId(r.id)}>
          查看详情
        </Typography.Link>
      ),
    },
  ];

  return (
    <div>
      <Typography.Title level={4}>出入扫码记录</Typography.Title>
      <ScanFilters
        form={form}
        scanners={scanners}
        onSearch={(q) => {
          setQuery(q);
          setPageNo(1);
        }}
        onReset={() => {
          setQuery({});
          setPageNo(1);
        }}
      />
      <Table<ScanRecordRow>
        data-testid="scan-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={page?.items ?? []}
        pagination={{
          current: pageNo,
          pageSize: PAGE_SIZE,
          total: page?.total ?? 0,
          showSizeChanger: false,
          showQuickJumper: true,
          showTotal: (t) => <span data-testid="scan-total">共 {t} 条</span>,
          onChange: setPageNo,
        }}
      />
      <ScanDetailDrawer id={detailId} onClose={() => setDetailId(null)} />
      <PersonDrawer personRef={personRef} onClose={() => setPersonRef(null)} />
      <ScannerDrawer accountId={scannerId} onClose={() => setScannerId(null)} />
    </div>
  );
}

function useLoaded<T>(key: unknown, loader: () => Promise<T>): T | null {
  const fail = useFailure();
  const [data, setData] = useState<T | null>(null);
  useEffect(() => {
    setData(null);
    if (key === null) return;
    let live = true;
    loader().then(
      (d) => live && setData(d),
      (e) => live && fail(e),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return data;
}

export function ScanDetailDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const d = useLoaded<ScanRecordDetail>(id, () => api.scanRecord(id!));
  return (
    <Drawer title="通行记录详情" open={id !== null} onClose={onClose} width={560} destroyOnHidden>
      {!d ? (
        <Skeleton active />
      ) : (
        <Descriptions column={1} bordered size="small" data-testid="scan-detail">
          <Descriptions.Item label="姓名">{d.nameMasked}</Descriptions.Item>
          <Descriptions.Item label="证件号码">{d.idMasked}</Descriptions.Item>
          <Descriptions.Item label="通行区域">{d.areaName}</Descriptions.Item>
          <Descriptions.Item label="扫码点">{d.pointName}</Descriptions.Item>
          {d.servicePointName && <Descriptions.Item label="服务点">{d.servicePointName}</Descriptions.Item>}
          <Descriptions.Item label="扫码员">{d.scanner?.nameMasked ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="扫码时间">{time(d.scannedAt)}</Descriptions.Item>
          <Descriptions.Item label="方式">{d.methodText}</Descriptions.Item>
          <Descriptions.Item label="健康码状态">{colourTag(d.colour, d.colourText)}</Descriptions.Item>
          <Descriptions.Item label="体温结果">
            <span data-testid="scan-detail-temperature">{d.temperatureText}</span>
            {d.temperatureCelsius !== null ? `（${d.temperatureCelsius.toFixed(1)} ℃）` : ''}
          </Descriptions.Item>
          <Descriptions.Item label="体温反馈时间">{time(d.feedbackAt)}</Descriptions.Item>
          <Descriptions.Item label="通行事由">{d.passReasonText ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="扫码位置">{d.location ?? '—'}</Descriptions.Item>
        </Descriptions>
      )}
    </Drawer>
  );
}

const recordColumns: ColumnsType<ScanRecordRow> = [
  { title: '扫码时间', dataIndex: 'scannedAt', render: time },
  { title: '扫码点', dataIndex: 'pointName' },
  { title: '通行区域', dataIndex: 'areaName' },
  { title: '健康码状态', key: 'colour', render: (_v, r) => colourTag(r.colour, r.colourText) },
  { title: '体温结果', dataIndex: 'temperatureText' },
  { title: '方式', dataIndex: 'methodText' },
];

export const reportColumns: ColumnsType<HealthReportView> = [
  { title: '上报时间', dataIndex: 'reportedAt', render: time },
  { title: '上报类型', dataIndex: 'typeText' },
  { title: '体温', dataIndex: 'temperatureCelsius', render: (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} ℃`) },
  { title: '症状', dataIndex: 'symptomText' },
  { title: '上报地址', key: 'place', render: (_v, r) => [r.areaName, r.location].filter(Boolean).join(' ') || '—' },
];

export function PersonDrawer({ personRef, onClose }: { personRef: string | null; onClose: () => void }) {
  const p = useLoaded<PassPersonView>(personRef, () => api.passPerson(personRef!));
  return (
    <Drawer title="通行人员信息" open={personRef !== null} onClose={onClose} width={860} destroyOnHidden>
      {!p ? (
        <Skeleton active />
      ) : (
        <div data-testid="person-drawer">
          <Descriptions column={2} bordered size="small" title="基础信息">
            <Descriptions.Item label="姓名">
              <span data-testid="person-name">{p.nameMasked}</span>
            </Descriptions.Item>
            <Descriptions.Item label="证件号码">{p.idMasked}</Descriptions.Item>
            <Descriptions.Item label="手机号码">{p.phoneMasked ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="健康码状态">{colourTag(p.colour, p.colourText)}</Descriptions.Item>
            <Descriptions.Item label="居住地址" span={2}>
              {p.residence ?? '—'}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            通行记录（<span data-testid="person-records-count">{p.records.length}</span>）
          </Typography.Title>
          <Table<ScanRecordRow> data-testid="person-records" rowKey="id" size="small" columns={recordColumns} dataSource={p.records} pagination={{ pageSize: 10, hideOnSinglePage: true }} />
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            健康上报记录（<span data-testid="person-reports-count">{p.reports.length}</span>）
          </Typography.Title>
          <Table<HealthReportView> data-testid="person-reports" rowKey="id" size="small" columns={reportColumns} dataSource={p.reports} pagination={{ pageSize: 10, hideOnSinglePage: true }} />
        </div>
      )}
    </Drawer>
  );
}

export function ScannerDrawer({ accountId, onClose }: { accountId: number | null; onClose: () => void }) {
  const fail = useFailure();
  const [pageNo, setPageNo] = useState(1);
  const [s, setS] = useState<ScannerView | null>(null);
  useEffect(() => setPageNo(1), [accountId]);
  useEffect(() => {
    if (accountId === null) {
      setS(null);
      return;
    }
    api.scanner(accountId, pageNo, 10).then(setS, (e) => fail(e));
  }, [accountId, pageNo, fail]);
  return (
    <Drawer title="扫码员信息" open={accountId !== null} onClose={onClose} width={760} destroyOnHidden>
      {!s ? (
        <Skeleton active />
      ) : (
        <div data-testid="scanner-drawer">
          <Descriptions column={2} bordered size="small" title="基础信息">
            <Descriptions.Item label="姓名">
              <span data-testid="scanner-name">{s.name ?? '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label="手机号码">{s.phoneMasked}</Descriptions.Item>
            <Descriptions.Item label="授权状态">{s.authorised ? '已授权' : '未授权'}</Descriptions.Item>
            <Descriptions.Item label="账号状态">{s.disabled ? '已禁用' : '正常'}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            扫码记录（共 <span data-testid="scanner-total">{s.total}</span> 条）
          </Typography.Title>
          <Table<ScanRecordRow>
            rowKey="id"
            size="small"
            columns={[{ title: '姓名', dataIndex: 'nameMasked' }, { title: '证件号码', dataIndex: 'idMasked' }, ...recordColumns]}
            dataSource={s.records}
            pagination={{ current: pageNo, pageSize: 10, total: s.total, showSizeChanger: false, onChange: setPageNo, hideOnSinglePage: true }}
          />
        </div>
      )}
    </Drawer>
  );
}
