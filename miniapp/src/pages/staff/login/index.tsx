// 法人用户登录 for scanner staff (扫码员, manual 六(二)3): phone number and password.
import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import { checkMobile } from '@bamin/common/phone';
import { ApiError } from '../../../services/api';
import { getStaffMe, staffErrorText, staffSignIn } from '../../../services/staff';
import { getStaffToken, setStaffPhone, setStaffToken } from '../../../services/staffStorage';
import { routeStaffByMe } from '../../../services/staffRoutes';
import { PAGES } from '../../../services/routes';
import '../staff.scss';

/** What to say for a failed sign-in: the server's message, with the next step where there is one. */
export function signInErrorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'STAFF_NOT_AUTHORISED') {
      return e.message || '本账号尚未获单位授权，请联系本单位管理员在管理端授权后再登录';
    }
    if (e.status === 423) return e.message || '密码错误次数过多，账号已锁定，请15分钟后再试';
  }
  return staffErrorText(e);
}

export default function StaffLogin() {
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [errorCode, setErrorCode] = useState('');
  const [busy, setBusy] = useState(false);

  // Already signed in on this device: go straight on.
  useEffect(() => {
    if (!getStaffToken()) return;
    getStaffMe().then(routeStaffByMe).catch(() => undefined);
  }, []);

  const submit = async () => {
    const mobile = checkMobile(phone);
    if (!mobile.ok) {
      setErrorCode('');
      return setError(mobile.problem);
    }
    if (!password) {
      setErrorCode('');
      return setError('请输入密码');
    }
    setError('');
    setBusy(true);
    try {
      const session = await staffSignIn(mobile.normalized, password);
      setStaffToken(session.token);
      setStaffPhone(mobile.normalized);
      routeStaffByMe(session.me);
    } catch (e) {
      setErrorCode(e instanceof ApiError ? e.code : '');
      setError(signInErrorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='page staff-page staff-login'>
      <View className='login-brand'>
        <Text className='title'>八闽健康码</Text>
        <Text className='hint'>闽政通 · 法人用户登录（扫码员）</Text>
      </View>
      <View className='card'>
        {error ? (
          <Text className={`error-box${errorCode === 'STAFF_NOT_AUTHORISED' ? ' error-strong' : ''}`} data-testid='staff-login-error' data-code={errorCode}>
            {error}
          </Text>
        ) : null}
        <View className='field'>
          <Text className='field-label'>账号（手机号）</Text>
          <Input className='input' data-testid='staff-phone' type='number' maxlength={11} placeholder='请输入手机号'
            value={phone} onInput={(e) => setPhone(e.detail.value)} />
        </View>
        <View className='field'>
          <Text className='field-label'>密码</Text>
          <Input className='input' data-testid='staff-password' password maxlength={32} placeholder='请输入密码'
            value={password} onInput={(e) => setPassword(e.detail.value)} />
        </View>
        <Button className='btn' data-testid='staff-login-submit' loading={busy} disabled={busy} onClick={submit}>登录</Button>
        <Text className='hint staff-note'>扫码员账号由本单位管理员在管理端添加并授权；初始密码请向管理员获取，首次登录须修改密码。</Text>
      </View>
      <View className='link-row center' data-testid='to-citizen-login' onClick={() => Taro.reLaunch({ url: PAGES.login })}>
        <Text className='link'>个人用户登录</Text>
      </View>
    </View>
  );
}
