// A family member's health answers, given again by the applicant (manual 一(五)): a "yes" keeps the
// member's code orange for 14 days from this answer; all "no" clears the self-declared reason.
import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { HEALTH_QUESTION_TEXT, type HealthAnswers } from '@bamin/common/appApi';
import { Choice, FieldError } from '../../components/Choice';
import { errorMessage, updateFamilyAnswers } from '../../services/api';
import { PAGES } from '../../services/routes';
import './index.scss';

const KEYS = Object.keys(HEALTH_QUESTION_TEXT) as (keyof HealthAnswers)[];
const YES_NO = [
  { value: 'yes', label: '是' },
  { value: 'no', label: '否' },
] as const;

export default function Answers() {
  const holder = (useRouter()?.params?.holder as string) || '';
  const [answers, setAnswers] = useState<Partial<HealthAnswers>>({});
  const [errors, setErrors] = useState<Partial<Record<keyof HealthAnswers, string>>>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const missing = Object.fromEntries(KEYS.filter((k) => answers[k] === undefined).map((k) => [k, '请选择']));
    setErrors(missing);
    if (Object.keys(missing).length) return;
    setBusy(true);
    setMessage('');
    try {
      await updateFamilyAnswers(holder, answers as HealthAnswers);
      Taro.reLaunch({ url: `${PAGES.code}?holder=${holder}` });
    } catch (e) {
      setMessage(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='page'>
      <View className='card'>
        <Text className='title'>他/她的健康信息</Text>
        {message ? <Text className='error-box' data-testid='answers-error'>{message}</Text> : null}
        {KEYS.map((key) => (
          <View key={key} className='question'>
            <Text className='question-text'>{HEALTH_QUESTION_TEXT[key]}</Text>
            <Choice testId={`answers-${key}`} options={YES_NO}
              value={answers[key] === undefined ? '' : answers[key] ? 'yes' : 'no'}
              onChange={(v) => setAnswers((a) => ({ ...a, [key]: v === 'yes' }))} />
            <FieldError testId={`error-${key}`} message={errors[key]} />
          </View>
        ))}
        <Button className='btn' data-testid='answers-submit' loading={busy} disabled={busy} onClick={submit}>提交</Button>
      </View>
    </View>
  );
}
