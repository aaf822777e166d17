// 健康上报 (A8): temperature, 是否有以下症状（必选） (manual 一(六)/三(二)), current area and location, for
// oneself or a family member the user applied for; the holder's earlier reports below, newest first.
import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import type { CodeSummary, HealthReportView, Symptom } from '@bamin/common/appApi';
import { ApiError, errorMessage, listCodes, listHealthReports, submitHealthReport } from '../../services/api';
import { toLogin } from '../../services/routes';
import { whoseText } from '../../services/holders';
import { formatCoordinates, locate } from '../../services/media';
import { formatBeijing } from '../../services/time';
import { AreaPicker } from '../../components/AreaPicker';
import { Choice, FieldError } from '../../components/Choice';
import { SymptomPicker } from '../../components/SymptomPicker';
import {
  EMPTY_REPORT_FORM,
  SERVER_FIELD,
  toggleSymptom,
  validateReportForm,
  type ReportErrors,
  type ReportForm,
} from './validate';
import './index.scss';

export const HISTORY_PAGE_SIZE = 10;

/** "36.5℃", or "—" for a record without a temperature (e.g. a scan registration). */
export function temperatureText(t: number | null): string {
  return typeof t === 'number' ? `${t.toFixed(1)}℃` : '—';
}

export function placeText(r: Pick<HealthReportView, 'areaName' | 'location'>): string {
  return [r.areaName, r.location].filter((x) => x && x.trim()).join(' ') || '—';
}

function ReportItem({ report }: { report: HealthReportView }) {
  return (
    <View className='report-item' data-testid='report-item'>
      <View className='report-item-head'>
        <Text className='report-type' data-testid='report-item-type'>{report.typeText}</Text>
        <Text className='report-time' data-testid='report-item-time'>{formatBeijing(report.reportedAt, false)}</Text>
      </View>
      <Text className='report-line' data-testid='report-item-temperature'>体温：{temperatureText(report.temperatureCelsius)}</Text>
      <Text className='report-line' data-testid='report-item-symptoms'>症状：{report.symptomText || '—'}</Text>
      <Text className='report-line' data-testid='report-item-place'>地点：{placeText(report)}</Text>
    </View>
  );
}

export default function Report() {
  const router = useRouter();
  const [holders, setHolders] = useState<CodeSummary[]>([]);
  const [form, setForm] = useState<ReportForm>(() => ({ ...EMPTY_REPORT_FORM, holder: (router?.params?.holder as string) || 'self' }));
  const [errors, setErrors] = useState<ReportErrors>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [locating, setLocating] = useState(false);
  const [locateError, setLocateError] = useState('');
  const [history, setHistory] = useState<HealthReportView[] | null>(null);
  const [historyTotal, setHistoryTotal] = useState(0);
  const [historyPage, setHistoryPage] = useState(1);
  const [historyError, setHistoryError] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);
  // The holder whose history is on screen: an answer for another holder arriving late is dropped.
  const shownHolder = useRef(form.holder);

  const failed = (e: unknown): string | null => {
    if (e instanceof ApiError && e.status === 401) {
      toLogin();
      return null;
    }
    return errorMessage(e);
  };

  const loadHistory = useCallback(async (holder: string, page: number) => {
    shownHolder.current = holder;
    if (page > 1) setLoadingMore(true);
    try {
      const res = await listHealthReports(holder, page, HISTORY_PAGE_SIZE);
      if (shownHolder.current !== holder) return;
      setHistory((prev) => (page === 1 || !prev ? res.items : [...prev, ...res.items.filter((r) => !prev.some((p) => p.id === r.id))]));
      setHistoryTotal(res.total);
      setHistoryPage(page);
      setHistoryError('');
    } catch (e) {
      const m = failed(e);
      if (m && shownHolder.current === holder) setHistoryError(m);
    } finally {
      setLoadingMore(false);
    }
  }, []);

  useEffect(() => {
    listCodes()
      .then((cs) => {
        setHolders(cs);
        // A holder that is not (or no longer) among the user's codes falls back to oneself.
        setForm((f) => (cs.some((c) => c.holder === f.holder) ? f : { ...f, holder: 'self' }));
      })
      .catch((e) => {
        const m = failed(e);
        if (m) setMessage(m);
      });
  }, []);

  useEffect(() => {
    setHistory(null);
    setHistoryTotal(0);
    loadHistory(form.holder, 1);
  }, [form.holder, loadHistory]);

  const set = <K extends keyof ReportForm>(key: K, value: ReportForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const pickSymptom = (s: Symptom) => {
    setForm((f) => ({ ...f, symptoms: toggleSymptom(f.symptoms, s) }));
    setErrors((er) => ({ ...er, symptoms: undefined, ...(s === 'other' ? { otherSymptom: undefined } : {}) }));
  };

  const locateHere = async () => {
    setLocating(true);
    setLocateError('');
    try {
      const pos = await locate();
      set('location', formatCoordinates(pos.latitude, pos.longitude));
      setErrors((er) => ({ ...er, location: undefined }));
    } catch (e) {
      setLocateError(errorMessage(e));
    } finally {
      setLocating(false);
    }
  };

  const submit = async () => {
    const result = validateReportForm(form);
    if (!result.ok) {
      setErrors(result.errors);
      setMessage('请检查标红的填写项');
      return;
    }
    setErrors({});
    setMessage('');
    setBusy(true);
    try {
      await submitHealthReport(result.request);
      Taro.showToast({ title: '上报成功', icon: 'success' });
      // The place usually stays the same for the next report; the readings do not.
      setForm((f) => ({ ...f, temperature: '', symptoms: [], otherSymptom: '' }));
      await loadHistory(form.holder, 1);
    } catch (e) {
      const m = failed(e);
      if (m === null) return;
      if (e instanceof ApiError && e.details?.length) {
        const fieldErrs: ReportErrors = {};
        for (const d of e.details) {
          const field = d.field ? SERVER_FIELD[d.field.split('.')[0]] : undefined;
          if (field && !fieldErrs[field]) fieldErrs[field] = d.problem;
        }
        setErrors(fieldErrs);
      }
      setMessage(m);
    } finally {
      setBusy(false);
    }
  };

  const holderOptions = (holders.length > 0 ? holders : [{ holder: 'self', relation: 'self', nameMasked: '', colour: 'green' } as CodeSummary])
    .map((c) => ({ value: c.holder, label: whoseText(c) }));

  return (
    <View className='page report-page' data-testid='report-page'>
      <View className='card'>
        <Text className='title'>健康上报</Text>
        <Text className='hint report-notice'>请如实上报本人或家人当前的健康信息。</Text>
        {message ? <Text className='error-box' data-testid='report-error'>{message}</Text> : null}
        <View className='field'>
          <Text className='field-label'>上报成员</Text>
          <Choice testId='report-holder' options={holderOptions} value={form.holder} onChange={(v) => set('holder', v)} />
          <FieldError testId='error-holder' message={errors.holder} />
        </View>
        <View className='field'>
          <Text className='field-label'>体温（℃）</Text>
          <Input className='input' data-testid='report-temperature' type='digit' maxlength={4} placeholder='如 36.5（35.0–42.0）'
            value={form.temperature} onInput={(e) => set('temperature', e.detail.value)} />
          <FieldError testId='error-temperature' message={errors.temperature} />
        </View>
        <SymptomPicker prefix='report' symptoms={form.symptoms} otherSymptom={form.otherSymptom} errors={errors}
          onPick={pickSymptom} onOtherSymptom={(v) => set('otherSymptom', v)} />
        <View className='field'>
          <Text className='field-label'>当前所在地区</Text>
          <AreaPicker testId='report-area' value={form.areaCode} onChange={(county) => set('areaCode', county?.code ?? '')} />
          <FieldError testId='error-areaCode' message={errors.areaCode} />
        </View>
        <View className='field'>
          <Text className='field-label'>具体位置</Text>
          <Input className='input' data-testid='report-location' maxlength={200} placeholder='请输入具体位置'
            value={form.location} onInput={(e) => set('location', e.detail.value)} />
          <Text className='link' data-testid='report-locate' onClick={locating ? undefined : locateHere}>
            {locating ? '定位中…' : '定位当前位置'}
          </Text>
          {locateError ? <Text className='field-error' data-testid='report-locate-error'>{locateError}</Text> : null}
          <FieldError testId='error-location' message={errors.location} />
        </View>
        <Button className='btn' data-testid='report-submit' loading={busy} disabled={busy} onClick={submit}>提交</Button>
      </View>

      <View className='card' data-testid='report-history'>
        <Text className='title'>上报记录</Text>
        {historyError ? <Text className='error-box' data-testid='report-history-error'>{historyError}</Text> : null}
        {history === null ? (
          historyError ? null : <Text className='hint'>加载中…</Text>
        ) : history.length === 0 ? (
          <Text className='hint' data-testid='report-history-empty'>暂无上报记录</Text>
        ) : (
          <>
            {history.map((r) => <ReportItem key={r.id} report={r} />)}
            {history.length < historyTotal ? (
              <Button className='btn btn-plain' data-testid='report-history-more' loading={loadingMore} disabled={loadingMore}
                onClick={() => loadHistory(form.holder, historyPage + 1)}>加载更多</Button>
            ) : null}
          </>
        )}
      </View>
    </View>
  );
}
