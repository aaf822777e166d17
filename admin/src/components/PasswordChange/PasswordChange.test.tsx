import { fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConsoleMe } from '@bamin/common/consoleApi';
import { fakeServer, refuse, renderUi } from '../../../test/render';
import { PasswordChangeForm } from '.';

afterEach(() => vi.unstubAllGlobals());

const me: ConsoleMe = {
  accountId: 1,
  loginName: 'gov350100001',
  role: 'government',
  authMethod: 'password',
  mustChangePassword: true,
  organisation: { id: 3, name: '某单位', kind: 'government', creditCode: null, areaCode: null },
  personNameMasked: null,
};
const type = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });

describe('Console / Password change (D2)', () => {
  it.each([
    ['short1', '新密码长度须为 8–32 位'],
    ['abcdefghij', '新密码须同时包含字母和数字'],
    ['has space 123', '新密码只能使用字母、数字和英文符号，不能有空格'],
    ['xGOV350100001x9', '新密码不能包含用户名'],
    ['Initial-Pass1', '新密码不能与原密码相同'],
  ])('refuses %s: %s', async (password, problem) => {
    fakeServer(() => ({ status: 500 }));
    renderUi(<PasswordChangeForm me={me} onChanged={() => {}} />);
    type('pwd-current', 'Initial-Pass1');
    type('pwd-new', password);
    expect(await screen.findByText(problem)).toBeTruthy();
  });

  it('the confirmation must equal the new password', async () => {
    fakeServer(() => ({ status: 500 }));
    renderUi(<PasswordChangeForm me={me} onChanged={() => {}} />);
    type('pwd-new', 'NewPass2026');
    type('pwd-confirm', 'NewPass2027');
    expect(await screen.findByText('两次输入的新密码不一致')).toBeTruthy();
  });

  it('sends current and new password and hands back the new me', async () => {
    const calls = fakeServer(() => ({ status: 200, body: { ...me, mustChangePassword: false } }));
    const onChanged = vi.fn();
    renderUi(<PasswordChangeForm me={me} onChanged={onChanged} />);
    type('pwd-current', 'Initial-Pass1');
    type('pwd-new', 'NewPass2026');
    type('pwd-confirm', 'NewPass2026');
    fireEvent.click(screen.getByTestId('pwd-submit'));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalledWith({ ...me, mustChangePassword: false }));
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/v1/console/password', body: { currentPassword: 'Initial-Pass1', newPassword: 'NewPass2026' } });
  });

  it('puts a wrong current password on its field', async () => {
    fakeServer(() => refuse(400, 'CURRENT_PASSWORD_WRONG', '当前密码不正确', [{ field: 'currentPassword', problem: '当前密码不正确' }]));
    renderUi(<PasswordChangeForm me={me} onChanged={() => {}} />);
    type('pwd-current', 'Wrong-Pass1');
    type('pwd-new', 'NewPass2026');
    type('pwd-confirm', 'NewPass2026');
    fireEvent.click(screen.getByTestId('pwd-submit'));
    expect((await screen.findAllByText('当前密码不正确')).length).toBeGreaterThanOrEqual(1);
  });
});
