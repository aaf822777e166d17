// 法人用户登录 (manual 四(三), 五(二)1): account and password (government units, enterprises by credit
// code), CA certificate (enterprises; the PEM file stands in for the UKey), personal real-name account
// (phone + SMS code, then association with the enterprise).
import { Alert, Button, Form, Input, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import type { ConsoleMe } from '@bamin/common/consoleApi';
import { api, isApiFailure } from '../../api';
import { browserSubtle, CaFileError, signChallenge, splitCaPem } from '../../ca/sign';
import { useFailure } from '../../forms/failure';
import { mobileRule, required, smsCodeRule } from '../../forms/rules';
import { navigate } from '../../router';
import { PublicFrame } from '../PublicFrame';
import { SmsCodeButton } from '../SmsCodeButton';

export function LoginPage({ onSignedIn }: { onSignedIn: (me: ConsoleMe) => void }) {
  return (
    <PublicFrame title="法人用户登录">
      <Tabs
        items={[
          { key: 'password', label: <span data-testid="login-tab-password">账号密码</span>, children: <PasswordLogin onSignedIn={onSignedIn} /> },
          { key: 'ca', label: <span data-testid="login-tab-ca">CA 证书</span>, children: <CaLogin onSignedIn={onSignedIn} /> },
          { key: 'personal', label: <span data-testid="login-tab-personal">个人实名</span>, children: <PersonalLogin onSignedIn={onSignedIn} /> },
        ]}
      />
      <Space split="|" style={{ marginTop: 8 }}>
        <Typography.Link data-testid="link-register" onClick={() => navigate('/register')}>
          法人注册
        </Typography.Link>
        <Typography.Link data-testid="link-government" onClick={() => navigate('/government-account')}>
          政府单位账号生成
        </Typography.Link>
      </Space>
    </PublicFrame>
  );
}

function PasswordLogin({ onSignedIn }: { onSignedIn: (me: ConsoleMe) => void }) {
  const [form] = Form.useForm<{ loginName: string; password: string }>();
  const [busy, setBusy] = useState(false);
  const fail = useFailure();
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={async (v) => {
        setBusy(true);
        try {
          onSignedIn((await api.signIn({ loginName: v.loginName.trim(), password: v.password })).me);
        } catch (e) {
          fail(e, form);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Form.Item name="loginName" label="用户名" extra="政府单位：生成的用户名；企业：统一社会信用代码" rules={[required('请输入用户名')]}>
        <Input data-testid="login-name" autoComplete="username" placeholder="请输入用户名" />
      </Form.Item>
      <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
        <Input.Password data-testid="login-password" autoComplete="current-password" placeholder="请输入密码" />
      </Form.Item>
      <Button data-testid="login-submit" type="primary" htmlType="submit" block loading={busy}>
        登录
      </Button>
    </Form>
  );
}

/** Reads the chosen file, asks for a challenge, signs it and opens the session. Exported for tests. */
export async function caSignIn(file: Blob, subtle: SubtleCrypto): Promise<ConsoleMe> {
  const { certificatePem, privateKeyPkcs8 } = splitCaPem(await readText(file));
  const challenge = await api.caChallenge();
  const signature = await signChallenge(subtle, privateKeyPkcs8, challenge.challenge);
  return (await api.caSignIn({ challengeId: challenge.challengeId, certificatePem, signature })).me;
}

// Blob.text() is missing in older browsers (and jsdom): FileReader works everywhere.
function readText(file: Blob): Promise<string> {
  if (typeof file.text === 'function') return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(new CaFileError('无法读取所选的证书文件'));
    reader.readAsText(file);
  });
}

function CaLogin({ onSignedIn }: { onSignedIn: (me: ConsoleMe) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div>
      <Typography.Paragraph type="secondary">
        请选择本企业的 CA 数字证书文件（.pem，内含证书和 PKCS#8 私钥）。私钥只在本机浏览器中用于签名，不会上传。
      </Typography.Paragraph>
      <input
        data-testid="ca-file"
        type="file"
        accept=".pem,.crt,.key,application/x-pem-file"
        onChange={(ev) => {
          setFile(ev.target.files?.[0] ?? null);
          setError(null);
        }}
      />
      {file && (
        <Typography.Paragraph data-testid="ca-file-name" style={{ marginTop: 8 }}>
          已选择：{file.name}
        </Typography.Paragraph>
      )}
      {error && <Alert data-testid="ca-error" type="error" showIcon message={error} style={{ marginTop: 12 }} />}
      <Button
        data-testid="ca-submit"
        type="primary"
        block
        style={{ marginTop: 16 }}
        disabled={!file}
        loading={busy}
        onClick={async () => {
          if (!file) return;
          setBusy(true);
          setError(null);
          try {
            onSignedIn(await caSignIn(file, browserSubtle()));
          } catch (e) {
            setError(isApiFailure(e) || e instanceof CaFileError ? e.message : '证书登录失败，请重试');
          } finally {
            setBusy(false);
          }
        }}
      >
        使用证书登录
      </Button>
    </div>
  );
}

function PersonalLogin({ onSignedIn }: { onSignedIn: (me: ConsoleMe) => void }) {
  const [form] = Form.useForm<{ phone: string; smsCode: string }>();
  const [busy, setBusy] = useState(false);
  const fail = useFailure();
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={async (v) => {
        setBusy(true);
        try {
          onSignedIn((await api.personalSignIn({ phone: v.phone.trim(), smsCode: v.smsCode.trim() })).me);
        } catch (e) {
          fail(e, form);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Typography.Paragraph type="secondary">使用已通过实名认证的个人账号登录，首次登录须关联本人担任法人或经办人的企业。</Typography.Paragraph>
      <Form.Item name="phone" label="手机号" rules={[required('请输入手机号'), mobileRule]}>
        <Input data-testid="personal-phone" placeholder="请输入11位手机号" maxLength={20} />
      </Form.Item>
      <Form.Item label="验证码" required>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item name="smsCode" noStyle rules={[required('请输入验证码'), smsCodeRule]}>
            <Input data-testid="personal-code" placeholder="请输入验证码" maxLength={6} />
          </Form.Item>
          <SmsCodeButton
            testId="personal-send-code"
            send={async () => {
              try {
                const { phone } = await form.validateFields(['phone']);
                await api.sendSmsCode(phone.trim());
              } catch (e) {
                if (isApiFailure(e)) fail(e, form);
                throw e;
              }
            }}
          />
        </Space.Compact>
      </Form.Item>
      <Button data-testid="personal-submit" type="primary" htmlType="submit" block loading={busy}>
        登录
      </Button>
    </Form>
  );
}
