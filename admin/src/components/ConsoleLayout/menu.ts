// The left menu as the manual's screens show it (四, 五), plus 审计日志 (H3) for every unit and 激活码管理 and
// 健康码申诉 for the health department.
import type { ConsoleRole } from '@bamin/common/consoleApi';

export interface MenuEntry {
  key: string;
  path: string;
  label: string;
  /** Filled by later issues: the page says 尚未开放. */
  notOpen?: boolean;
}

export const MENU: MenuEntry[] = [
  { key: 'organisation', path: '/organisation', label: '企业数据管理' },
  { key: 'scan-records', path: '/scan-records', label: '出入扫码记录' },
  { key: 'employee-health', path: '/employee-health', label: '职工健康管理' },
  { key: 'employees', path: '/employees', label: '单位组织管理' },
  { key: 'service-points', path: '/service-points', label: '企业服务点管理' },
  { key: 'flow-warnings', path: '/flow-warnings', label: '人流预警管理' },
  { key: 'sub-accounts', path: '/sub-accounts', label: '子账号管理' },
  { key: 'data-reports', path: '/data-reports', label: '数据上报' },
  { key: 'data-received', path: '/data-received', label: '数据接收' },
  // H3 (issue 11): who read or changed whose record, for every role
  { key: 'audit', path: '/audit', label: '审计日志' },
];

export const HEALTH_DEPARTMENT_MENU: MenuEntry[] = [
  { key: 'activation-codes', path: '/activation-codes', label: '激活码管理' },
  // H6: local corrections are decided by the health department
  { key: 'corrections', path: '/corrections', label: '健康码申诉' },
];

export function menuFor(role: ConsoleRole | null): MenuEntry[] {
  return role === 'health_department' ? [...MENU, ...HEALTH_DEPARTMENT_MENU] : MENU;
}

export const HOME_PATH = '/organisation';

/** 政府用户电脑端 for government units and the health department, 企业用户电脑端 for enterprises. */
export function consoleTitle(role: ConsoleRole | null): string {
  return `服务单位健康码管理侧（${role === 'enterprise' ? '企业用户电脑端' : '政府用户电脑端'}）`;
}
