// 反馈结果 (manual 六(二)4 E/F): 通行原因 and 体温结果 (optionally the measured temperature) for the scan just
// made; reported to the unit's administrator. Then back to the result, whose recent records are refreshed.
import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Input, Picker, Text, View } from '@tarojs/components';
import {
  PASS_REASONS,
  PASS_REASON_TEXT,
  TEMPERATURE_RESULTS,
  TEMPERATURE_RESULT_TEXT,
  type PassReason,
  type TemperatureResult,
} from '@bamin/common/staffApi';
import { FieldError } from '../../../components/Choice';
import { fieldErrors, getScanHistory, putFeedback, staffErrorText } from '../../../services/staff';
import { RECENT_PAGE_SIZE, patchRecentScan, updateRecentScans } from '../../../services/staffStore';
import { validateFeedback, type FeedbackErrors, type FeedbackForm } from './validate';
import '../staff.scss';

export default function StaffFeedback() {
  const router = useRouter();
  const scanId = Number(router?.params?.scanId);
  const [form, setForm] = useState<FeedbackForm>({ passReason: '', temperatureResult: '', temperature: '' });
  const [errors, setErrors] = useState<FeedbackErrors>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!Number.isInteger(scanId) || scanId <= 0) {
      setMessage('缺少扫码记录，请返回重新扫码');
      return;
    }
    const checked = validateFeedback(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setMessage('');
    setBusy(true);
    try {
      const record = await putFeedback(scanId, checked.request);
      try {
        const fresh = await getScanHistory(scanId, 1, RECENT_PAGE_SIZE);
        updateRecentScans(scanId, fresh.items, fresh.total > fresh.items.length);
      } catch {
        patchRecentScan(scanId, record);
      }
      Taro.showToast({ title: '反馈成功', icon: 'success' });
      Taro.navigateBack();
    } catch (e) {
      const fe = fieldErrors(e);
      setErrors({ passReason: fe.passReason, temperatureResult: fe.temperatureResult, temperature: fe.temperatureCelsius });
      setMessage(staffErrorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='page staff-page' data-testid='feedback-page'>
      <View className='card'>
        <Text className='warn-head' data-testid='feedback-warning'>⚠ 请务必如实反馈每一个人员情况</Text>
        {message ? <Text className='error-box' data-testid='feedback-error'>{message}</Text> : null}
        <View className='field' data-testid='feedback-reason'>
          <Text className='field-label'>通行原因</Text>
          <Picker mode='selector' range={PASS_REASONS.map((r) => PASS_REASON_TEXT[r])}
            onChange={(e) => setForm((f) => ({ ...f, passReason: PASS_REASONS[Number(e.detail.value)] ?? f.passReason }))}>
            <View className='input' data-testid='feedback-reason-value'>
              {form.passReason ? <Text className='picker-value'>{PASS_REASON_TEXT[form.passReason as PassReason]}</Text> : <Text className='picker-placeholder'>请选择</Text>}
            </View>
          </Picker>
          <FieldError testId='error-passReason' message={errors.passReason} />
        </View>
        <View className='field' data-testid='feedback-temperature-result'>
          <Text className='field-label'>体温结果</Text>
          <Picker mode='selector' range={TEMPERATURE_RESULTS.map((r) => TEMPERATURE_RESULT_TEXT[r])}
            onChange={(e) => setForm((f) => ({ ...f, temperatureResult: TEMPERATURE_RESULTS[Number(e.detail.value)] ?? f.temperatureResult }))}>
            <View className='input' data-testid='feedback-temperature-result-value'>
              {form.temperatureResult
                ? <Text className='picker-value'>{TEMPERATURE_RESULT_TEXT[form.temperatureResult as TemperatureResult]}</Text>
                : <Text className='picker-placeholder'>请选择</Text>}
            </View>
          </Picker>
          <FieldError testId='error-temperatureResult' message={errors.temperatureResult} />
        </View>
        <View className='field'>
          <Text className='field-label'>体温（℃，选填）</Text>
          <Input className='input' data-testid='feedback-temperature' type='digit' maxlength={4} placeholder='如 36.5'
            value={form.temperature} onInput={(e) => setForm((f) => ({ ...f, temperature: e.detail.value }))} />
          <FieldError testId='error-temperature' message={errors.temperature} />
        </View>
        <Button className='btn' data-testid='feedback-submit' loading={busy} disabled={busy} onClick={submit}>提交</Button>
      </View>
    </View>
  );
}
