// 信息登记 (manual 三(二) 6–7; C3, C4): for oneself or a family member (登记成员), the member's details as the
// server masks them, 是否有以下症状（必选）, then 提交 → 登记成功 with the point, the time and the colour. Again
// within 10 minutes the server updates the earlier registration and says so (counted: false).
import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import type { Symptom } from '@bamin/common/appApi';
import { ID_TYPE_TEXT } from '@bamin/common/idDocuments';
import { REGISTRATION_DEDUP_MINUTES, type PointPage, type RegistrationResult } from '@bamin/common/pointApi';
import { ApiError, errorMessage, getServicePointByToken, submitRegistration } from '../../services/api';
import { pointProblem, rememberPoint, rememberedPoint, tokenFromScan, type PointProblem } from '../../services/point';
import { PAGES, toLogin } from '../../services/routes';
import { toggleSymptom } from '../../services/symptoms';
import { formatBeijing } from '../../services/time';
import { Choice, FieldError } from '../../components/Choice';
import { ColourTag } from '../../components/ColourTag';
import { PointProblemView } from '../../components/PointProblemView';
import { SymptomPicker } from '../../components/SymptomPicker';
import { SERVER_FIELD, validateRegistration, type RegisterErrors, type RegisterForm } from './validate';
import './index.scss';

type Shown = Exclude<PointProblem, { kind: 'signed-out' }>;
type Member = PointPage['members'][number];

export const REGISTER_NOTICE = '请您按照各项信息上报本人真实的健康信息：';
export const DEDUP_NOTE = `${REGISTRATION_DEDUP_MINUTES} 分钟内重复登记只计一次`;

/** 本人, or "父母 **华". */
export function memberLabel(m: Pick<Member, 'holder' | 'relationText' | 'nameMasked'>): string {
  return m.holder === 'self' ? m.relationText || '本人' : `${m.relationText} ${m.nameMasked}`;
}

function Row({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <View className='info-row'>
      <Text className='info-label'>{label}</Text>
      <Text className='info-value' data-testid={testId}>{value}</Text>
    </View>
  );
}

function Result({ result }: { result: RegistrationResult }) {
  return (
    <View className='page register-page' data-testid='register-page'>
      <View className='card register-result' data-testid='register-result'>
        <Text className='register-result-title' data-testid='register-result-title'>登记成功</Text>
        <Row label='服务点' value={result.servicePointName} testId='register-result-point' />
        <Row label='登记时间' value={formatBeijing(result.registeredAt)} testId='register-result-time' />
        <View className='register-result-colour'>
          <ColourTag colour={result.colour} text={result.colourText} testId='register-result-colour' large />
        </View>
        {!result.counted ? <Text className='notice-box' data-testid='register-dedup'>{DEDUP_NOTE}</Text> : null}
        <Button className='btn' data-testid='register-done' onClick={() => Taro.reLaunch({ url: PAGES.code })}>返回健康码</Button>
      </View>
    </View>
  );
}

export default function Register() {
  const router = useRouter();
  const token = tokenFromScan(String(router?.params?.token ?? ''));
  const [page, setPage] = useState<PointPage | null>(() => rememberedPoint(token));
  const [problem, setProblem] = useState<Shown | null>(null);
  const [form, setForm] = useState<RegisterForm>({ holder: 'self', symptoms: [], otherSymptom: '' });
  const [errors, setErrors] = useState<RegisterErrors>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RegistrationResult | null>(null);

  /** A refusal or C1 replaces the form; true when handled so. */
  const show = (e: unknown): boolean => {
    const pr = pointProblem(e);
    if (pr.kind === 'signed-out') {
      toLogin();
      return true;
    }
    if (pr.kind === 'failed') return false;
    setProblem(pr);
    return true;
  };

  // Opened without the point page before it (e.g. the H5 page reloaded): ask the server again.
  const load = useCallback(async () => {
    setProblem(null);
    try {
      const p = await getServicePointByToken(token);
      rememberPoint(token, p);
      setPage(p);
    } catch (e) {
      const pr = pointProblem(e);
      if (pr.kind === 'signed-out') toLogin();
      else setProblem(pr);
    }
  }, [token]);

  useEffect(() => {
    if (!token) setProblem({ kind: 'refused', code: 'TOKEN_MISSING', message: '未获取到服务单位健康码', hint: '请通过“扫一扫”扫描服务单位张贴的二维码。' });
    else if (!page) load();
  }, []);

  // The chosen member must be one the server offered; oneself first.
  useEffect(() => {
    if (page && !page.members.some((m) => m.holder === form.holder) && page.members[0]) {
      setForm((f) => ({ ...f, holder: page.members[0].holder }));
    }
  }, [page]);

  if (result) return <Result result={result} />;
  if (problem) {
    return (
      <View className='page register-page' data-testid='register-page'>
        <PointProblemView problem={problem} onRetry={load} />
      </View>
    );
  }
  if (!page) {
    return (
      <View className='page register-page' data-testid='register-page'>
        <Text className='hint'>加载中…</Text>
      </View>
    );
  }

  const member = page.members.find((m) => m.holder === form.holder) ?? null;

  const pickSymptom = (s: Symptom) => {
    setForm((f) => ({ ...f, symptoms: toggleSymptom(f.symptoms, s) }));
    setErrors((er) => ({ ...er, symptoms: undefined, ...(s === 'other' ? { otherSymptom: undefined } : {}) }));
  };

  const submit = async () => {
    const checked = validateRegistration(token, form);
    if (!checked.ok) {
      setErrors(checked.errors);
      setMessage('请检查标红的填写项');
      return;
    }
    setErrors({});
    setMessage('');
    setBusy(true);
    try {
      setResult(await submitRegistration(checked.request));
    } catch (e) {
      if (show(e)) return;
      if (e instanceof ApiError && e.details?.length) {
        const fieldErrs: RegisterErrors = {};
        for (const d of e.details) {
          const field = d.field ? SERVER_FIELD[d.field.split('.')[0]] : undefined;
          if (field && !fieldErrs[field]) fieldErrs[field] = d.problem;
        }
        setErrors(fieldErrs);
      }
      setMessage(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='page register-page' data-testid='register-page'>
      <View className='card'>
        <Text className='title'>信息登记</Text>
        <Text className='hint register-point' data-testid='register-point'>{page.servicePoint.unitName} · {page.servicePoint.name}</Text>
        <Text className='register-notice' data-testid='register-notice'>{REGISTER_NOTICE}</Text>
        {message ? <Text className='error-box' data-testid='register-error'>{message}</Text> : null}
        <View className='field'>
          <Text className='field-label'>登记成员</Text>
          <Choice testId='register-member' options={page.members.map((m) => ({ value: m.holder, label: memberLabel(m) }))}
            value={form.holder} onChange={(v) => setForm((f) => ({ ...f, holder: v }))} />
          <FieldError testId='error-holder' message={errors.holder} />
        </View>
        {member ? (
          <View className='register-member-info' data-testid='register-member-info'>
            <Row label='姓名' value={member.nameMasked} testId='register-name' />
            <Row label='性别' value={member.gender ?? '—'} testId='register-gender' />
            <Row label='证件类型' value={ID_TYPE_TEXT[member.idType] ?? member.idType} testId='register-id-type' />
            <Row label='证件号码' value={member.idMasked} testId='register-id-number' />
            <Row label='电话号码' value={member.phoneMasked ?? '—'} testId='register-phone' />
          </View>
        ) : null}
        <SymptomPicker prefix='register' symptoms={form.symptoms} otherSymptom={form.otherSymptom} errors={errors}
          onPick={pickSymptom} onOtherSymptom={(v) => setForm((f) => ({ ...f, otherSymptom: v }))} />
        <Button className='btn' data-testid='register-submit' loading={busy} disabled={busy} onClick={submit}>提交</Button>
      </View>
    </View>
  );
}
