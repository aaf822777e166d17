// One scan record (监测地址, 监测时间, 体温结果, 通行原因) for the result and history pages.
import { Text, View } from '@tarojs/components';
import { NO_FEEDBACK_TEXT, type ScanRecordView } from '@bamin/common/staffApi';
import { formatBeijing } from '../../services/time';

export function ScanRecordItem({ record }: { record: ScanRecordView }) {
  return (
    <View className='record' data-testid='scan-record' data-scan-id={String(record.id)}>
      <View className='kv'>
        <Text className='kv-key'>监测地址</Text>
        <Text className='kv-value' data-testid='record-address'>{record.address}</Text>
      </View>
      <View className='kv'>
        <Text className='kv-key'>监测时间</Text>
        <Text className='kv-value' data-testid='record-time'>{formatBeijing(record.scannedAt)}</Text>
      </View>
      <View className='kv'>
        <Text className='kv-key'>体温结果</Text>
        <Text className='kv-value' data-testid='record-temperature'>
          {record.temperatureText || NO_FEEDBACK_TEXT}
          {record.temperatureCelsius != null ? `（${record.temperatureCelsius.toFixed(1)}℃）` : ''}
        </Text>
      </View>
      <View className='kv'>
        <Text className='kv-key'>通行原因</Text>
        <Text className='kv-value' data-testid='record-reason'>{record.passReasonText ?? NO_FEEDBACK_TEXT}</Text>
      </View>
    </View>
  );
}
