// Contract of service points, active registration and crowd-flow warnings (manual 三, 四(九)(十),
// 五(二)9–10; C1–C4, D8, D9, E8, E9). Console routes use the console cookie session; app routes the
// citizen bearer session. Shared by the server, admin/ and miniapp/.
import type { Symptom } from './appApi';
import type { Colour } from './colours';
import type { IdType } from './idDocuments';

// ---- console: service points (D8, E8) ------------------------------------------------------------

export const SERVICE_POINT_TYPES = ['entrance', 'canteen', 'shop', 'office', 'other'] as const;
export type ServicePointType = (typeof SERVICE_POINT_TYPES)[number];
export const SERVICE_POINT_TYPE_TEXT: Record<ServicePointType, string> = {
  entrance: '出入口',
  canteen: '食堂',
  shop: '门店',
  office: '办公场所',
  other: '其他',
};

/**
 * GET /api/v1/console/service-points?page&pageSize&name → Page<ServicePointView>
 * POST /api/v1/console/service-points → 201 ServicePointView; PUT /api/v1/console/service-points/:id;
 * DELETE /api/v1/console/service-points/:id → 204 (its poster stops working).
 * GET /api/v1/console/service-points/:id/poster.png | poster.pdf → the printable A4 poster (健康码下载).
 * POST /api/v1/console/service-points/:id/poster/regenerate → ServicePointView: every earlier poster is
 *   revoked (a scan of it says 二维码已作废).
 */
export interface ServicePointRequest {
  name: string;
  address: string;
  /** GB/T 2260 county */
  areaCode: string;
  type: ServicePointType;
  /** Employees of the unit on duty there (在岗员工). */
  staffEmployeeIds: number[];
}
export interface ServicePointView {
  id: number;
  name: string;
  address: string | null;
  areaCode: string;
  areaName: string;
  type: ServicePointType;
  typeText: string;
  staff: { employeeId: number; name: string }[];
  /** When the current poster was generated (earlier ones are void). */
  posterIssuedAt: string;
}

// ---- console: crowd-flow warnings (D9, E9) ----------------------------------------------------------

export const CROWD_STATES = ['normal', 'warning', 'exceeded'] as const;
export type CrowdState = (typeof CROWD_STATES)[number];
export const CROWD_STATE_TEXT: Record<CrowdState, string> = { normal: '正常', warning: '预警', exceeded: '已超标' };

/**
 * GET /api/v1/console/crowd-flow → CrowdFlowRow[] (every service point of the unit, configured or not).
 * PUT /api/v1/console/crowd-flow/:servicePointId → CrowdFlowRow (配置预警 / 编辑; warningLine ≤ capacity).
 * DELETE /api/v1/console/crowd-flow/:servicePointId → 204.
 * GET /api/v1/console/crowd-flow/live → CrowdFlowCard[] (points with a setting; poll every ≤ 5 s).
 */
export interface CrowdFlowRequest { capacity: number; warningLine: number; windowMinutes: number }
export interface CrowdFlowRow {
  servicePointId: number;
  servicePointName: string;
  setting: CrowdFlowRequest | null;
}
/** The manual's 人员超标预警 card. */
export interface CrowdFlowCard {
  servicePointId: number;
  /** 门店信息 */
  servicePointName: string;
  /** 人流上限 */
  capacity: number;
  warningLine: number;
  windowMinutes: number;
  /** 当前人流: distinct people with a record in (now − window, now] */
  current: number;
  state: CrowdState;
  stateText: string;
  /** 更新时间 */
  updatedAt: string;
}

// ---- app: active registration (C1–C4) ---------------------------------------------------------------

/**
 * GET /api/v1/app/service-points/by-token?token=… → PointPage (C2). The token is the poster's QR (kind
 * 'point'): forged → 400 TOKEN_BAD_SIGNATURE, revoked → 400 TOKEN_REVOKED, a personal code → 400
 * TOKEN_WRONG_KIND. A user who never generated a code → 403 CODE_REQUIRED_FIRST (C1).
 * POST /api/v1/app/registrations → 201 RegistrationResult (C3, C4): writes an active scan record at the
 * point and a 扫码登记 health report; the same person at the same point again within 10 minutes updates
 * that record (and report) instead of counting twice.
 */
export interface PointPage {
  servicePoint: { id: number; name: string; address: string | null; areaName: string; unitName: string; typeText: string };
  /** 在岗员工 with their code colour and latest temperature, masked. */
  staff: { nameMasked: string; colour: Colour | null; colourText: string; latestTemperatureCelsius: number | null; latestReportAt: string | null }[];
  /** The people the user may register (self and family members), masked as the manual's form shows them. */
  members: { holder: string; relationText: string; nameMasked: string; gender: '男' | '女' | null; idType: IdType; idMasked: string; phoneMasked: string | null }[];
}
export interface RegistrationRequest {
  token: string;
  holder: string;
  symptoms: Symptom[];
  otherSymptom?: string | null;
}
export interface RegistrationResult {
  scanId: number;
  /** false when an earlier registration within 10 minutes was updated. */
  counted: boolean;
  servicePointName: string;
  registeredAt: string;
  colour: Colour;
  colourText: string;
}
export const REGISTRATION_DEDUP_MINUTES = 10;
