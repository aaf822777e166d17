import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConsoleMe, SubAccountView } from '@bamin/common/consoleApi';
import { fakeServer, refuse, renderUi } from '../../../test/render';
import { CA_REQUIRED_TEXT, SubAccountFormModal, SubAccountsPage } from '.';

afterEach(() => vi.unstubAllGlobals());

const type = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });
const enterprise = (authMethod: ConsoleMe['authMethod']): ConsoleMe => ({
  accountId: 2,
  loginName: '91350100MA2XYW1234',
  role: 'enterprise',
  authMethod,
  mustChangePassword: false,
  organisation: { id: 5, name: '某企业', kind: 'enterprise', creditCode: '91350100MA2XYW1234', areaCode: null },
  personNameMasked: null,
});
const sub: SubAccountView = { id: 4, name: '张扫码', phoneMasked: '139****3333', authorised: false, disabled: false, mustChangePassword: true, createdAt: '2026-12-01T08:00:00Z' };

describe('Console / Sub-accounts (D3, E6)', () => {
  it.each(['password', 'personal'] as const)('an enterprise %s session sees the CA notice and no actions, and calls nothing', async (method) => {
    const calls = fakeServer(() => ({ status: 500 }));
    renderUi(<SubAccountsPage me={enterprise(method)} />);
    expect(screen.getByTestId('sub-ca-required').textContent).toContain(CA_REQUIRED_TEXT);
    expect(CA_REQUIRED_TEXT).toContain('子账号管理的所有操作都必须插入 CA 数字证书');
    expect(screen.queryByTestId('sub-add')).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it('an enterprise CA session lists sub-accounts with their state and can authorise', async () => {
    const calls = fakeServer((c) => (c.method === 'GET' ? { status: 200, body: { items: [sub], page: 1, pageSize: 10, total: 1 } } : { status: 200, body: { ...sub, authorised: true } }));
    renderUi(<SubAccountsPage me={enterprise('ca')} />);
    expect((await screen.findByTestId('sub-phone-4')).textContent).toBe('139****3333');
    expect(screen.getByTestId('sub-state-4').textContent).toBe('未授权需改初始密码');
    fireEvent.click(screen.getByTestId('sub-authorise-4'));
    await waitFor(() => expect(screen.getByTestId('sub-state-4').textContent).toBe('已授权需改初始密码'));
    expect(calls[1]).toMatchObject({ method: 'POST', url: '/api/v1/console/sub-accounts/4/authorise' });
  });

  it('the form checks phone and name', async () => {
    const calls = fakeServer(() => ({ status: 500 }));
    renderUi(<SubAccountFormModal open isEnterprise onClose={() => {}} onCreated={() => {}} />);
    fireEvent.click(screen.getByTestId('sub-form-submit'));
    expect(await screen.findByText('请输入手机号')).toBeTruthy();
    expect(await screen.findByText('请输入操作人员姓名')).toBeTruthy();
    type('sub-form-phone', '139000033');
    expect(await screen.findByText('手机号码格式不正确，应为11位中国大陆手机号码')).toBeTruthy();
    expect(calls).toHaveLength(0);
  });

  it('creates a sub-account and tells the initial password abc@123456', async () => {
    const calls = fakeServer(() => ({ status: 201, body: sub }));
    const onCreated = vi.fn();
    renderUi(<SubAccountFormModal open isEnterprise onClose={() => {}} onCreated={onCreated} />);
    type('sub-form-phone', '139 0000 3333');
    type('sub-form-name', '张扫码');
    fireEvent.click(screen.getByTestId('sub-form-submit'));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(sub));
    expect((await screen.findByTestId('sub-created')).textContent).toContain('初始密码为 abc@123456');
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/v1/console/sub-accounts', body: { phone: '139 0000 3333', name: '张扫码' } });
  });

  it('shows SUB_ACCOUNT_PHONE_TAKEN on the phone field', async () => {
    fakeServer(() => refuse(409, 'SUB_ACCOUNT_PHONE_TAKEN', '该手机号已是子账号', [{ field: 'phone', problem: '该手机号已被使用' }]));
    renderUi(<SubAccountFormModal open isEnterprise={false} onClose={() => {}} onCreated={() => {}} />);
    type('sub-form-phone', '13900003333');
    type('sub-form-name', '张扫码');
    fireEvent.click(screen.getByTestId('sub-form-submit'));
    expect(await screen.findByText('该手机号已被使用')).toBeTruthy();
  });
});
