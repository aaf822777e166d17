// The green-code entries 疫情服务 / 去乘车 / 去买药 open services of the host super-app (manual 一(四)).
// Targets are configured at build time in TARO_APP_SERVICE_TARGETS (JSON): on weapp a mini-program
// { appId, path }, on H5 a { url }. Without a target the entry opens the development page that says
// which external service would open.
import Taro from '@tarojs/taro';
import { PAGES } from './routes';

declare const SERVICE_TARGETS: string | undefined;

export type HostServiceKey = 'epidemic' | 'bus' | 'medicine';
export interface ServiceTarget {
  appId?: string;
  path?: string;
  url?: string;
}

export function serviceTargets(raw: string | undefined = typeof SERVICE_TARGETS === 'string' ? SERVICE_TARGETS : undefined): Partial<Record<HostServiceKey, ServiceTarget>> {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

/** What an entry does on this platform: open another mini-program, a URL, or the development page. */
export function hostServiceAction(key: HostServiceKey, env: string | undefined, targets = serviceTargets()):
  | { kind: 'miniProgram'; appId: string; path?: string }
  | { kind: 'url'; url: string }
  | { kind: 'page'; url: string } {
  const t = targets[key];
  if (env === 'weapp' && t?.appId) return { kind: 'miniProgram', appId: t.appId, path: t.path };
  if (env === 'h5' && t?.url && /^https?:\/\//.test(t.url)) return { kind: 'url', url: t.url };
  return { kind: 'page', url: `${PAGES.service}?which=${key}` };
}

export function openHostService(key: HostServiceKey): void {
  const action = hostServiceAction(key, process.env.TARO_ENV);
  if (action.kind === 'miniProgram') Taro.navigateToMiniProgram({ appId: action.appId, path: action.path });
  else if (action.kind === 'url') window.location.href = action.url;
  else Taro.navigateTo({ url: action.url });
}
