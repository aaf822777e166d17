// Client-side checks of 申诉纠错 (H6); the server has the final say.
import type { CodeView } from '@bamin/common/appApi';
import {
  CORRECTION_KIND_TEXT,
  CORRECTION_REASON_MAX as REASON_MAX,
  CORRECTION_REASON_MIN as REASON_MIN,
  correctionReasonLength as reasonLength,
  type CorrectionKind,
  type CorrectionRequest,
} from '@bamin/common/nationalApi';

// the rules of common/src/nationalApi.ts, the server's too
export { REASON_MAX, REASON_MIN, reasonLength };

/**
 * The kinds one may dispute for this code: always the Bamin code itself; the origin pass only when one
 * is on record (a pass was found for the arrival, even if the last check could not reach the platform).
 */
export function correctionKinds(view: Pick<CodeView, 'origin'> | null): { value: CorrectionKind; label: string }[] {
  const kinds: { value: CorrectionKind; label: string }[] = [{ value: 'local', label: CORRECTION_KIND_TEXT.local }];
  const o = view?.origin;
  if (o && o.status !== 'not_found' && o.colour) kinds.push({ value: 'origin', label: CORRECTION_KIND_TEXT.origin });
  return kinds;
}

export interface CorrectionForm {
  holder: string;
  kind: CorrectionKind | '';
  reason: string;
}
export type CorrectionField = 'holder' | 'kind' | 'reason';
export type CorrectionErrors = Partial<Record<CorrectionField, string>>;

export function validateCorrection(f: CorrectionForm):
  | { ok: true; request: CorrectionRequest }
  | { ok: false; errors: CorrectionErrors } {
  const errors: CorrectionErrors = {};
  if (!f.holder) errors.holder = '请选择申诉的健康码';
  if (f.kind !== 'local' && f.kind !== 'origin') errors.kind = '请选择申诉类型';
  const n = reasonLength(f.reason);
  if (n < REASON_MIN) errors.reason = `请写明申诉理由（至少 ${REASON_MIN} 个字）`;
  else if (n > REASON_MAX) errors.reason = `申诉理由最多 ${REASON_MAX} 字（当前 ${n} 字）`;
  if (Object.keys(errors).length > 0 || !f.kind) return { ok: false, errors };
  return { ok: true, request: { holder: f.holder, kind: f.kind, reason: f.reason.trim() } };
}
