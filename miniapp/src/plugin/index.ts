// The plugin's `main` (plugin.json): what a host calls through requirePlugin (PluginMain of common/hostApi).
// The session goes where the app's request helper reads it (services/storage), so the plugin's pages that
// the host opens afterwards are signed in.
import Taro from '@tarojs/taro';
import { PLUGIN_PAGES, type PluginMain, type PluginPage } from '@bamin/common/hostApi';
import { ApiError, errorMessage, getCode, signInWithHostTicket } from '../services/api';
import { setToken } from '../services/storage';
import { PLUGIN_PAGE_URLS } from './routes';

/** Trades the host's HT1 ticket for a citizen session (POST /api/v1/app/host-sessions). */
export const signIn: PluginMain['signIn'] = async (hostTicket) => {
  const ticket = typeof hostTicket === 'string' ? hostTicket.trim() : '';
  if (!ticket) return { ok: false, code: 'HOST_TICKET_MALFORMED', message: '缺少宿主应用的登录票据' };
  try {
    const session = await signInWithHostTicket(ticket);
    setToken(session.token);
    return { ok: true };
  } catch (e) {
    return { ok: false, code: e instanceof ApiError ? e.code : 'UNKNOWN', message: errorMessage(e) };
  }
};

/** Colour and code number of the signed-in citizen's own code; null before the first code is generated. */
export const getCodeSummary: PluginMain['getCodeSummary'] = async () => {
  try {
    const code = await getCode('self');
    return { colour: code.colour, colourText: code.colourText, codeNumber: code.codeNumber };
  } catch (e) {
    if (e instanceof ApiError && e.code === 'CODE_NOT_GENERATED') return null;
    throw e;
  }
};

export function isPluginPage(page: unknown): page is PluginPage {
  return typeof page === 'string' && (PLUGIN_PAGES as readonly string[]).includes(page);
}

/** Opens one of PLUGIN_PAGES; anything else is refused (rejected), never guessed. */
export const open: PluginMain['open'] = async (page) => {
  if (!isPluginPage(page)) throw new Error(`未知的插件页面：${String(page)}（可用：${PLUGIN_PAGES.join('、')}）`);
  await Taro.navigateTo({ url: PLUGIN_PAGE_URLS[page] });
};

const main: PluginMain = { signIn, getCodeSummary, open };
export default main;
