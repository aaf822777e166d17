import { Text, View } from '@tarojs/components';
import { HEALTH_QUESTION_TEXT, type HealthAnswers } from '@bamin/common/appApi';
import { Choice, FieldError } from './Choice';

export const HEALTH_KEYS = Object.keys(HEALTH_QUESTION_TEXT) as (keyof HealthAnswers)[];

const YES_NO = [
  { value: 'yes', label: '是' },
  { value: 'no', label: '否' },
] as const;

/** The five health questions of manual 一(五), each 是/否; used by the family form and the answers update. */
export function HealthQuestions(props: {
  answers: Partial<HealthAnswers>;
  errors: Partial<Record<keyof HealthAnswers, string | undefined>>;
  onChange: (key: keyof HealthAnswers, value: boolean) => void;
  testIdPrefix: string;
}) {
  return (
    <>
      {HEALTH_KEYS.map((key) => (
        <View key={key} className='question'>
          <Text className='question-text'>{HEALTH_QUESTION_TEXT[key]}</Text>
          <Choice testId={`${props.testIdPrefix}-${key}`} options={YES_NO}
            value={props.answers[key] === undefined ? '' : props.answers[key] ? 'yes' : 'no'}
            onChange={(v) => props.onChange(key, v === 'yes')} />
          <FieldError testId={`error-${key}`} message={props.errors[key]} />
        </View>
      ))}
    </>
  );
}
