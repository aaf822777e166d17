// Contract of 数据上报 / 数据接收 (manual 四(八); D7): a unit sends the scan records of a range, as an
// .xlsx generated on the server, to a department above it; the department lists and downloads it.
// Console routes, cookie session. Shared by the server and admin/.
import type { Colour } from './colours';
import type { OrganisationKind } from './staffApi';

/**
 * POST /api/v1/console/data-reports → 202 DataReportView (status generating; poll the sent list).
 * Scan records of the sender with scanned_at in [from 00:00, to 24:00) Asia/Shanghai, narrowed by the filters.
 */
export interface DataReportRequest {
  /** One of GET /api/v1/console/data-reports/receivers: an ancestor in the department tree. */
  toOrganisationId: number;
  /** YYYY-MM-DD, Asia/Shanghai */
  from: string;
  to: string;
  /** Only records made at these service points of the unit. */
  servicePointIds?: number[];
  colour?: Colour;
  /** 'none' = 未反馈 */
  temperature?: 'normal' | 'abnormal' | 'none';
}

export const DATA_REPORT_STATUSES = ['generating', 'delivered', 'failed'] as const;
export type DataReportStatus = (typeof DATA_REPORT_STATUSES)[number];
export const DATA_REPORT_STATUS_TEXT: Record<DataReportStatus, string> = { generating: '生成中', delivered: '已送达', failed: '失败' };

/**
 * GET /api/v1/console/data-reports/sent?page&pageSize → Page<DataReportView> (数据上报)
 * GET /api/v1/console/data-reports/received?page&pageSize → Page<DataReportView> (数据接收; delivered only)
 * GET /api/v1/console/data-reports/:id/file → the .xlsx (sender or receiver only, else 404;
 *   409 REPORT_FILE_CORRUPT when the stored file no longer matches its checksum). The receiver's first
 *   download marks it 已读.
 */
export interface DataReportView {
  id: number;
  from: { id: number; name: string };
  to: { id: number; name: string };
  /** YYYY-MM-DD, Asia/Shanghai, inclusive */
  rangeFrom: string;
  rangeTo: string;
  rowCount: number | null;
  status: DataReportStatus;
  statusText: string;
  failureReason: string | null;
  /** When the receiver first downloaded it (接收方 已读); null = 未读. */
  readAt: string | null;
  /** When its whole file was written (已送达, 数据接收's 送达时间); null until then. */
  deliveredAt: string | null;
  /** When it was asked for (发起时间). */
  createdAt: string;
  fileName: string | null;
  /** The filters in words, e.g. 全部服务点 / 服务点 2 个；绿码；体温异常 */
  filterText: string;
  /** The schedule that produced it (定时上报), or null (手动上报). */
  scheduleId: number | null;
  /** 手动 / 每日 / 每周 */
  originText: string;
}

/** GET /api/v1/console/data-reports/receivers → ReceiverOption[] (nearest first). */
export interface ReceiverOption {
  id: number;
  name: string;
  kind: OrganisationKind;
}

export const DATA_REPORT_SHEET = '出入扫码记录';
export const DATA_REPORT_SUMMARY_SHEET = '汇总';
export const DATA_REPORT_COLUMNS = ['姓名', '证件号码', '通行区域', '扫码点', '扫码员', '扫码时间', '方式', '健康码状态', '体温结果', '通行原因'] as const;

/** Words for a report's filters, the same in the lists, the schedules and the file's 汇总 sheet. */
export function dataReportFilterText(f: { servicePointIds?: number[] | null; colour?: Colour | null; temperature?: DataReportRequest['temperature'] | null }): string {
  const parts = [f.servicePointIds?.length ? `服务点 ${f.servicePointIds.length} 个` : '全部服务点'];
  if (f.colour) parts.push(f.colour === 'green' ? '绿码' : '橙码');
  if (f.temperature) parts.push(f.temperature === 'normal' ? '体温正常' : f.temperature === 'abnormal' ? '体温异常' : '体温未反馈');
  return parts.join('；');
}

// ---- 定时上报 (G3): a unit's automatic daily or weekly report to a department ----
//
// A schedule's periods are Asia/Shanghai calendar periods: daily = one day (delivered after it ends,
// at the job's time, 00:30 by default, for the previous day); weekly = Monday–Sunday (delivered on
// the Monday after). The first period is the one in which the schedule was created or last enabled.
// Each period is delivered once however many server instances run the job; periods missed while no
// instance ran are delivered when one starts (at most REPORT_CATCH_UP_PERIODS back); a failed
// generation is retried at the next run (at most REPORT_MAX_ATTEMPTS times).

export const REPORT_FREQUENCIES = ['daily', 'weekly'] as const;
export type ReportFrequency = (typeof REPORT_FREQUENCIES)[number];
export const REPORT_FREQUENCY_TEXT: Record<ReportFrequency, string> = { daily: '每日', weekly: '每周' };
export const REPORT_PERIOD_TEXT: Record<ReportFrequency, string> = {
  daily: '每日凌晨自动上报前一日的出入扫码记录',
  weekly: '每周一凌晨自动上报上一周（周一至周日）的出入扫码记录',
};
export const REPORT_CATCH_UP_PERIODS: Record<ReportFrequency, number> = { daily: 31, weekly: 8 };
export const REPORT_MAX_ATTEMPTS = 3;
/** A unit may keep at most this many schedules. */
export const REPORT_MAX_SCHEDULES = 20;

/**
 * POST /api/v1/console/data-report-schedules → 201 ReportScheduleView
 *   400 VALIDATION_FAILED naming the field; 403 REPORT_RECEIVER_NOT_ALLOWED (toOrganisationId);
 *   409 REPORT_SCHEDULE_LIMIT (more than REPORT_MAX_SCHEDULES), 409 REPORT_SCHEDULE_DUPLICATE (same
 *   receiver, frequency and filters already scheduled).
 */
export interface ReportScheduleRequest {
  toOrganisationId: number;
  frequency: ReportFrequency;
  servicePointIds?: number[];
  colour?: Colour;
  temperature?: 'normal' | 'abnormal' | 'none';
}

/**
 * GET /api/v1/console/data-report-schedules → ReportScheduleView[] (the unit's, newest first)
 * PATCH /api/v1/console/data-report-schedules/:id {enabled: boolean} → ReportScheduleView (停用/启用;
 *   enabling starts again from the current period, nothing missed while stopped is sent)
 * DELETE /api/v1/console/data-report-schedules/:id → 204 (reports already sent stay)
 * Another unit's id: 404 REPORT_SCHEDULE_NOT_FOUND.
 */
export interface ReportScheduleView {
  id: number;
  to: { id: number; name: string };
  frequency: ReportFrequency;
  frequencyText: string;
  periodText: string;
  servicePointIds: number[];
  colour: Colour | null;
  temperature: 'normal' | 'abnormal' | 'none' | null;
  filterText: string;
  enabled: boolean;
  createdAt: string;
  /** The newest report this schedule produced. */
  lastReport: { id: number; status: DataReportStatus; statusText: string; rangeFrom: string; rangeTo: string; createdAt: string } | null;
}
