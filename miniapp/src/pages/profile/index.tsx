import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import type { AreaOption, Me } from '@bamin/common/appApi';
import { errorMessage, generateCode, getMe, updateProfile } from '../../services/api';
import { PAGES, toLogin } from '../../services/routes';
import { AreaPicker } from '../../components/AreaPicker';
import { FieldError } from '../../components/Choice';
import './index.scss';

export default function Profile() {
  const [me, setMe] = useState<Me | null>(null);
  const [step, setStep] = useState<'profile' | 'code'>('profile');
  const [residence, setResidence] = useState<AreaOption | null>(null);
  const [address, setAddress] = useState('');
  const [current, setCurrent] = useState<string>('');
  const [errors, setErrors] = useState<{ area?: string; address?: string; current?: string }>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    getMe()
      .then((m) => {
        setMe(m);
        if (m.person?.residenceArea) {
          setCurrent(m.person.residenceArea);
          setAddress(m.person.residenceAddress ?? '');
          if (!m.person.codeNumber) setStep('code');
        }
      })
      .catch((e) => {
        if ((e as any)?.status === 401) toLogin();
        else setMessage(errorMessage(e));
      });
  }, []);

  const saveProfile = async () => {
    const errs: typeof errors = {};
    if (!residence) errs.area = '请选择居住地（省、市、区县）';
    if (!address.trim()) errs.address = '请输入详细地址';
    setErrors(errs);
    if (Object.keys(errs).length > 0 || !residence) return;
    setBusy(true);
    setMessage('');
    try {
      const m = await updateProfile({ residenceArea: residence.code, residenceAddress: address.trim() });
      setMe(m);
      if (m.person?.codeNumber) {
        Taro.reLaunch({ url: PAGES.code });
      } else {
        setCurrent(residence.code);
        setStep('code');
      }
    } catch (e) {
      setMessage(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const makeCode = async () => {
    if (!current) {
      setErrors({ current: '请选择当前所在地区' });
      return;
    }
    setBusy(true);
    setMessage('');
    try {
      await generateCode(current);
      Taro.reLaunch({ url: PAGES.code });
    } catch (e) {
      setMessage(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (!me) {
    return (
      <View className='page'>
        {message ? <Text className='error-box'>{message}</Text> : <Text className='hint'>加载中…</Text>}
      </View>
    );
  }

  if (step === 'code') {
    return (
      <View className='page'>
        <View className='card'>
          <Text className='title'>申领八闽健康码</Text>
          <Text className='hint'>请确认您当前所在地区（默认为居住地），系统将自动核查比对后生成健康码。</Text>
        </View>
        <View className='card'>
          {message ? <Text className='error-box' data-testid='profile-error'>{message}</Text> : null}
          <View className='field'>
            <Text className='field-label'>当前所在地区</Text>
            <AreaPicker key={`current-${current}`} testId='current-area' value={current} onChange={(a) => setCurrent(a ? a.code : '')} />
            <FieldError testId='error-current' message={errors.current} />
          </View>
          <Button className='btn' data-testid='generate-code' loading={busy} disabled={busy} onClick={makeCode}>生成健康码</Button>
        </View>
      </View>
    );
  }

  return (
    <View className='page'>
      <View className='card'>
        <Text className='title'>完善居住信息</Text>
        <Text className='hint'>{me.person ? `${me.person.nameMasked}（${me.person.idMasked}）` : ''}</Text>
      </View>
      <View className='card'>
        {message ? <Text className='error-box' data-testid='profile-error'>{message}</Text> : null}
        <View className='field'>
          <Text className='field-label'>居住地（省/市/区县）</Text>
          <AreaPicker testId='residence-area' value={me.person?.residenceArea ?? ''} onChange={setResidence} />
          <FieldError testId='error-area' message={errors.area} />
        </View>
        <View className='field'>
          <Text className='field-label'>详细地址</Text>
          <Input className='input' data-testid='residence-address' placeholder='街道、小区、门牌号' value={address} onInput={(e) => setAddress(e.detail.value)} />
          <FieldError testId='error-address' message={errors.address} />
        </View>
        <Button className='btn' data-testid='profile-submit' loading={busy} disabled={busy} onClick={saveProfile}>保存</Button>
      </View>
    </View>
  );
}
