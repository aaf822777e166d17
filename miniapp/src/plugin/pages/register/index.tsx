// 信息登记 (主扫, C1–C4) as the host opens it: with ?token= (a poster the host scanned itself) the app's
// registration page; without one, 扫一扫 first — the poster's point page, then the registration page, as in the app.
import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import Register from '../../../pages/register/index';
import { Cancelled, scanCodeWeapp } from '../../../services/media';
import { pointUrl, scanTarget } from '../../../services/point';
import '../../setup';

export default function PluginRegister() {
  const router = useRouter();
  const [problem, setProblem] = useState('');
  if (router?.params?.token) return <Register />;

  const scan = async () => {
    setProblem('');
    try {
      const target = scanTarget(await scanCodeWeapp());
      if (!target.ok) setProblem(target.problem);
      else Taro.navigateTo({ url: pointUrl(target.token) });
    } catch (e) {
      if (!(e instanceof Cancelled)) setProblem(e instanceof Error ? e.message : '无法打开扫码');
    }
  };

  return (
    <View className='page' data-testid='plugin-register-scan'>
      <View className='card'>
        <Text className='title'>扫码登记</Text>
        <Text className='hint'>请扫描服务单位张贴的二维码，查看服务单位健康码并进行信息登记。</Text>
        {problem ? <Text className='error-box' data-testid='plugin-register-problem'>{problem}</Text> : null}
        <Button className='btn' data-testid='plugin-register-scan-button' onClick={scan}>扫一扫</Button>
      </View>
    </View>
  );
}
