// A family member's health answers, given again by the applicant (manual 一(五)): a "yes" keeps the
// member's code orange for 14 days from this answer; all "no" clears the self-declared reason.
import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import type { HealthAnswers } from '@bamin/common/appApi';
import { HEALTH_KEYS, HealthQuestions } from '../../components/HealthQuestions';
import { errorMessage, updateFamilyAnswers } from '../../services/api';
import { PAGES } from '../../services/routes';
import './index.scss';


export default function Answers() {
  const holder = (useRouter()?.params?.holder as string) || '';
  const [answers, setAnswers] = useState<Partial<HealthAnswers>>({});
  const [errors, setErrors] = useState<Partial<Record<keyof HealthAnswers, string>>>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const missing = Object.fromEntries(HEALTH_KEYS.filter((k) => answers[k] === undefined).map((k) => [k, '请选择']));
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
        <HealthQuestions testIdPrefix='answers' answers={answers} errors={errors} onChange={(key, value) => setAnswers((a) => ({ ...a, [key]: value }))} />
        <Button className='btn' data-testid='answers-submit' loading={busy} disabled={busy} onClick={submit}>提交</Button>
      </View>
    </View>
  );
}
