import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Input, Picker, Text, View } from '@tarojs/components';
import { FAMILY_RELATIONS, FAMILY_RELATION_TEXT } from '@bamin/common/appApi';
import { ID_TYPES, ID_TYPE_TEXT } from '@bamin/common/idDocuments';
import { checkMobile } from '@bamin/common/phone';
import { applyFamily, errorMessage, sendSmsCode } from '../../services/api';
import { PAGES } from '../../services/routes';
import { useCountdown } from '../../hooks/useCountdown';
import { Choice, FieldError } from '../../components/Choice';
import { HealthQuestions } from '../../components/HealthQuestions';
import { EMPTY_FAMILY_FORM, validateFamilyForm, type FamilyField, type FamilyForm } from './validate';
import './index.scss';

export const FAMILY_NOTICE = '您的家人若无手机或不方便提交，可为其申领但请务必确保信息真实有效';

export const COMMITMENT_PARAGRAPHS = [
  '为疫情防控，本人确认已获取被领人合法有效授权，同意将以上信息依法提交到省疫情防控部门统筹管理。本人承诺未经被领人同意，不会擅自使用及披露被领人的健康码。如有违反，本人愿承担相应的法律责任。',
  '上述信息已经过被领人本人确认核实，本人及被领人对信息内容的真实性及完整性负责。如果信息有误或缺失，本人及被领人愿承担相应的法律责任。同时，本人及被领人保证遵守防疫管控的各项规定，配合并听从各项措施和要求。',
];

export default function Family() {
  const [form, setForm] = useState<FamilyForm>(EMPTY_FAMILY_FORM);
  const [errors, setErrors] = useState<Partial<Record<FamilyField, string>>>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [left, startCountdown] = useCountdown();

  const set = <K extends keyof FamilyForm>(key: K, value: FamilyForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
  };

  const requestCode = async () => {
    if (left > 0) return;
    const mobile = checkMobile(form.phone);
    if (!mobile.ok) {
      setErrors((e) => ({ ...e, phone: mobile.problem }));
      return;
    }
    setErrors((e) => ({ ...e, phone: undefined }));
    try {
      await sendSmsCode(mobile.normalized, 'family');
      startCountdown(60);
      Taro.showToast({ title: '验证码已发送', icon: 'none' });
    } catch (e) {
      setMessage(errorMessage(e));
    }
  };

  const submit = async () => {
    const result = validateFamilyForm(form);
    if (!result.ok) {
      setErrors(result.errors);
      setMessage('请检查标红的填写项');
      return;
    }
    setErrors({});
    setMessage('');
    setBusy(true);
    try {
      const summary = await applyFamily(result.application);
      Taro.showToast({ title: '申领成功', icon: 'success' });
      Taro.reLaunch({ url: `${PAGES.code}?holder=${encodeURIComponent(summary.holder)}` });
    } catch (e) {
      setMessage(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='page family'>
      <Text className='family-notice' data-testid='family-notice'>{FAMILY_NOTICE}</Text>
      <View className='card'>
        {message ? <Text className='error-box' data-testid='family-error'>{message}</Text> : null}
        <View className='field'>
          <Text className='field-label'>他/她与您的关系</Text>
          <Choice testId='family-relation' options={FAMILY_RELATIONS.map((r) => ({ value: r, label: FAMILY_RELATION_TEXT[r] }))}
            value={form.relation} onChange={(v) => set('relation', v)} />
          <FieldError testId='error-relation' message={errors.relation} />
        </View>
        <View className='field'>
          <Text className='field-label'>他/她的姓名</Text>
          <Input className='input' data-testid='family-name' placeholder='请输入真实的姓名' value={form.name} onInput={(e) => set('name', e.detail.value)} />
          <FieldError testId='error-name' message={errors.name} />
        </View>
        <View className='field'>
          <Text className='field-label'>他/她的证件类型</Text>
          <Choice testId='family-id-type' options={ID_TYPES.map((t) => ({ value: t, label: ID_TYPE_TEXT[t] }))}
            value={form.idType} onChange={(v) => set('idType', v)} />
          <FieldError testId='error-idType' message={errors.idType} />
        </View>
        <View className='field'>
          <Text className='field-label'>他/她的证件号码</Text>
          <Input className='input' data-testid='family-id-number' placeholder='请输入真实的证件号码' value={form.idNumber} onInput={(e) => set('idNumber', e.detail.value)} />
          <FieldError testId='error-idNumber' message={errors.idNumber} />
        </View>
        {form.idType === 'passport' ? (
          <View className='field'>
            <Text className='field-label'>签发国家或地区（三位字母代码，如 USA）</Text>
            <Input className='input' data-testid='family-country' maxlength={3} placeholder='如 USA、GBR、JPN' value={form.country} onInput={(e) => set('country', e.detail.value.toUpperCase())} />
            <FieldError testId='error-country' message={errors.country} />
          </View>
        ) : null}
        {form.idType && form.idType !== 'resident_id' ? (
          <View className='field'>
            <Text className='field-label'>他/她的出生日期</Text>
            <Picker mode='date' value={form.birthDate || '1960-01-01'} start='1900-01-01' end='2099-12-31' onChange={(e) => set('birthDate', String(e.detail.value))}>
              <View className='input' data-testid='family-birth-date'>{form.birthDate || '请选择出生日期'}</View>
            </Picker>
            <FieldError testId='error-birthDate' message={errors.birthDate} />
          </View>
        ) : null}
        <View className='field'>
          <Text className='field-label'>他/她的手机号码</Text>
          <Input className='input' data-testid='family-phone' type='number' maxlength={11} placeholder='请输入真实的电话号码' value={form.phone} onInput={(e) => set('phone', e.detail.value)} />
          <FieldError testId='error-phone' message={errors.phone} />
        </View>
        <View className='field'>
          <Text className='field-label'>验证码</Text>
          <View className='row'>
            <Input className='input' data-testid='family-sms-code' type='number' maxlength={8} placeholder='请输入验证码' value={form.smsCode} onInput={(e) => set('smsCode', e.detail.value)} />
            <Button className='btn btn-plain btn-small' data-testid='family-send-code' disabled={left > 0} onClick={requestCode}>
              {left > 0 ? `${left}秒后重新获取` : '获取验证码'}
            </Button>
          </View>
          <FieldError testId='error-smsCode' message={errors.smsCode} />
        </View>
      </View>

      <View className='card'>
        <Text className='title'>他/她的健康信息</Text>
        <HealthQuestions testIdPrefix='family-q' answers={form.answers} errors={errors}
          onChange={(key, value) => setForm((f) => ({ ...f, answers: { ...f.answers, [key]: value } }))} />
      </View>

      <View className='card'>
        <Text className='commitment-title'>本人郑重承诺</Text>
        {COMMITMENT_PARAGRAPHS.map((p) => (
          <Text key={p.slice(0, 8)} className='commitment-text'>{p}</Text>
        ))}
        <View className='commitment-check' data-testid='family-commitment' onClick={() => set('commitment', !form.commitment)}>
          <View className={`checkbox${form.commitment ? ' checkbox-on' : ''}`}>{form.commitment ? '✓' : ''}</View>
          <Text>我已阅读并同意以上承诺</Text>
        </View>
        <FieldError testId='error-commitment' message={errors.commitment} />
        <Button className='btn' data-testid='family-submit' loading={busy} disabled={busy} onClick={submit}>提交</Button>
      </View>
    </View>
  );
}
