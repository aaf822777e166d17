// The demo host's home page: signs in through the plugin's main with a host ticket, shows the summary, opens
// each plugin page by plugin:// path and shows the plugin's code card. A real host's back end signs the ticket
// with the host's key for the user it already knows; this development host has no back end, so the developer
// pastes a ticket from `npm run host-ticket -- <ID number>` (signed with the development host key).
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Text, Textarea, View } from '@tarojs/components';
import { PLUGIN_PAGES, type PluginMain, type PluginPage } from '@bamin/common/hostApi';
import './index.scss';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'code-card': { key?: string | number };
    }
  }
}

/** The name this host gives the plugin in app.config.ts (plugins.bamin). */
export const PLUGIN_NAME = 'bamin';

const PAGE_TEXT: Record<PluginPage, string> = { code: '健康码', report: '健康上报', register: '扫码登记', scanner: '扫码模式（扫码员）' };

export function pluginUrl(page: PluginPage): string {
  return `plugin://${PLUGIN_NAME}/${page}`;
}

function plugin(): PluginMain {
  return Taro.requirePlugin(PLUGIN_NAME) as PluginMain;
}

export default function HostHome() {
  const [ticket, setTicket] = useState('');
  const [status, setStatus] = useState<{ error: boolean; text: string } | null>(null);
  const [summary, setSummary] = useState('');
  const [busy, setBusy] = useState(false);
  // Remounts the card after a sign-in so it loads the new session's code.
  const [cardKey, setCardKey] = useState(0);

  const refreshSummary = async () => {
    try {
      const s = await plugin().getCodeSummary();
      setSummary(s ? `${s.colourText} · ${s.codeNumber}` : '尚未生成健康码（打开“健康码”页面申领）');
    } catch (e) {
      setSummary(`获取失败：${(e as Error)?.message ?? e}`);
    }
  };

  const signIn = async () => {
    setBusy(true);
    setStatus(null);
    try {
      const r = await plugin().signIn(ticket);
      if (r.ok) {
        setStatus({ error: false, text: '已登录八闽健康码' });
        setCardKey((k) => k + 1);
        await refreshSummary();
      } else {
        setStatus({ error: true, text: `${r.code}：${r.message}` });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='host-page'>
      <View className='host-card'>
        <Text className='host-title'>1. 登录票据</Text>
        <Text className='host-hint'>
          在开发机上运行 npm run host-ticket -- 350102199001010075 --name 张三，把输出的 HT1 票据粘贴到下面（5 分钟内有效，只能用一次）。
          真实宿主由自己的后端用宿主密钥签发票据；本演示宿主没有后端，无法在手机上自行签发。
        </Text>
        <Textarea className='host-ticket' data-testid='host-ticket' value={ticket} maxlength={-1} placeholder='HT1.…' onInput={(e) => setTicket(e.detail.value)} />
        <Button className='host-btn' data-testid='host-sign-in' loading={busy} disabled={busy || !ticket.trim()} onClick={signIn}>用票据登录（main.signIn）</Button>
        {status ? <Text className={`host-result${status.error ? ' host-error' : ''}`} data-testid='host-status'>{status.text}</Text> : null}
      </View>

      <View className='host-card'>
        <Text className='host-title'>2. 健康码摘要（main.getCodeSummary）</Text>
        <Text className='host-result' data-testid='host-summary'>{summary || '未获取'}</Text>
        <Button className='host-btn' onClick={refreshSummary}>刷新</Button>
      </View>

      <View className='host-card'>
        <Text className='host-title'>3. 插件组件 code-card</Text>
        <code-card key={cardKey} />
      </View>

      <View className='host-card'>
        <Text className='host-title'>4. 打开插件页面（plugin://{PLUGIN_NAME}/…）</Text>
        <View className='host-links'>
          {PLUGIN_PAGES.map((p) => (
            <Text key={p} className='host-link' data-testid={`host-open-${p}`} onClick={() => Taro.navigateTo({ url: pluginUrl(p) })}>{PAGE_TEXT[p]}</Text>
          ))}
        </View>
        <Button className='host-btn' data-testid='host-main-open' onClick={() => plugin().open('code').catch((e) => setStatus({ error: true, text: String(e?.message ?? e) }))}>
          main.open('code')
        </Button>
      </View>
    </View>
  );
}
