// 修改密码: forced before anything else while the account still has its initial password (D2), and
// from the header at any time. The rule is common's checkNewPassword, which the server applies too.
import { Alert, Button, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import type { ConsoleMe } from '@bamin/common/consoleApi';
import { api } from '../../api';
import { useFailure } from '../../forms/failure';
import { newPasswordRule, sameAsRule } from '../../forms/rules';
import { PublicFrame } from '../PublicFrame';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmation: string;
}

export function PasswordChangeForm({ me, onChanged, submitText = '确认修改' }: { me: ConsoleMe; onChanged: (me: ConsoleMe) => void; submitText?: string }) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const fail = useFailure();
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={async (v) => {
        setBusy(true);
        try {
          onChanged(await api.changePassword({ currentPassword: v.currentPassword, newPassword: v.newPassword }));
        } catch (e) {
          fail(e, form);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Form.Item name="currentPassword" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
        <Input.Password data-testid="pwd-current" autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label="新密码"
        extra="8–32 位，须同时包含字母和数字，不能包含用户名"
        dependencies={['currentPassword']}
        rules={[{ required: true, message: '请输入新密码' }, newPasswordRule(form, { loginName: me.loginName, currentField: 'currentPassword' })]}
      >
        <Input.Password data-testid="pwd-new" autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirmation"
        label="确认新密码"
        dependencies={['newPassword']}
        rules={[{ required: true, message: '请再次输入新密码' }, sameAsRule(form, 'newPassword', '两次输入的新密码不一致')]}
      >
        <Input.Password data-testid="pwd-confirm" autoComplete="new-password" />
      </Form.Item>
      <Button data-testid="pwd-submit" type="primary" htmlType="submit" block loading={busy}>
        {submitText}
      </Button>
    </Form>
  );
}

/** Shown instead of the console until the initial password is changed. */
export function ForcedPasswordChange({ me, onChanged, onSignOut }: { me: ConsoleMe; onChanged: (me: ConsoleMe) => void; onSignOut: () => void }) {
  return (
    <PublicFrame title="修改初始密码">
      <Alert data-testid="pwd-forced" type="warning" showIcon message="首次登录须修改初始密码，修改后才能使用管理侧。" style={{ marginBottom: 16 }} />
      <PasswordChangeForm me={me} onChanged={onChanged} />
      <Button data-testid="pwd-sign-out" type="link" block style={{ marginTop: 8 }} onClick={onSignOut}>
        退出
      </Button>
    </PublicFrame>
  );
}

export function PasswordChangeModal({ me, open, onClose, onChanged }: { me: ConsoleMe; open: boolean; onClose: () => void; onChanged: (me: ConsoleMe) => void }) {
  return (
    <Modal title="修改密码" open={open} onCancel={onClose} footer={null} destroyOnHidden>
      <PasswordChangeForm me={me} onChanged={onChanged} />
    </Modal>
  );
}
