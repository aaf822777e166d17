// 健康码卡片 (plugin.json publicComponents "code-card"), for a host's own home page: the signed-in citizen's colour,
// masked name, code number and a small QR. A tap opens the plugin's code page (family switching and the rest
// are there). A plugin component may not call navigateTo from a host's page, so the card is a <Navigator>,
// which WeChat lets a plugin component use for its own pages.
import { useEffect, useState } from 'react';
import { Navigator, Text, View } from '@tarojs/components';
import type { CodeView } from '@bamin/common/appApi';
import { ApiError, errorMessage, getCode } from '../../../services/api';
import { getToken } from '../../../services/storage';
import { QrImage } from '../../../components/QrImage';
import { ColourTag } from '../../../components/ColourTag';
import { PLUGIN_PAGE_URLS } from '../../routes';
import '../../setup';
import './index.scss';

type State =
  | { kind: 'loading' }
  | { kind: 'code'; code: CodeView }
  | { kind: 'note'; text: string };

export const SIGNED_OUT_TEXT = '尚未登录，请先在本应用中完成登录';
export const NO_CODE_TEXT = '尚未生成健康码，点击申领';

async function load(): Promise<State> {
  if (!getToken()) return { kind: 'note', text: SIGNED_OUT_TEXT };
  try {
    return { kind: 'code', code: await getCode('self') };
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return { kind: 'note', text: SIGNED_OUT_TEXT };
    if (e instanceof ApiError && e.code === 'CODE_NOT_GENERATED') return { kind: 'note', text: NO_CODE_TEXT };
    return { kind: 'note', text: errorMessage(e) };
  }
}

export default function CodeCard() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    load().then((s) => live && setState(s));
    return () => {
      live = false;
    };
  }, []);

  return (
    <Navigator url={PLUGIN_PAGE_URLS.code} className='bamin-code-card' data-testid='code-card' hoverClass='none'>
      <View className='bamin-code-card-head'>
        <Text className='bamin-code-card-title'>八闽健康码</Text>
        <Text className='bamin-code-card-more'>查看 ›</Text>
      </View>
      {state.kind === 'loading' ? <Text className='hint' data-testid='code-card-loading'>加载中…</Text> : null}
      {state.kind === 'note' ? <Text className='hint' data-testid='code-card-note'>{state.text}</Text> : null}
      {state.kind === 'code' ? (
        <View className='bamin-code-card-body' data-testid='code-card-code' data-colour={state.code.colour}>
          <View className='bamin-code-card-info'>
            <ColourTag colour={state.code.colour} text={state.code.colourText} testId='code-card-colour' />
            <Text className='bamin-code-card-name' data-testid='code-card-name'>{state.code.nameMasked}</Text>
            <Text className='bamin-code-card-number' data-testid='code-card-number'>{state.code.codeNumber}</Text>
          </View>
          <QrImage text={state.code.token} className='bamin-code-card-qr' />
        </View>
      ) : null}
    </Navigator>
  );
}
