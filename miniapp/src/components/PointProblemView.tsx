// How the point and registration pages show a problem with the scanned poster or the user (C1): never as
// a point. CODE_REQUIRED_FIRST offers the way to one's own code; refusals are a loud red banner.
import Taro from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { getMe } from '../services/api';
import { PAGES, routeByMe } from '../services/routes';
import type { PointProblem } from '../services/point';

/** To where the user generates the code: L4, the profile or the code step, whichever comes first. */
async function goGenerateCode() {
  try {
    routeByMe(await getMe());
  } catch {
    Taro.reLaunch({ url: `${PAGES.profile}?step=code` });
  }
}

export function PointProblemView({ problem, onRetry }: { problem: Exclude<PointProblem, { kind: 'signed-out' }>; onRetry: () => void }) {
  if (problem.kind === 'code-required') {
    return (
      <View className='card' data-testid='point-code-required'>
        <Text className='notice-box' data-testid='point-code-required-message'>{problem.message}</Text>
        <Text className='hint'>扫码登记前须至少生成过一次本人的八闽健康码。</Text>
        <Button className='btn' data-testid='point-generate-code' onClick={goGenerateCode}>去生成健康码</Button>
      </View>
    );
  }
  if (problem.kind === 'refused') {
    return (
      <View className='card' data-testid='point-refused' data-code={problem.code}>
        <View className='refusal-banner'>
          <Text className='refusal-title'>无法登记</Text>
          <Text className='refusal-message' data-testid='point-refused-message'>{problem.message}</Text>
        </View>
        {problem.hint ? <Text className='hint' data-testid='point-refused-hint'>{problem.hint}</Text> : null}
        <Button className='btn btn-plain' data-testid='point-back' onClick={() => Taro.reLaunch({ url: PAGES.code })}>返回健康码</Button>
      </View>
    );
  }
  return (
    <View className='card'>
      <Text className='error-box' data-testid='point-error'>{problem.message}</Text>
      <Button className='btn' data-testid='point-retry' onClick={onRetry}>重试</Button>
    </View>
  );
}
