// 企业看板 (E3, manual 五(二)4) on 企业数据管理: totals as of yesterday (企业员工人数 with 详情 → 单位组织管理,
// 健康上报人数, 健康上报次数) and the daily reporting trend, from the nightly statistics. Government units
// and the health department see their own figures and, below, the enterprises of their area (G2,
// read-only). The unit's information card follows (EnterpriseInfo).
import { Alert, Card, Col, Row, Skeleton, Statistic, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import type { ConsoleMe, Dashboard, EnterpriseSummary, Page } from '@bamin/common/consoleApi';
import { api } from '../../api';
import { navigate } from '../../router';
import { EnterpriseInfo } from '../EnterpriseInfo';
import { percent, TrendChart } from '../TrendChart';

export function DashboardCard({ me }: { me: ConsoleMe }) {
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.dashboard(30).then(setData, (e: Error) => setError(e.message));
  }, []);
  const isEnterprise = me.role === 'enterprise';
  if (error) return <Alert type="error" showIcon message={error} style={{ marginBottom: 24 }} />;
  if (!data) return <Skeleton active />;
  return (
    <div style={{ marginBottom: 24 }}>
      <Typography.Title level={4}>{isEnterprise ? '企业看板' : '本单位看板'}</Typography.Title>
      <Typography.Paragraph type="secondary" data-testid="dash-as-of">
        汇总数据截至昨日（{data.asOf}）
      </Typography.Paragraph>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={8}>
          <Card extra={<Typography.Link data-testid="dash-employees-detail" onClick={() => navigate('/employees')}>详情</Typography.Link>} title={isEnterprise ? '企业员工人数' : '单位职工人数'}>
            <Statistic value={data.totals.employees} suffix="人" valueRender={(v) => <span data-testid="dash-employees">{v}</span>} />
          </Card>
        </Col>
        <Col span={8}>
          <Card title="健康上报人数">
            <Statistic value={data.totals.reportedEmployees} suffix="人" valueRender={(v) => <span data-testid="dash-reported-employees">{v}</span>} />
          </Card>
        </Col>
        <Col span={8}>
          <Card title="健康上报次数">
            <Statistic value={data.totals.reports} suffix="次" valueRender={(v) => <span data-testid="dash-reports">{v}</span>} />
          </Card>
        </Col>
      </Row>
      <Card title="每日健康上报数据变化趋势" size="small">
        {data.trend.length === 0 ? <Typography.Text type="secondary">暂无数据</Typography.Text> : <TrendChart trend={data.trend} />}
      </Card>
    </div>
  );
}

const PAGE_SIZE = 10;

export function EnterprisesTable() {
  const [pageNo, setPageNo] = useState(1);
  const [page, setPage] = useState<Page<EnterpriseSummary> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setPage(await api.enterprises({ page: pageNo, pageSize: PAGE_SIZE }));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : '加载失败');
    } finally {
      setLoading(false);
    }
  }, [pageNo]);
  useEffect(() => {
    void load();
  }, [load]);
  const columns: ColumnsType<EnterpriseSummary> = [
    { title: '序号', key: 'no', width: 70, render: (_v, _r, i) => (pageNo - 1) * PAGE_SIZE + i + 1 },
    { title: '企业名称', dataIndex: 'name', render: (v: string, r) => <span data-testid={`ent-name-${r.organisationId}`}>{v}</span> },
    { title: '统一社会信用代码', dataIndex: 'creditCode' },
    { title: '员工人数', dataIndex: 'employees' },
    { title: '昨日上报率', dataIndex: 'yesterdayShare', render: (v: number | null, r) => <span data-testid={`ent-share-${r.organisationId}`}>{v === null ? '—' : percent(v)}</span> },
    { title: '昨日出入人次', dataIndex: 'yesterdayEntries' },
  ];
  return (
    <div style={{ marginBottom: 24 }}>
      <Typography.Title level={4}>辖区企业</Typography.Title>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Table<EnterpriseSummary>
        data-testid="ent-table"
        rowKey="organisationId"
        loading={loading}
        columns={columns}
        dataSource={page?.items ?? []}
        pagination={{ current: pageNo, pageSize: PAGE_SIZE, total: page?.total ?? 0, showSizeChanger: false, showTotal: (t) => <span data-testid="ent-total">共 {t} 条</span>, onChange: setPageNo }}
      />
    </div>
  );
}

/** 企业数据管理: the dashboard, the area's enterprises for government units, the unit's information. */
export function OrganisationPage({ me }: { me: ConsoleMe }) {
  return (
    <div>
      <DashboardCard me={me} />
      {me.role !== 'enterprise' && <EnterprisesTable />}
      <EnterpriseInfo me={me} />
    </div>
  );
}
