// In the plugin the host signs the citizen in (main.signIn with the host's ticket): where the app would ask for
// phone + SMS code (a missing or lapsed session), the plugin sends the user back to the host instead.
import Taro from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { STAFF_PAGES } from '../../../services/staffRoutes';
import '../../setup';

export const HOST_SIGN_IN_TEXT = '请返回宿主应用，重新进入八闽健康码';

export default function PluginSignedOut() {
  return (
    <View className='page' data-testid='plugin-signed-out'>
      <View className='card'>
        <Text className='title'>登录已失效</Text>
        <Text className='hint' data-testid='plugin-signed-out-text'>{HOST_SIGN_IN_TEXT}</Text>
        <Button className='btn' data-testid='plugin-back' onClick={() => Taro.navigateBack().catch(() => undefined)}>返回</Button>
      </View>
      <View className='staff-entry' data-testid='to-staff-login' onClick={() => Taro.navigateTo({ url: STAFF_PAGES.login })}>
        <Text className='link'>法人用户登录（扫码员）</Text>
      </View>
    </View>
  );
}
