// 是否有以下症状（必选） as chips in the manual's order, with the 其他症状 text when it is picked.
// Used by 健康上报 (pages/report) and 信息登记 (pages/register); test ids are `<prefix>-symptom-<value>`.
import { Input, Text, View } from '@tarojs/components';
import { SYMPTOMS, SYMPTOM_TEXT, type Symptom } from '@bamin/common/appApi';
import { OTHER_SYMPTOM_MAX } from '../services/symptoms';
import { FieldError } from './Choice';

export function SymptomPicker(props: {
  prefix: string;
  symptoms: readonly Symptom[];
  otherSymptom: string;
  errors: { symptoms?: string; otherSymptom?: string };
  onPick: (s: Symptom) => void;
  onOtherSymptom: (text: string) => void;
}) {
  const { prefix, symptoms } = props;
  return (
    <View className='field'>
      <Text className='field-label'>是否有以下症状（必选）</Text>
      <View className='chips' data-testid={`${prefix}-symptoms`}>
        {SYMPTOMS.map((s) => (
          <View key={s} className={`chip${symptoms.includes(s) ? ' chip-on' : ''}`}
            data-testid={`${prefix}-symptom-${s}`} onClick={() => props.onPick(s)}>
            <Text>{SYMPTOM_TEXT[s]}</Text>
          </View>
        ))}
      </View>
      <FieldError testId='error-symptoms' message={props.errors.symptoms} />
      {symptoms.includes('other') ? (
        <View className='field symptom-other'>
          <Input className='input' data-testid={`${prefix}-other-symptom`} maxlength={OTHER_SYMPTOM_MAX} placeholder='请填写其他症状'
            value={props.otherSymptom} onInput={(e) => props.onOtherSymptom(e.detail.value)} />
          <FieldError testId='error-otherSymptom' message={props.errors.otherSymptom} />
        </View>
      ) : null}
    </View>
  );
}
