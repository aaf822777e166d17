// 修改密码: forced after the first sign-in on the initial password, and reachable from the home page.
import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import { STAFF_PASSWORD_RULE_TEXT, type StaffMe } from '@bamin/common/staffApi';
import { FieldError } from '../../../components/Choice';
import { changeStaffPassword, fieldErrors, getStaffMe, staffErrorText } from '../../../services/staff';
import { getStaffPhone } from '../../../services/staffStorage';
import { STAFF_PAGES, routeStaffByMe } from '../../../services/staffRoutes';
import { validatePasswordForm, type PasswordErrors, type PasswordForm } from './validate';
import '../staff.scss';

export default function StaffPassword() {
  const [form, setForm] = useState<PasswordForm>({ currentPassword: '', newPassword: '', confirmPassword: '' });
  const [errors, setErrors] = useState<PasswordErrors>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [me, setMe] = useState<StaffMe | null>(null);

  useEffect(() => {
    getStaffMe().then(setMe).catch(() => undefined);
  }, []);

  const set = (k: keyof PasswordForm) => (e: { detail: { value: string } }) => setForm((f) => ({ ...f, [k]: e.detail.value }));

  const submit = async () => {
    const errs = validatePasswordForm(form, getStaffPhone());
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    setMessage('');
    try {
      const next = await changeStaffPassword(form.currentPassword, form.newPassword);
      Taro.showToast({ title: '密码已修改', icon: 'success' });
      if (me && !me.mustChangePassword && next.scanPoint) {
        // A voluntary change from the home page: go back there.
        Taro.reLaunch({ url: STAFF_PAGES.home });
      } else {
        routeStaffByMe(next);
      }
    } catch (e) {
      const fe = fieldErrors(e);
      setErrors({ currentPassword: fe.currentPassword, newPassword: fe.newPassword });
      setMessage(staffErrorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='page staff-page'>
      <View className='card'>
        <Text className='title'>修改密码</Text>
        {me?.mustChangePassword ? (
          <Text className='tip-box' data-testid='password-forced'>首次登录请先修改初始密码，修改后才能开展扫码工作。</Text>
        ) : null}
        {message ? <Text className='error-box' data-testid='password-error'>{message}</Text> : null}
        <Text className='rule-text' data-testid='password-rule'>{STAFF_PASSWORD_RULE_TEXT}</Text>
        <View className='field'>
          <Text className='field-label'>原密码</Text>
          <Input className='input' data-testid='password-current' password maxlength={32} placeholder='请输入原密码'
            value={form.currentPassword} onInput={set('currentPassword')} />
          <FieldError testId='error-currentPassword' message={errors.currentPassword} />
        </View>
        <View className='field'>
          <Text className='field-label'>新密码</Text>
          <Input className='input' data-testid='password-new' password maxlength={32} placeholder='请输入新密码'
            value={form.newPassword} onInput={set('newPassword')} />
          <FieldError testId='error-newPassword' message={errors.newPassword} />
        </View>
        <View className='field'>
          <Text className='field-label'>确认新密码</Text>
          <Input className='input' data-testid='password-confirm' password maxlength={32} placeholder='请再次输入新密码'
            value={form.confirmPassword} onInput={set('confirmPassword')} />
          <FieldError testId='error-confirmPassword' message={errors.confirmPassword} />
        </View>
        <Button className='btn' data-testid='password-submit' loading={busy} disabled={busy} onClick={submit}>确认修改</Button>
      </View>
    </View>
  );
}
