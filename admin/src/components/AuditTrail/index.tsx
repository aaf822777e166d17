// 审计日志 (H3; issue 11): who read or changed whose record, when, and why (the API route). A unit sees the
// entries made in its name; the health department sees everyone's and may narrow them to one unit. People
// appear only as the server masks them; the page shows every value as text (React escapes it).
import { App, Button, DatePicker, Form, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AUDIT_ACTION_TEXT, AUDIT_OUTCOME_TEXT, type AuditEntryView, type AuditPage } from '@bamin/common/auditApi';
import type { ConsoleRole } from '@bamin/common/consoleApi';
import { ApiFailure, api, isApiFailure, type AuditQuery } from '../../api';
import { applyFailure } from '../../forms/failure';

export const PAGE_SIZE = 20;
/** units offered per search in the health department's unit filter */
export const UNIT_OPTIONS = 20;
/** The server refuses a range of this many days or more (auditTrailService's AUDIT_MAX_DAYS). */
export const AUDIT_MAX_DAYS = 92;
export const EMPTY_TEXT = '暂无审计记录';

const OUTCOME_COLOUR: Record<string, string> = { ok: 'green', refused: 'red', not_found: 'default' };

const ACTION_OPTIONS = Object.entries(AUDIT_ACTION_TEXT).map(([value, label]) => ({ value, label }));
const OUTCOME_OPTIONS = Object.entries(AUDIT_OUTCOME_TEXT).map(([value, label]) => ({ value, label }));

export interface AuditFilterValues {
  range?: [Dayjs | null, Dayjs | null] | null;
  action?: string;
  outcome?: AuditQuery['outcome'];
  organisationId?: number;
}

/** The last 7 days up to today, as the server defaults. */
export const defaultRange = (): [Dayjs, Dayjs] => [dayjs().subtract(6, 'day').startOf('day'), dayjs().startOf('day')];

/** Why a range cannot be queried, in the server's words, or null. */
export function auditRangeProblem(from: Dayjs | null | undefined, to: Dayjs | null | undefined): string | null {
  if (!from || !to) return '请选择日期范围';
  if (to.isBefore(from, 'day')) return '结束日期不能早于开始日期';
  if (to.startOf('day').diff(from.startOf('day'), 'day') >= AUDIT_MAX_DAYS) return `查询范围最多 ${AUDIT_MAX_DAYS} 天`;
  return null;
}

/** The form's values as the server's query; the unit filter only for the health department. */
export function toAuditQuery(v: AuditFilterValues, role: ConsoleRole | null): AuditQuery {
  const q: AuditQuery = {};
  if (v.range?.[0] && v.range[1]) {
    q.from = v.range[0].format('YYYY-MM-DD');
    q.to = v.range[1].format('YYYY-MM-DD');
  }
  if (v.action) q.action = v.action;
  if (v.outcome) q.outcome = v.outcome;
  if (role === 'health_department' && v.organisationId) q.organisationId = v.organisationId;
  return q;
}

/** The server names the range's ends `from` and `to`; the form holds them in one field. */
function onFormFields(e: unknown): unknown {
  if (!isApiFailure(e)) return e;
  return new ApiFailure(e.status, e.code, e.message, e.details.map((d) => (d.field === 'from' || d.field === 'to' ? { ...d, field: 'range' } : d)));
}

const time = (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss');

export function AuditTrailPage({ role }: { role: ConsoleRole | null }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<AuditFilterValues>();
  const isHd = role === 'health_department';
  const initial = useMemo<AuditFilterValues>(() => ({ range: defaultRange() }), []);
  const [query, setQuery] = useState<AuditQuery>(() => toAuditQuery(initial, role));
  const [pageNo, setPageNo] = useState(1);
  const [page, setPage] = useState<AuditPage | null>(null);
  const [loading, setLoading] = useState(false);
  // the health department's unit filter: units found by name (GET /units) plus every unit seen in the trail
  const [units, setUnits] = useState<Map<number, string>>(new Map());
  const [unitSearch, setUnitSearch] = useState('');

  const addUnits = useCallback((more: { id: number; name: string }[]) => {
    setUnits((prev) => {
      let next: Map<number, string> | null = null;
      for (const u of more) {
        if (prev.has(u.id) && (prev.get(u.id) === u.name || !u.name)) continue;
        next ??= new Map(prev);
        next.set(u.id, u.name);
      }
      return next ?? prev;
    });
  }, []);

  useEffect(() => {
    if (!isHd) return;
    // units whose name holds what is typed (the first ones while nothing is), 300 ms after the last key;
    // optional help: without it, the health department can still type a unit's number
    const typed = unitSearch.trim().slice(0, 50);
    if (/^\d+$/.test(typed)) return;
    const timer = setTimeout(() => {
      api.units({ ...(typed ? { q: typed } : {}), page: 1, pageSize: UNIT_OPTIONS }).then(
        (p) => addUnits(p.items),
        () => {},
      );
    }, typed ? 300 : 0);
    return () => clearTimeout(timer);
  }, [isHd, unitSearch, addUnits]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const p = await api.audit({ ...query, page: pageNo, pageSize: PAGE_SIZE });
      setPage(p);
      if (isHd) addUnits(p.items.flatMap((r) => (r.organisation ? [r.organisation] : [])));
    } catch (e) {
      applyFailure(onFormFields(e), form, (t) => void message.error(t));
    } finally {
      setLoading(false);
    }
  }, [query, pageNo, isHd, addUnits, form, message]);
  useEffect(() => {
    void load();
  }, [load]);

  const search = (v: AuditFilterValues) => {
    setQuery(toAuditQuery(v, role));
    setPageNo(1);
  };
  const reset = () => {
    form.resetFields();
    search(initial);
  };

  const unitOptions = useMemo(() => {
    const options = [...units].map(([id, name]) => ({ value: id, label: `${name || '单位'}（${id}）` }));
    const typed = unitSearch.trim();
    if (/^\d{1,10}$/.test(typed) && Number(typed) > 0 && !units.has(Number(typed))) options.unshift({ value: Number(typed), label: `单位编号 ${Number(typed)}` });
    return options;
  }, [units, unitSearch]);

  const columns: ColumnsType<AuditEntryView> = [
    { title: '时间', dataIndex: 'at', width: 170, render: (v: string, r) => <span data-testid={`audit-at-${r.id}`}>{time(v)}</span> },
    { title: '操作人', dataIndex: 'actorText', render: (v: string, r) => <span data-testid={`audit-actor-${r.id}`}>{v}</span> },
    { title: '操作', dataIndex: 'actionText', render: (v: string, r) => <span data-testid={`audit-action-${r.id}`}>{v}</span> },
    {
      title: '涉及人员',
      key: 'person',
      render: (_v, r) => (
        <span data-testid={`audit-person-${r.id}`}>
          {r.personMasked ? (
            <>
              {r.personMasked.name} <Typography.Text type="secondary">{r.personMasked.idMasked}</Typography.Text>
            </>
          ) : (r.subjectText ?? '—')}
        </span>
      ),
    },
    ...(isHd
      ? [{ title: '单位', key: 'unit', render: (_v: unknown, r: AuditEntryView) => <span data-testid={`audit-unit-${r.id}`}>{r.organisation?.name || '—'}</span> }]
      : []),
    {
      title: '结果',
      dataIndex: 'outcome',
      width: 90,
      render: (v: string, r) => <Tag color={OUTCOME_COLOUR[v] ?? 'default'} data-testid={`audit-outcome-${r.id}`}>{r.outcomeText}</Tag>,
    },
    {
      title: '接口',
      dataIndex: 'route',
      render: (v: string | null, r) => (
        <span data-testid={`audit-route-${r.id}`} style={{ fontFamily: 'monospace', fontSize: 12 }}>
          {v ?? '—'}
        </span>
      ),
    },
  ];

  return (
    <div>
      <Typography.Title level={4}>审计日志</Typography.Title>
      <Typography.Paragraph type="secondary">
        {isHd ? '所有单位' : '本单位'}对个人信息的查询、查看、导出与修改记录：谁、何时、通过哪个接口、涉及何人（已脱敏）。每次查询最多 {AUDIT_MAX_DAYS} 天。
      </Typography.Paragraph>
      <Form<AuditFilterValues> form={form} layout="inline" initialValues={initial} onFinish={search} style={{ marginBottom: 16, rowGap: 12 }}>
        <Form.Item
          name="range"
          label="日期"
          rules={[
            {
              validator: async (_r, v: AuditFilterValues['range']) => {
                const problem = auditRangeProblem(v?.[0], v?.[1]);
                if (problem) throw new Error(problem);
              },
            },
          ]}
        >
          <DatePicker.RangePicker data-testid="audit-q-range" allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="action" label="操作">
          <Select data-testid="audit-q-action" placeholder="全部" allowClear showSearch optionFilterProp="label" options={ACTION_OPTIONS} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="outcome" label="结果">
          <Select data-testid="audit-q-outcome" placeholder="全部" allowClear options={OUTCOME_OPTIONS} style={{ width: 110 }} />
        </Form.Item>
        {isHd && (
          <Form.Item name="organisationId" label="单位">
            <Select
              data-testid="audit-q-unit"
              placeholder="全部单位（可输入单位名称或编号）"
              allowClear
              showSearch
              onSearch={setUnitSearch}
              filterOption={(input, o) => String(o?.label ?? '').includes(input.trim())}
              options={unitOptions}
              style={{ width: 260 }}
            />
          </Form.Item>
        )}
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" data-testid="audit-query">查询</Button>
            <Button data-testid="audit-reset" onClick={reset}>重置</Button>
          </Space>
        </Form.Item>
      </Form>
      <Table<AuditEntryView>
        data-testid="audit-table"
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={page?.items ?? []}
        locale={{ emptyText: <span data-testid="audit-empty">{EMPTY_TEXT}</span> }}
        scroll={{ x: 1100 }}
        pagination={{
          current: pageNo,
          pageSize: PAGE_SIZE,
          total: page?.total ?? 0,
          showSizeChanger: false,
          showTotal: (t) => <span data-testid="audit-total">共 {t} 条</span>,
          onChange: setPageNo,
        }}
      />
    </div>
  );
}
