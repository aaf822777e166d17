// 子账号管理 (D3, E6; manual 四(四), 五(二)7): accounts of the unit's scanning staff. Government units'
// sub-accounts are authorised at once; an enterprise authorises each, and every enterprise operation
// needs a session opened with the CA certificate (the server refuses others with CA_SESSION_REQUIRED).
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { SUB_ACCOUNT_INITIAL_PASSWORD, type ConsoleMe, type Page, type SubAccountRequest, type SubAccountView } from '@bamin/common/consoleApi';
import { api } from '../../api';
import { useFailure } from '../../forms/failure';
import { mobileRule, required } from '../../forms/rules';

const PAGE_SIZE = 10;
type Action = 'authorise' | 'revoke' | 'disable' | 'enable' | 'reset-password';
const ACTION_DONE: Record<Action, string> = {
  authorise: '已授权',
  revoke: '已取消授权',
  disable: '已停用',
  enable: '已启用',
  'reset-password': `密码已重置为初始密码 ${SUB_ACCOUNT_INITIAL_PASSWORD}，该子账号下次登录时须修改密码`,
};

export const CA_REQUIRED_TEXT = '子账号管理的所有操作都必须插入 CA 数字证书进行操作，请使用 CA 证书登录后再管理子账号。';

export function needsCaSession(me: ConsoleMe): boolean {
  return me.role === 'enterprise' && me.authMethod !== 'ca';
}

export function SubAccountsPage({ me }: { me: ConsoleMe }) {
  if (needsCaSession(me)) {
    return (
      <div>
        <Typography.Title level={4}>子账号管理</Typography.Title>
        <Alert data-testid="sub-ca-required" type="warning" showIcon message="需要 CA 数字证书" description={CA_REQUIRED_TEXT} />
      </div>
    );
  }
  return <SubAccountList me={me} />;
}

function SubAccountList({ me }: { me: ConsoleMe }) {
  const { message } = App.useApp();
  const fail = useFailure();
  const [pageNo, setPageNo] = useState(1);
  const [page, setPage] = useState<Page<SubAccountView> | null>(null);
  const [loading, setLoading] = useState(false);
  const [adding, setAdding] = useState(false);
  const isEnterprise = me.role === 'enterprise';

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setPage(await api.subAccounts({ page: pageNo, pageSize: PAGE_SIZE }));
    } catch (e) {
      fail(e);
    } finally {
      setLoading(false);
    }
  }, [pageNo, fail]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (id: number, action: Action) => {
    try {
      const next = await api.subAccountAction(id, action);
      setPage((p) => (p ? { ...p, items: p.items.map((x) => (x.id === id ? next : x)) } : p));
      void message.success(ACTION_DONE[action]);
    } catch (e) {
      fail(e);
    }
  };

  const columns: ColumnsType<SubAccountView> = [
    { title: '序号', key: 'no', width: 70, render: (_v, _r, i) => (pageNo - 1) * PAGE_SIZE + i + 1 },
    { title: '姓名', dataIndex: 'name', render: (v: string | null) => v ?? '—' },
    { title: '手机号（账号）', dataIndex: 'phoneMasked', render: (v: string, r) => <span data-testid={`sub-phone-${r.id}`}>{v}</span> },
    {
      title: '状态',
      key: 'state',
      render: (_v, r) => (
        <Space size={4} data-testid={`sub-state-${r.id}`}>
          {r.authorised ? <Tag color="green">已授权</Tag> : <Tag>未授权</Tag>}
          {r.disabled && <Tag color="red">已停用</Tag>}
          {r.mustChangePassword && <Tag color="orange">需改初始密码</Tag>}
        </Space>
      ),
    },
    { title: '创建时间', dataIndex: 'createdAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
    {
      title: '操作',
      key: 'actions',
      render: (_v, r) => (
        <Space wrap>
          {isEnterprise &&
            (r.authorised ? (
              <Popconfirm title="确定取消该子账号的授权吗？取消后不能再使用扫码服务。" okText="确定" cancelText="取消" okButtonProps={{ 'data-testid': `sub-revoke-confirm-${r.id}` }} onConfirm={() => act(r.id, 'revoke')}>
                <Typography.Link data-testid={`sub-revoke-${r.id}`}>取消授权</Typography.Link>
              </Popconfirm>
            ) : (
              <Typography.Link data-testid={`sub-authorise-${r.id}`} onClick={() => act(r.id, 'authorise')}>
                授权
              </Typography.Link>
            ))}
          {r.disabled ? (
            <Typography.Link data-testid={`sub-enable-${r.id}`} onClick={() => act(r.id, 'enable')}>
              启用
            </Typography.Link>
          ) : (
            <Popconfirm title="确定停用该子账号吗？" okText="停用" cancelText="取消" okButtonProps={{ danger: true, 'data-testid': `sub-disable-confirm-${r.id}` }} onConfirm={() => act(r.id, 'disable')}>
              <Typography.Link data-testid={`sub-disable-${r.id}`} type="danger">
                停用
              </Typography.Link>
            </Popconfirm>
          )}
          <Popconfirm
            title={`确定将该子账号的密码重置为初始密码 ${SUB_ACCOUNT_INITIAL_PASSWORD} 吗？`}
            okText="重置"
            cancelText="取消"
            okButtonProps={{ 'data-testid': `sub-reset-confirm-${r.id}` }}
            onConfirm={() => act(r.id, 'reset-password')}
          >
            <Typography.Link data-testid={`sub-reset-${r.id}`}>重置密码</Typography.Link>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <div>
      <Typography.Title level={4}>子账号管理</Typography.Title>
      <Typography.Paragraph type="secondary">
        为各扫码点的工作人员添加子账号：账号为手机号，初始密码为 {SUB_ACCOUNT_INITIAL_PASSWORD}，首次登录须修改。
        {isEnterprise ? '添加后须点击【授权】，授权成功的子账号才能登录“出入扫码服务”进行扫码工作。' : '添加好的子账号可直接登录扫码端使用扫码服务。'}
      </Typography.Paragraph>
      <Button data-testid="sub-add" type="primary" style={{ marginBottom: 16 }} onClick={() => setAdding(true)}>
        新增
      </Button>
      <Table<SubAccountView>
        data-testid="sub-table"
        rowKey="id"
        loading={loading}
        columns={columns}
        dataSource={page?.items ?? []}
        pagination={{ current: pageNo, pageSize: PAGE_SIZE, total: page?.total ?? 0, showSizeChanger: false, showTotal: (t) => `共 ${t} 条`, onChange: setPageNo }}
      />
      <SubAccountFormModal
        open={adding}
        isEnterprise={isEnterprise}
        onClose={() => setAdding(false)}
        onCreated={() => {
          setAdding(false);
          if (pageNo === 1) void load();
          else setPageNo(1);
        }}
      />
    </div>
  );
}

export function subAccountCreatedText(isEnterprise: boolean): string {
  return `子账号已添加，初始密码为 ${SUB_ACCOUNT_INITIAL_PASSWORD}，首次登录须修改密码。${isEnterprise ? '请点击【授权】后再使用。' : ''}`;
}

export function SubAccountFormModal({ open, isEnterprise, onClose, onCreated }: { open: boolean; isEnterprise: boolean; onClose: () => void; onCreated: (s: SubAccountView) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<SubAccountRequest>();
  const [busy, setBusy] = useState(false);
  const fail = useFailure();
  return (
    <Modal
      title="新增子账号"
      open={open}
      onCancel={onClose}
      destroyOnHidden
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'sub-form-submit' }}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const created = await api.createSubAccount({ phone: v.phone.trim(), name: v.name.trim() });
            void message.success({ content: <span data-testid="sub-created">{subAccountCreatedText(isEnterprise)}</span>, duration: 8 });
            onCreated(created);
          } catch (e) {
            fail(e, form);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="phone" label="手机号（子账号）" rules={[required('请输入手机号'), mobileRule]}>
          <Input data-testid="sub-form-phone" placeholder="请输入11位手机号" maxLength={20} />
        </Form.Item>
        <Form.Item name="name" label="姓名" rules={[required('请输入操作人员姓名'), { max: 50, message: '姓名最多50个字符' }]}>
          <Input data-testid="sub-form-name" placeholder="请输入操作人员姓名" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
