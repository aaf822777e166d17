// A code colour as a coloured block and its word (never colour alone: manual 五 and colour-blind users).
import { Text, View } from '@tarojs/components';
import { COLOUR_TEXT, type Colour } from '@bamin/common/colours';

export function ColourTag({ colour, text, testId, large }: { colour: Colour | null; text?: string; testId: string; large?: boolean }) {
  const cls = colour ?? 'unknown';
  return (
    <View className={`colour-tag colour-tag-${cls}${large ? ' colour-tag-large' : ''}`} data-testid={testId} data-colour={cls}>
      <Text className='colour-tag-block' />
      <Text className='colour-tag-text'>{text || (colour ? COLOUR_TEXT[colour] : '未生成健康码')}</Text>
    </View>
  );
}
