// 企业服务点管理 (D8, E8; manual 四(九), 五(二)9): the unit's service points — add and edit (name, address,
// county, type, staff on duty chosen from the unit's employees), delete (its poster stops working), download
// the printable poster (健康码下载, PNG or PDF, fetched with the session cookie) and regenerate it (every
// earlier poster stops working).
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { SERVICE_POINT_TYPES, SERVICE_POINT_TYPE_TEXT, type ServicePointRequest, type ServicePointType, type ServicePointView } from '@bamin/common/pointApi';
import type { Page } from '@bamin/common/consoleApi';
import { api, saveBlob } from '../../api';
import { applyFailure } from '../../forms/failure';
import { useFailure } from '../../forms/failure';
import { AreaCascader, areaPath } from '../AreaCascader';
import { time } from '../ScanRecords';

const PAGE_SIZE = 10;
export const DELETE_WARNING = '删除后，该服务点已打印的健康码将无法使用。';
export const REGENERATE_WARNING = '重新生成后，该服务点此前下载打印的健康码将全部作废，需重新下载打印。';

export function ServicePointsPage() {
  const { message } = App.useApp();
  const fail = useFailure();
  const [form] = Form.useForm<{ name?: string }>();
  const [name, setName] = useState<string | undefined>();
  const [pageNo, setPageNo] = useState(1);
  const [page, setPage] = useState<Page<ServicePointView> | null>(null);
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState<ServicePointView | 'new' | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setPage(await api.servicePoints({ name, page: pageNo, pageSize: PAGE_SIZE }));
    } catch (e) {
      fail(e);
    } finally {
      setLoading(false);
    }
  }, [name, pageNo, fail]);
  useEffect(() => {
    void load();
  }, [load]);

  const download = async (p: ServicePointView, format: 'png' | 'pdf') => {
    try {
      saveBlob(await api.poster(p.id, format), `${p.name}-服务点健康码.${format}`);
    } catch (e) {
      fail(e);
    }
  };
  const remove = async (p: ServicePointView) => {
    try {
      await api.deleteServicePoint(p.id);
      void message.success('服务点已删除');
      if (page && page.items.length === 1 && pageNo > 1) setPageNo(pageNo - 1);
      else void load();
    } catch (e) {
      fail(e);
    }
  };
  const regenerate = async (p: ServicePointView) => {
    try {
      await api.regeneratePoster(p.id);
      void message.success('健康码已重新生成');
      void load();
    } catch (e) {
      fail(e);
    }
  };

  const columns: ColumnsType<ServicePointView> = [
    { title: '序号', key: 'no', width: 64, render: (_v, _r, i) => (pageNo - 1) * PAGE_SIZE + i + 1 },
    { title: '服务点名称', dataIndex: 'name', render: (v: string, r) => <span data-testid={`sp-name-${r.id}`}>{v}</span> },
    { title: '地址', dataIndex: 'address', render: (v: string | null) => v ?? '—' },
    { title: '所属区县', dataIndex: 'areaName' },
    { title: '类型', dataIndex: 'typeText' },
    { title: '在岗员工', key: 'staff', render: (_v, r) => <span data-testid={`sp-staff-${r.id}`}>{r.staff.map((s) => s.name).join('、') || '—'}</span> },
    { title: '健康码生成时间', dataIndex: 'posterIssuedAt', render: time },
    {
      title: '操作',
      key: 'actions',
      width: 330,
      render: (_v, r) => (
        <Space wrap size={[12, 4]}>
          <Typography.Link data-testid={`sp-edit-${r.id}`} onClick={() => setEditing(r)}>
            编辑
          </Typography.Link>
          <Typography.Link data-testid={`sp-png-${r.id}`} onClick={() => void download(r, 'png')}>
            健康码下载(PNG)
          </Typography.Link>
          <Typography.Link data-testid={`sp-pdf-${r.id}`} onClick={() => void download(r, 'pdf')}>
            健康码下载(PDF)
          </Typography.Link>
          <Popconfirm
            title="重新生成健康码"
            description={REGENERATE_WARNING}
            okText="重新生成"
            cancelText="取消"
            okButtonProps={{ 'data-testid': `sp-regenerate-confirm-${r.id}` }}
            onConfirm={() => regenerate(r)}
          >
            <Typography.Link data-testid={`sp-regenerate-${r.id}`}>重新生成</Typography.Link>
          </Popconfirm>
          <Popconfirm
            title="确定删除该服务点吗？"
            description={DELETE_WARNING}
            okText="删除"
            cancelText="取消"
            okButtonProps={{ danger: true, 'data-testid': `sp-delete-confirm-${r.id}` }}
            onConfirm={() => remove(r)}
          >
            <Typography.Link data-testid={`sp-delete-${r.id}`} type="danger">
              删除
            </Typography.Link>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <div>
      <Typography.Title level={4}>企业服务点管理</Typography.Title>
      <Form
        form={form}
        layout="inline"
        style={{ marginBottom: 16 }}
        onFinish={(v) => {
          setName(v.name?.trim() || undefined);
          setPageNo(1);
        }}
      >
        <Form.Item name="name" label="服务点名称">
          <Input data-testid="sp-q-name" placeholder="请输入服务点名称" allowClear />
        </Form.Item>
        <Space>
          <Button data-testid="sp-query" type="primary" htmlType="submit">
            查询
          </Button>
          <Button
            data-testid="sp-reset"
            onClick={() => {
              form.resetFields();
              setName(undefined);
              setPageNo(1);
            }}
          >
            重置
          </Button>
          <Button data-testid="sp-add" type="primary" onClick={() => setEditing('new')}>
            新增
          </Button>
        </Space>
      </Form>
      <Table<ServicePointView>
        data-testid="sp-table"
        rowKey="id"
        loading={loading}
        columns={columns}
        dataSource={page?.items ?? []}
        pagination={{ current: pageNo, pageSize: PAGE_SIZE, total: page?.total ?? 0, showSizeChanger: false, showTotal: (t) => <span data-testid="sp-total">共 {t} 条</span>, onChange: setPageNo }}
      />
      <ServicePointFormModal
        open={editing !== null}
        point={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          void message.success(editing === 'new' ? '服务点已添加' : '服务点已修改');
          setEditing(null);
          void load();
        }}
      />
    </div>
  );
}

interface PointValues {
  name: string;
  address: string;
  area: string[];
  type: ServicePointType;
  staffEmployeeIds: number[];
}

const TYPE_OPTIONS = SERVICE_POINT_TYPES.map((t) => ({ value: t, label: SERVICE_POINT_TYPE_TEXT[t] }));

export function toPointRequest(v: PointValues): ServicePointRequest {
  return { name: v.name.trim(), address: v.address.trim(), areaCode: v.area[v.area.length - 1], type: v.type, staffEmployeeIds: v.staffEmployeeIds ?? [] };
}

export function ServicePointFormModal({ open, point, onClose, onSaved }: { open: boolean; point: ServicePointView | null; onClose: () => void; onSaved: (p: ServicePointView) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<PointValues>();
  const [busy, setBusy] = useState(false);
  const [options, setOptions] = useState<{ value: number; label: string }[]>([]);
  const [searching, setSearching] = useState(false);

  const search = useCallback(async (name?: string) => {
    setSearching(true);
    try {
      const page = await api.employees({ name: name?.trim() || undefined, page: 1, pageSize: 50 });
      setOptions(page.items.map((e) => ({ value: e.id, label: e.department ? `${e.name}（${e.department}）` : e.name })));
    } catch {
      setOptions([]);
    } finally {
      setSearching(false);
    }
  }, []);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (point) form.setFieldsValue({ name: point.name, address: point.address ?? '', area: areaPath(point.areaCode), type: point.type, staffEmployeeIds: point.staff.map((s) => s.employeeId) });
    void search();
  }, [open, point, form, search]);

  // the staff already on duty keep their names even when a search does not list them
  const staffOptions = [...(point?.staff ?? []).filter((s) => !options.some((o) => o.value === s.employeeId)).map((s) => ({ value: s.employeeId, label: s.name })), ...options];

  return (
    <Modal
      title={point ? '编辑服务点' : '新增服务点'}
      open={open}
      onCancel={onClose}
      destroyOnHidden
      okText="提交"
      cancelText="取消"
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'sp-form-submit' }}
      onOk={() => form.submit()}
      width={560}
    >
      <Form<PointValues>
        form={form}
        layout="vertical"
        initialValues={{ staffEmployeeIds: [] }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const body = toPointRequest(v);
            onSaved(point ? await api.updateServicePoint(point.id, body) : await api.createServicePoint(body));
          } catch (e) {
            applyFailure(e, form, (t) => void message.error(t));
            const d = e && typeof e === 'object' && 'details' in e ? (e as { details: { field?: string; problem: string }[] }).details.find((x) => x.field === 'areaCode') : undefined;
            if (d) form.setFields([{ name: 'area', errors: [d.problem] }]);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="name" label="服务点名称" rules={[{ required: true, whitespace: true, message: '请输入服务点名称' }, { max: 100, message: '服务点名称不能超过 100 个字' }]}>
          <Input data-testid="sp-form-name" placeholder="如：软件园9号食堂（第一分店）" />
        </Form.Item>
        <Form.Item name="address" label="地址" rules={[{ required: true, whitespace: true, message: '请输入地址' }, { max: 200, message: '地址不能超过 200 个字' }]}>
          <Input data-testid="sp-form-address" placeholder="请输入服务点详细地址" />
        </Form.Item>
        <Form.Item
          name="area"
          label="所属区县"
          rules={[
            { required: true, message: '请选择区县' },
            { validator: (_r, v: string[] | undefined) => (!v?.length || v.length === 3 || !/00$/.test(v[v.length - 1]) ? Promise.resolve() : Promise.reject(new Error('请选择到区县'))) },
          ]}
        >
          <AreaCascader testId="sp-form-area" placeholder="请选择省 / 市 / 区县" />
        </Form.Item>
        <Form.Item name="type" label="服务点类型" rules={[{ required: true, message: '请选择服务点类型' }]}>
          <Select data-testid="sp-form-type" placeholder="请选择" options={TYPE_OPTIONS} />
        </Form.Item>
        <Form.Item name="staffEmployeeIds" label="在岗员工" extra="从单位组织管理中的员工选择，可输入姓名搜索">
          <Select
            data-testid="sp-form-staff"
            mode="multiple"
            placeholder="请选择在岗员工"
            showSearch
            filterOption={false}
            loading={searching}
            onSearch={(s) => void search(s)}
            options={staffOptions}
            notFoundContent={searching ? '搜索中…' : '无匹配员工'}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
