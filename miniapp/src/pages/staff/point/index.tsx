// 扫码点信息 (manual 六(二)4(1)): the community, the monitoring point, its county and location. Also used
// for 修改扫码点位置 (?edit=1), pre-filled with the current scan point.
import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Input, Picker, Text, View } from '@tarojs/components';
import type { StaffMe } from '@bamin/common/staffApi';
import { AreaPicker } from '../../../components/AreaPicker';
import { FieldError } from '../../../components/Choice';
import { fieldErrors, getStaffMe, listStaffAreas, putScanPoint, staffErrorText } from '../../../services/staff';
import { STAFF_PAGES } from '../../../services/staffRoutes';
import { formatCoordinates, locate } from '../../../services/media';
import { pointRequest, validatePointForm, type PointErrors, type PointForm } from './validate';
import '../staff.scss';

const EMPTY: PointForm = { communityName: '', pointName: '', areaCode: '', location: '', latitude: null, longitude: null, servicePointId: null };

export default function StaffPoint() {
  const router = useRouter();
  const editing = router?.params?.edit === '1';
  const [me, setMe] = useState<StaffMe | null>(null);
  const [form, setForm] = useState<PointForm>(EMPTY);
  const [errors, setErrors] = useState<PointErrors>({});
  const [message, setMessage] = useState('');
  const [locating, setLocating] = useState(false);
  const [locateError, setLocateError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    getStaffMe()
      .then((m) => {
        if (m.mustChangePassword) {
          Taro.reLaunch({ url: STAFF_PAGES.password });
          return;
        }
        setMe(m);
        const p = m.scanPoint;
        if (p) {
          setForm({
            communityName: p.communityName,
            pointName: p.pointName,
            areaCode: p.areaCode,
            location: p.location,
            latitude: p.latitude,
            longitude: p.longitude,
            servicePointId: p.servicePoint?.id ?? null,
          });
        }
      })
      .catch((e) => setMessage(staffErrorText(e)));
  }, []);

  const setText = (k: 'communityName' | 'pointName') => (e: { detail: { value: string } }) => setForm((f) => ({ ...f, [k]: e.detail.value }));

  // Typing the location by hand drops coordinates that no longer describe it.
  const typeLocation = (e: { detail: { value: string } }) => setForm((f) => ({ ...f, location: e.detail.value, latitude: null, longitude: null }));

  const locateHere = async () => {
    setLocating(true);
    setLocateError('');
    try {
      const pos = await locate();
      setForm((f) => ({ ...f, location: formatCoordinates(pos.latitude, pos.longitude), latitude: pos.latitude, longitude: pos.longitude }));
      setErrors((er) => ({ ...er, location: undefined }));
    } catch (e) {
      setLocateError(staffErrorText(e));
    } finally {
      setLocating(false);
    }
  };

  const servicePoints = me?.servicePoints ?? [];
  const spIndex = servicePoints.findIndex((s) => s.id === form.servicePointId);

  const submit = async () => {
    const errs = validatePointForm(form);
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    setMessage('');
    try {
      await putScanPoint(pointRequest(form));
      Taro.showToast({ title: '扫码点已提交', icon: 'success' });
      if (editing) Taro.navigateBack().catch(() => Taro.reLaunch({ url: STAFF_PAGES.home }));
      else Taro.reLaunch({ url: STAFF_PAGES.home });
    } catch (e) {
      setErrors(fieldErrors(e) as PointErrors);
      setMessage(staffErrorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (!me) {
    return (
      <View className='page staff-page' data-testid='point-page'>
        {message ? <Text className='error-box' data-testid='point-error'>{message}</Text> : <Text className='hint'>加载中…</Text>}
      </View>
    );
  }

  return (
    <View className='page staff-page' data-testid='point-page'>
      <View className='card'>
        <Text className='title'>{editing ? '修改扫码点位置' : '扫码点信息'}</Text>
        <Text className='hint' style={{ marginBottom: '20px' }}>请上报您当前所在的社区和扫码点信息，以及具体位置。</Text>
        {message ? <Text className='error-box' data-testid='point-error'>{message}</Text> : null}
        <View className='field'>
          <Text className='field-label'>社区名称</Text>
          <Input className='input' data-testid='point-community' maxlength={50} placeholder='请输入社区名称'
            value={form.communityName} onInput={setText('communityName')} />
          <FieldError testId='error-communityName' message={errors.communityName} />
        </View>
        <View className='field'>
          <Text className='field-label'>监测点名称</Text>
          <Input className='input' data-testid='point-name' maxlength={50} placeholder='请输入监测点名称'
            value={form.pointName} onInput={setText('pointName')} />
          <FieldError testId='error-pointName' message={errors.pointName} />
        </View>
        <View className='field'>
          <Text className='field-label'>所在区县</Text>
          <AreaPicker testId='point-area' value={form.areaCode} load={listStaffAreas}
            onChange={(county) => setForm((f) => ({ ...f, areaCode: county?.code ?? '' }))} />
          <FieldError testId='error-areaCode' message={errors.areaCode} />
        </View>
        <View className='field'>
          <Text className='field-label'>具体位置</Text>
          <Input className='input' data-testid='point-location' maxlength={100} placeholder='请输入具体位置'
            value={form.location} onInput={typeLocation} />
          <Text className='link' data-testid='point-locate' onClick={locating ? undefined : locateHere}>
            {locating ? '定位中…' : '定位当前位置'}
          </Text>
          {locateError ? <Text className='field-error' data-testid='point-locate-error'>{locateError}</Text> : null}
          <FieldError testId='error-location' message={errors.location} />
        </View>
        {servicePoints.length > 0 ? (
          <View className='field' data-testid='point-service'>
            <Text className='field-label'>服务点（选填）</Text>
            <Picker mode='selector' range={['不关联服务点', ...servicePoints.map((s) => s.name)]}
              onChange={(e) => {
                const i = Number(e.detail.value);
                setForm((f) => ({ ...f, servicePointId: i > 0 ? servicePoints[i - 1]?.id ?? null : null }));
              }}>
              <View className='input' data-testid='point-service-value'>
                {spIndex >= 0 ? <Text className='picker-value'>{servicePoints[spIndex].name}</Text> : <Text className='picker-placeholder'>不关联服务点</Text>}
              </View>
            </Picker>
          </View>
        ) : null}
        <Button className='btn' data-testid='point-submit' loading={busy} disabled={busy} onClick={submit}>提交</Button>
      </View>
    </View>
  );
}
