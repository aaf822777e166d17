import { fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { creditCode } from '../../../test/data';
import { fakeServer, refuse, renderUi } from '../../../test/render';
import { GovernmentAccountPage } from '.';

afterEach(() => vi.unstubAllGlobals());

const type = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });
const GOV_CODE = creditCode('11350100MB0123456');

describe('Console / Government account generation (D1)', () => {
  it('requires every field and checks the credit code before sending', async () => {
    const calls = fakeServer(() => ({ status: 500 }));
    renderUi(<GovernmentAccountPage />);
    fireEvent.click(screen.getByTestId('gov-submit'));
    for (const text of ['请输入单位名称', '请输入统一社会信用代码', '请输入激活码']) expect(await screen.findByText(text)).toBeTruthy();
    type('gov-credit-code', 'ABCDEFGHIJKLMNOPQR');
    expect(await screen.findByText('统一社会信用代码含有无效字符（不使用I、O、S、V、Z）')).toBeTruthy();
    expect(calls).toHaveLength(0);
  });

  it('shows the user name and the initial password once, with the warning and a copy button', async () => {
    const calls = fakeServer(() => ({ status: 201, body: { loginName: 'gov350100001', initialPassword: 'Xy7-kP2q-9Lm', organisationId: 3 } }));
    renderUi(<GovernmentAccountPage />);
    type('gov-name', '福州市鼓楼区卫生健康局');
    type('gov-credit-code', GOV_CODE.toLowerCase());
    type('gov-activation-code', ' ACT-1234-5678 ');
    fireEvent.click(screen.getByTestId('gov-submit'));
    expect((await screen.findByTestId('gov-login-name')).textContent).toBe('gov350100001');
    expect(screen.getByTestId('gov-initial-password').textContent).toBe('Xy7-kP2q-9Lm');
    expect(screen.getByTestId('gov-warning').textContent).toContain('初始密码只显示这一次');
    expect(screen.getByTestId('gov-copy')).toBeTruthy();
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/v1/console/government-accounts', body: { name: '福州市鼓楼区卫生健康局', creditCode: GOV_CODE, activationCode: 'ACT-1234-5678' } });
  });

  it('shows the refusal of a wrong activation code on its field', async () => {
    fakeServer(() => refuse(400, 'ACTIVATION_CODE_INVALID', '激活码无效、已使用或已过期', [{ field: 'activationCode', problem: '激活码无效' }]));
    renderUi(<GovernmentAccountPage />);
    type('gov-name', '某单位');
    type('gov-credit-code', GOV_CODE);
    type('gov-activation-code', 'WRONG');
    fireEvent.click(screen.getByTestId('gov-submit'));
    expect(await screen.findByText('激活码无效')).toBeTruthy();
    expect(await screen.findByText('激活码无效、已使用或已过期')).toBeTruthy();
    expect(screen.queryByTestId('gov-initial-password')).toBeNull();
  });
});
