// Where a signed-in user goes next, from `me`.
import Taro from '@tarojs/taro';
import type { Me } from '@bamin/common/appApi';

export const PAGES = {
  login: '/pages/login/index',
  l4: '/pages/l4/index',
  profile: '/pages/profile/index',
  code: '/pages/code/index',
  family: '/pages/family/index',
  help: '/pages/help/index',
  service: '/pages/service/index',
  answers: '/pages/answers/index',
  report: '/pages/report/index',
  messages: '/pages/messages/index',
  point: '/pages/point/index',
  register: '/pages/register/index',
  arrival: '/pages/arrival/index',
  correction: '/pages/correction/index',
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
