// 出入扫码服务 (manual 六(二)4(2)): identify a person by the 12-digit number, the camera or the ID card
// (老年人), at the reported scan point. The outcome goes to the result page through the in-memory store.
import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import type { StaffMe } from '@bamin/common/staffApi';
import { ApiError } from '../../../services/api';
import { getStaffMe, staffErrorText, staffSignOut } from '../../../services/staff';
import { clearStaffPhone, clearStaffToken } from '../../../services/staffStorage';
import { STAFF_PAGES, toStaffLogin } from '../../../services/staffRoutes';
import { refreshKeyCache, refreshNationalKeyCache } from '../../../services/offlineCheck';
import { checkCodeNumberInput, identify, identifyByIdCard } from '../../../services/scan';
import { setOutcome, type ScanOutcome } from '../../../services/staffStore';
import { Cancelled, decodeQrFromImageFile, idCardPhotoWeapp, imageFileToBase64, isH5, scanCodeWeapp } from '../../../services/media';
import { H5FileButton, H5QrCamera } from '../../../components/H5QrCamera';
import '../staff.scss';

export const HOME_TIP =
  '亲爱的工作人员，您可通过输入用户八闽健康码上方的数字来查看人员信息，也可开启扫码模式来查看信息。对于60周岁以上老年人可通过使用身份证OCR识别方式查看。';

type Busy = '' | 'query' | 'scan' | 'ocr';
const BUSY_TEXT: Record<Exclude<Busy, ''>, string> = { query: '查询中…', scan: '核验中…', ocr: '识别中…' };

export default function StaffHome() {
  const [me, setMe] = useState<StaffMe | null>(null);
  const [loadError, setLoadError] = useState('');
  const [number, setNumber] = useState('');
  const [numberError, setNumberError] = useState('');
  const [error, setError] = useState('');
  const [cameraOpen, setCameraOpen] = useState(false);
  const [cameraProblem, setCameraProblem] = useState('');
  const [busy, setBusy] = useState<Busy>('');
  const shown = useRef(false);

  const load = useCallback(async () => {
    try {
      const m = await getStaffMe();
      if (m.mustChangePassword) {
        Taro.reLaunch({ url: STAFF_PAGES.password });
        return;
      }
      if (!m.scanPoint) {
        Taro.reLaunch({ url: STAFF_PAGES.point });
        return;
      }
      setMe(m);
      setLoadError('');
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) setLoadError(staffErrorText(e));
    }
  }, []);

  useEffect(() => {
    load();
    // Keep the published keys on the device for offline checks (H1), the national platform's too (B2).
    refreshKeyCache();
    refreshNationalKeyCache();
  }, [load]);

  // Back from 修改扫码点位置 or the result page: show the current scan point.
  useDidShow(() => {
    if (shown.current) load();
    shown.current = true;
  });

  const show = (outcome: ScanOutcome) => {
    setOutcome(outcome);
    Taro.navigateTo({ url: STAFF_PAGES.result });
  };

  const fail = (e: unknown) => {
    if (e instanceof Cancelled) return;
    if (e instanceof ApiError && e.code === 'SCAN_POINT_REQUIRED') {
      Taro.reLaunch({ url: STAFF_PAGES.point });
      return;
    }
    if (e instanceof ApiError && e.status === 401) return;
    setError(staffErrorText(e));
  };

  const run = async (kind: Exclude<Busy, ''>, work: () => Promise<ScanOutcome>) => {
    if (busy) return;
    setBusy(kind);
    setError('');
    try {
      show(await work());
    } catch (e) {
      fail(e);
    } finally {
      setBusy('');
    }
  };

  const query = () => {
    const checked = checkCodeNumberInput(number);
    if (!checked.ok) {
      setNumberError(checked.problem);
      return;
    }
    setNumberError('');
    run('query', async () => {
      const outcome = await identify({ codeNumber: checked.codeNumber });
      if (outcome.kind === 'result') setNumber('');
      return outcome;
    });
  };

  const scanToken = (token: string) => run('scan', () => identify({ token }));

  const openScanner = async () => {
    setError('');
    setCameraProblem('');
    if (isH5()) {
      setCameraOpen(true);
      return;
    }
    try {
      const text = await scanCodeWeapp();
      scanToken(text);
    } catch (e) {
      fail(e);
    }
  };

  const uploadQr = async (file: File) => {
    setError('');
    setCameraOpen(false);
    let text: string | null;
    try {
      text = await decodeQrFromImageFile(file);
    } catch (e) {
      setError(staffErrorText(e));
      return;
    }
    if (!text) {
      setError('未能从图片中识别出二维码，请换一张清晰、完整的健康码图片');
      return;
    }
    scanToken(text);
  };

  const idCardWeapp = () => run('ocr', async () => identifyByIdCard(await idCardPhotoWeapp()));
  const idCardH5 = (file: File) => run('ocr', async () => identifyByIdCard(await imageFileToBase64(file)));

  const logout = async () => {
    const res = await Taro.showModal({ title: '退出登录', content: '确定退出扫码员账号吗？', confirmText: '退出', cancelText: '取消' });
    if (!res.confirm) return;
    await staffSignOut().catch(() => undefined);
    clearStaffToken();
    clearStaffPhone();
    setOutcome(null);
    toStaffLogin();
  };

  if (!me) {
    return (
      <View className='page staff-page' data-testid='staff-home'>
        {loadError ? (
          <View className='card'>
            <Text className='error-box' data-testid='home-load-error'>{loadError}</Text>
            <Button className='btn' onClick={load}>重试</Button>
          </View>
        ) : (
          <Text className='hint'>加载中…</Text>
        )}
      </View>
    );
  }

  const point = me.scanPoint!;
  const h5 = isH5();

  return (
    <View className='page staff-page' data-testid='staff-home'>
      <Text className='tip-box' data-testid='home-tip'>
        <Text className='tip-title'>温馨提示：</Text>
        {HOME_TIP}
      </Text>

      <View className='card point-summary' data-testid='point-summary'>
        <Text className='section-label'>当前扫码点</Text>
        <Text className='point-line' data-testid='point-summary-name'>{point.communityName} · {point.pointName}</Text>
        <Text className='point-line hint'>{point.areaName}　{point.location}</Text>
        {point.servicePoint ? <Text className='point-line hint'>服务点：{point.servicePoint.name}</Text> : null}
        <Text className='hint'>{me.organisation.name}</Text>
        <Text className='point-edit' data-testid='edit-point' onClick={() => Taro.navigateTo({ url: `${STAFF_PAGES.point}?edit=1` })}>修改扫码点位置&gt;</Text>
      </View>

      <View className='card'>
        {error ? <Text className='error-box' data-testid='home-error'>{error}</Text> : null}
        {busy ? <Text className='busy-box' data-testid='home-busy'>{BUSY_TEXT[busy]}</Text> : null}
        <Text className='section-label'>社区出入检测：</Text>
        <View className='row'>
          <Input className='input' data-testid='code-number-input' type='number' maxlength={12} placeholder='请输入健康码上方的12位数字'
            value={number} onInput={(e) => setNumber(e.detail.value)} />
          <Button className='btn btn-small' data-testid='code-number-query' disabled={!!busy} onClick={query}>查询</Button>
        </View>
        {numberError ? <Text className='field-error' data-testid='code-number-error'>{numberError}</Text> : null}

        <Button className='btn big-btn' data-testid='open-scanner' disabled={!!busy} onClick={openScanner}>开启扫码模式</Button>
        {h5 ? (
          <>
            {cameraProblem ? <Text className='error-box' data-testid='camera-problem'>{cameraProblem}</Text> : null}
            <H5FileButton label='上传二维码图片' testId='qr-upload' disabled={!!busy} onFile={uploadQr} />
            <H5FileButton label='身份证识别（老年人）' testId='id-card' capture='environment' disabled={!!busy} onFile={idCardH5} />
          </>
        ) : (
          <Button className='btn btn-plain' data-testid='id-card' disabled={!!busy} onClick={idCardWeapp}>身份证识别（老年人）</Button>
        )}
        <Text className='hint' style={{ marginTop: '12px' }}>身份证识别仅适用于60周岁及以上老年人，请拍摄身份证正面。</Text>
      </View>

      <View className='card'>
        <View className='link-row' data-testid='change-password' onClick={() => Taro.navigateTo({ url: STAFF_PAGES.password })}>
          <Text className='link'>修改密码</Text>
        </View>
        <View className='link-row' data-testid='staff-sign-out' onClick={logout}>
          <Text className='link link-danger'>退出登录</Text>
        </View>
      </View>

      {h5 && cameraOpen ? (
        <H5QrCamera
          onDecoded={(text) => {
            setCameraOpen(false);
            scanToken(text);
          }}
          onUnavailable={(message) => {
            setCameraOpen(false);
            setCameraProblem(message);
          }}
          onClose={() => setCameraOpen(false)}
        />
      ) : null}
    </View>
  );
}
