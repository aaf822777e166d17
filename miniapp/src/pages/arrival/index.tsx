// 入闽申报 (B1, manual 二(三)): an arrival from another province names the origin province and the day of
// entering Fujian; the server then fetches that province's 健康通行码 from the national platform and merges
// it into the code. The citizen's earlier declarations below, newest first.
import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Picker, Text, View } from '@tarojs/components';
import type { AreaOption } from '@bamin/common/appApi';
import type { ArrivalDeclarationView } from '@bamin/common/nationalApi';
import { ApiError, errorMessage, listArrivalDeclarations, listAreas, submitArrivalDeclaration } from '../../services/api';
import { PAGES, toLogin } from '../../services/routes';
import { formatBeijing } from '../../services/time';
import { FieldError } from '../../components/Choice';
import { FUJIAN_PROVINCE_CODE, arrivalDateRange, validateArrival, type ArrivalErrors, type ArrivalField } from './validate';
import './index.scss';

/** The text of the dialog after a successful declaration. */
export function declaredText(d: ArrivalDeclarationView): string {
  return `出发地：${d.originProvinceName}，入闽日期：${d.arrivalDate}。来源地健康通行码的核验结果将显示在您的八闽健康码页面。`;
}

function backToCode() {
  Taro.navigateBack().catch(() => Taro.reLaunch({ url: PAGES.code }));
}

export default function Arrival() {
  const [range] = useState(() => arrivalDateRange());
  const [provinces, setProvinces] = useState<AreaOption[]>([]);
  const [province, setProvince] = useState<AreaOption | null>(null);
  const [arrivalDate, setArrivalDate] = useState(range.today);
  const [errors, setErrors] = useState<ArrivalErrors>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [list, setList] = useState<ArrivalDeclarationView[] | null>(null);
  const [listError, setListError] = useState('');

  const failed = (e: unknown): string | null => {
    if (e instanceof ApiError && e.status === 401) {
      toLogin();
      return null;
    }
    return errorMessage(e);
  };

  const loadList = async () => {
    try {
      setList(await listArrivalDeclarations());
      setListError('');
    } catch (e) {
      const m = failed(e);
      if (m) setListError(m);
    }
  };

  useEffect(() => {
    listAreas()
      .then((ps) => setProvinces(ps.filter((p) => p.code !== FUJIAN_PROVINCE_CODE)))
      .catch((e) => {
        const m = failed(e);
        if (m) setMessage(m);
      });
    loadList();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = async () => {
    const checked = validateArrival({ originProvinceCode: province?.code ?? '', arrivalDate });
    if (!checked.ok) {
      setErrors(checked.errors);
      setMessage('请检查标红的填写项');
      return;
    }
    setErrors({});
    setMessage('');
    setBusy(true);
    try {
      const d = await submitArrivalDeclaration(checked.request);
      // The declaration is made: back to the code page even if the dialog cannot be shown.
      await Taro.showModal({ title: '申报成功', content: declaredText(d), showCancel: false, confirmText: '查看' }).catch(() => undefined);
      backToCode();
    } catch (e) {
      const m = failed(e);
      if (m === null) return;
      if (e instanceof ApiError && e.details?.length) {
        const fieldErrs: ArrivalErrors = {};
        for (const d of e.details) {
          const f = d.field as ArrivalField | undefined;
          if ((f === 'originProvinceCode' || f === 'arrivalDate') && !fieldErrs[f]) fieldErrs[f] = d.problem;
        }
        setErrors(fieldErrs);
      }
      setMessage(m);
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='page arrival-page' data-testid='arrival-page'>
      <View className='card'>
        <Text className='title'>入闽申报</Text>
        <Text className='hint arrival-notice'>
          外省（市、区）入闽人员请如实申报。申报后系统将通过国家政务服务平台获取您出发地的“健康通行码”，并集成到您的八闽健康码中。
        </Text>
        {message ? <Text className='error-box' data-testid='arrival-error'>{message}</Text> : null}
        <View className='field' data-testid='arrival-province'>
          <Text className='field-label'>出发地（省、自治区、直辖市）</Text>
          <Picker mode='selector' range={provinces.map((p) => p.name)} onChange={(e) => {
            const p = provinces[Number(e.detail.value)];
            if (!p) return;
            setProvince(p);
            setErrors((er) => ({ ...er, originProvinceCode: undefined }));
          }}>
            <View className='input' data-testid='arrival-province-value'>{province ? province.name : '请选择出发地所在省'}</View>
          </Picker>
          <FieldError testId='error-originProvinceCode' message={errors.originProvinceCode} />
        </View>
        <View className='field' data-testid='arrival-date'>
          <Text className='field-label'>入闽日期</Text>
          <Picker mode='date' value={arrivalDate} start={range.start} end={range.end} onChange={(e) => {
            setArrivalDate(String(e.detail.value));
            setErrors((er) => ({ ...er, arrivalDate: undefined }));
          }}>
            <View className='input' data-testid='arrival-date-value'>{arrivalDate || '请选择入闽日期'}</View>
          </Picker>
          <Text className='hint'>可选 {range.start} 至 {range.end}（近 14 天内已入闽，或 3 天内将入闽）</Text>
          <FieldError testId='error-arrivalDate' message={errors.arrivalDate} />
        </View>
        <Button className='btn' data-testid='arrival-submit' loading={busy} disabled={busy} onClick={submit}>提交申报</Button>
      </View>

      <View className='card' data-testid='arrival-list'>
        <Text className='title'>我的入闽申报</Text>
        {listError ? <Text className='error-box' data-testid='arrival-list-error'>{listError}</Text> : null}
        {list === null ? (
          listError ? null : <Text className='hint'>加载中…</Text>
        ) : list.length === 0 ? (
          <Text className='hint' data-testid='arrival-list-empty'>暂无入闽申报记录</Text>
        ) : (
          list.map((d) => (
            <View key={d.id} className='arrival-item' data-testid='arrival-item'>
              <Text className='arrival-item-line' data-testid='arrival-item-origin'>出发地：{d.originProvinceName}</Text>
              <Text className='arrival-item-line' data-testid='arrival-item-date'>入闽日期：{d.arrivalDate}</Text>
              <Text className='arrival-item-time'>申报时间：{formatBeijing(d.createdAt, false)}</Text>
            </View>
          ))
        )}
      </View>
    </View>
  );
}
