// 激活码管理 (D1, health department only): issue a government unit's activation code for its name, credit
// code and county; the code is shown once (only its hash is stored). The list shows issued codes without them.
import { Alert, App, Button, Cascader, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { AreaOption } from '@bamin/common/appApi';
import type { ActivationCodeIssued, ActivationCodeView, Page } from '@bamin/common/consoleApi';
import { api } from '../../api';
import { useFailure } from '../../forms/failure';
import { creditCodeRule, required } from '../../forms/rules';
import { CopyButton } from '../CopyButton';

interface AreaNode {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: AreaNode[];
}

const FUJIAN_PREFIX = '35';

const toNode = (a: AreaOption): AreaNode => ({ value: a.code, label: a.name, isLeaf: a.level === 'county' });

interface Values {
  unitName: string;
  creditCode: string;
  area: string[];
}

export function ActivationCodesPage() {
  const { message } = App.useApp();
  const fail = useFailure();
  const [form] = Form.useForm<Values>();
  const [areas, setAreas] = useState<AreaNode[]>([]);
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<(ActivationCodeIssued & { unitName: string }) | null>(null);
  const [pageNo, setPageNo] = useState(1);
  const [page, setPage] = useState<Page<ActivationCodeView> | null>(null);

  useEffect(() => {
    // The department tree is Fujian's (province → city → county): the server takes only areas under 35.
    api.areas().then((r) => setAreas(r.areas.filter((a) => a.code.startsWith(FUJIAN_PREFIX)).map(toNode)), (e) => fail(e));
  }, [fail]);

  const load = useCallback(async () => {
    try {
      setPage(await api.activationCodes(pageNo));
    } catch (e) {
      fail(e);
    }
  }, [pageNo, fail]);
  useEffect(() => {
    void load();
  }, [load]);

  const loadChildren = async (selected: AreaNode[]) => {
    const target = selected[selected.length - 1];
    try {
      const { areas: children } = await api.areas(target.value);
      target.children = children.map(toNode);
      if (children.length === 0) target.isLeaf = true;
      setAreas((a) => [...a]);
    } catch (e) {
      fail(e);
    }
  };

  const columns: ColumnsType<ActivationCodeView> = [
    { title: '单位名称', dataIndex: 'unitName' },
    { title: '统一社会信用代码', dataIndex: 'creditCode' },
    { title: '所属地区', dataIndex: 'areaName' },
    { title: '有效期至', dataIndex: 'expiresAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
    {
      title: '状态',
      key: 'state',
      render: (_v, r) =>
        r.usedAt ? <Tag color="green">已使用（{dayjs(r.usedAt).format('YYYY-MM-DD HH:mm')}）</Tag> : dayjs(r.expiresAt).isBefore(dayjs()) ? <Tag>已过期</Tag> : <Tag color="blue">未使用</Tag>,
    },
  ];

  return (
    <div>
      <Typography.Title level={4}>激活码管理</Typography.Title>
      <Typography.Paragraph type="secondary">为政府单位发放激活码：单位凭单位名称、统一社会信用代码和激活码生成管理侧账号。激活码只能使用一次，30 天内有效，仅在发放时显示一次。</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="inline"
        style={{ marginBottom: 24, rowGap: 8 }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const unitName = v.unitName.trim();
            const result = await api.issueActivationCode({ unitName, creditCode: v.creditCode.trim().toUpperCase(), areaCode: v.area[v.area.length - 1] });
            setIssued({ ...result, unitName });
            form.resetFields();
            if (pageNo === 1) void load();
            else setPageNo(1);
          } catch (e) {
            fail(e, form);
            // the server names the county 'areaCode'; the form's field is 'area'
            if (e && typeof e === 'object' && 'details' in e) {
              const d = (e as { details: { field?: string; problem: string }[] }).details.find((x) => x.field === 'areaCode');
              if (d) form.setFields([{ name: 'area', errors: [d.problem] }]);
            }
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="unitName" label="单位名称" rules={[required('请输入单位名称'), { max: 100, message: '单位名称最多100个字符' }]}>
          <Input data-testid="act-unit-name" placeholder="请输入单位名称" style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="creditCode" label="统一社会信用代码" rules={[required('请输入统一社会信用代码'), creditCodeRule]}>
          <Input data-testid="act-credit-code" maxLength={18} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item
          name="area"
          label="所属区县"
          rules={[
            { required: true, message: '请选择所属区县' },
            { validator: async (_r, v?: string[]) => { if (v && v.length < 2) throw new Error('请选择到区县'); } },
          ]}
        >
          <Cascader<AreaNode> data-testid="act-area" options={areas} loadData={loadChildren} changeOnSelect={false} placeholder="省 / 市 / 区县" style={{ width: 260 }} />
        </Form.Item>
        <Button data-testid="act-submit" type="primary" htmlType="submit" loading={busy}>
          发放激活码
        </Button>
      </Form>
      <Table<ActivationCodeView>
        data-testid="act-table"
        rowKey="id"
        columns={columns}
        dataSource={page?.items ?? []}
        pagination={{ current: pageNo, pageSize: page?.pageSize ?? 10, total: page?.total ?? 0, showSizeChanger: false, showTotal: (t) => `共 ${t} 条`, onChange: setPageNo }}
      />
      <Modal
        title="激活码已发放"
        open={issued !== null}
        closable={false}
        maskClosable={false}
        footer={
          <Button data-testid="act-done" type="primary" onClick={() => { setIssued(null); void message.info('激活码已不可再次查看'); }}>
            我已记录
          </Button>
        }
      >
        {issued && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Alert type="warning" showIcon message="激活码只显示这一次，请立即记录并交给该单位。" data-testid="act-warning" />
            <div>单位：{issued.unitName}</div>
            <div>
              激活码：<Typography.Text data-testid="act-code" code strong style={{ fontSize: 18 }}>{issued.activationCode}</Typography.Text>
            </div>
            <div>有效期至：{dayjs(issued.expiresAt).format('YYYY-MM-DD HH:mm')}</div>
            <CopyButton testId="act-copy" text={issued.activationCode} label="复制激活码" />
          </Space>
        )}
      </Modal>
    </div>
  );
}
