// 服务单位健康码 (manual 三(二) 5–6; C1, C2): opened by 扫一扫 or from the poster's address with ?token=. Shows
// the unit and point, and the staff on duty with their code colour and latest temperature; 信息登记 leads on.
// A user without a code (C1) and a forged, revoked or wrong QR are shown as such, never as a point.
import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import type { PointPage } from '@bamin/common/pointApi';
import { getServicePointByToken } from '../../services/api';
import { pointProblem, registerUrl, rememberPoint, tokenFromScan, type PointProblem } from '../../services/point';
import { toLogin } from '../../services/routes';
import { formatBeijing } from '../../services/time';
import { ColourTag } from '../../components/ColourTag';
import { PointProblemView } from '../../components/PointProblemView';
import './index.scss';

type Shown = Exclude<PointProblem, { kind: 'signed-out' }>;

const NO_TOKEN: Shown = { kind: 'refused', code: 'TOKEN_MISSING', message: '未获取到服务单位健康码', hint: '请通过“扫一扫”扫描服务单位张贴的二维码。' };

/** "36.4℃ 12-01 09:30", or 暂无体温记录. */
export function latestTemperatureText(t: number | null, at: string | null): string {
  if (typeof t !== 'number') return '暂无体温记录';
  return `${t.toFixed(1)}℃${at ? `（${formatBeijing(at, false)}）` : ''}`;
}

function InfoRow({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <View className='info-row'>
      <Text className='info-label'>{label}</Text>
      <Text className='info-value' data-testid={testId}>{value}</Text>
    </View>
  );
}

export default function Point() {
  const router = useRouter();
  const token = tokenFromScan(String(router?.params?.token ?? ''));
  const [page, setPage] = useState<PointPage | null>(null);
  const [problem, setProblem] = useState<Shown | null>(token ? null : NO_TOKEN);

  const load = useCallback(async () => {
    if (!token) return;
    setProblem(null);
    try {
      const p = await getServicePointByToken(token);
      rememberPoint(token, p);
      setPage(p);
    } catch (e) {
      const pr = pointProblem(e);
      if (pr.kind === 'signed-out') {
        toLogin();
        return;
      }
      setPage(null);
      setProblem(pr);
    }
  }, [token]);

  useEffect(() => {
    load();
  }, [load]);

  if (problem) {
    return (
      <View className='page point-page' data-testid='point-page'>
        <PointProblemView problem={problem} onRetry={load} />
      </View>
    );
  }
  if (!page) {
    return (
      <View className='page point-page' data-testid='point-page'>
        <Text className='hint'>加载中…</Text>
      </View>
    );
  }

  const sp = page.servicePoint;
  return (
    <View className='page point-page' data-testid='point-page'>
      <View className='card point-head' data-testid='point-info'>
        <Text className='point-badge'>服务单位健康码</Text>
        <Text className='title' data-testid='point-unit'>{sp.unitName}</Text>
        <InfoRow label='服务点' value={sp.name} testId='point-name' />
        <InfoRow label='类型' value={sp.typeText} testId='point-type' />
        <InfoRow label='所在地区' value={sp.areaName} testId='point-area' />
        <InfoRow label='地址' value={sp.address || '—'} testId='point-address' />
      </View>

      <View className='card' data-testid='point-staff'>
        <Text className='title'>在岗员工</Text>
        {page.staff.length === 0 ? (
          <Text className='hint' data-testid='point-staff-empty'>暂无在岗员工信息</Text>
        ) : (
          page.staff.map((s, i) => (
            <View key={i} className='staff-row' data-testid='point-staff-item'>
              <View className='staff-row-head'>
                <Text className='staff-name' data-testid='point-staff-name'>{s.nameMasked}</Text>
                <ColourTag colour={s.colour} text={s.colourText} testId='point-staff-colour' />
              </View>
              <Text className='hint' data-testid='point-staff-temperature'>
                最近体温：{latestTemperatureText(s.latestTemperatureCelsius, s.latestReportAt)}
              </Text>
            </View>
          ))
        )}
      </View>

      <Button className='btn' data-testid='point-register' onClick={() => Taro.navigateTo({ url: registerUrl(token) })}>信息登记</Button>
    </View>
  );
}
