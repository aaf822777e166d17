import Taro, { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { PAGES } from '../../services/routes';
import './index.scss';

export const SERVICES: Record<string, { entry: string; name: string; description: string }> = {
  epidemic: { entry: '疫情服务', name: '新冠疫情防控便民服务平台', description: '进入“新冠疫情防控便民服务平台”专题页面，使用疫情相关服务。' },
  bus: { entry: '去乘车', name: '公交乘车码', description: '跳转到公交乘车码页面，可申领电子公交卡。' },
  medicine: { entry: '去买药', name: '医保二维码购药', description: '跳转到医保二维码购药页面，可进行扫码购药。' },
};

export default function Service() {
  const router = useRouter();
  const which = (router?.params?.which as string) || '';
  const service = SERVICES[which];
  return (
    <View className='page'>
      <View className='card' data-testid='service'>
        {service ? (
          <>
            <Text className='title'>{service.entry}</Text>
            <Text className='hint'>此处将打开外部服务：</Text>
            <Text className='service-name' data-testid='service-name'>{service.name}</Text>
            <Text className='hint'>{service.description}</Text>
            <Text className='hint'>（开发环境：外部服务未接入）</Text>
          </>
        ) : (
          <Text className='title'>未知的服务</Text>
        )}
        <Button className='btn btn-plain' onClick={() => Taro.navigateBack().catch(() => Taro.reLaunch({ url: PAGES.code }))}>返回</Button>
      </View>
    </View>
  );
}
