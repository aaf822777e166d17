// Renders a component the way main.tsx does (Chinese locale, antd's App context) and fakes the server.
import { StyleProvider } from '@ant-design/cssinjs';
import { render } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import type { ReactElement } from 'react';
import { vi } from 'vitest';

// antd's CSS-in-JS goes into a detached element: jsdom parses every <style> in the document, which made
// each render and click slow, and these tests do not check layout.
const styles = document.createElement('div');

export function renderUi(ui: ReactElement) {
  return render(
    <StyleProvider container={styles}>
      {/* no motion: errors and modals appear at once instead of after an animation jsdom never runs */}
      <ConfigProvider locale={zhCN} theme={{ token: { motion: false } }}>
        <AntApp>{ui}</AntApp>
      </ConfigProvider>
    </StyleProvider>,
  );
}

export interface FakeCall {
  method: string;
  url: string;
  body: unknown;
  contentType: string | null;
}

/** Replaces fetch; `answer` decides each response from the call. Returns the calls seen. */
export function fakeServer(answer: (call: FakeCall) => { status: number; body?: unknown }) {
  const calls: FakeCall[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    const raw = init.body;
    const call: FakeCall = {
      method: init.method ?? 'GET',
      url,
      body: typeof raw === 'string' ? JSON.parse(raw) : raw,
      contentType: headers['Content-Type'] ?? null,
    };
    calls.push(call);
    const { status, body } = answer(call);
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  });
  return calls;
}

export const refuse = (status: number, code: string, message: string, details?: { field?: string; line?: number; problem: string }[]) => ({
  status,
  body: { error: { code, message, ...(details ? { details } : {}) } },
});
