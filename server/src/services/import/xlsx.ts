// The first worksheet of an .xlsx upload, as header + rows of raw cells with the sheet's own row
// numbers, so a problem points at the row a source sees in Excel.
import { shanghaiWallClock, type ErrorDetail } from '@bamin/common';
import ExcelJS from 'exceljs';
import type { RawCell } from '../../domain/sources';

export interface XlsxRow {
  /** The worksheet row number. */
  line: number;
  /** Index 0 is column A. */
  cells: RawCell[];
  /** Cells that hold no usable value (#N/A and other error values), by 0-based column. */
  cellProblems: { column: number; problem: string }[];
}

export type XlsxParse = { ok: true; rows: XlsxRow[] } | { ok: false; error: ErrorDetail };

const NOT_XLSX = '无法读取 Excel 文件：不是有效的 .xlsx 文件（旧版 .xls 请另存为 .xlsx 或 CSV）';

export async function readXlsxRows(body: Uint8Array): Promise<XlsxParse> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type; a Node Buffer is what it actually reads.
    await workbook.xlsx.load(Buffer.from(body.buffer, body.byteOffset, body.byteLength) as unknown as ExcelJS.Buffer);
  } catch {
    return { ok: false, error: { problem: NOT_XLSX } };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { ok: false, error: { problem: '文件为空' } };

  const rows: XlsxRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: RawCell[] = [];
    const cellProblems: XlsxRow['cellProblems'] = [];
    row.eachCell({ includeEmpty: false }, (cell, columnNumber) => {
      const converted = cellValue(cell.value);
      const column = columnNumber - 1;
      if ('problem' in converted) cellProblems.push({ column, problem: converted.problem });
      else cells[column] = converted.value;
    });
    for (let i = 0; i < cells.length; i++) if (!(i in cells)) cells[i] = null;
    rows.push({ line: rowNumber, cells, cellProblems });
  });
  return { ok: true, rows };
}

type Converted = { value: RawCell } | { problem: string };

function cellValue(value: ExcelJS.CellValue | undefined): Converted {
  if (value === null || value === undefined) return { value: null };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { value };
  if (value instanceof Date) return { value: fromExcelDate(value) };
  if ('richText' in value) return { value: value.richText.map((run) => run.text).join('') };
  if ('error' in value) return { problem: `单元格是错误值 ${value.error}` };
  if ('formula' in value || 'sharedFormula' in value) {
    // A formula's cached result is what the source saw; a workbook never recalculated has none.
    const result = (value as ExcelJS.CellFormulaValue).result;
    return result === undefined ? { problem: '公式没有计算结果，请在 Excel 中重新计算并保存' } : cellValue(result);
  }
  if ('hyperlink' in value) {
    const text = (value as { text: unknown }).text;
    return typeof text === 'string' ? { value: text } : cellValue(text as ExcelJS.CellValue);
  }
  return { problem: '无法识别的单元格内容' };
}

/**
 * exceljs turns a date serial into a Date whose UTC fields are the wall-clock fields typed into the
 * sheet; sources type Shanghai time, so those fields are re-read as Shanghai wall-clock.
 */
function fromExcelDate(d: Date): Date {
  if (Number.isNaN(d.getTime())) return d;
  return (
    shanghaiWallClock(
      d.getUTCFullYear(),
      d.getUTCMonth() + 1,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    ) ?? new Date(NaN)
  );
}
