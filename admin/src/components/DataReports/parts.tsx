// Pieces shared by 数据上报 (sent list, schedules) and 数据接收: the filter fields of a report, the
// status tag, the range in words, and the download of a report's .xlsx under the server's file name.
import { SyncOutlined } from '@ant-design/icons';
import { Form, Radio, Select, Tag, Tooltip, Typography } from 'antd';
import type { Colour } from '@bamin/common/colours';
import type { DataReportRequest, DataReportStatus, DataReportView } from '@bamin/common/reportApi';
import { api, saveBlob } from '../../api';

export type Temperature = NonNullable<DataReportRequest['temperature']>;

/** The filter fields as the form holds them: 全部 is 'all' (sent as no filter). */
export interface ReportFilterValues {
  servicePointIds?: number[];
  colour?: Colour | 'all';
  temperature?: Temperature | 'all';
}

export const FILTER_DEFAULTS: ReportFilterValues = { servicePointIds: [], colour: 'all', temperature: 'all' };

/** The filters as the request carries them: absent when 全部. */
export function toFilter(v: ReportFilterValues): Pick<DataReportRequest, 'servicePointIds' | 'colour' | 'temperature'> {
  return {
    ...(v.servicePointIds?.length ? { servicePointIds: v.servicePointIds } : {}),
    ...(v.colour && v.colour !== 'all' ? { colour: v.colour } : {}),
    ...(v.temperature && v.temperature !== 'all' ? { temperature: v.temperature } : {}),
  };
}

export interface PointOption {
  id: number;
  name: string;
}

/** 服务点 (several, or 全部 when none is chosen), 健康码状态 and 体温结果, as in 出入扫码记录. */
export function FilterFields({ points, prefix }: { points: PointOption[] | null; prefix: string }) {
  return (
    <>
      <Form.Item name="servicePointIds" label="服务点" extra="不选则为全部服务点">
        <Select
          data-testid={`${prefix}-points`}
          mode="multiple"
          allowClear
          placeholder="全部服务点"
          loading={points === null}
          optionFilterProp="label"
          options={(points ?? []).map((p) => ({ value: p.id, label: p.name }))}
        />
      </Form.Item>
      <Form.Item name="colour" label="健康码状态">
        <Radio.Group data-testid={`${prefix}-colour`} optionType="button">
          <Radio value="all">全部</Radio>
          <Radio value="green" data-testid={`${prefix}-colour-green`}>
            绿码
          </Radio>
          <Radio value="orange" data-testid={`${prefix}-colour-orange`}>
            橙码
          </Radio>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="temperature" label="体温结果">
        <Radio.Group data-testid={`${prefix}-temperature`} optionType="button">
          <Radio value="all">全部</Radio>
          <Radio value="normal" data-testid={`${prefix}-temperature-normal`}>
            正常
          </Radio>
          <Radio value="abnormal" data-testid={`${prefix}-temperature-abnormal`}>
            异常
          </Radio>
          <Radio value="none" data-testid={`${prefix}-temperature-none`}>
            未反馈
          </Radio>
        </Radio.Group>
      </Form.Item>
    </>
  );
}

export const rangeText = (from: string, to: string) => (from === to ? from : `${from} 至 ${to}`);

const STATUS_COLOUR: Record<DataReportStatus, string> = { generating: 'processing', delivered: 'green', failed: 'red' };

/** 生成中 (spinning) / 已送达 / 失败, with the failure's reason beside it. */
export function StatusTag({ report, testId }: { report: Pick<DataReportView, 'status' | 'statusText' | 'failureReason'>; testId: string }) {
  const tag = (
    <Tag data-testid={testId} color={STATUS_COLOUR[report.status]} icon={report.status === 'generating' ? <SyncOutlined spin /> : undefined}>
      {report.statusText}
    </Tag>
  );
  if (report.status !== 'failed' || !report.failureReason) return tag;
  return (
    <Tooltip title={report.failureReason}>
      <span>
        {tag}
        <Typography.Text type="danger" data-testid={`${testId}-reason`} style={{ fontSize: 12 }}>
          {report.failureReason}
        </Typography.Text>
      </span>
    </Tooltip>
  );
}

/** Saves the report's .xlsx under the name the server gives it (Content-Disposition). */
export async function downloadReport(r: Pick<DataReportView, 'id' | 'fileName'>): Promise<void> {
  const { blob, fileName } = await api.reportFile(r.id);
  saveBlob(blob, fileName ?? r.fileName ?? `数据上报_${r.id}.xlsx`);
}

/** The unit's service points for the 服务点 select (a unit has few; the report takes at most 200). */
export async function loadPoints(): Promise<PointOption[]> {
  const page = await api.servicePoints({ page: 1, pageSize: 100 });
  return page.items.map((p) => ({ id: p.id, name: p.name }));
}
