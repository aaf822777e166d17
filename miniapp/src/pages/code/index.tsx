import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import type { CodeSummary, CodeView } from '@bamin/common/appApi';
import type { OriginCheckView } from '@bamin/common/nationalApi';
import { COLOUR_TEXT } from '@bamin/common/colours';
import { ApiError, errorMessage, getCode, listCodes, removeFamily, signOut, unreadMessageCount } from '../../services/api';
import { clearToken, getElderMode, setElderMode } from '../../services/storage';
import { PAGES, toLogin } from '../../services/routes';
import { formatBeijing } from '../../services/time';
import { whoseText } from '../../services/holders';
import { QrImage } from '../../components/QrImage';
import { openHostService, type HostServiceKey } from '../../services/hostServices';
import { Cancelled, decodeQrFromImageFile, isH5, scanCodeWeapp } from '../../services/media';
import { pointUrl, scanTarget } from '../../services/point';
import { H5FileButton, H5QrCamera } from '../../components/H5QrCamera';
import './index.scss';

export { whoseText };

const REFRESH_EVERY_MS = 60_000;
const REFRESH_BEFORE_EXPIRY_MS = 30_000;

/** When to fetch a fresh token: every minute, or 30 s before it expires if that is sooner. */
export function refreshDelay(expiresAt: string, now = Date.now()): number {
  const expiry = Date.parse(expiresAt);
  if (Number.isNaN(expiry)) return REFRESH_EVERY_MS;
  return Math.max(5_000, Math.min(REFRESH_EVERY_MS, expiry - now - REFRESH_BEFORE_EXPIRY_MS));
}

const ENTRIES: { key: HostServiceKey | 'family'; label: string }[] = [
  { key: 'epidemic', label: '疫情服务' },
  { key: 'bus', label: '去乘车' },
  { key: 'medicine', label: '去买药' },
  { key: 'family', label: '为家人申领' },
];

/** 跨省互认 (B1, manual 二(三)2(1)): the origin province's 健康通行码 merged into the code. */
export function originText(o: OriginCheckView): string {
  if (o.status === 'not_found' || (o.status === 'checked' && !o.provinceName)) return '未查询到来源地健康通行码';
  // unavailable and never checked before: the note says why
  if (!o.provinceName) return '来源地健康通行码：暂未核验';
  return `来源地健康通行码：${o.provinceName} ${o.colourText ?? ''}`.trim();
}

function OriginBlock({ origin }: { origin: OriginCheckView }) {
  return (
    <View className='card origin-card' data-testid='origin' data-status={origin.status}>
      <Text className={`origin-text${origin.colour ? ` origin-${origin.colour}` : ''}`} data-testid='origin-text'
        data-colour={origin.colour ?? ''}>{originText(origin)}</Text>
      {origin.checkedAt && origin.status !== 'unavailable' ? (
        <Text className='hint' data-testid='origin-checked-at'>核验时间：{formatBeijing(origin.checkedAt, false)}</Text>
      ) : null}
      {origin.status === 'unavailable' && origin.note ? (
        <Text className='notice-box origin-note' data-testid='origin-note'>{origin.note}</Text>
      ) : null}
    </View>
  );
}

const openEntry = (key: HostServiceKey | 'family') => (key === 'family' ? Taro.navigateTo({ url: PAGES.family }) : openHostService(key));

export default function Code() {
  const router = useRouter();
  const holder = (router?.params?.holder as string) || 'self';
  const [view, setView] = useState<CodeView | null>(null);
  const [codes, setCodes] = useState<CodeSummary[]>([]);
  const [error, setError] = useState('');
  const [now, setNow] = useState(() => new Date());
  const [elder, setElder] = useState(() => getElderMode());
  const [unread, setUnread] = useState(0);
  const alive = useRef(true);
  const shown = useRef(false);
  // 扫一扫 (manual 三(二) 5): on H5 a panel with the camera and the image upload; the problem of the last try.
  const [scanOpen, setScanOpen] = useState(false);
  const [cameraOpen, setCameraOpen] = useState(false);
  const [scanProblem, setScanProblem] = useState('');

  const load = useCallback(async () => {
    try {
      const v = await getCode(holder);
      if (!alive.current) return;
      setView(v);
      setError('');
    } catch (e) {
      if (!alive.current) return;
      if (e instanceof ApiError && e.status === 401) {
        toLogin();
        return;
      }
      setError(errorMessage(e));
    }
  }, [holder]);

  useEffect(() => {
    alive.current = true;
    load();
    listCodes()
      .then((cs) => alive.current && setCodes(cs))
      .catch(() => undefined);
    return () => {
      alive.current = false;
    };
  }, [load]);

  // The unread badge of 站内消息: on the first visit and whenever the page shows again (back from the list).
  const loadUnread = useCallback(() => {
    unreadMessageCount()
      .then((n) => alive.current && setUnread(n))
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    loadUnread();
  }, [loadUnread]);

  // Back from 入闽申报 or 申诉纠错 the code may have changed: fetch it again too.
  useDidShow(() => {
    if (shown.current) {
      loadUnread();
      load();
    }
    shown.current = true;
  });

  // The clock under the code, so a screenshot is told from the live page.
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(t);
  }, []);

  // Fetch a fresh token before the shown one expires.
  useEffect(() => {
    if (!view) return undefined;
    const t = setTimeout(load, refreshDelay(view.expiresAt));
    return () => clearTimeout(t);
  }, [view, load]);

  const toggleElder = () => {
    const next = !elder;
    setElder(next);
    setElderMode(next);
  };

  const switchTo = (h: string) => {
    if (h === holder) return;
    Taro.redirectTo({ url: `${PAGES.code}?holder=${encodeURIComponent(h)}` });
  };

  const remove = async () => {
    if (!view || holder === 'self') return;
    const res = await Taro.showModal({
      title: '移除家人',
      content: `确定移除${whoseText(view)}的健康码吗？移除后需重新申领。`,
      confirmText: '移除',
      cancelText: '取消',
    });
    if (!res.confirm) return;
    try {
      await removeFamily(holder);
      Taro.showToast({ title: '已移除', icon: 'success' });
      Taro.reLaunch({ url: PAGES.code });
    } catch (e) {
      Taro.showModal({ title: '移除失败', content: errorMessage(e), showCancel: false });
    }
  };

  /** A scanned text: a service point's poster opens its page; anything else is said so here. */
  const scanned = (text: string) => {
    const target = scanTarget(text);
    if (!target.ok) {
      setScanProblem(target.problem);
      return;
    }
    setScanProblem('');
    setScanOpen(false);
    Taro.navigateTo({ url: pointUrl(target.token) });
  };

  const openScan = async () => {
    setScanProblem('');
    if (isH5()) {
      setScanOpen(true);
      setCameraOpen(true);
      return;
    }
    try {
      scanned(await scanCodeWeapp());
    } catch (e) {
      if (!(e instanceof Cancelled)) setScanProblem(errorMessage(e).replace('，或输入健康码上方的12位数字', ''));
    }
  };

  const uploadQr = async (file: File) => {
    setCameraOpen(false);
    setScanProblem('');
    try {
      const text = await decodeQrFromImageFile(file);
      if (text) scanned(text);
      else setScanProblem('未能从图片中识别出二维码，请换一张清晰、完整的服务单位二维码图片');
    } catch (e) {
      setScanProblem(errorMessage(e));
    }
  };

  const logout = async () => {
    const res = await Taro.showModal({ title: '退出登录', content: '确定退出登录吗？', confirmText: '退出', cancelText: '取消' });
    if (!res.confirm) return;
    await signOut().catch(() => undefined);
    clearToken();
    toLogin();
  };

  const rootClass = `page code-page${view ? ` colour-${view.colour}` : ''}${elder ? ' elder' : ''}`;

  if (!view) {
    return (
      <View className={rootClass} data-testid='code-page'>
        {error ? (
          <View className='card'>
            <Text className='error-box' data-testid='code-error'>{error}</Text>
            <Button className='btn' onClick={load}>重试</Button>
          </View>
        ) : (
          <Text className='hint'>加载中…</Text>
        )}
      </View>
    );
  }

  const green = view.colour === 'green';
  const isSelf = holder === 'self' || view.relation === 'self';

  return (
    <View className={rootClass} data-testid='code-page'>
      <View className='code-toolbar'>
        <View className='code-whose-box'>
          <Text className='code-whose' data-testid='whose'>{whoseText(view)}</Text>
          <Text className='code-name' data-testid='name-masked'>{view.nameMasked}</Text>
        </View>
        <View className={`elder-toggle${elder ? ' elder-toggle-on' : ''}`} data-testid='elder-toggle' onClick={toggleElder}>
          <Text>长辈模式：{elder ? '开' : '关'}</Text>
        </View>
      </View>

      <View className='card code-card'>
        {error ? <Text className='error-box'>{error}</Text> : null}
        <Text className='code-number' data-testid='code-number'>{view.codeNumber}</Text>
        <View className='qr-frame'>
          <QrImage className='qr' text={view.token} />
        </View>
        <View className={`code-colour code-colour-${view.colour}`} data-testid='code-colour'>
          <Text className='code-colour-icon'>{green ? '✓' : '!'}</Text>
          <Text className='code-colour-text'>{view.colourText || COLOUR_TEXT[view.colour]}</Text>
        </View>
        <Text className='code-time' data-testid='current-time'>{formatBeijing(now)}</Text>
        <Text className='hint'>二维码每分钟自动刷新，截图无效</Text>
      </View>

      {view.origin ? <OriginBlock origin={view.origin} /> : null}

      {!green ? (
        <View className='card' data-testid='reasons'>
          <Text className='title'>健康状况核验不通过</Text>
          {view.reasons.map((r) => (
            <Text key={r.code} className='reason' data-testid='reason'>• {r.text}</Text>
          ))}
          <Text className='green-from' data-testid='green-from'>
            {view.greenFrom ? `预计 ${view.greenFrom} 转为绿码（如无新的情况）` : '转绿日期待定'}
          </Text>
        </View>
      ) : null}

      {green && isSelf ? (
        <View className='card entries' data-testid='entries'>
          {ENTRIES.map((e) => (
            <View key={e.key} className='entry' data-testid={`entry-${e.key}`} onClick={() => openEntry(e.key)}>
              <Text>{e.label}</Text>
            </View>
          ))}
        </View>
      ) : null}

      {/* Not host-app services: reporting and messages stay available whatever the colour (manual 五: 提醒上报). */}
      <View className='card app-entries' data-testid='app-entries'>
        <View className='app-entry' data-testid='entry-scan' onClick={openScan}>
          <Text>扫一扫</Text>
        </View>
        <View className='app-entry' data-testid='entry-report'
          onClick={() => Taro.navigateTo({ url: `${PAGES.report}?holder=${encodeURIComponent(holder)}` })}>
          <Text>健康上报</Text>
        </View>
        <View className='app-entry' data-testid='entry-messages' onClick={() => Taro.navigateTo({ url: PAGES.messages })}>
          <Text>站内消息</Text>
          {unread > 0 ? <Text className='badge' data-testid='unread-badge'>{unread > 99 ? '99+' : unread}</Text> : null}
        </View>
      </View>

      {scanProblem && !scanOpen ? <Text className='error-box' data-testid='scan-problem'>{scanProblem}</Text> : null}
      {scanOpen ? (
        <View className='card' data-testid='scan-panel'>
          <Text className='title'>扫一扫</Text>
          <Text className='hint'>扫描服务单位张贴的二维码，进行信息登记。</Text>
          {scanProblem ? <Text className='error-box' data-testid='scan-problem'>{scanProblem}</Text> : null}
          <Button className='btn' data-testid='scan-camera' onClick={() => {
            setScanProblem('');
            setCameraOpen(true);
          }}>打开摄像头扫码</Button>
          <H5FileButton label='上传二维码图片' testId='scan-upload' onFile={uploadQr} />
          <Button className='btn btn-plain' data-testid='scan-close' onClick={() => {
            setScanOpen(false);
            setScanProblem('');
          }}>关闭</Button>
        </View>
      ) : null}
      {scanOpen && cameraOpen ? (
        <H5QrCamera
          audience='citizen'
          onDecoded={(text) => {
            setCameraOpen(false);
            scanned(text);
          }}
          onUnavailable={(m) => {
            setCameraOpen(false);
            setScanProblem(m);
          }}
          onClose={() => setCameraOpen(false)}
        />
      ) : null}

      <View className='card' data-testid='nucleic-tests'>
        <Text className='title'>核酸检测（近7天）</Text>
        {view.nucleicAcidTests.length === 0 ? (
          <Text className='hint' data-testid='nucleic-empty'>近7天无核酸检测记录</Text>
        ) : (
          view.nucleicAcidTests.map((t, i) => (
            <View key={`${t.sampledAt}-${i}`} className='nat-row' data-testid='nucleic-test'>
              <Text className='nat-cell'>采样时间：{formatBeijing(t.sampledAt, false)}</Text>
              <Text className={`nat-cell nat-${t.result}`}>结果：{t.result === 'negative' ? '阴性' : '阳性'}</Text>
              <Text className='nat-cell'>机构：{t.institution}</Text>
            </View>
          ))
        )}
      </View>

      <View className='card'>
        <View className='link-row' data-testid='switch-open'>
          <Text className='title'>切换健康码</Text>
        </View>
        {codes.length > 0 ? (
          <View className='switch-list' data-testid='switch-list'>
            {codes.map((c) => (
              <View key={c.holder} className={`switch-item${c.holder === holder ? ' switch-item-on' : ''}`}
                data-testid={`switch-${c.holder}`} onClick={() => switchTo(c.holder)}>
                <Text>{whoseText(c)}</Text>
                <Text className={`switch-colour code-colour-${c.colour}`}>{COLOUR_TEXT[c.colour]}</Text>
              </View>
            ))}
          </View>
        ) : null}
        {isSelf ? (
          <View className='link-row' data-testid='arrival-link' onClick={() => Taro.navigateTo({ url: PAGES.arrival })}>
            <Text className='link'>入闽申报</Text>
          </View>
        ) : null}
        <View className='link-row' data-testid='card-link'
          onClick={() => Taro.navigateTo({ url: `${PAGES.card}?holder=${encodeURIComponent(holder)}` })}>
          <Text className='link'>打印健康码卡片</Text>
        </View>
        <View className='link-row' data-testid='correction-link'
          onClick={() => Taro.navigateTo({ url: `${PAGES.correction}?holder=${encodeURIComponent(holder)}` })}>
          <Text className='link'>对健康码有疑问？申诉纠错</Text>
        </View>
        <View className='link-row' data-testid='help-link' onClick={() => Taro.navigateTo({ url: PAGES.help })}>
          <Text className='link'>使用帮助</Text>
        </View>
        {!isSelf ? (
          <View className='link-row' data-testid='update-answers' onClick={() => Taro.navigateTo({ url: `${PAGES.answers}?holder=${holder}` })}>
            <Text className='link'>更新健康信息</Text>
          </View>
        ) : null}
        {!isSelf ? (
          <View className='link-row' data-testid='remove-family' onClick={remove}>
            <Text className='link link-danger'>移除家人</Text>
          </View>
        ) : null}
        <View className='link-row' data-testid='sign-out' onClick={logout}>
          <Text className='link'>退出登录</Text>
        </View>
      </View>
    </View>
  );
}
