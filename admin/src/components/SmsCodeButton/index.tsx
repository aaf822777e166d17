import { Button } from 'antd';
import { useEffect, useState } from 'react';

export const SMS_COUNTDOWN_SECONDS = 60;

/**
 * 获取验证码 with a 60 s countdown. `send` validates the phone and asks the server; it throws to keep
 * the button available (the caller shows why).
 */
export function SmsCodeButton({ send, testId }: { send: () => Promise<void>; testId: string }) {
  const [left, setLeft] = useState(0);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (left <= 0) return;
    const t = setTimeout(() => setLeft((n) => n - 1), 1000);
    return () => clearTimeout(t);
  }, [left]);
  return (
    <Button
      data-testid={testId}
      disabled={left > 0}
      loading={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await send();
          setLeft(SMS_COUNTDOWN_SECONDS);
        } catch {
          // the caller has shown the problem
        } finally {
          setBusy(false);
        }
      }}
    >
      {left > 0 ? `${left} 秒后重新获取` : '获取验证码'}
    </Button>
  );
}
