import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Input, Picker, Text, View } from '@tarojs/components';
import { ID_TYPES, ID_TYPE_TEXT, checkIdDocument, type IdType } from '@bamin/common/idDocuments';
import { confirmL4, errorMessage, startL4 } from '../../services/api';
import { routeByMe } from '../../services/routes';
import { Choice, FieldError } from '../../components/Choice';
import './index.scss';

type Errors = Partial<Record<'name' | 'idType' | 'idNumber' | 'country' | 'birthDate', string>>;

export default function L4() {
  const [name, setName] = useState('');
  const [idType, setIdType] = useState<IdType>('resident_id');
  const [idNumber, setIdNumber] = useState('');
  const [country, setCountry] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState('');
  const [checkId, setCheckId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const errs: Errors = {};
    if (!name.trim()) errs.name = '请输入真实姓名';
    const doc = checkIdDocument(idType, idNumber, idType === 'passport' ? country : null);
    if (!doc.ok) {
      if (doc.field === 'country') errs.country = doc.problem;
      else if (doc.field === 'id_type') errs.idType = doc.problem;
      else errs.idNumber = doc.problem === '不能为空' ? '请输入证件号码' : doc.problem;
    }
    if (idType !== 'resident_id' && !birthDate) errs.birthDate = '请选择出生日期';
    setErrors(errs);
    if (Object.keys(errs).length > 0 || !doc.ok) return;
    setMessage('');
    setBusy(true);
    try {
      const res = await startL4({
        name: name.trim(),
        idType,
        idNumber: doc.number,
        country: doc.country,
        birthDate: idType === 'resident_id' ? null : birthDate,
      });
      setCheckId(res.checkId);
    } catch (e) {
      setMessage(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const finish = async (confirmed: boolean) => {
    if (!checkId) return;
    setBusy(true);
    try {
      const me = await confirmL4(checkId, confirmed);
      setCheckId(null);
      if (confirmed && me.l4Verified) {
        Taro.showToast({ title: '实名认证通过', icon: 'success' });
        routeByMe(me);
      } else {
        setMessage('人脸识别认证未完成，未生成健康码');
      }
    } catch (e) {
      setCheckId(null);
      setMessage(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (checkId) {
    return (
      <View className='page'>
        <View className='card face-box' data-testid='face-check'>
          <View className='face-circle'>☺</View>
          <Text className='title'>人脸识别认证（开发环境：点击确认模拟通过）</Text>
          <Button className='btn' data-testid='face-confirm' disabled={busy} onClick={() => finish(true)}>确认</Button>
          <Button className='btn btn-plain' data-testid='face-cancel' disabled={busy} onClick={() => finish(false)}>取消</Button>
        </View>
      </View>
    );
  }

  return (
    <View className='page'>
      <View className='card'>
        <Text className='title'>实名认证（L4）</Text>
        <Text className='hint'>请填写本人真实身份信息，并完成人脸识别认证后申领八闽健康码。</Text>
      </View>
      <View className='card'>
        {message ? <Text className='error-box' data-testid='l4-error'>{message}</Text> : null}
        <View className='field'>
          <Text className='field-label'>姓名</Text>
          <Input className='input' data-testid='l4-name' placeholder='请输入真实的姓名' value={name} onInput={(e) => setName(e.detail.value)} />
          <FieldError testId='error-name' message={errors.name} />
        </View>
        <View className='field'>
          <Text className='field-label'>证件类型</Text>
          <Choice testId='l4-id-type' options={ID_TYPES.map((t) => ({ value: t, label: ID_TYPE_TEXT[t] }))} value={idType} onChange={(v) => setIdType(v as IdType)} />
          <FieldError testId='error-idType' message={errors.idType} />
        </View>
        <View className='field'>
          <Text className='field-label'>证件号码</Text>
          <Input className='input' data-testid='l4-id-number' placeholder='请输入真实的证件号码' value={idNumber} onInput={(e) => setIdNumber(e.detail.value)} />
          <FieldError testId='error-idNumber' message={errors.idNumber} />
        </View>
        {idType === 'passport' ? (
          <View className='field'>
            <Text className='field-label'>签发国家或地区（三位字母代码，如 USA）</Text>
            <Input className='input' data-testid='l4-country' placeholder='如 USA、GBR、JPN' maxlength={3} value={country} onInput={(e) => setCountry(e.detail.value.toUpperCase())} />
            <FieldError testId='error-country' message={errors.country} />
          </View>
        ) : null}
        {idType !== 'resident_id' ? (
          <View className='field'>
            <Text className='field-label'>出生日期</Text>
            <Picker mode='date' value={birthDate || '1990-01-01'} start='1900-01-01' end='2099-12-31' onChange={(e) => setBirthDate(String(e.detail.value))}>
              <View className='input' data-testid='l4-birth-date'>{birthDate || '请选择出生日期'}</View>
            </Picker>
            <FieldError testId='error-birthDate' message={errors.birthDate} />
          </View>
        ) : null}
        <Button className='btn' data-testid='l4-submit' loading={busy} disabled={busy} onClick={submit}>下一步：人脸识别认证</Button>
      </View>
    </View>
  );
}
