// Why a code is orange. The order is the manual's 服务介绍 (1)–(6) and is stored as-is: later issues
// append new codes at the end and never reorder.
export const REASON_CODES = [
  'CASE',
  'CLOSE_CONTACT',
  'HIGH_RISK_ARRIVAL',
  'CLOSED_COMMUNITY',
  'FEVER_CLINIC',
  'FEVER_DRUG',
  // issue 3 (A5): a family member's own health answers, given by the applicant
  'SELF_DECLARED',
  // issue 9 (B1): the origin province's health pass, through the national platform, is not green
  'ORIGIN_PASS',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const REASON_TEXT: Record<ReasonCode, string> = {
  CASE: '属于新冠肺炎确诊人员、疑似人员',
  CLOSE_CONTACT: '属于确诊或疑似人员的可能密切接触者',
  HIGH_RISK_ARRIVAL: '来自疫情高发地区人员',
  CLOSED_COMMUNITY: '属于实行封闭管理小区的居民',
  FEVER_CLINIC: '14天内在我省有发热门诊就诊记录',
  FEVER_DRUG: '14天内在我省有购买退烧药品记录',
  SELF_DECLARED: '申领时申报了健康异常（隔离、密切接触或出院未满14天，发热或呼吸道症状，或其他健康异常）',
  ORIGIN_PASS: '跨省互认：来源地健康码非绿码',
};

export function isReasonCode(s: unknown): s is ReasonCode {
  return typeof s === 'string' && (REASON_CODES as readonly string[]).includes(s);
}

export function sortReasons(codes: Iterable<ReasonCode>): ReasonCode[] {
  const present = new Set(codes);
  return REASON_CODES.filter((code) => present.has(code));
}
