// Contract of the citizen app API (/api/v1/app/*), shared by the server and the mini-program (A1–A7).
// Every route needs `Authorization: Bearer <session token>` except sms-codes and sessions (sign-in).
import type { OriginCheckView } from './nationalApi';
import type { Colour } from './colours';
import type { Day } from './dates';
import type { IdType } from './idDocuments';

export const SMS_PURPOSES = ['sign_in', 'family', 'console'] as const;
export type SmsPurpose = (typeof SMS_PURPOSES)[number];

/** POST /api/v1/app/sms-codes → 204. Dev provider: the code lands in the outbox (GET /api/dev/sms-outbox?phone=). */
export interface SmsCodeRequest { phone: string; purpose: SmsPurpose }

/** POST /api/v1/app/sessions → 201 SessionResponse. DELETE /api/v1/app/sessions/current → 204. */
export interface SignInRequest { phone: string; smsCode: string }
export interface SessionResponse { token: string; expiresAt: string; me: Me }

/** GET /api/v1/app/me */
export interface Me {
  phoneMasked: string;
  l4Verified: boolean;
  /** Present once the L4 check passed. */
  person: null | {
    nameMasked: string;
    idMasked: string;
    residenceArea: string | null;
    residenceAddress: string | null;
    codeNumber: string | null;
  };
}

/** POST /api/v1/app/l4/start → { checkId }; POST /api/v1/app/l4/confirm → Me. A failed or abandoned check leaves no code. */
export interface L4StartRequest { name: string; idType: IdType; idNumber: string; country?: string | null; birthDate?: Day | null }
export interface L4ConfirmRequest { checkId: string; confirmed: boolean }

/** PUT /api/v1/app/profile → Me */
export interface ProfileRequest { residenceArea: string; residenceAddress: string }

/** POST /api/v1/app/code → CodeView of 'self': generates the code number the first time, recording the current area. */
export interface GenerateCodeRequest { currentArea: string }

export const FAMILY_RELATIONS = ['parent', 'spouse_parent', 'child', 'spouse'] as const;
export type FamilyRelation = (typeof FAMILY_RELATIONS)[number];
export const FAMILY_RELATION_TEXT: Record<FamilyRelation, string> = {
  parent: '父母',
  spouse_parent: '配偶父母',
  child: '子女',
  spouse: '配偶',
};

/** The five health questions of manual 一(五); true = 是. */
export interface HealthAnswers {
  inFujian: boolean;
  leftFujianIn14Days: boolean;
  isolatedOrContactOrRecentlyDischarged: boolean;
  feverOrRespiratorySymptoms: boolean;
  otherAbnormalHealth: boolean;
}
export const HEALTH_QUESTION_TEXT: Record<keyof HealthAnswers, string> = {
  inFujian: '他/她目前是否在福建省内',
  leftFujianIn14Days: '他/她最近14天是否离开过福建',
  isolatedOrContactOrRecentlyDischarged: '是否处于隔离中，或14天内与确诊病例人有密切接触，或确诊出院未满14天',
  feverOrRespiratorySymptoms: '他/她是否有发热、气促或呼吸道症状',
  otherAbnormalHealth: '目前健康状况是否有其他异常',
};

/** POST /api/v1/app/family → 201 CodeSummary. Errors have their own codes (FAMILY_*). */
export interface FamilyApplication {
  relation: FamilyRelation;
  name: string;
  idType: IdType;
  idNumber: string;
  country?: string | null;
  /** Required when idType is not resident_id (ages come from the ID number otherwise). */
  birthDate?: Day | null;
  phone: string;
  smsCode: string;
  answers: HealthAnswers;
  commitmentAccepted: true;
}

/** GET /api/v1/app/codes → { codes: CodeSummary[] } — own code first, then family members (切换健康码). */
export interface CodeSummary {
  /** 'self' or the family binding id as a string. */
  holder: string;
  relation: FamilyRelation | 'self';
  nameMasked: string;
  colour: Colour;
}

/** GET /api/v1/app/codes/{holder} — the code page. Refresh before expiresAt. */
export interface CodeView extends CodeSummary {
  codeNumber: string;
  token: string;
  issuedAt: string;
  expiresAt: string;
  colourText: string;
  reasons: { code: string; text: string }[];
  greenFrom: Day | null;
  nucleicAcidTests: { sampledAt: string; result: 'negative' | 'positive'; institution: string }[];
  /** 跨省互认 (B1): the origin pass merged into the code, for arrivals from other provinces; null otherwise. */
  origin?: OriginCheckView | null;
}

/** GET /api/v1/app/areas?parent=350000 → { areas } (provinces when parent is absent). */
export interface AreaOption { code: string; name: string; level: 'province' | 'city' | 'county' }

// ---- health reports (A8) and messages (A9), issue 6 ----------------------------------------------

export const SYMPTOMS = ['none', 'fever', 'dry_cough', 'fatigue', 'other'] as const;
export type Symptom = (typeof SYMPTOMS)[number];
/** The choices of manual 一(六) 是否有以下症状（必选）. */
export const SYMPTOM_TEXT: Record<Symptom, string> = { none: '无症状', fever: '发热', dry_cough: '干咳', fatigue: '身体乏力', other: '其他症状' };

export const HEALTH_REPORT_TYPES = ['self', 'family', 'scan'] as const;
export type HealthReportType = (typeof HEALTH_REPORT_TYPES)[number];
export const HEALTH_REPORT_TYPE_TEXT: Record<HealthReportType, string> = { self: '本人上报', family: '家人代报', scan: '扫码登记' };

/**
 * POST /api/v1/app/health-reports → 201 HealthReportView (健康上报, for oneself or a family member the
 * user applied for: holder 'self' or the family holder id of GET /api/v1/app/codes). 'none' excludes
 * every other symptom; 'other' needs otherSymptom. Temperature 35.0–42.0 ℃, one decimal.
 * GET /api/v1/app/health-reports?holder=self&page=1&pageSize=10 → { items, page, pageSize, total }, newest first.
 */
export interface HealthReportRequest {
  holder: string;
  temperatureCelsius: number;
  symptoms: Symptom[];
  otherSymptom?: string | null;
  /** GB/T 2260 county of the current location. */
  areaCode: string;
  /** Current location text (filled by "locate me" or typed). */
  location: string;
}
export interface HealthReportView {
  id: number;
  reportType: HealthReportType;
  typeText: string;
  reportedAt: string;
  temperatureCelsius: number | null;
  symptoms: Symptom[];
  /** e.g. 发热、干咳 or 其他症状（头痛） */
  symptomText: string;
  areaCode: string | null;
  areaName: string | null;
  location: string | null;
}

export const MESSAGE_KINDS = ['reminder', 'crowd_warning', 'system'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
/**
 * 站内消息. GET /api/v1/app/messages?page=1&pageSize=20 → MessagePage (newest first, with the unread count);
 * POST /api/v1/app/messages/:id/read → MessageView (only the user's own; reading twice keeps the first time).
 */
export interface MessageView {
  id: number;
  kind: MessageKind;
  title: string;
  body: string;
  senderName: string | null;
  createdAt: string;
  readAt: string | null;
}
export interface MessagePage { items: MessageView[]; unread: number; page: number; pageSize: number; total: number }
