import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportJob } from '@bamin/common/consoleApi';
import { fakeServer, renderUi } from '../../../test/render';
import { ImportModal } from './ImportModal';

afterEach(() => vi.unstubAllGlobals());

const job = (over: Partial<ImportJob>): ImportJob => ({ jobId: 'a'.repeat(32), status: 'queued', total: null, processed: 0, inserted: null, errors: [], createdAt: '', finishedAt: null, ...over });
const xlsxFile = () => new File([new Uint8Array([0x50, 0x4b, 3, 4])], '员工.xlsx');

function serveJobs(polls: ImportJob[]) {
  let i = 0;
  return fakeServer((c) => (c.method === 'POST' ? { status: 202, body: job({}) } : { status: 200, body: polls[Math.min(i++, polls.length - 1)] }));
}

describe('Console / Employees / import (D6, E2, E5)', () => {
  it('uploads the file as the raw xlsx body and shows progress until done', async () => {
    const calls = serveJobs([job({ status: 'running', total: 4, processed: 2 }), job({ status: 'done', total: 4, processed: 4, inserted: 4 })]);
    const onImported = vi.fn();
    renderUi(<ImportModal open onClose={() => {}} onImported={onImported} />);
    expect(screen.getByTestId('import-template').getAttribute('href')).toBe('/api/v1/console/employees/template.xlsx');
    fireEvent.change(screen.getByTestId('import-file'), { target: { files: [xlsxFile()] } });
    fireEvent.click(screen.getByTestId('import-start'));
    expect((await screen.findByTestId('import-running')).textContent).toContain('正在读取文件');
    await waitFor(() => expect(screen.getByTestId('import-running').textContent).toContain('正在导入：2 / 4'));
    expect(screen.getByTestId('import-running').textContent).toContain('50%');
    expect((await screen.findByTestId('import-done')).textContent).toContain('共导入 4 名员工');
    expect(onImported).toHaveBeenCalledTimes(1);
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/v1/console/employees/imports', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(calls[0].body).toBeInstanceOf(File);
    expect(calls[1].url).toBe(`/api/v1/console/employees/imports/${'a'.repeat(32)}`);
  });

  it('a failed file lists every problem by row and column and says nothing was imported', async () => {
    serveJobs([
      job({
        status: 'failed',
        total: 3,
        processed: 3,
        errors: [
          { line: 3, field: 'idNumber', problem: '身份证号码校验位不正确' },
          { line: 4, field: 'phone', problem: '手机号码格式不正确' },
          { line: 0, problem: '文件中没有员工数据' },
        ],
      }),
    ]);
    const onImported = vi.fn();
    renderUi(<ImportModal open onClose={() => {}} onImported={onImported} />);
    fireEvent.change(screen.getByTestId('import-file'), { target: { files: [xlsxFile()] } });
    fireEvent.click(screen.getByTestId('import-start'));
    expect((await screen.findByTestId('import-failed-text')).textContent).toBe('导入失败，未导入任何数据。');
    const rows = Array.from(screen.getByTestId('import-errors').querySelectorAll('tbody tr.ant-table-row')).map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent));
    expect(rows).toEqual([
      ['3', '证件号码', '身份证号码校验位不正确'],
      ['4', '手机号码', '手机号码格式不正确'],
      ['整个文件', '—', '文件中没有员工数据'],
    ]);
    expect(onImported).not.toHaveBeenCalled();
  });

  it('refuses a file that is not .xlsx before sending it', async () => {
    const calls = serveJobs([]);
    renderUi(<ImportModal open onClose={() => {}} onImported={() => {}} />);
    fireEvent.change(screen.getByTestId('import-file'), { target: { files: [new File(['a,b'], 'staff.csv')] } });
    expect(screen.getByTestId('import-file-problem').textContent).toContain('.xlsx');
    await waitFor(() => expect((screen.getByTestId('import-start') as HTMLButtonElement).disabled).toBe(true));
    expect(calls).toHaveLength(0);
  });
});
