import { CopyOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';

/** Copies `text`; falls back to a selected textarea where the Clipboard API is missing (plain HTTP). */
export function CopyButton({ text, label = '复制', testId }: { text: string; label?: string; testId: string }) {
  const { message } = App.useApp();
  return (
    <Button
      data-testid={testId}
      icon={<CopyOutlined />}
      onClick={async () => {
        try {
          if (navigator.clipboard?.writeText) await navigator.clipboard.writeText(text);
          else legacyCopy(text);
          void message.success('已复制');
        } catch {
          try {
            legacyCopy(text);
            void message.success('已复制');
          } catch {
            void message.error('复制失败，请手动记录');
          }
        }
      }}
    >
      {label}
    </Button>
  );
}

function legacyCopy(text: string) {
  const area = document.createElement('textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy failed');
}
