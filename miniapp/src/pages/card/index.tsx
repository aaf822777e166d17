// 健康码卡片 (H4): for oneself or a family member without a phone, a printed card with the masked name and a
// colourless QR. The active card is previewed (its PNG) and printed (its PDF); 作废 and 补办 each ask first;
// earlier cards are listed with their status. The server keeps one active card a holder.
import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Image, Text, View } from '@tarojs/components';
import type { CodeSummary } from '@bamin/common/appApi';
import { CARD_NOTICE, type CardView } from '@bamin/common/cardApi';
import { ApiError, errorMessage, issueCard, listCards, listCodes, reissueCard, revokeCard } from '../../services/api';
import { downloadCardFile, openCardPdf } from '../../services/cardFile';
import { whoseText } from '../../services/holders';
import { toLogin } from '../../services/routes';
import { formatBeijing } from '../../services/time';
import './index.scss';

export const REVOKE_CONFIRM = '作废后该卡片立即失效，扫码时将提示已作废。确定作废吗？';
export const REISSUE_CONFIRM = '补办将作废当前卡片并生成新卡片，请打印新卡片替换旧卡片。确定补办吗？';

function CardItem({ c }: { c: CardView }) {
  return (
    <View className='card-item' data-testid='card-item' data-status={c.status}>
      <View className='card-item-head'>
        <Text className='card-item-id'>卡片编号 {c.cardId}</Text>
        <Text className={`card-status card-status-${c.status}`} data-testid='card-item-status'>{c.statusText}</Text>
      </View>
      <Text className='card-line'>生成时间：{formatBeijing(c.issuedAt, false)}</Text>
      <Text className='card-line'>有效期至：{c.validUntil}</Text>
      {c.revokedAt ? (
        <Text className='card-line' data-testid='card-item-revoked'>作废时间：{formatBeijing(c.revokedAt, false)}{c.revokeReason ? `（${c.revokeReason}）` : ''}</Text>
      ) : null}
    </View>
  );
}

export default function Card() {
  const router = useRouter();
  const holder = (router?.params?.holder as string) || 'self';
  const [cards, setCards] = useState<CardView[] | null>(null);
  const [whose, setWhose] = useState('');
  const [preview, setPreview] = useState('');
  const [previewError, setPreviewError] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const alive = useRef(true);

  const failed = (e: unknown): string | null => {
    if (e instanceof ApiError && e.status === 401) {
      toLogin();
      return null;
    }
    return errorMessage(e);
  };

  const load = useCallback(async () => {
    try {
      const list = await listCards(holder);
      if (!alive.current) return;
      setCards(list);
      setError('');
    } catch (e) {
      const m = failed(e);
      if (m && alive.current) setError(m);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [holder]);

  useEffect(() => {
    alive.current = true;
    load();
    listCodes()
      .then((cs: CodeSummary[]) => {
        const c = cs.find((x) => x.holder === holder);
        if (c && alive.current) setWhose(whoseText(c));
      })
      .catch(() => undefined);
    return () => {
      alive.current = false;
    };
  }, [load, holder]);

  const active = cards?.find((c) => c.status === 'active') ?? null;

  // The preview is the card's own PNG, so what is seen is what prints.
  useEffect(() => {
    setPreview('');
    setPreviewError('');
    if (!active) return;
    downloadCardFile(active.cardId, 'png')
      .then((p) => alive.current && setPreview(p))
      .catch((e) => alive.current && setPreviewError(errorMessage(e)));
  }, [active?.cardId]);

  const act = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await what();
      Taro.showToast({ title: done, icon: 'success' });
      await load();
    } catch (e) {
      const m = failed(e);
      if (m) Taro.showModal({ title: '操作失败', content: m, showCancel: false });
    } finally {
      setBusy(false);
    }
  };

  const issue = () => act(() => issueCard(holder), '已生成');

  const revoke = async () => {
    if (!active) return;
    const res = await Taro.showModal({ title: '作废卡片', content: REVOKE_CONFIRM, confirmText: '作废', cancelText: '取消' });
    if (!res.confirm) return;
    await act(() => revokeCard(active.cardId), '已作废');
  };

  const reissue = async () => {
    if (!active) return;
    const res = await Taro.showModal({ title: '补办卡片', content: REISSUE_CONFIRM, confirmText: '补办', cancelText: '取消' });
    if (!res.confirm) return;
    await act(() => reissueCard(active.cardId), '已补办');
  };

  const print = async () => {
    if (!active) return;
    try {
      await openCardPdf(active.cardId);
    } catch (e) {
      const m = failed(e);
      if (m) Taro.showModal({ title: '下载失败', content: m, showCancel: false });
    }
  };

  const earlier = (cards ?? []).filter((c) => c !== active);

  return (
    <View className='page card-page' data-testid='card-page'>
      <View className='card'>
        <Text className='title'>健康码卡片{whose ? ` · ${whose}` : ''}</Text>
        <Text className='card-intro' data-testid='card-intro'>
          为没有手机的家人打印健康码卡片，出示卡片即可扫码核验。{CARD_NOTICE}。
        </Text>
      </View>

      {error ? (
        <View className='card'>
          <Text className='error-box' data-testid='card-error'>{error}</Text>
          <Button className='btn' onClick={load}>重试</Button>
        </View>
      ) : null}

      {cards === null && !error ? <Text className='hint'>加载中…</Text> : null}

      {cards !== null && !active ? (
        <View className='card' data-testid='card-none'>
          <Text className='hint'>暂无有效的健康码卡片</Text>
          <Button className='btn' data-testid='card-issue' disabled={busy} onClick={issue}>生成健康码卡片</Button>
        </View>
      ) : null}

      {active ? (
        <View className='card' data-testid='card-active' data-card-id={String(active.cardId)}>
          <View className='card-active-head'>
            <Text className='card-name' data-testid='card-name'>{active.nameMasked}</Text>
            <Text className='card-validity' data-testid='card-validity'>有效期至 {active.validUntil}</Text>
          </View>
          <View className='card-preview-box'>
            {preview ? (
              <Image className='card-preview' data-testid='card-preview' src={preview} mode='aspectFit' />
            ) : previewError ? (
              <Text className='error-box' data-testid='card-preview-error'>{previewError}</Text>
            ) : (
              <Text className='hint'>预览加载中…</Text>
            )}
          </View>
          <Button className='btn' data-testid='card-pdf' disabled={busy} onClick={print}>下载/打印 PDF</Button>
          <Button className='btn btn-plain' data-testid='card-reissue' disabled={busy} onClick={reissue}>补办</Button>
          <Button className='btn btn-plain btn-danger' data-testid='card-revoke' disabled={busy} onClick={revoke}>作废</Button>
          <Text className='hint'>卡片遗失请立即作废；补办会同时作废旧卡片。</Text>
        </View>
      ) : null}

      {earlier.length > 0 ? (
        <View className='card' data-testid='card-history'>
          <Text className='title'>历史卡片</Text>
          {earlier.map((c) => <CardItem key={c.cardId} c={c} />)}
        </View>
      ) : null}
    </View>
  );
}
