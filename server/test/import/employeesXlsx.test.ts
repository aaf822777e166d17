import { EMPLOYEE_IMPORT_COLUMNS, identityKey } from '@bamin/common';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  EMPLOYEE_HELP_SHEET_NAME,
  EMPLOYEE_SHEET_NAME,
  type EmployeeImportError,
  type EmployeeImportRow,
  buildEmployeeTemplate,
  parseEmployeeWorkbook,
} from '../../src/services/import/employeesXlsx';
import { residentId } from '../helpers/people';

const HEADER = [...EMPLOYEE_IMPORT_COLUMNS];
const ID_A = residentId('350102', '19900307', 123);
const ID_B = residentId('350203', '19851111', 456);
const ID_C = residentId('350104', '19700101', 2);

/** Distinct valid resident IDs for big files: 999 sequences a month, twelve months a year. */
function manyId(i: number): string {
  const month = String(1 + (Math.floor(i / 999) % 12)).padStart(2, '0');
  const year = 1970 + Math.floor(i / (999 * 12));
  return residentId('350102', `${year}${month}15`, (i % 999) + 1);
}

async function workbook(rows: ExcelJS.CellValue[][], build?: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('员工信息');
  for (const row of rows) sheet.addRow(row);
  build?.(sheet);
  wb.addWorksheet('填写说明').addRow(['这张表不会被读取', '姓名']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function parsedRows(rows: ExcelJS.CellValue[][]): Promise<EmployeeImportRow[]> {
  const result = await parseEmployeeWorkbook(await workbook(rows));
  if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 1));
  return result.rows;
}

async function parseErrors(body: Buffer, opts?: { maxRows?: number }): Promise<EmployeeImportError[]> {
  const result = await parseEmployeeWorkbook(body, opts);
  if (result.ok) throw new Error(`expected errors, got ${result.rows.length} rows`);
  return result.errors;
}

async function rowErrors(rows: ExcelJS.CellValue[][]): Promise<EmployeeImportError[]> {
  return parseErrors(await workbook([HEADER, ...rows]));
}

describe('buildEmployeeTemplate', () => {
  let template: Buffer;
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    template = await buildEmployeeTemplate();
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template as unknown as ExcelJS.Buffer);
  });

  it('has the data sheet first, with exactly the contract header and no example row, then 填写说明', () => {
    expect(wb.worksheets.map((s) => s.name)).toEqual([EMPLOYEE_SHEET_NAME, EMPLOYEE_HELP_SHEET_NAME]);
    const sheet = wb.worksheets[0];
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER);
    expect(sheet.actualRowCount).toBe(1);
  });

  it('formats the ID number and phone columns as text, so Excel keeps every digit', () => {
    const sheet = wb.worksheets[0];
    expect(sheet.getColumn(3).numFmt).toBe('@');
    expect(sheet.getColumn(5).numFmt).toBe('@');
  });

  it('offers the Chinese ID type names as a drop-down list on 证件类型', () => {
    const sheet = wb.worksheets[0];
    for (const address of ['B2', 'B10001']) {
      expect(sheet.getCell(address).dataValidation).toMatchObject({
        type: 'list',
        formulae: ['"居民身份证,护照,港澳居民来往内地通行证,台湾居民来往大陆通行证"'],
      });
    }
    expect(sheet.getCell('A2').dataValidation).toBeUndefined();
  });

  it('explains the rules and shows an example on 填写说明', () => {
    const help = wb.getWorksheet(EMPLOYEE_HELP_SHEET_NAME)!;
    const text: string[] = [];
    help.eachRow((row) => text.push((row.values as unknown[]).slice(1).join(' ')));
    const all = text.join('\n');
    expect(all).toContain('证件号码必须为文本格式');
    expect(all).toContain('居民身份证、护照、港澳居民来往内地通行证、台湾居民来往大陆通行证');
    expect(all).toContain('ISO 3166-1');
    expect(all).toContain('10000');
    expect(all).toContain('11010519491231002X');
  });

  it('as downloaded, parses to 没有数据行', async () => {
    expect(await parseErrors(template)).toEqual([{ line: 0, problem: '没有数据行' }]);
  });

  it('round-trips: the template filled in (text cells, Chinese type names) parses to the employees', async () => {
    const filled = new ExcelJS.Workbook();
    await filled.xlsx.load(template as unknown as ExcelJS.Buffer);
    const sheet = filled.getWorksheet(EMPLOYEE_SHEET_NAME)!;
    sheet.getRow(2).values = ['张三', '居民身份证', ID_A, null, '138 0013 8000', '行政部'];
    sheet.getRow(3).values = ['John Smith', '护照', 'e1234567', 'usa', null, null];
    sheet.getRow(5).values = ['陈六', '港澳居民来往内地通行证', 'H12345678', null, null, '技术部'];
    sheet.getRow(6).values = ['林七', '台湾居民来往大陆通行证', '12345678', null, '+8613900139000', null];
    const body = Buffer.from(await filled.xlsx.writeBuffer());

    const result = await parseEmployeeWorkbook(body);
    expect(result).toEqual({
      ok: true,
      rows: [
        {
          line: 2,
          value: { name: '张三', idType: 'resident_id', idNumber: ID_A, country: null, phone: '13800138000', department: '行政部', birthDate: '1990-03-07' },
          identityKey: identityKey('resident_id', ID_A, null),
        },
        {
          line: 3,
          value: { name: 'John Smith', idType: 'passport', idNumber: 'E1234567', country: 'USA', phone: null, department: null, birthDate: null },
          identityKey: identityKey('passport', 'E1234567', 'USA'),
        },
        {
          line: 5,
          value: { name: '陈六', idType: 'hk_macao_permit', idNumber: 'H12345678', country: null, phone: null, department: '技术部', birthDate: null },
          identityKey: identityKey('hk_macao_permit', 'H12345678', null),
        },
        {
          line: 6,
          value: { name: '林七', idType: 'taiwan_permit', idNumber: '12345678', country: null, phone: '13900139000', department: null, birthDate: null },
          identityKey: identityKey('taiwan_permit', '12345678', null),
        },
      ],
    });
  });
});

describe('parseEmployeeWorkbook: the file', () => {
  it.each([
    ['garbage', Buffer.from('姓名,证件类型\n张三,居民身份证\n')],
    ['an empty body', Buffer.alloc(0)],
    // An old binary .xls starts with the OLE2 compound-document signature.
    ['a .xls (OLE2) file', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(4096)])],
    ['a truncated .xlsx', Buffer.from('PK\u0003\u0004garbage')],
  ])('refuses %s with one whole-file error on line 0', async (_, body) => {
    expect(await parseErrors(body)).toEqual([{ line: 0, problem: expect.stringContaining('不是有效的 .xlsx 文件') }]);
  });

  it('refuses a workbook whose first sheet is empty, pointing at row 1', async () => {
    expect(await parseErrors(await workbook([]))).toEqual([{ line: 1, problem: expect.stringContaining('第一张工作表是空的') }]);
  });

  it('says 没有数据行 for a header with only blank rows under it', async () => {
    const body = await workbook([HEADER, [], ['', '  ', null]], (sheet) => {
      sheet.getCell('C5').numFmt = '@';
    });
    expect(await parseErrors(body)).toEqual([{ line: 0, problem: '没有数据行' }]);
  });

  it('refuses 10,001 data rows with one error and accepts 10,000, in well under 5 s', async () => {
    const rows: ExcelJS.CellValue[][] = [HEADER];
    for (let i = 0; i < 10_001; i++) rows.push([`员工${i}`, '居民身份证', manyId(i), null, '13800138000', `部门${i % 20}`]);
    const tooMany = await workbook(rows);
    expect(await parseErrors(tooMany)).toEqual([
      { line: 0, problem: '数据行过多：每个文件最多 10000 行，本文件有 10001 行；请分成多个文件导入' },
    ]);

    rows.pop();
    const full = await workbook(rows);
    const started = performance.now();
    const result = await parseEmployeeWorkbook(full);
    const elapsed = performance.now() - started;
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rows).toHaveLength(10_000);
    expect(result.rows[9_999]).toMatchObject({ line: 10_001, value: { name: '员工9999', idNumber: manyId(9_999) } });
    expect(new Set(result.rows.map((r) => r.identityKey)).size).toBe(10_000);
    console.info(`10,000 employee rows parsed and validated in ${Math.round(elapsed)} ms`);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('takes the row limit from opts.maxRows', async () => {
    const body = await workbook([HEADER, ['张三', '居民身份证', ID_A], ['李四', '居民身份证', ID_B]]);
    expect(await parseErrors(body, { maxRows: 1 })).toEqual([
      { line: 0, problem: '数据行过多：每个文件最多 1 行，本文件有 2 行；请分成多个文件导入' },
    ]);
    expect((await parseEmployeeWorkbook(body, { maxRows: 2 })).ok).toBe(true);
  });
});

describe('parseEmployeeWorkbook: the header', () => {
  it('reports an unknown and a missing column on the header row, with the field of the missing one', async () => {
    const body = await workbook([['姓名', '证件类型', '身份证号', '国家/地区', '手机号码', '部门'], ['张三', '居民身份证', ID_A]]);
    expect(await parseErrors(body)).toEqual([
      { line: 1, problem: expect.stringContaining('未知的列：C 列“身份证号”') },
      { line: 1, field: 'idNumber', problem: expect.stringContaining('缺少列：证件号码') },
    ]);
  });

  it('reports every missing column when the optional ones are left out', async () => {
    const errors = await parseErrors(await workbook([['姓名', '证件类型', '证件号码'], ['张三', '居民身份证', ID_A]]));
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [1, 'country'],
      [1, 'phone'],
      [1, 'department'],
    ]);
  });

  it('reports a duplicated column', async () => {
    const errors = await parseErrors(await workbook([[...HEADER, '姓名'], ['张三', '居民身份证', ID_A]]));
    expect(errors).toEqual([{ line: 1, field: 'name', problem: '列名重复：G 列与 A 列都是“姓名”' }]);
  });

  it('takes the first non-blank row as the header and names its row', async () => {
    const body = await workbook([[], ['员工名单'], HEADER, ['张三', '居民身份证', ID_A]]);
    const errors = await parseErrors(body);
    expect(errors[0]).toEqual({ line: 2, problem: expect.stringContaining('未知的列：A 列“员工名单”') });
    expect(errors.slice(1).every((e) => e.line === 2 && e.problem.startsWith('缺少列'))).toBe(true);
  });

  it('reads columns by title: moved columns, spaces in a title and a full-width slash still read right', async () => {
    const rows = await parsedRows([
      ['证件号码', '姓名', ' 证件类型 ', '部门', '手机号码', '国家／地区'],
      [ID_A, '张三', '居民身份证', '行政部', '13800138000', null],
    ]);
    expect(rows).toEqual([{ line: 2, value: expect.objectContaining({ name: '张三', idNumber: ID_A, department: '行政部' }), identityKey: expect.any(String) }]);
  });
});

describe('parseEmployeeWorkbook: rows', () => {
  it.each([
    ['居民身份证', 'resident_id'],
    ['身份证', 'resident_id'],
    ['resident_id', 'resident_id'],
    ['RESIDENT_ID', 'resident_id'],
  ])('reads the ID type %s as %s', async (text, idType) => {
    const [row] = await parsedRows([HEADER, ['张三', text, ID_A]]);
    expect(row.value.idType).toBe(idType);
  });

  it('refuses an ID number in a number cell: 证件号码必须为文本格式', async () => {
    const errors = await rowErrors([
      ['张三', '居民身份证', ID_A],
      ['李四', '居民身份证', Number(ID_B)],
      ['林七', '台湾居民来往大陆通行证', 12345678],
    ]);
    expect(errors).toEqual([
      { line: 3, field: 'idNumber', problem: expect.stringMatching(/^证件号码必须为文本格式/) },
      { line: 4, field: 'idNumber', problem: expect.stringMatching(/^证件号码必须为文本格式/) },
    ]);
  });

  it('refuses an ID number Excel already turned into scientific notation', async () => {
    expect(await rowErrors([['张三', '居民身份证', '3.50102E+17']])).toEqual([
      { line: 2, field: 'idNumber', problem: expect.stringContaining('科学计数法') },
    ]);
  });

  it('reports every problem of every row, with Excel row numbers and contract fields, blank rows kept in the count', async () => {
    const errors = await rowErrors([
      ['张三', '居民身份证', ID_A],
      [],
      ['', '驾驶证', ID_B, null, '123', '部'.repeat(101)],
      ['王五', '居民身份证', ID_C.slice(0, 17), 'CHN'],
      ['赵六', '护照', 'E1', null, null, null],
      ['钱七', '', ''],
      [null, null, null, null, '13800138000'],
    ]);
    expect(errors).toEqual([
      { line: 4, field: 'name', problem: '姓名不能为空' },
      { line: 4, field: 'idType', problem: '证件类型无效：驾驶证；应为 居民身份证、护照、港澳居民来往内地通行证、台湾居民来往大陆通行证 之一' },
      { line: 4, field: 'phone', problem: expect.stringContaining('手机号码格式不正确') },
      { line: 4, field: 'department', problem: '部门名称过长：最多 100 个字符，现有 101 个' },
      { line: 5, field: 'idNumber', problem: '身份证号码长度应为18位' },
      { line: 5, field: 'country', problem: '居民身份证不填写国家或地区' },
      { line: 6, field: 'idNumber', problem: '护照号码应为5至17位字母或数字' },
      { line: 6, field: 'country', problem: expect.stringContaining('护照须填写签发国家或地区') },
      { line: 7, field: 'idType', problem: '证件类型不能为空' },
      { line: 7, field: 'idNumber', problem: '证件号码不能为空' },
      { line: 8, field: 'name', problem: '姓名不能为空' },
      { line: 8, field: 'idType', problem: '证件类型不能为空' },
      { line: 8, field: 'idNumber', problem: '证件号码不能为空' },
    ]);
  });

  it('reports a duplicate inside the file on the later row, naming the earlier one (case of X and spaces ignored)', async () => {
    let withX = '';
    for (let seq = 1; !withX; seq++) if (residentId('350102', '19900101', seq).endsWith('X')) withX = residentId('350102', '19900101', seq);
    const errors = await rowErrors([
      ['张三', '居民身份证', ID_A],
      ['李四', '居民身份证', withX],
      ['张三', '身份证', ` ${ID_A} `],
      ['李四', '居民身份证', withX.toLowerCase()],
      ['张三', '居民身份证', ID_A],
      // The same passport number from two countries is two people.
      ['Ann', '护照', 'E1234567', 'USA'],
      ['Bob', '护照', 'E1234567', 'GBR'],
    ]);
    expect(errors).toEqual([
      { line: 4, field: 'idNumber', problem: '证件重复：与第 2 行是同一证件' },
      { line: 5, field: 'idNumber', problem: '证件重复：与第 3 行是同一证件' },
      { line: 6, field: 'idNumber', problem: '证件重复：与第 2 行是同一证件' },
    ]);
  });

  it('refuses cells that are not text: error values, dates, booleans; reads whole numbers in other columns as text', async () => {
    const errors = await rowErrors([
      [{ error: '#N/A' } as ExcelJS.CellErrorValue, '居民身份证', ID_A, null, new Date(Date.UTC(2022, 0, 1)), true],
      ['李四', '居民身份证', ID_B, null, 13800138000, 2022],
    ]);
    expect(errors).toEqual([
      { line: 2, field: 'name', problem: '姓名：单元格是错误值 #N/A' },
      { line: 2, field: 'phone', problem: '手机号码应为文本，不能是日期' },
      { line: 2, field: 'department', problem: '部门应为文本，不能是逻辑值 TRUE/FALSE' },
    ]);
  });

  it('reads phones and departments typed as numbers', async () => {
    const [row] = await parsedRows([HEADER, ['李四', '居民身份证', ID_B, null, 13800138000, 2022]]);
    expect(row.value).toMatchObject({ phone: '13800138000', department: '2022' });
  });

  it('refuses content in a column without a title', async () => {
    expect(await rowErrors([['张三', '居民身份证', ID_A, null, null, null, '备注']])).toEqual([
      { line: 2, problem: 'G 列没有列名，却填写了内容；请只在模板的六列中填写' },
    ]);
  });

  it('reads rich text, formulas with a cached result and hyperlinks', async () => {
    const [row] = await parsedRows([
      HEADER,
      [
        { richText: [{ text: '张' }, { font: { bold: true }, text: '三' }] },
        { formula: '"居民身份证"', result: '居民身份证' },
        ID_A,
        null,
        null,
        { text: '行政部', hyperlink: 'https://example.org' },
      ],
    ]);
    expect(row.value).toMatchObject({ name: '张三', idType: 'resident_id', department: '行政部' });
  });
});

describe('parseEmployeeWorkbook: oversized files', () => {
  it('refuses a file whose parts inflate far beyond 10,000 rows before exceljs loads it', async () => {
    // 20 MB of zeros compresses to a few KB: what a zip's directory declares is checked, not the upload size.
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('员工信息');
    sheet.addRow(HEADER);
    sheet.addRow(['张三', '居民身份证', ID_A]);
    sheet.addImage(wb.addImage({ buffer: Buffer.alloc(20_000_000) as unknown as ExcelJS.Buffer, extension: 'png' }), 'H1:I2');
    const body = Buffer.from(await wb.xlsx.writeBuffer());
    expect(body.length).toBeLessThan(1_000_000);
    const started = performance.now();
    expect(await parseErrors(body)).toEqual([{ line: 0, problem: expect.stringMatching(/^文件过大：解压后超过 18 MB/) }]);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
