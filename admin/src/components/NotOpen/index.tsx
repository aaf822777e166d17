import { Result } from 'antd';

/** A menu entry whose function comes with a later release: says so, and never shows made-up data. */
export function NotOpen({ title }: { title: string }) {
  // antd's Result does not pass data-* attributes on
  return (
    <div data-testid="not-open">
      <Result status="info" title={title} subTitle="该功能尚未开放，敬请期待。" />
    </div>
  );
}
