// The plugin pages a host opens (PLUGIN_PAGES of common/hostApi) and where each lives inside the plugin.
import type { PluginPage } from '@bamin/common/hostApi';
import { PAGES } from '../services/routes';
import { STAFF_PAGES } from '../services/staffRoutes';

/**
 * The page a host opens by plugin://<its name for the plugin>/<key>, and the plugin's own address of it
 * (plugin-private://<plugin appid>/… in the plugin build; the app path in tests).
 * code: personal code with family switching; report: 健康上报; register: 扫码登记 (主扫, C1–C4); scanner: 出入扫码服务.
 */
export const PLUGIN_PAGE_URLS: Record<PluginPage, string> = {
  code: PAGES.code,
  report: PAGES.report,
  register: PAGES.register,
  scanner: STAFF_PAGES.home,
};
