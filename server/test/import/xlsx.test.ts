import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseSourceBuffer } from '../../src/services/import/parse';
import { readXlsxRows } from '../../src/services/import/xlsx';

const ID_A = '350102199003071234';
const ID_B = '350203198511114568';
const ID_C = '350104197001010028';

/** An Excel date cell as exceljs writes it: its UTC fields are the wall-clock time typed in. */
const wallClock = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, mo - 1, d, h, mi));

async function workbook(rows: ExcelJS.CellValue[][], build?: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('数据');
  for (const row of rows) sheet.addRow(row);
  build?.(sheet);
  wb.addWorksheet('说明').addRow(['this sheet is ignored']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('XLSX', () => {
  it('reads date cells as Shanghai wall-clock time and text cells as text', async () => {
    const body = await workbook(
      [
        ['id_type', 'id_number', 'name', 'identified_at', 'released_at'],
        ['resident_id', ID_A, '张三', wallClock(2022, 5, 1, 8, 30), null],
        ['resident_id', ID_B, { richText: [{ text: '李' }, { font: { bold: true }, text: '四' }] }, '2022-05-02 09:00', wallClock(2022, 5, 16)],
      ],
      (sheet) => {
        // Formatted but empty trailing rows, as spreadsheets leave behind.
        sheet.getCell('A10').numFmt = '@';
        sheet.getCell('B11').value = '';
      },
    );
    const result = await parseSourceBuffer('close-contacts', 'xlsx', body);
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => ({ line: r.line, ...r.record }))).toEqual([
      {
        line: 2,
        type: 'close-contacts',
        person: { idType: 'resident_id', idNumber: ID_A, country: null, name: '张三' },
        identifiedAt: new Date('2022-05-01T08:30:00+08:00'),
        releasedAt: null,
      },
      {
        line: 3,
        type: 'close-contacts',
        person: { idType: 'resident_id', idNumber: ID_B, country: null, name: '李四' },
        identifiedAt: new Date('2022-05-02T09:00:00+08:00'),
        releasedAt: new Date('2022-05-16T00:00:00+08:00'),
      },
    ]);
  });

  it('refuses an ID number in a number cell on that line only', async () => {
    const body = await workbook([
      ['id_type', 'id_number', 'name', 'status', 'reported_at'],
      ['resident_id', ID_A, '张三', 'confirmed', wallClock(2022, 5, 1)],
      ['resident_id', Number(ID_B), '李四', 'confirmed', wallClock(2022, 5, 1)],
      ['resident_id', ID_C, '王五', 'confirmed', wallClock(2022, 5, 1)],
    ]);
    const result = await parseSourceBuffer('cases', 'xlsx', body);
    expect(result.errors).toEqual([{ line: 3, field: 'id_number', problem: expect.stringContaining('Excel') }]);
    expect(result.errors[0].problem).toContain('文本');
    expect(result.rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it('uses sheet row numbers, skips blank rows and reads formulas, hyperlinks and numeric codes', async () => {
    const body = await workbook(
      [
        ['area_code', 'level', 'policy', 'effective_from'],
        [350102, 'community', { text: '通告', hyperlink: 'https://example.org/notice' }, wallClock(2022, 5, 1, 23, 59)],
        [],
        ['350100', { formula: 'LOWER("NONE")', result: 'none' }, null, '2022-05-02'],
        ['350000', 'outbreak', '', { error: '#N/A' }],
      ],
      (sheet) => {
        sheet.getRow(3).getCell(1).numFmt = '@';
      },
    );
    const result = await parseSourceBuffer('area-levels', 'xlsx', body);
    expect(result.rows.map((r) => ({ line: r.line, ...r.record }))).toEqual([
      { line: 2, type: 'area-levels', areaCode: '350102', level: 'community', policy: '通告', effectiveFrom: '2022-05-01' },
      { line: 4, type: 'area-levels', areaCode: '350100', level: 'none', policy: null, effectiveFrom: '2022-05-02' },
    ]);
    expect(result.errors).toEqual([{ line: 5, field: 'effective_from', problem: '单元格是错误值 #N/A' }]);
  });

  it('checks the header like CSV', async () => {
    const body = await workbook([['id_type', 'id_number', 'name', 'status', 'reported', 'extra']]);
    expect((await parseSourceBuffer('cases', 'xlsx', body)).errors).toEqual([
      { line: 1, field: 'reported', problem: expect.stringContaining('未知的列') },
      { line: 1, field: 'extra', problem: expect.stringContaining('未知的列') },
      { line: 1, field: 'reported_at', problem: '缺少必需的列：reported_at' },
    ]);
  });

  it('an empty sheet and a header-only sheet', async () => {
    expect(await parseSourceBuffer('cases', 'xlsx', await workbook([]))).toEqual({ rows: [], errors: [{ problem: '文件为空' }] });
    expect(await parseSourceBuffer('cases', 'xlsx', await workbook([['id_type', 'id_number', 'name', 'status', 'reported_at']]))).toEqual({
      rows: [],
      errors: [{ problem: '没有数据行' }],
    });
  });

  it('refuses something that is not an xlsx file', async () => {
    expect((await parseSourceBuffer('cases', 'xlsx', Buffer.from('id_type,id_number\n'))).errors).toEqual([
      { problem: expect.stringContaining('不是有效的 .xlsx 文件') },
    ]);
  });

  it('readXlsxRows gives raw cells by column', async () => {
    const read = await readXlsxRows(await workbook([['a', null, 'c'], [1, true, wallClock(2022, 1, 1, 12)]]));
    expect(read).toEqual({
      ok: true,
      rows: [
        { line: 1, cells: ['a', null, 'c'], cellProblems: [] },
        { line: 2, cells: [1, true, new Date('2022-01-01T04:00:00Z')], cellProblems: [] },
      ],
    });
  });
});
