import { Text, View } from '@tarojs/components';
import { REASON_CODES, REASON_TEXT } from '@bamin/common/reasons';
import './index.scss';

export const HOTLINES: { name: string; value: string }[] = [
  { name: '闽政通 APP', value: '400-1033-673' },
  { name: '福建省社会用户实名认证和授权平台', value: '0591-62623959' },
  { name: '八闽健康码', value: '服务时间：8:00-12:00 14:00-18:00' },
];

export default function Help() {
  return (
    <View className='page'>
      <View className='card'>
        <Text className='title'>健康码颜色说明</Text>
        <View className='help-colour' data-testid='help-green'>
          <View className='help-dot help-dot-green'>✓</View>
          <Text>绿码：表示该居民健康状况核验通过。</Text>
        </View>
        <View className='help-colour' data-testid='help-orange'>
          <View className='help-dot help-dot-orange'>!</View>
          <Text>橙码：表示该居民健康状况核验不通过，至少属于以下六种情况之一：</Text>
        </View>
        <View data-testid='help-rules'>
          {REASON_CODES.map((code, i) => (
            <Text key={code} className='help-rule'>
              （{i + 1}）{REASON_TEXT[code]}。
            </Text>
          ))}
        </View>
        <Text className='hint'>出于健康角度考虑，橙码将隐藏【疫情服务】、【去乘车】、【去买药】和【为家人申领】。</Text>
      </View>
      <View className='card'>
        <Text className='title'>为家人申领</Text>
        <Text className='hint'>
          完成 L4 级实名认证的用户，最多可为 8 名家人申领“八闽健康码”，包括 4 名 55 周岁以上父母（含配偶父母）、3 名 16 周岁以下子女和 1 名配偶。不同用户不能重复为同一身份证用户申领。
        </Text>
      </View>
      <View className='card'>
        <Text className='title'>福建省经济信息中心联系方式</Text>
        <Text className='hint'>使用中如有问题，可以向福建省经济信息中心咨询。</Text>
        <View className='hotline' data-testid='hotlines'>
          <View className='hotline-row'>
            <Text className='hotline-name'>应用名称</Text>
            <Text className='hotline-value'>客服热线</Text>
          </View>
          {HOTLINES.map((h) => (
            <View key={h.name} className='hotline-row'>
              <Text className='hotline-name'>{h.name}</Text>
              <Text className='hotline-value'>{h.value}</Text>
            </View>
          ))}
        </View>
      </View>
    </View>
  );
}
