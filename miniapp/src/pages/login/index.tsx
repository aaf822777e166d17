import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import { checkMobile } from '@bamin/common/phone';
import { errorMessage, getMe, sendSmsCode, signIn } from '../../services/api';
import { getToken, setToken } from '../../services/storage';
import { routeByMe } from '../../services/routes';
import { STAFF_PAGES } from '../../services/staffRoutes';
import { useCountdown } from '../../hooks/useCountdown';
import './index.scss';

export default function Login() {
  const [phone, setPhone] = useState('');
  const [smsCode, setSmsCode] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [left, startCountdown] = useCountdown();

  useEffect(() => {
    if (!getToken()) return;
    getMe().then(routeByMe).catch(() => undefined);
  }, []);

  const requestCode = async () => {
    if (left > 0) return;
    const mobile = checkMobile(phone);
    if (!mobile.ok) {
      setError(mobile.problem);
      return;
    }
    setError('');
    try {
      await sendSmsCode(mobile.normalized, 'sign_in');
      startCountdown(60);
      Taro.showToast({ title: '验证码已发送', icon: 'none' });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const submit = async () => {
    const mobile = checkMobile(phone);
    if (!mobile.ok) return setError(mobile.problem);
    if (!smsCode.trim()) return setError('请输入验证码');
    setError('');
    setBusy(true);
    try {
      const session = await signIn(mobile.normalized, smsCode.trim());
      setToken(session.token);
      routeByMe(session.me);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='page login'>
      <View className='login-brand'>
        <Text className='title'>八闽健康码</Text>
        <Text className='hint'>闽政通 · 个人用户登录</Text>
      </View>
      <View className='card'>
        {error ? <Text className='error-box' data-testid='login-error'>{error}</Text> : null}
        <View className='field'>
          <Text className='field-label'>手机号码</Text>
          <Input className='input' data-testid='login-phone' type='number' maxlength={11} placeholder='请输入手机号码'
            value={phone} onInput={(e) => setPhone(e.detail.value)} />
        </View>
        <View className='field'>
          <Text className='field-label'>验证码</Text>
          <View className='row'>
            <Input className='input' data-testid='login-code' type='number' maxlength={8} placeholder='请输入验证码'
              value={smsCode} onInput={(e) => setSmsCode(e.detail.value)} />
            <Button className='btn btn-plain btn-small' data-testid='login-send-code' disabled={left > 0} onClick={requestCode}>
              {left > 0 ? `${left}秒后重新获取` : '获取验证码'}
            </Button>
          </View>
        </View>
        <Button className='btn' data-testid='login-submit' loading={busy} disabled={busy} onClick={submit}>登录</Button>
      </View>
      <View className='staff-entry' data-testid='to-staff-login' onClick={() => Taro.navigateTo({ url: STAFF_PAGES.login })}>
        <Text className='link'>法人用户登录（扫码员）</Text>
      </View>
    </View>
  );
}
