// 申诉纠错 (H6): the holder of a code (oneself or a family member) disputes it — the Bamin code itself,
// decided by the health department, or the origin province's 健康通行码 merged into it (跨省互认, manual 二),
// forwarded to the national platform. The holder's corrections and how they were handled below.
import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Text, Textarea, View } from '@tarojs/components';
import type { CodeView } from '@bamin/common/appApi';
import type { CorrectionKind, CorrectionView } from '@bamin/common/nationalApi';
import { ApiError, errorMessage, getCode, listCorrections, submitCorrection } from '../../services/api';
import { toLogin } from '../../services/routes';
import { whoseText } from '../../services/holders';
import { formatBeijing } from '../../services/time';
import { Choice, FieldError } from '../../components/Choice';
import {
  REASON_MAX,
  correctionKinds,
  reasonLength,
  validateCorrection,
  type CorrectionErrors,
  type CorrectionField,
} from './validate';
import './index.scss';

/** What the confirmation says happens next, by kind. */
export const CONFIRM_TEXT: Record<CorrectionKind, string> = {
  local: '申诉将由卫生健康部门核实处理，处理结果会显示在本页。确定提交吗？',
  origin: '申诉将转国家政务服务平台，由出发地核实处理，处理结果会显示在本页。确定提交吗？',
};

function CorrectionItem({ c }: { c: CorrectionView }) {
  return (
    <View className='correction-item' data-testid='correction-item'>
      <View className='correction-item-head'>
        <Text className='correction-kind' data-testid='correction-item-kind'>{c.kindText}</Text>
        <Text className={`correction-status correction-status-${c.status}`} data-testid='correction-item-status'>{c.statusText}</Text>
      </View>
      <Text className='correction-line' data-testid='correction-item-reason'>申诉理由：{c.reason}</Text>
      <Text className='correction-time'>提交时间：{formatBeijing(c.createdAt, false)}</Text>
      {c.decisionNote ? <Text className='correction-line' data-testid='correction-item-note'>处理意见：{c.decisionNote}</Text> : null}
      {c.decidedAt ? <Text className='correction-time'>处理时间：{formatBeijing(c.decidedAt, false)}</Text> : null}
    </View>
  );
}

export default function Correction() {
  const router = useRouter();
  const holder = (router?.params?.holder as string) || 'self';
  const [view, setView] = useState<CodeView | null>(null);
  const [kind, setKind] = useState<CorrectionKind>('local');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<CorrectionErrors>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [list, setList] = useState<CorrectionView[] | null>(null);
  const [listError, setListError] = useState('');

  const failed = (e: unknown): string | null => {
    if (e instanceof ApiError && e.status === 401) {
      toLogin();
      return null;
    }
    return errorMessage(e);
  };

  const loadList = useCallback(async () => {
    try {
      setList(await listCorrections(holder));
      setListError('');
    } catch (e) {
      const m = failed(e);
      if (m) setListError(m);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [holder]);

  useEffect(() => {
    getCode(holder)
      .then(setView)
      .catch((e) => {
        const m = failed(e);
        if (m) setMessage(m);
      });
    loadList();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [holder, loadList]);

  const kinds = correctionKinds(view);

  const submit = async () => {
    const checked = validateCorrection({ holder, kind: kinds.some((k) => k.value === kind) ? kind : '', reason });
    if (!checked.ok) {
      setErrors(checked.errors);
      setMessage('请检查标红的填写项');
      return;
    }
    setErrors({});
    setMessage('');
    const confirm = await Taro.showModal({ title: '提交申诉', content: CONFIRM_TEXT[checked.request.kind], confirmText: '提交', cancelText: '取消' });
    if (!confirm.confirm) return;
    setBusy(true);
    try {
      await submitCorrection(checked.request);
      Taro.showToast({ title: '申诉已提交', icon: 'success' });
      setReason('');
      await loadList();
    } catch (e) {
      const m = failed(e);
      if (m === null) return;
      if (e instanceof ApiError && e.details?.length) {
        const fieldErrs: CorrectionErrors = {};
        for (const d of e.details) {
          const f = d.field as CorrectionField | undefined;
          if ((f === 'holder' || f === 'kind' || f === 'reason') && !fieldErrs[f]) fieldErrs[f] = d.problem;
        }
        setErrors(fieldErrs);
      }
      setMessage(m);
    } finally {
      setBusy(false);
    }
  };

  const count = reasonLength(reason);

  return (
    <View className='page correction-page' data-testid='correction-page'>
      <View className='card'>
        <Text className='title'>申诉纠错</Text>
        <Text className='hint correction-notice'>如您认为健康码颜色与实际情况不符，可提交申诉，请如实写明理由。</Text>
        {view ? (
          <Text className='correction-whose' data-testid='correction-whose'>
            申诉的健康码：{whoseText(view)} {view.nameMasked} · {view.colourText}
          </Text>
        ) : null}
        {message ? <Text className='error-box' data-testid='correction-error'>{message}</Text> : null}
        <FieldError testId='error-holder' message={errors.holder} />
        <View className='field'>
          <Text className='field-label'>申诉类型</Text>
          <Choice testId='correction-kind' options={kinds} value={kind} onChange={(v) => {
            setKind(v);
            setErrors((er) => ({ ...er, kind: undefined }));
          }} />
          {kind === 'origin' && view?.origin?.provinceName ? (
            <Text className='hint' data-testid='correction-origin'>
              来源地健康通行码：{view.origin.provinceName} {view.origin.colourText ?? ''}
            </Text>
          ) : null}
          <FieldError testId='error-kind' message={errors.kind} />
        </View>
        <View className='field'>
          <Text className='field-label'>申诉理由</Text>
          <Textarea className='input textarea' data-testid='correction-reason' maxlength={REASON_MAX} value={reason}
            placeholder='请写明申诉理由（5–500 字）' onInput={(e) => {
              setReason(e.detail.value);
              setErrors((er) => ({ ...er, reason: undefined }));
            }} />
          <Text className={`counter${count > REASON_MAX ? ' counter-over' : ''}`} data-testid='correction-count'>{count}/{REASON_MAX}</Text>
          <FieldError testId='error-reason' message={errors.reason} />
        </View>
        <Button className='btn' data-testid='correction-submit' loading={busy} disabled={busy} onClick={submit}>提交申诉</Button>
      </View>

      <View className='card' data-testid='correction-list'>
        <Text className='title'>申诉记录</Text>
        {listError ? <Text className='error-box' data-testid='correction-list-error'>{listError}</Text> : null}
        {list === null ? (
          listError ? null : <Text className='hint'>加载中…</Text>
        ) : list.length === 0 ? (
          <Text className='hint' data-testid='correction-list-empty'>暂无申诉记录</Text>
        ) : (
          list.map((c) => <CorrectionItem key={c.id} c={c} />)
        )}
      </View>
    </View>
  );
}
