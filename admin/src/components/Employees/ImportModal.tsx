// 批量导入 (D6, E5; manual 五(二)2, 五(二)6 (5)): download the template, upload the .xlsx as the raw body,
// then poll the job and show its progress. A failed file loads nothing; every problem is listed with
// its row (as Excel numbers it) and column.
import { Alert, Button, Modal, Progress, Result, Space, Table, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { EMPLOYEE_IMPORT_COLUMNS, type ImportJob } from '@bamin/common/consoleApi';
import { api } from '../../api';
import { useFailure } from '../../forms/failure';

// The server names the contract's field; the user knows the template's column header.
const COLUMN_OF_FIELD: Record<string, string> = Object.fromEntries(
  (['name', 'idType', 'idNumber', 'country', 'phone', 'department'] as const).map((f, i) => [f, EMPLOYEE_IMPORT_COLUMNS[i]]),
);

export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
const POLL_MS = 600;

/** A problem with the chosen file before it is sent, or null. */
export function checkImportFile(file: { name: string; size: number }): string | null {
  if (!/\.xlsx$/i.test(file.name)) return '请选择 .xlsx 格式的 Excel 文件（可先下载导入模板）';
  if (file.size === 0) return '文件为空';
  if (file.size > IMPORT_MAX_BYTES) return '文件不能超过 20 MB';
  return null;
}

export function ImportModal({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [uploading, setUploading] = useState(false);
  const fail = useFailure();
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!open) {
      setFile(null);
      setFileProblem(null);
      setJob(null);
    }
  }, [open]);

  // Poll while the job runs.
  useEffect(() => {
    if (!job || job.status === 'done' || job.status === 'failed') return;
    let live = true;
    const t = setTimeout(async () => {
      try {
        const next = await api.importJob(job.jobId);
        if (live) setJob(next);
      } catch (e) {
        if (live) fail(e);
      }
    }, POLL_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [job, fail]);

  useEffect(() => {
    if (job?.status === 'done') onImported();
    // onImported reloads the list once per finished job
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job?.status]);

  const running = job && (job.status === 'queued' || job.status === 'running');
  const percent = job?.total ? Math.floor((job.processed / job.total) * 100) : 0;

  return (
    <Modal title="批量导入员工信息" open={open} onCancel={onClose} footer={null} width={720} destroyOnHidden maskClosable={!running}>
      {!job && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph>
            1. 下载导入模板，按模板填写员工信息（姓名、证件类型、证件号码、国家/地区、手机号码、部门）。
            <a data-testid="import-template" href={api.employeeTemplateUrl} download="员工信息导入模板.xlsx" style={{ marginLeft: 8 }}>
              下载导入模板
            </a>
          </Typography.Paragraph>
          <Typography.Paragraph>2. 选择填写好的 .xlsx 文件（不超过 20 MB）后开始导入。整个文件全部正确才会导入，有任何错误都不会导入任何数据。</Typography.Paragraph>
          <input
            ref={inputRef}
            data-testid="import-file"
            type="file"
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(ev) => {
              const f = ev.target.files?.[0] ?? null;
              setFile(f);
              setFileProblem(f ? checkImportFile(f) : null);
            }}
          />
          {fileProblem && <Alert data-testid="import-file-problem" type="error" showIcon message={fileProblem} />}
          <Button
            data-testid="import-start"
            type="primary"
            disabled={!file || !!fileProblem}
            loading={uploading}
            onClick={async () => {
              if (!file) return;
              setUploading(true);
              try {
                setJob(await api.importEmployees(file));
              } catch (e) {
                fail(e);
              } finally {
                setUploading(false);
              }
            }}
          >
            开始导入
          </Button>
        </Space>
      )}
      {running && (
        <div data-testid="import-running">
          <Typography.Paragraph>{job.total === null ? '正在读取文件…' : `正在导入：${job.processed} / ${job.total}`}</Typography.Paragraph>
          <Progress data-testid="import-progress" percent={percent} status="active" />
        </div>
      )}
      {job?.status === 'done' && (
        <div data-testid="import-done">
        <Result
          status="success"
          title={`导入成功：共导入 ${job.inserted ?? 0} 名员工`}
          extra={
            <Button data-testid="import-close" type="primary" onClick={onClose}>
              完成
            </Button>
          }
        />
        </div>
      )}
      {job?.status === 'failed' && (
        <div data-testid="import-failed">
          <Alert
            type="error"
            showIcon
            message={<span data-testid="import-failed-text">导入失败，未导入任何数据。</span>}
            description={`文件中共发现 ${job.errors.length} 处问题，请修改后重新上传。`}
            style={{ marginBottom: 12 }}
          />
          <Table
            data-testid="import-errors"
            size="small"
            rowKey="key"
            dataSource={job.errors.map((e, key) => ({ ...e, key }))}
            pagination={job.errors.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
            columns={[
              { title: '行号', dataIndex: 'line', width: 90, render: (v: number) => (v === 0 ? '整个文件' : v) },
              { title: '列', dataIndex: 'field', width: 140, render: (v?: string) => (v ? (COLUMN_OF_FIELD[v] ?? v) : '—') },
              { title: '问题', dataIndex: 'problem' },
            ]}
          />
          <Space style={{ marginTop: 12 }}>
            <Button data-testid="import-retry" type="primary" onClick={() => { setJob(null); setFile(null); }}>
              重新上传
            </Button>
            <Button onClick={onClose}>关闭</Button>
          </Space>
        </div>
      )}
    </Modal>
  );
}
