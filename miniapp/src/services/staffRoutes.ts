// Pages of the scanner staff (扫码员) side and where a signed-in staff member goes next.
import Taro from '@tarojs/taro';
import type { StaffMe } from '@bamin/common/staffApi';
import { PAGE_ROOT_URL } from './routes';

export const STAFF_PAGES = {
  login: `${PAGE_ROOT_URL}/pages/staff/login/index`,
  password: `${PAGE_ROOT_URL}/pages/staff/password/index`,
  point: `${PAGE_ROOT_URL}/pages/staff/point/index`,
  home: `${PAGE_ROOT_URL}/pages/staff/home/index`,
  result: `${PAGE_ROOT_URL}/pages/staff/result/index`,
  feedback: `${PAGE_ROOT_URL}/pages/staff/feedback/index`,
  history: `${PAGE_ROOT_URL}/pages/staff/history/index`,
} as const;

/** Forced password change first, then the scan point, then the home page (出入扫码服务). */
export function staffNextPage(me: StaffMe): string {
  if (me.mustChangePassword) return STAFF_PAGES.password;
  if (!me.scanPoint) return STAFF_PAGES.point;
  return STAFF_PAGES.home;
}

export function routeStaffByMe(me: StaffMe): void {
  Taro.reLaunch({ url: staffNextPage(me) });
}

export function toStaffLogin(): void {
  Taro.reLaunch({ url: STAFF_PAGES.login });
}
