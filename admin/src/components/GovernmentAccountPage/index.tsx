// 政府单位账号生成 (D1, manual 四(二)): the unit's name, credit code and the activation code the health
// department issued yield the user name and a one-time initial password, shown here once.
import { Alert, Button, Descriptions, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import type { GovernmentAccountIssued, GovernmentAccountRequest } from '@bamin/common/consoleApi';
import { api } from '../../api';
import { useFailure } from '../../forms/failure';
import { creditCodeRule, required } from '../../forms/rules';
import { navigate } from '../../router';
import { CopyButton } from '../CopyButton';
import { PublicFrame } from '../PublicFrame';

export function GovernmentAccountPage() {
  const [form] = Form.useForm<GovernmentAccountRequest>();
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<GovernmentAccountIssued | null>(null);
  const fail = useFailure();

  if (issued) {
    return (
      <PublicFrame title="政府单位账号生成" width={560}>
        <Alert
          data-testid="gov-warning"
          type="warning"
          showIcon
          message="初始密码只显示这一次"
          description="请立即记录或复制用户名和初始密码：离开本页后无法再次查看。首次登录时须修改初始密码。"
          style={{ marginBottom: 16 }}
        />
        <Descriptions column={1} bordered size="small">
          <Descriptions.Item label="用户名">
            <Typography.Text data-testid="gov-login-name" strong>{issued.loginName}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="初始密码">
            <Typography.Text data-testid="gov-initial-password" strong code>{issued.initialPassword}</Typography.Text>
          </Descriptions.Item>
        </Descriptions>
        <Space style={{ marginTop: 16 }}>
          <CopyButton testId="gov-copy" text={`用户名：${issued.loginName}\n初始密码：${issued.initialPassword}`} label="复制用户名和初始密码" />
          <Button data-testid="gov-to-login" type="primary" onClick={() => navigate('/login')}>
            我已记录，去登录
          </Button>
        </Space>
      </PublicFrame>
    );
  }

  return (
    <PublicFrame title="政府单位账号生成" width={560}>
      <Typography.Paragraph type="secondary">输入单位名称、统一社会信用代码和卫健委发放的激活码，获取本单位的用户名和初始密码。</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          setBusy(true);
          try {
            setIssued(await api.generateGovernmentAccount({ name: v.name.trim(), creditCode: v.creditCode.trim().toUpperCase(), activationCode: v.activationCode.trim() }));
          } catch (e) {
            fail(e, form);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="name" label="单位名称" rules={[required('请输入单位名称'), { max: 100, message: '单位名称最多100个字符' }]}>
          <Input data-testid="gov-name" placeholder="请输入单位名称" />
        </Form.Item>
        <Form.Item name="creditCode" label="统一社会信用代码" rules={[required('请输入统一社会信用代码'), creditCodeRule]}>
          <Input data-testid="gov-credit-code" placeholder="请输入统一社会信用代码" maxLength={18} />
        </Form.Item>
        <Form.Item name="activationCode" label="激活码" rules={[required('请输入激活码')]}>
          <Input data-testid="gov-activation-code" placeholder="请输入卫健委发放的激活码" />
        </Form.Item>
        <Space>
          <Button data-testid="gov-submit" type="primary" htmlType="submit" loading={busy}>
            生成账号
          </Button>
          <Button data-testid="gov-back" onClick={() => navigate('/login')}>
            返回登录
          </Button>
        </Space>
      </Form>
    </PublicFrame>
  );
}
