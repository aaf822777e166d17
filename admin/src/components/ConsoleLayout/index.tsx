import { App, Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { CONSOLE_ROLE_TEXT, type ConsoleMe } from '@bamin/common/consoleApi';
import { navigate } from '../../router';
import { PasswordChangeModal } from '../PasswordChange';
import { consoleTitle, menuFor } from './menu';

export function ConsoleLayout({ me, path, onMe, onSignOut, children }: { me: ConsoleMe; path: string; onMe: (me: ConsoleMe) => void; onSignOut: () => Promise<void>; children: ReactNode }) {
  const { modal, message } = App.useApp();
  const [changing, setChanging] = useState(false);
  const entries = menuFor(me.role);
  const selected = entries.find((e) => path === e.path || path.startsWith(`${e.path}/`))?.key;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', background: '#1677ff', padding: '0 24px' }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0 }} data-testid="header-title">
          {consoleTitle(me.role)}
        </Typography.Title>
        <Space size="middle">
          <span style={{ color: '#fff' }} data-testid="header-unit">
            {me.organisation?.name}
            {me.loginName ? `（${me.loginName}）` : me.personNameMasked ? `（${me.personNameMasked}）` : ''}
          </span>
          {me.role && <Tag data-testid="header-role">{CONSOLE_ROLE_TEXT[me.role]}</Tag>}
          {me.authMethod === 'ca' && <Tag color="green" data-testid="header-ca">CA 证书登录</Tag>}
          {me.authMethod !== 'personal' && (
            <Button data-testid="header-change-password" ghost size="small" onClick={() => setChanging(true)}>
              修改密码
            </Button>
          )}
          <Button
            data-testid="header-logout"
            ghost
            size="small"
            onClick={() =>
              modal.confirm({
                title: '确定退出登录吗？',
                okText: '退出',
                cancelText: '取消',
                okButtonProps: { 'data-testid': 'logout-confirm' },
                onOk: onSignOut,
              })
            }
          >
            退出
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} theme="light">
          <Menu
            data-testid="menu"
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            items={entries.map((e) => ({ key: e.key, label: <span data-testid={`menu-${e.key}`}>{e.label}</span> }))}
            onClick={({ key }) => {
              const entry = entries.find((e) => e.key === key);
              if (entry) navigate(entry.path);
            }}
            style={{ height: '100%' }}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: 24, background: '#f5f5f5' }}>
          <div style={{ background: '#fff', padding: 24, minHeight: '100%' }}>{children}</div>
        </Layout.Content>
      </Layout>
      <PasswordChangeModal
        me={me}
        open={changing}
        onClose={() => setChanging(false)}
        onChanged={(next) => {
          setChanging(false);
          void message.success('密码已修改');
          onMe(next);
        }}
      />
    </Layout>
  );
}
