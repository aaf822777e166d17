// 法人注册 (E1, manual 五(二)1 (1)): every field of the manual's form, checked here with common/'s rules
// before the server checks them again. On success the login name (the credit code) is shown and the
// user goes on to sign in.
import { Button, Checkbox, Form, Input, Radio, Result, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { ISO3166_ALPHA3 } from '@bamin/common/countries';
import { ID_TYPES, ID_TYPE_TEXT, type IdType } from '@bamin/common/idDocuments';
import { LEGAL_PERSON_TYPES, LEGAL_PERSON_TYPE_TEXT, type EnterpriseRegistrationRequest, type LegalPersonType } from '@bamin/common/consoleApi';
import { api, isApiFailure } from '../../api';
import { useFailure } from '../../forms/failure';
import { creditCodeRule, enterprisePasswordRule, idNumberRule, mobileRule, required, residentIdRule, sameAsRule, smsCodeRule } from '../../forms/rules';
import { navigate } from '../../router';
import { PublicFrame } from '../PublicFrame';
import { SmsCodeButton } from '../SmsCodeButton';
import { countryLabel } from './countries';

export interface RegistrationValues {
  legalPersonType: LegalPersonType;
  name: string;
  creditCode: string;
  hasLicence: boolean;
  licenceNumber?: string;
  legalRepName: string;
  legalRepIdType: IdType;
  legalRepCountry: string;
  legalRepIdNumber: string;
  agentPhone: string;
  smsCode: string;
  agentName: string;
  agentIdNumber: string;
  password: string;
  passwordConfirmation: string;
  agreed: boolean;
}

/** The country a document implies; only a passport leaves the choice to the user. */
export function impliedCountry(idType: IdType, idNumber = ''): string | null {
  switch (idType) {
    case 'resident_id':
      return 'CHN';
    case 'hk_macao_permit':
      return idNumber.trim().toUpperCase().startsWith('M') ? 'MAC' : 'HKG';
    case 'taiwan_permit':
      return 'TWN';
    default:
      return null;
  }
}

export function toRegistrationRequest(v: RegistrationValues): EnterpriseRegistrationRequest {
  const idNumber = v.legalRepIdNumber.trim().toUpperCase();
  return {
    legalPersonType: v.legalPersonType,
    name: v.name.trim(),
    creditCode: v.creditCode.trim().toUpperCase(),
    hasLicence: v.hasLicence,
    licenceNumber: v.hasLicence ? (v.licenceNumber ?? '').trim() : null,
    legalRepName: v.legalRepName.trim(),
    legalRepIdType: v.legalRepIdType,
    legalRepCountry: impliedCountry(v.legalRepIdType, idNumber) ?? v.legalRepCountry,
    legalRepIdNumber: idNumber,
    agentPhone: v.agentPhone.trim(),
    smsCode: v.smsCode.trim(),
    agentName: v.agentName.trim(),
    agentIdNumber: v.agentIdNumber.trim().toUpperCase(),
    password: v.password,
    passwordConfirmation: v.passwordConfirmation,
    agreed: v.agreed,
  };
}

const COUNTRY_OPTIONS = [...ISO3166_ALPHA3].sort().map((code) => ({ value: code, label: countryLabel(code) }));

export function RegisterPage() {
  const [form] = Form.useForm<RegistrationValues>();
  const [busy, setBusy] = useState(false);
  const [loginName, setLoginName] = useState<string | null>(null);
  const fail = useFailure();
  const hasLicence = Form.useWatch('hasLicence', form);
  const idType = Form.useWatch('legalRepIdType', form);

  if (loginName) {
    return (
      <PublicFrame title="法人注册" width={640}>
        <Result
          status="success"
          title="注册成功"
          subTitle={
            <span>
              登录用户名：<Typography.Text data-testid="register-login-name" strong copyable>{loginName}</Typography.Text>（统一社会信用代码），请使用注册时设置的密码、CA 证书或个人实名账号登录。
            </span>
          }
          extra={
            <Button data-testid="register-to-login" type="primary" onClick={() => navigate('/login')}>
              去登录
            </Button>
          }
        />
      </PublicFrame>
    );
  }

  return (
    <PublicFrame title="法人注册" width={640}>
      <Form<RegistrationValues>
        form={form}
        labelCol={{ span: 7 }}
        wrapperCol={{ span: 17 }}
        initialValues={{ legalPersonType: 'enterprise', hasLicence: false, legalRepIdType: 'resident_id', legalRepCountry: 'CHN', agreed: false }}
        onValuesChange={(changed: Partial<RegistrationValues>, all) => {
          if (changed.legalRepIdType || changed.legalRepIdNumber !== undefined) {
            const implied = impliedCountry(all.legalRepIdType, all.legalRepIdNumber);
            if (implied && all.legalRepCountry !== implied) form.setFieldValue('legalRepCountry', implied);
          }
          if (changed.legalRepIdType || changed.legalRepCountry) {
            if (form.getFieldValue('legalRepIdNumber')) void form.validateFields(['legalRepIdNumber']).catch(() => {});
          }
        }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            setLoginName((await api.registerEnterprise(toRegistrationRequest(v))).loginName);
          } catch (e) {
            fail(e, form);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="legalPersonType" label="法人类型" rules={[{ required: true, message: '请选择法人类型' }]}>
          <Select data-testid="reg-legal-person-type" options={LEGAL_PERSON_TYPES.map((t) => ({ value: t, label: LEGAL_PERSON_TYPE_TEXT[t] }))} />
        </Form.Item>
        <Form.Item name="name" label="企业名称" rules={[required('请输入企业名称'), { max: 100, message: '企业名称最多100个字符' }]}>
          <Input data-testid="reg-name" placeholder="请输入企业名称" />
        </Form.Item>
        <Form.Item name="creditCode" label="统一社会信用代码" rules={[required('请输入统一社会信用代码'), creditCodeRule]}>
          <Input data-testid="reg-credit-code" placeholder="请输入统一社会信用代码" maxLength={18} />
        </Form.Item>
        <Form.Item label="许可证编号" required={!!hasLicence}>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="hasLicence" noStyle>
              <Radio.Group data-testid="reg-has-licence" optionType="button">
                <Radio value={true} data-testid="reg-has-licence-yes">有</Radio>
                <Radio value={false} data-testid="reg-has-licence-no">无</Radio>
              </Radio.Group>
            </Form.Item>
            {hasLicence && (
              <Form.Item name="licenceNumber" noStyle rules={[required('请输入许可证编号'), { max: 64, message: '许可证编号最多64个字符' }]}>
                <Input data-testid="reg-licence-number" placeholder="请输入许可证编号" />
              </Form.Item>
            )}
          </Space.Compact>
        </Form.Item>
        <Form.Item name="legalRepName" label="法人姓名" rules={[required('请输入法人代表姓名'), { max: 50, message: '姓名最多50个字符' }]}>
          <Input data-testid="reg-legal-rep-name" placeholder="请输入法人代表姓名" />
        </Form.Item>
        <Form.Item name="legalRepIdType" label="法人证件类型" rules={[{ required: true, message: '请选择法人证件类型' }]}>
          <Select data-testid="reg-legal-rep-id-type" options={ID_TYPES.map((t) => ({ value: t, label: ID_TYPE_TEXT[t] }))} />
        </Form.Item>
        <Form.Item name="legalRepCountry" label="国家/地区" rules={[{ required: true, message: '请选择国家/地区' }]}>
          <Select data-testid="reg-legal-rep-country" showSearch optionFilterProp="label" disabled={idType !== 'passport'} options={COUNTRY_OPTIONS} />
        </Form.Item>
        <Form.Item
          name="legalRepIdNumber"
          label="法人证件号码"
          rules={[required('请输入相关证件号码'), idNumberRule(form, 'legalRepIdType', 'legalRepCountry')]}
        >
          <Input data-testid="reg-legal-rep-id-number" placeholder="请输入相关证件号码" maxLength={20} />
        </Form.Item>
        <Form.Item label="经办人手机号" required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="agentPhone" noStyle rules={[required('请输入11位手机号'), mobileRule]}>
              <Input data-testid="reg-agent-phone" placeholder="请输入11位手机号" maxLength={20} />
            </Form.Item>
            <SmsCodeButton
              testId="reg-send-code"
              send={async () => {
                try {
                  const { agentPhone } = await form.validateFields(['agentPhone']);
                  await api.sendSmsCode(agentPhone.trim());
                } catch (e) {
                  if (isApiFailure(e)) fail(e, form);
                  throw e;
                }
              }}
            />
          </Space.Compact>
        </Form.Item>
        <Form.Item name="smsCode" label="验证码" rules={[required('请输入验证码'), smsCodeRule]}>
          <Input data-testid="reg-sms-code" placeholder="请输入验证码" maxLength={6} />
        </Form.Item>
        <Form.Item name="agentName" label="经办人姓名" rules={[required('请输入经办人姓名'), { max: 50, message: '姓名最多50个字符' }]}>
          <Input data-testid="reg-agent-name" placeholder="请输入经办人姓名" />
        </Form.Item>
        <Form.Item name="agentIdNumber" label="经办人身份证" rules={[required('请输入经办人身份证'), residentIdRule]}>
          <Input data-testid="reg-agent-id-number" placeholder="请输入经办人身份证" maxLength={18} />
        </Form.Item>
        <Form.Item name="password" label="登录密码" rules={[{ required: true, message: '请输入登录密码' }, enterprisePasswordRule]}>
          <Input.Password data-testid="reg-password" placeholder="6-16个字符，区分大小写" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="passwordConfirmation"
          label="确认登录密码"
          dependencies={['password']}
          rules={[{ required: true, message: '请确认登录密码' }, sameAsRule(form, 'password', '两次输入的密码不一致')]}
        >
          <Input.Password data-testid="reg-password-confirmation" placeholder="请确认登录密码" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="agreed"
          valuePropName="checked"
          wrapperCol={{ offset: 7, span: 17 }}
          rules={[{ validator: async (_r, v) => { if (!v) throw new Error('请阅读并同意用户协议'); } }]}
        >
          <Checkbox data-testid="reg-agreed">注册即代表阅读并同意《福建省社会用户实名认证和授权平台用户协议》</Checkbox>
        </Form.Item>
        <Form.Item wrapperCol={{ offset: 7, span: 17 }}>
          <Space>
            <Button data-testid="reg-submit" type="primary" htmlType="submit" loading={busy}>
              注册
            </Button>
            <Button data-testid="reg-back" onClick={() => navigate('/login')}>
              返回登录
            </Button>
          </Space>
        </Form.Item>
      </Form>
    </PublicFrame>
  );
}
