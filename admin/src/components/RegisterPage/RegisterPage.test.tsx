import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { creditCode, residentId } from '../../../test/data';
import { fakeServer, refuse, renderUi } from '../../../test/render';
import { impliedCountry, RegisterPage } from '.';

afterEach(() => vi.unstubAllGlobals());

const type = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });

function fillValid() {
  type('reg-name', '福州测试科技有限公司');
  type('reg-credit-code', creditCode());
  type('reg-legal-rep-name', '林法人');
  type('reg-legal-rep-id-number', residentId());
  type('reg-agent-phone', '13900001111');
  type('reg-sms-code', '123456');
  type('reg-agent-name', '陈经办');
  type('reg-agent-id-number', residentId('35010219900202002'));
  type('reg-password', 'Abc123');
  type('reg-password-confirmation', 'Abc123');
  fireEvent.click(screen.getByTestId('reg-agreed'));
}

describe('Console / Registration (E1) / validation', () => {
  it('names every missing field and sends nothing', async () => {
    const calls = fakeServer(() => ({ status: 500 }));
    renderUi(<RegisterPage />);
    fireEvent.click(screen.getByTestId('reg-submit'));
    for (const text of ['请输入企业名称', '请输入统一社会信用代码', '请输入法人代表姓名', '请输入相关证件号码', '请输入11位手机号', '请输入验证码', '请输入经办人姓名', '请输入经办人身份证', '请输入登录密码', '请确认登录密码', '请阅读并同意用户协议']) {
      expect(await screen.findByText(text)).toBeTruthy();
    }
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['reg-credit-code', '91350100MA2XYW12', '统一社会信用代码长度应为18位'],
    ['reg-credit-code', creditCode().slice(0, 17) + (creditCode().endsWith('0') ? '1' : '0'), '统一社会信用代码校验码不正确'],
    ['reg-legal-rep-id-number', '350102198001015010', '身份证号码校验位不正确'],
    ['reg-agent-id-number', '35010219801301501X', '身份证号码中的出生日期无效'],
    ['reg-agent-phone', '1390000111', '手机号码格式不正确，应为11位中国大陆手机号码'],
    ['reg-sms-code', '12345', '验证码为6位数字'],
    ['reg-password', 'Ab123', '登录密码须为6-16个字符'],
    ['reg-password', 'Abcdefgh123456789', '登录密码须为6-16个字符'],
  ])('%s %s → %s', async (id, value, problem) => {
    fakeServer(() => ({ status: 500 }));
    renderUi(<RegisterPage />);
    // antd validates a field as it changes
    type(id, value);
    expect(await screen.findByText(problem)).toBeTruthy();
  });

  it('the confirmation must equal the password (case-sensitive)', async () => {
    fakeServer(() => ({ status: 500 }));
    renderUi(<RegisterPage />);
    type('reg-password', 'Abc123');
    type('reg-password-confirmation', 'abc123');
    expect(await screen.findByText('两次输入的密码不一致')).toBeTruthy();
  });

  it('asks for the licence number only when 有 is chosen', async () => {
    fakeServer(() => ({ status: 500 }));
    renderUi(<RegisterPage />);
    expect(screen.queryByTestId('reg-licence-number')).toBeNull();
    fireEvent.click(screen.getByTestId('reg-has-licence-yes'));
    fireEvent.click(screen.getByTestId('reg-submit'));
    expect(await screen.findByText('请输入许可证编号')).toBeTruthy();
  });

  it('sends the request of the contract and shows the login name', async () => {
    const calls = fakeServer(() => ({ status: 201, body: { organisationId: 7, loginName: creditCode() } }));
    renderUi(<RegisterPage />);
    fillValid();
    fireEvent.click(screen.getByTestId('reg-submit'));
    expect((await screen.findByTestId('register-login-name')).textContent).toBe(creditCode());
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe('/api/v1/console/enterprises');
    expect(calls[0].body).toEqual({
      legalPersonType: 'enterprise',
      name: '福州测试科技有限公司',
      creditCode: creditCode(),
      hasLicence: false,
      licenceNumber: null,
      legalRepName: '林法人',
      legalRepIdType: 'resident_id',
      legalRepCountry: 'CHN',
      legalRepIdNumber: residentId(),
      agentPhone: '13900001111',
      smsCode: '123456',
      agentName: '陈经办',
      agentIdNumber: residentId('35010219900202002'),
      password: 'Abc123',
      passwordConfirmation: 'Abc123',
      agreed: true,
    });
  });

  it('puts the server refusal on its field and shows its message', async () => {
    fakeServer(() => refuse(409, 'CREDIT_CODE_TAKEN', '该统一社会信用代码已注册', [{ field: 'creditCode', problem: '已注册，请直接登录' }]));
    renderUi(<RegisterPage />);
    fillValid();
    fireEvent.click(screen.getByTestId('reg-submit'));
    expect(await screen.findByText('已注册，请直接登录')).toBeTruthy();
    await waitFor(() => expect(screen.getByText('该统一社会信用代码已注册')).toBeTruthy());
  });

  it('sends the SMS code request with purpose console and counts down 60 s', async () => {
    const calls = fakeServer(() => ({ status: 202, body: {} }));
    renderUi(<RegisterPage />);
    type('reg-agent-phone', '13900001111');
    fireEvent.click(screen.getByTestId('reg-send-code'));
    await waitFor(() => expect(screen.getByTestId('reg-send-code').textContent).toContain('60 秒后重新获取'));
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/v1/app/sms-codes', body: { phone: '13900001111', purpose: 'console' } });
  });
});

describe('Console / Registration / country of the legal representative document', () => {
  it.each([
    ['resident_id', '', 'CHN'],
    ['hk_macao_permit', 'H12345678', 'HKG'],
    ['hk_macao_permit', 'M12345678', 'MAC'],
    ['taiwan_permit', '12345678', 'TWN'],
    ['passport', 'E1234567', null],
  ] as const)('%s %s → %s', (idType, number, country) => {
    expect(impliedCountry(idType, number)).toBe(country);
  });
});
