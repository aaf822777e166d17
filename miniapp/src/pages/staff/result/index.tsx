// 扫码结果 (manual 六(二)4 D): who was identified, the code's colour, the 14-day area warning, recent scan
// records and 反馈结果; for the national 防疫健康信息码 (B2) also its origin province and colour. A refusal (expired, forged, revoked…) is a red banner and never a result; an
// offline check says loudly that it is one.
import Taro from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { COLOUR_TEXT, type Colour } from '@bamin/common/colours';
import type { OriginColour } from '@bamin/common/nationalApi';
import type { AreaWarningView, ScanResult } from '@bamin/common/staffApi';
import { CARD_OFFLINE_WARNING, CARD_SCAN_TEXT, cardValidUntil } from '@bamin/common/cardApi';
import { NATIONAL_UNAVAILABLE_NOTICE, OFFLINE_CARD_NOTICE, OFFLINE_NOTICE, type OfflineCheck } from '../../../services/offlineCheck';
import { useOutcome } from '../../../services/staffStore';
import { STAFF_PAGES } from '../../../services/staffRoutes';
import { formatBeijing } from '../../../services/time';
import { ScanRecordItem } from '../ScanRecordItem';
import '../staff.scss';

function backToScanning() {
  Taro.navigateBack().catch(() => Taro.reLaunch({ url: STAFF_PAGES.home }));
}

export function ColourBlock({ colour, text }: { colour: Colour | null; text?: string }) {
  const cls = colour ?? 'unknown';
  return (
    <View className={`result-colour result-colour-${cls}`} data-testid='result-colour' data-colour={cls}>
      <Text className='result-colour-icon'>{colour === 'green' ? '✓' : colour === 'orange' ? '!' : '?'}</Text>
      <Text>{text || (colour ? COLOUR_TEXT[colour] : '颜色未知')}</Text>
    </View>
  );
}

/** The national 防疫健康信息码 (B2): origin province and its pass colour, coloured green/yellow/red. */
export function NationalBlock({ provinceName, colour, colourText }: { provinceName: string; colour: OriginColour; colourText: string }) {
  return (
    <View className={`national-block national-${colour}`} data-testid='result-national' data-colour={colour}>
      <Text className='national-title'>防疫健康信息码</Text>
      <Text> · 来源地 </Text>
      <Text className='national-province' data-testid='result-national-province'>{provinceName}</Text>
      <Text> · </Text>
      <Text className='national-colour' data-testid='result-national-colour'>{colourText}</Text>
    </View>
  );
}

/** The warning text with the level's words in bold. */
export function AreaWarning({ warning }: { warning: AreaWarningView }) {
  const i = warning.levelText ? warning.text.indexOf(warning.levelText) : -1;
  return (
    <View className='card' data-testid='area-warning'>
      <Text className='title'>温馨提示</Text>
      <View className='warning-box'>
        {i >= 0 ? (
          <Text data-testid='area-warning-text'>
            {warning.text.slice(0, i)}
            <Text className='warning-level' data-testid='area-warning-level'>{warning.levelText}</Text>
            {warning.text.slice(i + warning.levelText.length)}
          </Text>
        ) : (
          <Text data-testid='area-warning-text'>
            {warning.text}（<Text className='warning-level' data-testid='area-warning-level'>{warning.levelText}</Text>）
          </Text>
        )}
        {warning.policy ? (
          <Text className='policy' data-testid='area-policy'>疫情区防控策略：{warning.levelText}-{warning.policy}</Text>
        ) : null}
      </View>
    </View>
  );
}

function MethodTag({ result }: { result: ScanResult }) {
  if (result.method === 'camera' || result.method === 'self') return null;
  return <Text className={`tag tag-${result.method}`} data-testid='method-tag'>{result.methodText}</Text>;
}

function Refused({ message, code }: { message: string; code: string }) {
  return (
    <View className='page staff-page' data-testid='result-page'>
      <View className='refusal' data-testid='scan-refusal' data-code={code}>
        <Text className='refusal-title'>✕ 核验未通过</Text>
        <Text className='refusal-text' data-testid='scan-refusal-message'>{message}</Text>
      </View>
      <View className='card'>
        <Text className='hint'>请勿放行，请被扫人员出示有效的八闽健康码，或人工核实身份。</Text>
        <Button className='btn' data-testid='result-back' onClick={backToScanning}>继续扫码</Button>
      </View>
    </View>
  );
}

function Offline({ check, checkedAt, cause }: { check: OfflineCheck; checkedAt: string; cause?: 'network' | 'national_unavailable' }) {
  const platformDown = cause === 'national_unavailable';
  if (!check.ok) {
    return (
      <View className='page staff-page' data-testid='result-page'>
        <Text className='offline-notice' data-testid='offline-notice'>
          {platformDown ? '暂时无法连接国家政务服务平台，已离线核验签名；本次未生成扫码记录' : '网络不可用，已离线核验签名；本次未生成扫码记录'}
        </Text>
        <View className='refusal' data-testid='scan-refusal' data-code={check.code}>
          <Text className='refusal-title'>✕ 核验未通过</Text>
          <Text className='refusal-text' data-testid='scan-refusal-message'>{check.message}</Text>
        </View>
        <View className='card'>
          <Button className='btn' data-testid='result-back' onClick={backToScanning}>继续扫码</Button>
        </View>
      </View>
    );
  }
  if (check.kind === 'national') {
    return (
      <View className='page staff-page' data-testid='result-page'>
        <Text className='offline-notice' data-testid='offline-notice'>{platformDown ? NATIONAL_UNAVAILABLE_NOTICE : OFFLINE_NOTICE}</Text>
        <View className='card' data-testid='offline-result'>
          <Text className='title'>离线核验结果</Text>
          <NationalBlock provinceName={check.provinceName} colour={check.colour} colourText={`${check.colourText}（生成时）`} />
          <View className='kv'>
            <Text className='kv-key'>姓名</Text>
            <Text className='kv-value' data-testid='offline-name'>{check.nameMasked}</Text>
          </View>
          <View className='kv'>
            <Text className='kv-key'>身份证号</Text>
            <Text className='kv-value' data-testid='offline-id'>{check.idMasked}</Text>
          </View>
          <View className='kv'>
            <Text className='kv-key'>二维码生成</Text>
            <Text className='kv-value'>{formatBeijing(check.issuedAt * 1000)}</Text>
          </View>
          <View className='kv'>
            <Text className='kv-key'>核验时间</Text>
            <Text className='kv-value'>{formatBeijing(checkedAt)}</Text>
          </View>
          <Button className='btn' data-testid='result-back' onClick={backToScanning}>继续扫码</Button>
        </View>
      </View>
    );
  }
  if (check.kind === 'card') {
    // A printed card (H4): the token names no one and carries no colour, so offline there is no colour to show,
    // not even an "unknown" one: only that the card is genuine and until when, and a loud warning.
    return (
      <View className='page staff-page' data-testid='result-page'>
        <Text className='offline-notice' data-testid='offline-notice'>{OFFLINE_CARD_NOTICE}</Text>
        <View className='card' data-testid='offline-result'>
          <Text className='title'>离线核验结果 · {CARD_SCAN_TEXT}</Text>
          <View className='warning-box offline-card-warning' data-testid='offline-card-warning'>
            <Text>⚠ {CARD_OFFLINE_WARNING}</Text>
          </View>
          <View className='kv'>
            <Text className='kv-key'>卡片有效期</Text>
            <Text className='kv-value' data-testid='offline-card-validity'>卡片有效期至 {cardValidUntil(check.expiresAt * 1000)}</Text>
          </View>
          <View className='kv'>
            <Text className='kv-key'>姓名</Text>
            <Text className='kv-value' data-testid='offline-name'>以卡片上打印的姓名为准，请核对本人</Text>
          </View>
          <View className='kv'>
            <Text className='kv-key'>健康码编号</Text>
            <Text className='kv-value' data-testid='offline-code-number'>{check.codeNumber}</Text>
          </View>
          <View className='kv'>
            <Text className='kv-key'>核验时间</Text>
            <Text className='kv-value'>{formatBeijing(checkedAt)}</Text>
          </View>
          <Button className='btn' data-testid='result-back' onClick={backToScanning}>继续扫码</Button>
        </View>
      </View>
    );
  }
  return (
    <View className='page staff-page' data-testid='result-page'>
      <Text className='offline-notice' data-testid='offline-notice'>{OFFLINE_NOTICE}</Text>
      <View className='card' data-testid='offline-result'>
        <Text className='title'>离线核验结果</Text>
        <ColourBlock colour={check.colour} text={check.colour ? `${COLOUR_TEXT[check.colour]}（生成时）` : '颜色需联网查询'} />
        <View className='kv'>
          <Text className='kv-key'>健康码编号</Text>
          <Text className='kv-value' data-testid='offline-code-number'>{check.codeNumber}</Text>
        </View>
        <View className='kv'>
          <Text className='kv-key'>二维码生成</Text>
          <Text className='kv-value'>{formatBeijing(check.issuedAt * 1000)}</Text>
        </View>
        <View className='kv'>
          <Text className='kv-key'>核验时间</Text>
          <Text className='kv-value'>{formatBeijing(checkedAt)}</Text>
        </View>
        <Button className='btn' data-testid='result-back' onClick={backToScanning}>继续扫码</Button>
      </View>
    </View>
  );
}

export default function StaffResult() {
  const outcome = useOutcome();

  if (!outcome) {
    return (
      <View className='page staff-page' data-testid='result-page'>
        <View className='card'>
          <Text className='empty' data-testid='result-none'>没有扫码结果，请返回重新扫码</Text>
          <Button className='btn' onClick={() => Taro.reLaunch({ url: STAFF_PAGES.home })}>返回出入扫码服务</Button>
        </View>
      </View>
    );
  }
  if (outcome.kind === 'refused') return <Refused message={outcome.message} code={outcome.code} />;
  if (outcome.kind === 'offline') return <Offline check={outcome.check} checkedAt={outcome.checkedAt} cause={outcome.cause} />;

  const r = outcome.result;
  return (
    <View className='page staff-page' data-testid='result-page'>
      <View className='card' data-testid='result-person'>
        <View className='title-row'>
          <Text className='title'>扫码结果<MethodTag result={r} /></Text>
        </View>
        <ColourBlock colour={r.colour} text={r.colourText} />
        {r.national ? <NationalBlock provinceName={r.national.provinceName} colour={r.national.colour} colourText={r.national.colourText} /> : null}
        {r.card ? (
          <Text className='tag tag-card' data-testid='result-card'>{r.card.text || `${CARD_SCAN_TEXT} · 有效期至 ${r.card.validUntil}`}</Text>
        ) : null}
        <View className='kv'>
          <Text className='kv-key'>姓名</Text>
          <Text className='kv-value' data-testid='result-name'>{r.person.nameMasked}</Text>
        </View>
        <View className='kv'>
          <Text className='kv-key'>身份证号</Text>
          <Text className='kv-value' data-testid='result-id'>{r.person.idMasked}</Text>
        </View>
        <View className='kv'>
          <Text className='kv-key'>居住地址</Text>
          <Text className='kv-value' data-testid='result-residence'>{r.person.residence ?? '未填写'}</Text>
        </View>
        <View className='kv'>
          <Text className='kv-key'>核验方式</Text>
          <Text className='kv-value' data-testid='result-method'>{r.methodText}</Text>
        </View>
      </View>

      {r.areaWarning ? <AreaWarning warning={r.areaWarning} /> : null}

      <View className='card' data-testid='recent-scans'>
        <View className='title-row'>
          <Text className='title'>近期扫码记录</Text>
          {r.hasMoreScans ? (
            <Text className='more' data-testid='more-scans' onClick={() => Taro.navigateTo({ url: `${STAFF_PAGES.history}?scanId=${r.scanId}` })}>更多&gt;</Text>
          ) : null}
        </View>
        {r.recentScans.length === 0 ? <Text className='empty'>暂无扫码记录</Text> : r.recentScans.map((s) => <ScanRecordItem key={s.id} record={s} />)}
      </View>

      <View className='card'>
        <Button className='btn big-btn' data-testid='feedback-open' onClick={() => Taro.navigateTo({ url: `${STAFF_PAGES.feedback}?scanId=${r.scanId}` })}>反馈结果</Button>
        <Button className='btn btn-plain' data-testid='result-back' onClick={backToScanning}>继续扫码</Button>
      </View>
    </View>
  );
}
