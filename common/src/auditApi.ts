// The audit trail in the console (H3; issue 11): who read or changed whose record, when, and why (the
// route). A unit sees what was done in its name; the health department sees everything.
import type { Page } from './consoleApi';
import type { OrganisationKind } from './staffApi';

/**
 * GET /api/v1/console/units?q&page&pageSize → Page<UnitOption> (health department only): every unit of the
 * province — departments, government units, enterprises — whose name contains q (1–50 characters; typed % and _
 * are dropped), by name; for the 审计日志's unit filter. Without q, the first page of all units.
 */
export interface UnitOption {
  id: number;
  name: string;
  kind: OrganisationKind;
}

export const AUDIT_OUTCOME_TEXT: Record<string, string> = { ok: '成功', not_found: '未找到', refused: '已拒绝' };

/** What an entry's subject is called on screen (a person is shown masked instead). */
export const AUDIT_SUBJECT_TEXT: Record<string, string> = {
  organisation: '单位',
  service_point: '服务点',
  account: '账号',
  data_report_schedule: '定时上报',
  data_report: '上报记录',
  source: '数据源',
  employee: '职工',
  code: '健康码',
  card: '健康码卡片',
  activation_code: '激活码',
  correction: '申诉',
};

/** What each audited action is called on screen; an action missing here is shown by its code. */
export const AUDIT_ACTION_TEXT: Record<string, string> = {
  'person.lookup': '数据源查询个人状态',
  'code.verify': '扫码核验',
  'code.lookup_typed': '人工输入查询',
  'code.lookup_ocr': '身份证识别查询',
  'code.verify_national': '核验防疫健康信息码',
  'card.issue': '签发健康码卡片',
  'card.revoke': '作废健康码卡片',
  'family.apply': '为家人申领',
  'family.code_view': '查看家人健康码',
  'family.remove': '删除家人',
  'citizen.l4_passed': '高级实名认证',
  'citizen.host_sign_in': '宿主应用登录',
  'correction.filed': '提交申诉',
  'correction.accepted': '采纳申诉',
  'correction.rejected': '不采纳申诉',
  'source.import': '数据源导入',
  'staff.sign_in': '扫码员登录',
  'staff.password_changed': '扫码员修改密码',
  'console.sign_in': '管理侧登录',
  'console.password_changed': '管理侧修改密码',
  'console.pass_person_view': '查看通行人员信息',
  'console.scan_record_view': '查看扫码记录详情',
  'console.scanner_view': '查看扫码员记录',
  'console.employee_reports_view': '查看职工健康上报记录',
  'console.employee_reports_exported': '导出职工健康上报',
  'console.employees_reminded': '提醒职工上报',
  'console.employee_added': '新增职工',
  'console.employee_updated': '编辑职工',
  'console.employees_deleted': '删除职工',
  'console.employees_imported': '导入职工',
  'console.data_report_sent': '发起数据上报',
  'console.data_report_download': '下载上报文件',
  'console.report_schedule_created': '新增定时上报',
  'console.report_schedule_deleted': '删除定时上报',
  'console.report_schedule_enabled': '启用定时上报',
  'console.report_schedule_disabled': '停用定时上报',
  'console.sub_account_added': '新增子账号',
  'console.organisation_updated': '修改单位信息',
  'console.service_point_added': '新增服务点',
  'console.service_point_updated': '编辑服务点',
  'console.service_point_deleted': '删除服务点',
  'console.service_point_poster_regenerated': '重新生成服务点健康码',
  'console.crowd_setting_saved': '保存人流预警配置',
  'console.crowd_setting_deleted': '删除人流预警配置',
  'console.activation_code_issued': '签发激活码',
  'console.government_account': '生成政府单位账号',
  'console.enterprise_registered': '法人注册',
  'console.associate': '关联企业',
};

/**
 * GET /api/v1/console/audit?from&to&action&outcome&page&pageSize → Page<AuditEntryView>, newest first.
 * from/to: YYYY-MM-DD Asia/Shanghai (default the last 7 days, at most 92 days). A unit sees entries made
 * for it; the health department sees all (organisationId filters by unit).
 */
export interface AuditEntryView {
  id: number;
  at: string;
  actorText: string;
  action: string;
  actionText: string;
  /** why: the API route */
  route: string | null;
  outcome: string;
  outcomeText: string;
  /** the person concerned, masked; null when the entry is about no person */
  personMasked: { name: string; idMasked: string } | null;
  subjectText: string | null;
  organisation: { id: number; name: string } | null;
}
export type AuditPage = Page<AuditEntryView>;
