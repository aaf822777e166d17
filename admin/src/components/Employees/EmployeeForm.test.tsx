import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EmployeeView } from '@bamin/common/consoleApi';
import { residentId } from '../../../test/data';
import { fakeServer, refuse, renderUi } from '../../../test/render';
import { EmployeeFormModal, toEmployeeRequest } from './EmployeeForm';
import { checkImportFile } from './ImportModal';

afterEach(() => vi.unstubAllGlobals());

const type = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });
const submit = () => fireEvent.click(screen.getByTestId('emp-form-submit'));

async function chooseIdType(label: string) {
  const select = screen.getByTestId('emp-form-id-type').closest('.ant-select')!;
  fireEvent.mouseDown(select.querySelector('.ant-select-selector')!);
  fireEvent.click(await screen.findByTitle(label));
}

const saved: EmployeeView = { id: 9, name: '王小明', idType: 'resident_id', idMasked: '35*****012', phoneMasked: null, department: '办公室', createdAt: '2026-12-01T00:00:00Z' };

describe('Console / Employees / form (D6, E5)', () => {
  it('requires name and ID number', async () => {
    const calls = fakeServer(() => ({ status: 500 }));
    renderUi(<EmployeeFormModal open employee={null} onClose={() => {}} onSaved={() => {}} />);
    submit();
    expect(await screen.findByText('请输入姓名')).toBeTruthy();
    expect(await screen.findByText('请输入证件号码')).toBeTruthy();
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['emp-form-id-number', '350102198001015019', '身份证号码校验位不正确'],
    ['emp-form-id-number', '35010219800101501', '身份证号码长度应为18位'],
    ['emp-form-phone', '2390000111', '手机号码格式不正确，应为11位中国大陆手机号码'],
  ])('%s %s → %s', async (id, value, problem) => {
    fakeServer(() => ({ status: 500 }));
    renderUi(<EmployeeFormModal open employee={null} onClose={() => {}} onSaved={() => {}} />);
    type(id, value);
    expect(await screen.findByText(problem)).toBeTruthy();
  });

  it('a passport needs its country and a passport-shaped number', async () => {
    fakeServer(() => ({ status: 500 }));
    renderUi(<EmployeeFormModal open employee={null} onClose={() => {}} onSaved={() => {}} />);
    await chooseIdType('护照');
    type('emp-form-name', 'John Smith');
    type('emp-form-id-number', 'E1');
    expect(await screen.findByText('护照号码应为5至17位字母或数字')).toBeTruthy();
    submit();
    expect(await screen.findByText('护照须选择签发国家或地区')).toBeTruthy();
  });

  it('adds an employee with the request of the contract', async () => {
    const calls = fakeServer(() => ({ status: 201, body: saved }));
    const onSaved = vi.fn();
    renderUi(<EmployeeFormModal open employee={null} onClose={() => {}} onSaved={onSaved} />);
    type('emp-form-name', ' 王小明 ');
    type('emp-form-id-number', residentId().toLowerCase());
    type('emp-form-department', '办公室');
    submit();
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(saved));
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/v1/console/employees', body: { name: '王小明', idType: 'resident_id', idNumber: residentId(), country: null, phone: null, department: '办公室' } });
  });

  it('edits with PUT, pre-filled except the numbers it never received', async () => {
    const calls = fakeServer(() => ({ status: 200, body: saved }));
    const onSaved = vi.fn();
    renderUi(<EmployeeFormModal open employee={saved} onClose={() => {}} onSaved={onSaved} />);
    expect((screen.getByTestId('emp-form-name') as HTMLInputElement).value).toBe('王小明');
    expect(screen.getByText(/当前：35\*\*\*\*\*012/)).toBeTruthy();
    type('emp-form-id-number', residentId());
    type('emp-form-phone', '13900002222');
    submit();
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(calls[0]).toMatchObject({ method: 'PUT', url: '/api/v1/console/employees/9', body: { name: '王小明', idNumber: residentId(), phone: '13900002222', department: '办公室' } });
  });

  it('shows EMPLOYEE_EXISTS on the ID number field', async () => {
    fakeServer(() => refuse(409, 'EMPLOYEE_EXISTS', '本单位已有该证件号码的员工', [{ field: 'idNumber', problem: '已存在' }]));
    renderUi(<EmployeeFormModal open employee={null} onClose={() => {}} onSaved={() => {}} />);
    type('emp-form-name', '王小明');
    type('emp-form-id-number', residentId());
    submit();
    expect(await screen.findByText('已存在')).toBeTruthy();
  });
});

describe('Console / Employees / toEmployeeRequest and the import file check', () => {
  it('drops the country unless a passport, upper-cases numbers, empties become null', () => {
    expect(toEmployeeRequest({ name: ' A ', idType: 'passport', idNumber: ' e1234567 ', country: 'USA', phone: ' ', department: '' })).toEqual({ name: 'A', idType: 'passport', idNumber: 'E1234567', country: 'USA', phone: null, department: null });
    expect(toEmployeeRequest({ name: 'B', idType: 'resident_id', idNumber: residentId(), country: 'USA' }).country).toBeNull();
  });

  it.each([
    [{ name: 'staff.xlsx', size: 100 }, null],
    [{ name: 'STAFF.XLSX', size: 100 }, null],
    [{ name: 'staff.xls', size: 100 }, '请选择 .xlsx 格式的 Excel 文件（可先下载导入模板）'],
    [{ name: 'staff.csv', size: 100 }, '请选择 .xlsx 格式的 Excel 文件（可先下载导入模板）'],
    [{ name: 'staff.xlsx', size: 0 }, '文件为空'],
    [{ name: 'staff.xlsx', size: 20 * 1024 * 1024 }, null],
    [{ name: 'staff.xlsx', size: 20 * 1024 * 1024 + 1 }, '文件不能超过 20 MB'],
  ])('%j → %s', (file, problem) => {
    expect(checkImportFile(file)).toBe(problem);
  });
});
