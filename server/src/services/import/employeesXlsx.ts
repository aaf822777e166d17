// The employee import template and the reader of filled-in copies (D6/E5, issue 5). Pure apart from
// exceljs: no database. The caller checks the rows against the unit's stored employees (by the HMAC of
// each row's identity key) and loads the whole file or nothing.
//
// The template's first sheet holds the header and nothing else; the rules and a worked example live on
// the second sheet, 填写说明. There is deliberately no example row on the data sheet: a row the reader
// must recognise and skip (by a marker or a grey italic style) is silently lost as soon as someone
// types a real employee over it and leaves the marker, copies it down, or the style is lost in WPS or
// a paste; and an example left in place would be imported as a person. Only the first sheet is read.
import { EMPLOYEE_IMPORT_COLUMNS, ID_TYPE_TEXT, ID_TYPES, type IdType } from '@bamin/common';
import ExcelJS from 'exceljs';
import { checkZip } from './zipGuard';
import {
  type CheckedEmployee,
  type EmployeeField,
  EMPLOYEE_TEXT_LIMITS,
  checkEmployee,
  employeeIdentityKey,
} from '../../domain/employees';
import type { RawCell } from '../../domain/sources';
import { readXlsxRows } from './xlsx';

export const EMPLOYEE_IMPORT_MAX_ROWS = 10_000;

/** `line` for a problem with the file as a whole (not an .xlsx, too many rows, no data rows). */
export const WHOLE_FILE_LINE = 0;

export const EMPLOYEE_SHEET_NAME = '员工信息';
export const EMPLOYEE_HELP_SHEET_NAME = '填写说明';

export interface EmployeeImportError {
  /** The worksheet row number as Excel shows it; 0 for the file as a whole. */
  line: number;
  /** The contract's field (name, idType, idNumber, country, phone, department) when one is at fault. */
  field?: EmployeeField;
  problem: string;
}

export interface EmployeeImportRow {
  line: number;
  value: CheckedEmployee;
  /** employeeIdentityKey(value): hash it to find the person among the unit's employees. */
  identityKey: string;
}

export type EmployeeWorkbookParse =
  | { ok: true; rows: EmployeeImportRow[] }
  | { ok: false; errors: EmployeeImportError[] };

/** The template's columns in order, with the contract field each one fills. */
const COLUMN_FIELDS: readonly EmployeeField[] = ['name', 'idType', 'idNumber', 'country', 'phone', 'department'];
const FIELD_OF_HEADER = new Map<string, EmployeeField>(
  EMPLOYEE_IMPORT_COLUMNS.map((title, i) => [title, COLUMN_FIELDS[i]]),
);
const HEADER_OF_FIELD = new Map<EmployeeField, string>(
  EMPLOYEE_IMPORT_COLUMNS.map((title, i) => [COLUMN_FIELDS[i], title]),
);

// The names people type or paste besides the official ones; the template's drop-down offers the official.
const ID_TYPE_ALIASES: Record<string, IdType> = {
  身份证: 'resident_id',
  港澳通行证: 'hk_macao_permit',
  台湾通行证: 'taiwan_permit',
  台胞证: 'taiwan_permit',
};
const ID_TYPE_BY_TEXT = new Map<string, IdType>([
  ...ID_TYPES.map((t) => [ID_TYPE_TEXT[t], t] as const),
  ...ID_TYPES.map((t) => [t, t] as const),
  ...Object.entries(ID_TYPE_ALIASES),
]);
const ID_TYPE_NAMES = ID_TYPES.map((t) => ID_TYPE_TEXT[t]);

const ID_NUMBER_NOT_TEXT =
  '证件号码必须为文本格式：该单元格是数字，Excel 会丢掉超过 15 位的数字和开头的 0；请把该列设置为“文本”后重新录入号码';
const ID_NUMBER_SCIENTIFIC =
  '证件号码必须为文本格式：号码已被 Excel 改写成科学计数法，末尾几位已经丢失；请把该列设置为“文本”后重新录入号码';

// ---- The template --------------------------------------------------------------------------------

const GREY = { argb: 'FF808080' };
const REQUIRED_RED = { argb: 'FFC00000' };
const REQUIRED_FIELDS = new Set<EmployeeField>(['name', 'idType', 'idNumber']);

const HEADER_NOTES: Record<EmployeeField, string> = {
  name: `必填，最多 ${EMPLOYEE_TEXT_LIMITS.name} 个字`,
  idType: `必填，从下拉列表选择：${ID_TYPE_NAMES.join('、')}`,
  idNumber: '必填；本列为文本格式，请勿改成数字或常规格式',
  country: '仅护照填写：签发国家或地区的三位字母代码，如 USA、JPN；其他证件留空',
  phone: '选填，11 位中国大陆手机号码',
  department: `选填，最多 ${EMPLOYEE_TEXT_LIMITS.department} 个字`,
};

const COLUMN_WIDTHS: Record<EmployeeField, number> = {
  name: 14,
  idType: 26,
  idNumber: 24,
  country: 12,
  phone: 16,
  department: 20,
};

// The data validation formula is limited to 255 characters; the four names take about 40.
const ID_TYPE_LIST = `"${ID_TYPE_NAMES.join(',')}"`;

// The sample person's resident ID passes the check digit, so copying the example teaches the right shape.
const EXAMPLE_ROWS: string[][] = [
  ['张三', ID_TYPE_TEXT.resident_id, '11010519491231002X', '', '13800138000', '行政部'],
  ['John Smith', ID_TYPE_TEXT.passport, 'E12345678', 'USA', '', '技术部'],
];

const HELP_LINES: string[] = [
  `1. 只导入第一张工作表“${EMPLOYEE_SHEET_NAME}”；请勿修改、删除或调换表头（第 1 行），从第 2 行起每行填写一名员工。`,
  `2. 姓名、证件类型、证件号码为必填；国家/地区、手机号码、部门为选填。`,
  `3. 证件类型从下拉列表选择：${ID_TYPE_NAMES.join('、')}。`,
  '4. 证件号码必须为文本格式（模板中该列已设置为“文本”）。从其他表格粘贴时请使用“选择性粘贴 → 值”，否则 18 位号码会被 Excel 改成数字，末尾几位丢失，该行将被退回。',
  '5. 居民身份证号码为 18 位，校验位须正确；末位 X 大小写均可。',
  '6. 国家/地区仅在证件类型为护照时填写，使用 ISO 3166-1 三位字母代码（如 USA、GBR、JPN、KOR）；其他证件此列留空。',
  '7. 手机号码为 11 位中国大陆手机号码，可留空。',
  `8. 同一文件中同一证件只能出现一次；已在本单位员工名单中的证件也会被退回。`,
  `9. 每个文件最多 ${EMPLOYEE_IMPORT_MAX_ROWS} 行；空行会被忽略。`,
  '10. 任何一行有误时整个文件都不会导入，系统会列出每个有误的行号和列，改正后重新上传即可。',
  '11. 请保存为 .xlsx 格式（旧版 .xls 请另存为 .xlsx）。',
];

type DataValidationsOf = { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } };

export async function buildEmployeeTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '八闽健康码';
  const sheet = workbook.addWorksheet(EMPLOYEE_SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });

  COLUMN_FIELDS.forEach((field, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = COLUMN_WIDTHS[field];
    // Text format on every column, so Excel keeps an ID number's 18 digits and a phone's leading
    // characters as typed; the header cell itself keeps the style given below.
    column.numFmt = '@';
  });

  const header = sheet.getRow(1);
  COLUMN_FIELDS.forEach((field, i) => {
    const cell = header.getCell(i + 1);
    cell.value = HEADER_OF_FIELD.get(field)!;
    cell.numFmt = '@';
    cell.font = { bold: true, color: REQUIRED_FIELDS.has(field) ? REQUIRED_RED : undefined };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
    cell.alignment = { vertical: 'middle', horizontal: 'center' };
    cell.note = HEADER_NOTES[field];
  });
  header.height = 20;

  const lastDataRow = EMPLOYEE_IMPORT_MAX_ROWS + 1;
  (sheet as unknown as DataValidationsOf).dataValidations.add(`B2:B${lastDataRow}`, {
    type: 'list',
    allowBlank: true,
    formulae: [ID_TYPE_LIST],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle: '证件类型',
    error: `请从下拉列表选择：${ID_TYPE_NAMES.join('、')}`,
    showInputMessage: true,
    promptTitle: '证件类型',
    prompt: '请从下拉列表选择',
  });

  addHelpSheet(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addHelpSheet(workbook: ExcelJS.Workbook): void {
  const help = workbook.addWorksheet(EMPLOYEE_HELP_SHEET_NAME);
  help.getColumn(1).width = 14;
  for (let i = 2; i <= COLUMN_FIELDS.length; i++) help.getColumn(i).width = COLUMN_WIDTHS[COLUMN_FIELDS[i - 1]];
  help.addRow(['员工批量导入填写说明']).font = { bold: true, size: 14 };
  help.addRow([]);
  for (const line of HELP_LINES) help.addRow([line]);
  help.addRow([]);
  help.addRow(['示例（仅供参考，请勿复制到“员工信息”表；本表不会被导入）：']).font = { bold: true };
  const exampleHeader = help.addRow([...EMPLOYEE_IMPORT_COLUMNS]);
  exampleHeader.font = { bold: true, color: GREY };
  for (const example of EXAMPLE_ROWS) {
    const row = help.addRow(example);
    row.font = { italic: true, color: GREY };
    row.eachCell((cell) => {
      cell.numFmt = '@';
    });
  }
}

// ---- Reading a filled-in copy --------------------------------------------------------------------

export async function parseEmployeeWorkbook(
  body: Uint8Array,
  opts?: { maxRows?: number },
): Promise<EmployeeWorkbookParse> {
  const maxRows = opts?.maxRows ?? EMPLOYEE_IMPORT_MAX_ROWS;
  const tooBig = refuseOversized(body, maxRows);
  if (tooBig) return fail(tooBig);
  const read = await readXlsxRows(body);
  if (!read.ok) return fail({ line: WHOLE_FILE_LINE, problem: read.error.problem });

  const [headerRow, ...rest] = read.rows;
  if (!headerRow) {
    return fail({ line: 1, problem: `第一张工作表是空的：第 1 行应为表头 ${EMPLOYEE_IMPORT_COLUMNS.join('、')}` });
  }
  const header = readHeader(headerRow.line, headerRow.cells);
  if (!header.ok) return { ok: false, errors: header.errors };

  const dataRows = rest.filter((row) => !isBlankRow(row.cells) || row.cellProblems.length > 0);
  if (dataRows.length === 0) return fail({ line: WHOLE_FILE_LINE, problem: '没有数据行' });
  if (dataRows.length > maxRows) {
    return fail({
      line: WHOLE_FILE_LINE,
      problem: `数据行过多：每个文件最多 ${maxRows} 行，本文件有 ${dataRows.length} 行；请分成多个文件导入`,
    });
  }

  const errors: EmployeeImportError[] = [];
  const rows: EmployeeImportRow[] = [];
  const firstLineOfKey = new Map<string, number>();
  for (const row of dataRows) {
    const result = readRow(row.line, row.cells, row.cellProblems, header.columns);
    if (!result.ok) {
      errors.push(...result.errors);
      continue;
    }
    const key = employeeIdentityKey(result.value);
    const earlier = firstLineOfKey.get(key);
    if (earlier !== undefined) {
      errors.push({ line: row.line, field: 'idNumber', problem: `证件重复：与第 ${earlier} 行是同一证件` });
      continue;
    }
    firstLineOfKey.set(key, row.line);
    rows.push({ line: row.line, value: result.value, identityKey: key });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows };
}

// exceljs holds the whole workbook in memory, ~5 KB a row: a 2.5 MiB upload of 100,000 rows took
// 6 s and 470 MB before the row count could be checked, so a 20 MiB one could take the server down.
// A row takes ~300 bytes of sheet XML as Excel and exceljs write it (10,000 rows: ~3 MB), so the bound
// (18 MiB for 10,000 rows) leaves room for formatting and other sheets. The parts are really inflated to
// know (zipGuard.ts: declared sizes can lie), and the first sheet's rows are counted before exceljs loads.
const BASE_UNCOMPRESSED_BYTES = 8 * 1024 * 1024;
const UNCOMPRESSED_BYTES_PER_ROW = 1024;

function refuseOversized(body: Uint8Array, maxRows: number): EmployeeImportError | null {
  const limit = BASE_UNCOMPRESSED_BYTES + maxRows * UNCOMPRESSED_BYTES_PER_ROW;
  const zip = checkZip(body, limit);
  if (!zip.ok && zip.reason === 'too_big') {
    return {
      line: WHOLE_FILE_LINE,
      problem: `文件过大：解压后超过 ${Math.ceil(limit / 1048576)} MB，远超 ${maxRows} 行员工信息的大小；每个文件最多 ${maxRows} 行，请分成多个文件导入`,
    };
  }
  // the header is one of the rows; blank rows are counted too, so this is only a first, cheap bound
  if (zip.ok && zip.firstSheetRows !== null && zip.firstSheetRows > 2 * maxRows + 1) {
    return { line: WHOLE_FILE_LINE, problem: `数据行过多：每个文件最多 ${maxRows} 行，本文件约 ${zip.firstSheetRows - 1} 行；请分成多个文件导入` };
  }
  return null;
}

function fail(error: EmployeeImportError): EmployeeWorkbookParse {
  return { ok: false, errors: [error] };
}

function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Spaces around or inside a title and a full-width slash are typing variants, not other columns. */
function normaliseTitle(cell: RawCell): string {
  return String(cell ?? '')
    .replace(/\s+/g, '')
    .replace(/／/g, '/');
}

type Header = { ok: true; columns: (EmployeeField | null)[] } | { ok: false; errors: EmployeeImportError[] };

/**
 * The header must name the template's six columns; each column is read by its title, so a file whose
 * columns were moved still reads right. A column without a title is allowed only if it stays empty.
 */
function readHeader(line: number, cells: RawCell[]): Header {
  const errors: EmployeeImportError[] = [];
  const columns: (EmployeeField | null)[] = [];
  const seen = new Map<EmployeeField, number>();
  cells.forEach((cell, i) => {
    const title = normaliseTitle(cell);
    columns[i] = null;
    if (title === '') return;
    const field = FIELD_OF_HEADER.get(title);
    if (!field) {
      errors.push({
        line,
        problem: `未知的列：${columnLetter(i)} 列“${String(cell).trim()}”；表头应为 ${EMPLOYEE_IMPORT_COLUMNS.join('、')}，请使用下载的模板`,
      });
      return;
    }
    const first = seen.get(field);
    if (first !== undefined) {
      errors.push({
        line,
        field,
        problem: `列名重复：${columnLetter(i)} 列与 ${columnLetter(first)} 列都是“${HEADER_OF_FIELD.get(field)}”`,
      });
      return;
    }
    seen.set(field, i);
    columns[i] = field;
  });
  for (const field of COLUMN_FIELDS) {
    if (!seen.has(field)) {
      errors.push({
        line,
        field,
        problem: `缺少列：${HEADER_OF_FIELD.get(field)}；表头应为 ${EMPLOYEE_IMPORT_COLUMNS.join('、')}，请使用下载的模板`,
      });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, columns };
}

function isBlankRow(cells: RawCell[]): boolean {
  return cells.every((cell) => cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === ''));
}

type RowRead = { ok: true; value: CheckedEmployee } | { ok: false; errors: EmployeeImportError[] };

function readRow(
  line: number,
  cells: RawCell[],
  cellProblems: { column: number; problem: string }[],
  columns: (EmployeeField | null)[],
): RowRead {
  const errors: EmployeeImportError[] = [];
  const texts: Partial<Record<EmployeeField, string>> = {};
  const unreadable = new Set<EmployeeField>();

  for (const { column, problem } of cellProblems) {
    const field = columns[column];
    if (field) {
      unreadable.add(field);
      errors.push({ line, field, problem: `${HEADER_OF_FIELD.get(field)}：${problem}` });
    } else {
      errors.push({ line, problem: `${columnLetter(column)} 列：${problem}` });
    }
  }
  cells.forEach((cell, i) => {
    const field = columns[i];
    if (!field) {
      if (!isBlankRow([cell])) {
        errors.push({ line, problem: `${columnLetter(i)} 列没有列名，却填写了内容；请只在模板的六列中填写` });
      }
      return;
    }
    if (unreadable.has(field)) return;
    const text = cellText(field, cell);
    if ('problem' in text) {
      unreadable.add(field);
      errors.push({ line, field, problem: text.problem });
    } else {
      texts[field] = text.value;
    }
  });

  const idTypeText = texts.idType ?? '';
  const idType = ID_TYPE_BY_TEXT.get(idTypeText) ?? ID_TYPE_BY_TEXT.get(idTypeText.toLowerCase());
  const check = checkEmployee({
    name: texts.name ?? '',
    idType: idType ?? idTypeText,
    idNumber: texts.idNumber ?? '',
    country: texts.country,
    phone: texts.phone,
    department: texts.department,
  });
  if (!check.ok) {
    for (const { field, problem } of check.problems) {
      // A cell already reported as unreadable is not also reported as empty.
      if (unreadable.has(field)) continue;
      errors.push({ line, field, problem: field === 'idType' && idTypeText !== '' ? idTypeProblem(idTypeText) : problem });
    }
  }
  if (errors.length > 0 || !check.ok) return { ok: false, errors: errors.sort(byColumn) };
  return { ok: true, value: check.value };
}

function byColumn(a: EmployeeImportError, b: EmployeeImportError): number {
  return fieldOrder(a.field) - fieldOrder(b.field);
}

function fieldOrder(field: EmployeeField | undefined): number {
  return field === undefined ? COLUMN_FIELDS.length : COLUMN_FIELDS.indexOf(field);
}

function idTypeProblem(text: string): string {
  return `证件类型无效：${text}；应为 ${ID_TYPE_NAMES.join('、')} 之一`;
}

/** A cell as trimmed text, or why it cannot be read as what its column holds. */
function cellText(field: EmployeeField, cell: RawCell): { value: string } | { problem: string } {
  const title = HEADER_OF_FIELD.get(field);
  if (cell === null || cell === undefined) return { value: '' };
  if (typeof cell === 'string') {
    const value = cell.trim();
    if (field === 'idNumber' && /^\d+(\.\d+)?E\+?\d+$/i.test(value)) return { problem: ID_NUMBER_SCIENTIFIC };
    return { value };
  }
  if (typeof cell === 'number') {
    // An 18-digit number cannot survive a double, and no number keeps a leading zero: the digits
    // read back may be another person's, so the row is refused rather than guessed.
    if (field === 'idNumber') return { problem: ID_NUMBER_NOT_TEXT };
    if (Number.isSafeInteger(cell)) return { value: String(cell) };
    return { problem: `${title}应为文本：该数字已无法准确还原，请把该列设置为“文本”格式` };
  }
  if (typeof cell === 'boolean') return { problem: `${title}应为文本，不能是逻辑值 TRUE/FALSE` };
  return { problem: `${title}应为文本，不能是日期` };
}
