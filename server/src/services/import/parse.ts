// A source file → normalized records, or every problem in it. A file is loaded whole or not at all,
// so the result carries the complete list of problems (sorted by line) rather than the first one.
import { checkZip } from './zipGuard';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { ErrorDetail } from '@bamin/common';
import {
  type ParsedRow,
  type RawCell,
  type SourceType,
  SOURCE_COLUMNS,
  findDuplicateKeys,
  sourceKey,
  validateHeader,
  validateRow,
} from '../../domain/sources';
import { CsvParser, type CsvRecord } from './csv';
import { ENCODINGS, LineAlignedDecoder, type TextEncodingName, decodeText, unknownEncodingError } from './decode';
import { parseJsonRecords } from './json';
import { readXlsxRows } from './xlsx';

export type SourceFormat = 'csv' | 'json' | 'xlsx';

export interface ParseResult {
  rows: ParsedRow[];
  /** Empty exactly when the file may be loaded; `rows` may be partial when it is not. */
  errors: ErrorDetail[];
}

const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function formatFromContentType(contentType: string | undefined): SourceFormat | null {
  if (!contentType) return null;
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  switch (mediaType) {
    case 'text/csv':
    case 'application/csv':
      return 'csv';
    case 'application/json':
    case 'text/json':
      return 'json';
    case XLSX_MEDIA_TYPE:
      return 'xlsx';
    default:
      return null;
  }
}

export function formatFromFileName(name: string): SourceFormat | null {
  const ext = /\.([^./\\]+)$/.exec(name.trim())?.[1]?.toLowerCase();
  return ext === 'csv' || ext === 'json' || ext === 'xlsx' ? ext : null;
}

// ---- Rows of cells → records ---------------------------------------------------------------------

function isBlank(cell: RawCell): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/**
 * Shared by CSV and XLSX: the first non-blank row is the header, every later non-blank row a record.
 * Fed row by row so the CSV path can stream.
 */
class TableCollector {
  private columns: string[] | null = null;
  private headerFailed = false;
  private readonly rows: ParsedRow[] = [];
  private readonly errors: ErrorDetail[] = [];
  private dataRows = 0;

  constructor(
    private readonly type: SourceType,
    private readonly numberCellsAreLossy: boolean,
  ) {}

  /** True once the header was refused: nothing after it is worth reading. */
  get stopped(): boolean {
    return this.headerFailed;
  }

  add(line: number, cells: RawCell[], malformed?: string, cellProblems: { column: number; problem: string }[] = []): void {
    if (this.headerFailed) return;
    if (!malformed && cellProblems.length === 0 && cells.every(isBlank)) return; // blank / ",,,," rows
    if (this.columns === null) this.header(line, cells, malformed, cellProblems);
    else this.row(line, cells, malformed, cellProblems);
  }

  private header(line: number, cells: RawCell[], malformed: string | undefined, cellProblems: { column: number; problem: string }[]): void {
    const names = cells.map((cell) => (cell === null || cell === undefined ? '' : String(cell).trim()));
    // Spreadsheets often carry empty trailing columns; they are not columns anyone meant.
    while (names.length > 0 && names[names.length - 1] === '') names.pop();
    const problems: ErrorDetail[] = [];
    if (malformed) problems.push({ line, problem: malformed });
    for (const { column, problem } of cellProblems) problems.push({ line, problem: `第 ${column + 1} 列的列名无效：${problem}` });
    problems.push(...validateHeader(this.type, names).map((e) => ({ ...e, line })));
    this.columns = names;
    if (problems.length > 0) {
      this.headerFailed = true;
      this.errors.push(...problems);
    }
  }

  private row(line: number, cells: RawCell[], malformed: string | undefined, cellProblems: { column: number; problem: string }[]): void {
    this.dataRows++;
    if (malformed) {
      this.errors.push({ line, problem: malformed });
      return;
    }
    const columns = this.columns!;
    const raw: Record<string, RawCell> = {};
    columns.forEach((column, i) => {
      raw[column] = cells[i];
    });
    const problems: ErrorDetail[] = [];
    for (let i = columns.length; i < cells.length; i++) {
      if (!isBlank(cells[i])) problems.push({ line, problem: `第 ${i + 1} 列没有列名，却有内容` });
    }
    const badCells = new Set<string>();
    for (const { column, problem } of cellProblems) {
      const field = columns[column];
      if (field === undefined) problems.push({ line, problem: `第 ${column + 1} 列没有列名，却有内容` });
      else {
        badCells.add(field);
        problems.push({ line, field, problem });
      }
    }
    this.validate(line, raw, problems, badCells);
  }

  /** Also the JSON path's entry: one record as a map of field → value. */
  validate(line: number, raw: Record<string, RawCell>, problems: ErrorDetail[], badCells: Set<string> = new Set()): void {
    const result = validateRow(this.type, line, raw, { numberCellsAreLossy: this.numberCellsAreLossy });
    if ('errors' in result) {
      // A cell already reported as unreadable would only add a confusing "不能为空".
      problems.push(...result.errors.filter((e) => !e.field || !badCells.has(e.field)));
    }
    if (problems.length > 0) this.errors.push(...problems);
    else if ('record' in result) this.rows.push({ line, record: result.record, key: sourceKey(result.record) });
  }

  /** A record refused before its fields could be read (a JSON element that is not an object). */
  refuse(problems: ErrorDetail[]): void {
    this.errors.push(...problems);
  }

  markHeaderSeen(): void {
    this.columns ??= [];
  }

  countDataRow(): void {
    this.dataRows++;
  }

  finish(): ParseResult {
    if (this.columns === null) return { rows: [], errors: [{ problem: '文件为空' }] };
    if (this.headerFailed) return { rows: [], errors: sortByLine(this.errors) };
    if (this.dataRows === 0) return { rows: [], errors: [{ problem: '没有数据行' }] };
    const errors = sortByLine([...this.errors, ...findDuplicateKeys(this.rows)]);
    return { rows: this.rows, errors };
  }
}

/** Stable: problems of one line stay in column order. File-wide problems (no line) come first. */
function sortByLine(errors: ErrorDetail[]): ErrorDetail[] {
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.line ?? 0) - (b.e.line ?? 0) || a.i - b.i)
    .map(({ e }) => e);
}

// ---- CSV -----------------------------------------------------------------------------------------

/** A spreadsheet uploaded as CSV would otherwise surface as an encoding error, which misleads. */
function wrongContainer(head: Uint8Array): ErrorDetail | null {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return { problem: '文件是 Excel (.xlsx) 格式而不是 CSV，请按 xlsx 上传' };
  }
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    return { problem: '不支持旧版 Excel (.xls) 文件，请另存为 .xlsx 或 CSV' };
  }
  return null;
}

type CsvPass = { ok: true; result: ParseResult } | { ok: false; line: number };

/** One attempt at reading the CSV bytes in the given encoding. */
async function csvPass(type: SourceType, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, encoding: TextEncodingName, onChunk?: (bytes: number) => void): Promise<CsvPass> {
  const decoder = new LineAlignedDecoder(encoding);
  const csv = new CsvParser();
  const table = new TableCollector(type, false);
  const feed = (records: CsvRecord[]) => {
    for (const r of records) table.add(r.line, r.fields, r.problem);
  };
  for await (const chunk of chunks) {
    const step = decoder.push(chunk);
    if (!step.ok) return { ok: false, line: step.line };
    feed(csv.push(step.text));
    onChunk?.(chunk.length);
    if (table.stopped) return { ok: true, result: table.finish() };
  }
  const tail = decoder.end();
  if (!tail.ok) return { ok: false, line: tail.line };
  feed(csv.push(tail.text));
  feed(csv.end());
  return { ok: true, result: table.finish() };
}

async function parseCsvBuffer(type: SourceType, body: Uint8Array): Promise<ParseResult> {
  const wrong = wrongContainer(body);
  if (wrong) return { rows: [], errors: [wrong] };
  const failures: number[] = [];
  for (const encoding of ENCODINGS) {
    const pass = await csvPass(type, [body], encoding);
    if (pass.ok) return pass.result;
    failures.push(pass.line);
  }
  return { rows: [], errors: [unknownEncodingError(failures, body.subarray(0, 2))] };
}

// ---- JSON / XLSX ---------------------------------------------------------------------------------

function parseJsonBuffer(type: SourceType, body: Uint8Array): ParseResult {
  const decoded = decodeText(body);
  // `line` means record position in JSON, so an encoding failure's physical line goes unreported.
  if (!decoded.ok) return { rows: [], errors: [{ problem: decoded.error.problem }] };
  const parsed = parseJsonRecords(decoded.text);
  if (!parsed.ok) return { rows: [], errors: [parsed.error] };

  const table = new TableCollector(type, false);
  table.markHeaderSeen();
  const spec = SOURCE_COLUMNS[type];
  const allowed = new Set([...spec.required, ...spec.optional]);
  for (const record of parsed.records) {
    table.countDataRow();
    if (record.problems.some((p) => !p.field)) {
      table.refuse(record.problems);
      continue;
    }
    // Keys stand in for a header: unknown ones are refused per record; a missing one reads as empty.
    const problems = [...record.problems];
    for (const key of Object.keys(record.values)) {
      if (!allowed.has(key)) problems.push({ line: record.line, field: key, problem: `未知的字段：${key}；可用的字段为 ${[...allowed].join('、')}` });
    }
    const badCells = new Set(record.problems.map((p) => p.field!).filter(Boolean));
    table.validate(record.line, record.values, problems, badCells);
  }
  return table.finish();
}

/** An .xlsx of a source is read whole by exceljs: bounded first (issue 11: zip bombs, huge sheets). CSV has no such limit. */
export const SOURCE_XLSX_MAX_ROWS = 100_000;
const SOURCE_XLSX_MAX_INFLATED = 8 * 1024 * 1024 + SOURCE_XLSX_MAX_ROWS * 600;

async function parseXlsxBuffer(type: SourceType, body: Uint8Array): Promise<ParseResult> {
  const zip = checkZip(body, SOURCE_XLSX_MAX_INFLATED);
  if (!zip.ok && zip.reason === 'too_big') {
    return { rows: [], errors: [{ problem: `Excel 文件过大：解压后超过 ${Math.round(SOURCE_XLSX_MAX_INFLATED / 1048576)} MB；每个 Excel 文件最多 ${SOURCE_XLSX_MAX_ROWS} 行，更大的数据请改用 CSV 文件` }] };
  }
  if (zip.ok && zip.firstSheetRows !== null && zip.firstSheetRows - 1 > SOURCE_XLSX_MAX_ROWS) {
    return { rows: [], errors: [{ problem: `Excel 文件数据行过多：每个文件最多 ${SOURCE_XLSX_MAX_ROWS} 行，本文件约 ${zip.firstSheetRows - 1} 行；请分成多个文件或改用 CSV 文件` }] };
  }
  const read = await readXlsxRows(body);
  if (!read.ok) return { rows: [], errors: [read.error] };
  const table = new TableCollector(type, true);
  for (const row of read.rows) {
    table.add(row.line, row.cells, undefined, row.cellProblems);
    if (table.stopped) break;
  }
  return table.finish();
}

// ---- Entry points --------------------------------------------------------------------------------

export async function parseSourceBuffer(type: SourceType, format: SourceFormat, body: Buffer): Promise<ParseResult> {
  switch (format) {
    case 'csv':
      return parseCsvBuffer(type, body);
    case 'json':
      return parseJsonBuffer(type, body);
    case 'xlsx':
      return parseXlsxBuffer(type, body);
  }
}

const CHUNK_SIZE = 1 << 20;

/**
 * Reads a file for the import CLI. CSV is streamed; when a later chunk turns out not to be UTF-8 the
 * file is read again from the start as GB18030, so `bytesRead` then starts over from 0. JSON and XLSX
 * are read whole (neither format can be validated before its end anyway).
 */
export async function parseSourceFile(
  type: SourceType,
  path: string,
  onProgress?: (bytesRead: number, totalBytes: number) => void,
): Promise<ParseResult> {
  const format = formatFromFileName(path);
  if (!format) return { rows: [], errors: [{ problem: '无法从文件名判断格式：文件名应以 .csv、.json 或 .xlsx 结尾' }] };
  const { size } = await stat(path);

  if (format !== 'csv') {
    const body = await readFile(path);
    onProgress?.(body.length, size);
    return parseSourceBuffer(type, format, body);
  }

  const head = await readHead(path, 4);
  const wrong = wrongContainer(head);
  if (wrong) return { rows: [], errors: [wrong] };

  const failures: number[] = [];
  for (const encoding of ENCODINGS) {
    const stream = createReadStream(path, { highWaterMark: CHUNK_SIZE });
    let bytesRead = 0;
    try {
      const pass = await csvPass(type, stream as AsyncIterable<Buffer>, encoding, (n) => {
        bytesRead += n;
        onProgress?.(bytesRead, size);
      });
      if (pass.ok) return pass.result;
      failures.push(pass.line);
    } finally {
      stream.destroy();
    }
  }
  return { rows: [], errors: [unknownEncodingError(failures, head)] };
}

async function readHead(path: string, n: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of createReadStream(path, { start: 0, end: n - 1 })) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks, length);
}
