// 企业信息关联 (manual 五(二)1 (2)): a personal real-name session must associate with an enterprise whose
// legal representative or agent is this person before it can use the console.
import { Alert, Button, Form, Input, Space } from 'antd';
import { useState } from 'react';
import type { AssociationRequest, ConsoleMe } from '@bamin/common/consoleApi';
import { api } from '../../api';
import { useFailure } from '../../forms/failure';
import { creditCodeRule, required } from '../../forms/rules';
import { PublicFrame } from '../PublicFrame';

export function AssociationPage({ me, onAssociated, onSignOut }: { me: ConsoleMe; onAssociated: (me: ConsoleMe) => void; onSignOut: () => void }) {
  const [form] = Form.useForm<AssociationRequest>();
  const [busy, setBusy] = useState(false);
  const fail = useFailure();
  return (
    <PublicFrame title="企业信息关联">
      <Alert
        data-testid="assoc-notice"
        type="info"
        showIcon
        message={`${me.personNameMasked ?? ''}，您的个人账号尚未关联企业`}
        description="请输入您担任法定代表人或经办人的企业的统一社会信用代码，关联后才能进入企业后台。"
        style={{ marginBottom: 16 }}
      />
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          setBusy(true);
          try {
            onAssociated(await api.associate({ creditCode: v.creditCode.trim().toUpperCase() }));
          } catch (e) {
            fail(e, form);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="creditCode" label="统一社会信用代码" rules={[required('请输入统一社会信用代码'), creditCodeRule]}>
          <Input data-testid="assoc-credit-code" maxLength={18} />
        </Form.Item>
        <Space>
          <Button data-testid="assoc-submit" type="primary" htmlType="submit" loading={busy}>
            关联企业
          </Button>
          <Button data-testid="assoc-sign-out" onClick={onSignOut}>
            退出
          </Button>
        </Space>
      </Form>
    </PublicFrame>
  );
}
