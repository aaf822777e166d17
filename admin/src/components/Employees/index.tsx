// 单位组织管理 (D6, E5; manual 四(七), 五(二)6): the unit's employees — query by name or ID number, reset,
// add, edit, delete one or many, and import from Excel. With no employee yet the page offers the import.
import { Button, Empty, Form, Input, Popconfirm, Space, Table, Typography, App } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import { ID_TYPE_TEXT } from '@bamin/common/idDocuments';
import type { EmployeeView, Page } from '@bamin/common/consoleApi';
import { api } from '../../api';
import { useFailure } from '../../forms/failure';
import { currentQuery, navigate } from '../../router';
import { EmployeeFormModal } from './EmployeeForm';
import { ImportModal } from './ImportModal';
import { NO_EMPLOYEES_TEXT } from './NoEmployeesPrompt';

const PAGE_SIZE = 10;

interface Query {
  name?: string;
  idNumber?: string;
}

export function EmployeesPage() {
  const { modal, message } = App.useApp();
  const fail = useFailure();
  const [queryForm] = Form.useForm<Query>();
  const [query, setQuery] = useState<Query>({});
  const [pageNo, setPageNo] = useState(1);
  const [page, setPage] = useState<Page<EmployeeView> | null>(null);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<number[]>([]);
  const [editing, setEditing] = useState<EmployeeView | 'new' | null>(null);
  const [importing, setImporting] = useState(() => currentQuery().get('import') === '1');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setPage(await api.employees({ ...query, page: pageNo, pageSize: PAGE_SIZE }));
    } catch (e) {
      fail(e);
    } finally {
      setLoading(false);
    }
  }, [query, pageNo, fail]);
  useEffect(() => {
    void load();
  }, [load]);

  const reloadFirst = () => {
    setSelected([]);
    if (pageNo === 1) void load();
    else setPageNo(1);
  };

  const remove = async (id: number) => {
    try {
      await api.deleteEmployee(id);
      void message.success('已删除');
      setSelected((s) => s.filter((x) => x !== id));
      // the last row of a page gone: show the page before
      if (page && page.items.length === 1 && pageNo > 1) setPageNo(pageNo - 1);
      else void load();
    } catch (e) {
      fail(e);
    }
  };

  const batchRemove = () => {
    modal.confirm({
      title: '批量删除',
      content: <span data-testid="emp-batch-delete-text">确定删除选中的 {selected.length} 名员工的信息吗？删除后不可恢复。</span>,
      okText: '删除',
      okType: 'danger',
      cancelText: '取消',
      okButtonProps: { 'data-testid': 'emp-batch-delete-confirm' },
      onOk: async () => {
        try {
          const { deleted } = await api.batchDeleteEmployees(selected);
          void message.success(`已删除 ${deleted} 名员工`);
          reloadFirst();
        } catch (e) {
          fail(e);
        }
      },
    });
  };

  const columns: ColumnsType<EmployeeView> = [
    { title: '序号', key: 'no', width: 70, render: (_v, _r, i) => (pageNo - 1) * PAGE_SIZE + i + 1 },
    { title: '姓名', dataIndex: 'name', render: (v: string, r) => <span data-testid={`emp-name-${r.id}`}>{v}</span> },
    { title: '证件类型', dataIndex: 'idType', render: (v: EmployeeView['idType']) => ID_TYPE_TEXT[v] },
    { title: '证件号码', dataIndex: 'idMasked' },
    { title: '电话号码', dataIndex: 'phoneMasked', render: (v: string | null) => v ?? '—' },
    { title: '部门', dataIndex: 'department', render: (v: string | null) => v ?? '—' },
    {
      title: '操作',
      key: 'actions',
      width: 200,
      render: (_v, r) => (
        <Space>
          <Typography.Link data-testid={`emp-edit-${r.id}`} onClick={() => setEditing(r)}>
            修改信息
          </Typography.Link>
          <Popconfirm
            title="确定删除该员工的信息吗？"
            okText="删除"
            cancelText="取消"
            okButtonProps={{ danger: true, 'data-testid': `emp-delete-confirm-${r.id}` }}
            onConfirm={() => remove(r.id)}
          >
            <Typography.Link data-testid={`emp-delete-${r.id}`} type="danger">
              删除信息
            </Typography.Link>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  const filtering = !!(query.name || query.idNumber);
  const noEmployees = page !== null && page.total === 0 && !filtering;

  return (
    <div>
      <Typography.Title level={4}>单位组织管理</Typography.Title>
      <Form
        form={queryForm}
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v) => {
          setQuery({ name: v.name?.trim() || undefined, idNumber: v.idNumber?.trim().toUpperCase() || undefined });
          setPageNo(1);
          setSelected([]);
        }}
      >
        <Form.Item name="name" label="姓名">
          <Input data-testid="emp-query-name" placeholder="请输入员工姓名" allowClear />
        </Form.Item>
        <Form.Item name="idNumber" label="证件号码">
          <Input data-testid="emp-query-id" placeholder="请输入完整证件号码" allowClear />
        </Form.Item>
        <Space>
          <Button data-testid="emp-query" type="primary" htmlType="submit">
            查询
          </Button>
          <Button
            data-testid="emp-reset"
            onClick={() => {
              queryForm.resetFields();
              setQuery({});
              setPageNo(1);
              setSelected([]);
            }}
          >
            重置
          </Button>
        </Space>
      </Form>
      <Space style={{ marginBottom: 16 }}>
        <Button data-testid="emp-add" type="primary" onClick={() => setEditing('new')}>
          新增
        </Button>
        <Button data-testid="emp-batch-delete" danger disabled={selected.length === 0} onClick={batchRemove}>
          批量删除{selected.length ? `（${selected.length}）` : ''}
        </Button>
        <Button data-testid="emp-import" onClick={() => setImporting(true)}>
          批量导入
        </Button>
        <a data-testid="emp-template" href={api.employeeTemplateUrl} download="员工信息导入模板.xlsx">
          下载导入模板
        </a>
      </Space>
      {noEmployees ? (
        <div data-testid="emp-empty">
          <Empty description={NO_EMPLOYEES_TEXT}>
            <Button data-testid="emp-empty-import" type="primary" onClick={() => setImporting(true)}>
              导入员工信息
            </Button>
          </Empty>
        </div>
      ) : (
        <Table<EmployeeView>
          data-testid="emp-table"
          rowKey="id"
          loading={loading}
          columns={columns}
          dataSource={page?.items ?? []}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]), getCheckboxProps: (r) => ({ 'data-testid': `emp-select-${r.id}` }) as object }}
          pagination={{
            current: pageNo,
            pageSize: PAGE_SIZE,
            total: page?.total ?? 0,
            showSizeChanger: false,
            showQuickJumper: true,
            showTotal: (total) => <span data-testid="emp-total">共 {total} 条</span>,
            onChange: (p) => setPageNo(p),
          }}
        />
      )}
      <EmployeeFormModal
        open={editing !== null}
        employee={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          void message.success(editing === 'new' ? '员工已添加' : '员工信息已修改');
          setEditing(null);
          void load();
        }}
      />
      <ImportModal
        open={importing}
        onClose={() => {
          setImporting(false);
          if (currentQuery().get('import')) navigate('/employees');
        }}
        onImported={reloadFirst}
      />
    </div>
  );
}
