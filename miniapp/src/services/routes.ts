// Where a signed-in user goes next, from `me`.
import Taro from '@tarojs/taro';
import type { Me } from '@bamin/common/appApi';

declare const PAGE_ROOT: string | undefined;

/** '' in the app; 'plugin-private://<plugin appid>' in the plugin build (H7), the only way a plugin's pages reach each other. */
export const PAGE_ROOT_URL: string = typeof PAGE_ROOT === 'string' ? PAGE_ROOT : '';

export const PAGES = {
  login: `${PAGE_ROOT_URL}/pages/login/index`,
  l4: `${PAGE_ROOT_URL}/pages/l4/index`,
  profile: `${PAGE_ROOT_URL}/pages/profile/index`,
  code: `${PAGE_ROOT_URL}/pages/code/index`,
  family: `${PAGE_ROOT_URL}/pages/family/index`,
  help: `${PAGE_ROOT_URL}/pages/help/index`,
  service: `${PAGE_ROOT_URL}/pages/service/index`,
  answers: `${PAGE_ROOT_URL}/pages/answers/index`,
  report: `${PAGE_ROOT_URL}/pages/report/index`,
  messages: `${PAGE_ROOT_URL}/pages/messages/index`,
  point: `${PAGE_ROOT_URL}/pages/point/index`,
  register: `${PAGE_ROOT_URL}/pages/register/index`,
  arrival: `${PAGE_ROOT_URL}/pages/arrival/index`,
  correction: `${PAGE_ROOT_URL}/pages/correction/index`,
  card: `${PAGE_ROOT_URL}/pages/card/index`,
} as const;

export function nextPageFor(me: Me): string {
  if (!me.l4Verified || !me.person) return PAGES.l4;
  if (!me.person.residenceArea) return PAGES.profile;
  if (!me.person.codeNumber) return `${PAGES.profile}?step=code`;
  return PAGES.code;
}

export function routeByMe(me: Me): void {
  Taro.reLaunch({ url: nextPageFor(me) });
}

export function toLogin(): void {
  Taro.reLaunch({ url: PAGES.login });
}
