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
  createdAt: string;
  fileName: string | null;
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
