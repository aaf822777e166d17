import { Text, View } from '@tarojs/components';

export interface ChoiceOption<T extends string> {
  value: T;
  label: string;
}

/** A row of tappable options (works the same in H5 and the mini-program, and in tests). */
export function Choice<T extends string>(props: {
  options: readonly ChoiceOption<T>[];
  value: T | '' | null | undefined;
  onChange: (value: T) => void;
  testId?: string;
}) {
  return (
    <View className='chips' data-testid={props.testId}>
      {props.options.map((o) => (
        <View
          key={o.value}
          className={`chip${props.value === o.value ? ' chip-on' : ''}`}
          data-testid={props.testId ? `${props.testId}-${o.value}` : undefined}
          onClick={() => props.onChange(o.value)}
        >
          <Text>{o.label}</Text>
        </View>
      ))}
    </View>
  );
}

export function FieldError({ testId, message }: { testId: string; message?: string }) {
  if (!message) return null;
  return (
    <Text className='field-error' data-testid={testId}>
      {message}
    </Text>
  );
}
