import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';

/** The frame of the pages shown before sign-in. */
export function PublicFrame({ title, children, width = 480 }: { title: string; children: ReactNode; width?: number }) {
  return (
    <div style={{ minHeight: '100vh', background: '#f0f2f5', display: 'flex', flexDirection: 'column', alignItems: 'center', padding: '48px 16px' }}>
      <Typography.Title level={3} style={{ marginBottom: 4 }}>
        八闽健康码 · 服务单位健康码管理侧
      </Typography.Title>
      <Typography.Text type="secondary" style={{ marginBottom: 24 }}>
        政府用户电脑端 / 企业用户电脑端
      </Typography.Text>
      <Card title={<span data-testid="page-title">{title}</span>} style={{ width: '100%', maxWidth: width }}>
        {children}
      </Card>
    </div>
  );
}
