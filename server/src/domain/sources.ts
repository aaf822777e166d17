// What each data source may upload: columns, the key that makes a record unique within a file, and
// the rules a row must pass. Pure: the readers in services/import turn files into raw rows, this
// module turns raw rows into normalized records or problems a source can act on.
import {
  type AreaLevel,
  type Day,
  type ErrorDetail,
  type IdType,
  AREA_LEVELS,
  ID_TYPES,
  checkIdDocument,
  identityKey,
  isAreaLevel,
  isValidDay,
  parseBusinessTime,
  shanghaiDay,
} from '@bamin/common';
import { isCountyLevelCode, isKnownAreaCode } from './areas';
import { type CaseStatus, CASE_STATUSES } from './statusEngine';

export const SOURCE_TYPES = [
  'cases',
  'close-contacts',
  'arrivals',
  'closed-communities',
  'community-residents',
  'fever-clinic-visits',
  'fever-drug-purchases',
  'nucleic-acid-tests',
  'area-levels',
] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export function isSourceType(s: unknown): s is SourceType {
  return typeof s === 'string' && (SOURCE_TYPES as readonly string[]).includes(s);
}

export interface PersonRef {
  idType: IdType;
  /** Normalized by checkIdDocument (trimmed, upper-cased). */
  idNumber: string;
  country: string | null;
  name: string | null;
}

export type SourceRecord =
  | { type: 'cases'; person: PersonRef; status: CaseStatus; reportedAt: Date }
  | { type: 'close-contacts'; person: PersonRef; identifiedAt: Date; releasedAt: Date | null }
  | { type: 'arrivals'; person: PersonRef; fromArea: string; arrivedAt: Date }
  | { type: 'closed-communities'; communityCode: string; communityName: string | null; areaCode: string; closedFrom: Date; closedUntil: Date | null }
  | { type: 'community-residents'; person: PersonRef; communityCode: string }
  | { type: 'fever-clinic-visits'; person: PersonRef; hospital: string; visitedAt: Date }
  | { type: 'fever-drug-purchases'; person: PersonRef; pharmacy: string; drug: string; purchasedAt: Date }
  | { type: 'nucleic-acid-tests'; person: PersonRef; sampledAt: Date; result: 'negative' | 'positive'; institution: string }
  | { type: 'area-levels'; areaCode: string; level: AreaLevel; policy: string | null; effectiveFrom: Day };

export type RecordOf<T extends SourceType> = Extract<SourceRecord, { type: T }>;

export interface ParsedRow {
  line: number;
  record: SourceRecord;
  key: string;
}

export interface SourceColumns {
  /** Must be present in the header (a value may still be allowed to be empty, see below). */
  required: readonly string[];
  /** May be left out of the header altogether. */
  optional: readonly string[];
  /** What makes a record unique within a file (and what the writer matches stored rows on). */
  key: readonly string[];
}

const PERSON_COLUMNS = ['id_type', 'id_number', 'name'] as const;
const PERSON_KEY = ['id_type', 'id_number', 'country'] as const;

export const SOURCE_COLUMNS: Record<SourceType, SourceColumns> = {
  cases: {
    required: [...PERSON_COLUMNS, 'status', 'reported_at'],
    optional: ['country'],
    key: [...PERSON_KEY, 'reported_at'],
  },
  'close-contacts': {
    required: [...PERSON_COLUMNS, 'identified_at', 'released_at'],
    optional: ['country'],
    key: [...PERSON_KEY, 'identified_at'],
  },
  arrivals: {
    required: [...PERSON_COLUMNS, 'from_area', 'arrived_at'],
    optional: ['country'],
    key: [...PERSON_KEY, 'arrived_at'],
  },
  'closed-communities': {
    required: ['community_code', 'community_name', 'area_code', 'closed_from', 'closed_until'],
    optional: [],
    key: ['community_code'],
  },
  'community-residents': {
    required: [...PERSON_COLUMNS, 'community_code'],
    optional: ['country'],
    key: [...PERSON_KEY, 'community_code'],
  },
  'fever-clinic-visits': {
    required: [...PERSON_COLUMNS, 'hospital', 'visited_at'],
    optional: ['country'],
    key: [...PERSON_KEY, 'hospital', 'visited_at'],
  },
  'fever-drug-purchases': {
    required: [...PERSON_COLUMNS, 'pharmacy', 'drug', 'purchased_at'],
    optional: ['country'],
    key: [...PERSON_KEY, 'pharmacy', 'drug', 'purchased_at'],
  },
  'nucleic-acid-tests': {
    required: [...PERSON_COLUMNS, 'sampled_at', 'result', 'institution'],
    optional: ['country'],
    key: [...PERSON_KEY, 'institution', 'sampled_at'],
  },
  'area-levels': {
    required: ['area_code', 'level', 'policy', 'effective_from'],
    optional: [],
    key: ['area_code', 'effective_from'],
  },
};

/** Free-text limits, in characters (code points, as the database counts them). */
export const TEXT_LIMITS = {
  name: 50,
  hospital: 200,
  pharmacy: 200,
  drug: 200,
  institution: 200,
  from_area: 200,
  community_name: 200,
  policy: 2000,
} as const;

// Times outside this window are typing or spreadsheet slips (a time-only Excel cell lands in 1899,
// '0222' for '2022'); no source can have a genuine record there.
const EARLIEST_TIME = Date.UTC(1999, 11, 31, 16); // 2000-01-01 00:00 Shanghai
const LATEST_TIME = Date.UTC(2099, 11, 31, 16); // 2100-01-01 00:00 Shanghai

export type RawCell = string | number | boolean | Date | null | undefined;

export function validateHeader(type: SourceType, columns: string[]): ErrorDetail[] {
  const spec = SOURCE_COLUMNS[type];
  const allowed = [...spec.required, ...spec.optional];
  const errors: ErrorDetail[] = [];
  const seen = new Set<string>();
  const reportedDuplicates = new Set<string>();
  columns.forEach((column, i) => {
    if (column === '') {
      errors.push({ line: 1, problem: `第 ${i + 1} 列的列名为空` });
      return;
    }
    if (seen.has(column)) {
      if (!reportedDuplicates.has(column)) {
        reportedDuplicates.add(column);
        errors.push({ line: 1, field: column, problem: `列名重复：${column}` });
      }
      return;
    }
    seen.add(column);
    if (!allowed.includes(column)) {
      const guess = column.trim().toLowerCase().replace(/[\s-]+/g, '_');
      const hint = allowed.includes(guess) && guess !== column ? `（列名应写作 ${guess}）` : '';
      errors.push({
        line: 1,
        field: column,
        problem: `未知的列：${column}${hint}；此类数据可用的列为 ${allowed.join('、')}`,
      });
    }
  });
  for (const column of spec.required) {
    if (!seen.has(column)) errors.push({ line: 1, field: column, problem: `缺少必需的列：${column}` });
  }
  return errors;
}

// ---- Reading cells -------------------------------------------------------------------------------

const EXCEL_LOST_DIGITS =
  '证件号码被 Excel 存成了数字，末尾几位已经丢失；请把该列设置为“文本”格式后重新录入号码';
const EXCEL_SCIENTIFIC =
  '证件号码已被 Excel 改写成科学计数法，末尾几位已经丢失；请把该列设置为“文本”格式后重新录入号码';
const TIME_FORMAT_HINT =
  '时间格式无效：应为 ISO 8601，如 2022-05-01T08:30:00+08:00 或 2022-05-01 08:30（不带时区按北京时间）';

// Newlines and other control characters have no place in a name or a hospital; a long policy text
// may keep its line breaks and tabs.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const CONTROL_CHARS_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

class RowReader {
  readonly errors: ErrorDetail[] = [];

  constructor(
    private readonly line: number,
    private readonly raw: Record<string, RawCell>,
    private readonly numberCellsAreLossy: boolean,
  ) {}

  private fail(field: string, problem: string): undefined {
    this.errors.push({ line: this.line, field, problem });
    return undefined;
  }

  /** The cell as trimmed text, '' when empty; undefined (with a problem) when it cannot be text. */
  private cellText(field: string): string | undefined {
    const value = this.raw[field];
    if (value === null || value === undefined) return '';
    if (typeof value === 'string') return value.trim();
    if (typeof value === 'number') {
      // Whole numbers print exactly; anything else is not what a source meant to type.
      if (Number.isSafeInteger(value)) return String(value);
      return this.fail(field, '应为文本：该数字已无法准确还原，请把该列设置为“文本”格式');
    }
    if (typeof value === 'boolean') return this.fail(field, '应为文本，不能是逻辑值 TRUE/FALSE');
    return this.fail(field, '应为文本，不能是日期');
  }

  text(field: keyof typeof TEXT_LIMITS, opts: { required: boolean }): string | null | undefined {
    const text = this.cellText(field);
    if (text === undefined) return undefined;
    if (text === '') return opts.required ? this.fail(field, '不能为空') : null;
    const length = [...text].length;
    const max = TEXT_LIMITS[field];
    if (length > max) return this.fail(field, `过长：最多 ${max} 个字符，现有 ${length} 个`);
    const forbidden = field === 'policy' ? CONTROL_CHARS_EXCEPT_LINE_BREAKS : CONTROL_CHARS;
    if (forbidden.test(text)) return this.fail(field, '含有换行符或其他控制字符');
    return text;
  }

  choice<T extends string>(field: string, values: readonly T[]): T | undefined {
    const text = this.cellText(field);
    if (text === undefined) return undefined;
    if (text === '') return this.fail(field, '不能为空');
    const value = text.toLowerCase();
    if (!(values as readonly string[]).includes(value)) {
      return this.fail(field, `取值无效：${text}；应为 ${values.join('、')} 之一`);
    }
    return value as T;
  }

  time(field: string, opts: { required: true }): Date | undefined;
  time(field: string, opts: { required: false }): Date | null | undefined;
  time(field: string, opts: { required: boolean }): Date | null | undefined {
    const value = this.raw[field];
    let instant: Date | null;
    if (value instanceof Date) {
      instant = Number.isNaN(value.getTime()) ? null : value;
      if (!instant) return this.fail(field, '日期单元格无效');
    } else if (typeof value === 'number') {
      return this.fail(field, '时间格式无效：单元格是数字而不是日期；请使用日期格式或 ISO 8601 文本');
    } else {
      const text = this.cellText(field);
      if (text === undefined) return undefined;
      if (text === '') return opts.required ? this.fail(field, '不能为空') : null;
      instant = parseBusinessTime(text);
      if (!instant) {
        const ymd = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(text);
        if (ymd && !isValidDay(ymd[1])) return this.fail(field, `日期不存在：${ymd[1]}`);
        return this.fail(field, TIME_FORMAT_HINT);
      }
    }
    const t = instant.getTime();
    if (t < EARLIEST_TIME || t >= LATEST_TIME) return this.fail(field, '时间超出合理范围：应在 2000 年至 2099 年之间');
    return instant;
  }

  digits(field: string, length: number, what: string): string | undefined {
    const text = this.cellText(field);
    if (text === undefined) return undefined;
    if (text === '') return this.fail(field, '不能为空');
    if (!new RegExp(`^\\d{${length}}$`).test(text)) return this.fail(field, `${what}应为 ${length} 位数字`);
    return text;
  }

  areaCode(field: string, opts: { countyLevel: boolean }): string | undefined {
    const code = this.digits(field, 6, '行政区划代码');
    if (code === undefined) return undefined;
    if (!isKnownAreaCode(code)) return this.fail(field, `不是已知的 GB/T 2260 行政区划代码：${code}`);
    if (opts.countyLevel && !isCountyLevelCode(code)) {
      return this.fail(field, `应为县级行政区划代码（区、县、县级市），${code} 是省级或地级代码`);
    }
    return code;
  }

  person(): PersonRef | undefined {
    const document = this.idDocument();
    const name = this.text('name', { required: false });
    if (!document || name === undefined) return undefined;
    return { ...document, name };
  }

  private idDocument(): Omit<PersonRef, 'name'> | undefined {
    const idType = this.cellText('id_type');
    const number = this.idNumberText();
    const country = this.cellText('country');
    if (idType === undefined || number === undefined || country === undefined) return undefined;
    if (idType === '') return this.fail('id_type', '不能为空');
    const check = checkIdDocument(idType.toLowerCase(), number, country === '' ? null : country);
    if (!check.ok) {
      let problem = check.problem;
      if (check.field === 'id_type') problem = `${problem}：${idType}；应为 ${ID_TYPES.join('、')} 之一`;
      // The country column may be left out of files without passports; say so when that is why.
      if (check.field === 'country' && this.raw.country === undefined) problem = `${problem}；文件中没有 country 列`;
      return this.fail(check.field, problem);
    }
    return { idType: check.idType, idNumber: check.number, country: check.country };
  }

  private idNumberText(): string | undefined {
    const value = this.raw.id_number;
    if (typeof value === 'number') {
      // An 18-digit number cannot survive a double, and a leading zero never survives a number at all.
      return this.fail(
        'id_number',
        this.numberCellsAreLossy ? EXCEL_LOST_DIGITS : '证件号码必须写成文本（字符串），不能是数字',
      );
    }
    const text = this.cellText('id_number');
    if (text !== undefined && /^\d+(\.\d+)?E\+?\d+$/i.test(text)) return this.fail('id_number', EXCEL_SCIENTIFIC);
    return text;
  }

  notBefore(laterField: string, later: Date | null | undefined, earlierField: string, earlier: Date | null | undefined): void {
    if (later && earlier && later.getTime() < earlier.getTime()) {
      this.fail(laterField, `${laterField} 不能早于 ${earlierField}`);
    }
  }
}

// ---- Rows ----------------------------------------------------------------------------------------

type Builder = (r: RowReader) => SourceRecord | undefined;

const BUILDERS: { [T in SourceType]: (r: RowReader) => RecordOf<T> | undefined } = {
  cases(r) {
    const person = r.person();
    const status = r.choice('status', CASE_STATUSES);
    const reportedAt = r.time('reported_at', { required: true });
    if (!person || !status || !reportedAt) return undefined;
    return { type: 'cases', person, status, reportedAt };
  },
  'close-contacts'(r) {
    const person = r.person();
    const identifiedAt = r.time('identified_at', { required: true });
    const releasedAt = r.time('released_at', { required: false });
    r.notBefore('released_at', releasedAt, 'identified_at', identifiedAt);
    if (!person || !identifiedAt || releasedAt === undefined) return undefined;
    return { type: 'close-contacts', person, identifiedAt, releasedAt };
  },
  arrivals(r) {
    const person = r.person();
    const fromArea = r.text('from_area', { required: true });
    const arrivedAt = r.time('arrived_at', { required: true });
    if (!person || !fromArea || !arrivedAt) return undefined;
    return { type: 'arrivals', person, fromArea, arrivedAt };
  },
  'closed-communities'(r) {
    const communityCode = r.digits('community_code', 12, '社区代码');
    const communityName = r.text('community_name', { required: false });
    const areaCode = r.areaCode('area_code', { countyLevel: true });
    const closedFrom = r.time('closed_from', { required: true });
    const closedUntil = r.time('closed_until', { required: false });
    r.notBefore('closed_until', closedUntil, 'closed_from', closedFrom);
    if (!communityCode || communityName === undefined || !areaCode || !closedFrom || closedUntil === undefined) {
      return undefined;
    }
    return { type: 'closed-communities', communityCode, communityName, areaCode, closedFrom, closedUntil };
  },
  'community-residents'(r) {
    const person = r.person();
    const communityCode = r.digits('community_code', 12, '社区代码');
    if (!person || !communityCode) return undefined;
    return { type: 'community-residents', person, communityCode };
  },
  'fever-clinic-visits'(r) {
    const person = r.person();
    const hospital = r.text('hospital', { required: true });
    const visitedAt = r.time('visited_at', { required: true });
    if (!person || !hospital || !visitedAt) return undefined;
    return { type: 'fever-clinic-visits', person, hospital, visitedAt };
  },
  'fever-drug-purchases'(r) {
    const person = r.person();
    const pharmacy = r.text('pharmacy', { required: true });
    const drug = r.text('drug', { required: true });
    const purchasedAt = r.time('purchased_at', { required: true });
    if (!person || !pharmacy || !drug || !purchasedAt) return undefined;
    return { type: 'fever-drug-purchases', person, pharmacy, drug, purchasedAt };
  },
  'nucleic-acid-tests'(r) {
    const person = r.person();
    const sampledAt = r.time('sampled_at', { required: true });
    const result = r.choice('result', ['negative', 'positive'] as const);
    const institution = r.text('institution', { required: true });
    if (!person || !sampledAt || !result || !institution) return undefined;
    return { type: 'nucleic-acid-tests', person, sampledAt, result, institution };
  },
  'area-levels'(r) {
    const areaCode = r.areaCode('area_code', { countyLevel: false });
    const level = r.choice('level', AREA_LEVELS);
    const policy = r.text('policy', { required: false });
    // A time is accepted and reduced to its Shanghai day: levels take effect per day.
    const effectiveAt = r.time('effective_from', { required: true });
    if (!areaCode || !level || !isAreaLevel(level) || policy === undefined || !effectiveAt) return undefined;
    return { type: 'area-levels', areaCode, level, policy, effectiveFrom: shanghaiDay(effectiveAt) };
  },
};

export function validateRow(
  type: SourceType,
  line: number,
  raw: Record<string, RawCell>,
  opts?: { numberCellsAreLossy?: boolean },
): { record: SourceRecord } | { errors: ErrorDetail[] } {
  const reader = new RowReader(line, raw, opts?.numberCellsAreLossy ?? false);
  const record = (BUILDERS[type] as Builder)(reader);
  if (reader.errors.length > 0 || !record) {
    return { errors: reader.errors.length > 0 ? reader.errors : [{ line, problem: '记录无效' }] };
  }
  return { record };
}

// ---- Keys ----------------------------------------------------------------------------------------

function personKey(person: PersonRef): string {
  return identityKey(person.idType, person.idNumber, person.country);
}

/**
 * Opaque and unambiguous: a JSON array, so free text containing any separator cannot make two
 * different records collide.
 */
export function sourceKey(record: SourceRecord): string {
  let parts: string[];
  switch (record.type) {
    case 'cases':
      parts = [personKey(record.person), record.reportedAt.toISOString()];
      break;
    case 'close-contacts':
      parts = [personKey(record.person), record.identifiedAt.toISOString()];
      break;
    case 'arrivals':
      parts = [personKey(record.person), record.arrivedAt.toISOString()];
      break;
    case 'closed-communities':
      parts = [record.communityCode];
      break;
    case 'community-residents':
      parts = [personKey(record.person), record.communityCode];
      break;
    case 'fever-clinic-visits':
      parts = [personKey(record.person), record.hospital, record.visitedAt.toISOString()];
      break;
    case 'fever-drug-purchases':
      parts = [personKey(record.person), record.pharmacy, record.drug, record.purchasedAt.toISOString()];
      break;
    case 'nucleic-acid-tests':
      parts = [personKey(record.person), record.institution, record.sampledAt.toISOString()];
      break;
    case 'area-levels':
      parts = [record.areaCode, record.effectiveFrom];
      break;
  }
  return JSON.stringify(parts);
}

function describeKey(type: SourceType): string {
  const columns = SOURCE_COLUMNS[type].key;
  const parts = columns.filter((c) => c !== 'id_type' && c !== 'id_number' && c !== 'country');
  if (columns.includes('id_number')) parts.unshift('证件');
  return parts.length === 1 ? `${parts[0]}相同` : `${parts.join('、')}都相同`;
}

export function findDuplicateKeys(rows: ParsedRow[]): ErrorDetail[] {
  const linesByKey = new Map<string, { lines: number[]; type: SourceType }>();
  for (const row of rows) {
    const entry = linesByKey.get(row.key);
    if (entry) entry.lines.push(row.line);
    else linesByKey.set(row.key, { lines: [row.line], type: row.record.type });
  }
  const errors: ErrorDetail[] = [];
  for (const { lines, type } of linesByKey.values()) {
    if (lines.length < 2) continue;
    for (const line of lines) {
      const others = lines.filter((l) => l !== line);
      errors.push({ line, problem: `记录重复：与第 ${others.join('、')} 行的${describeKey(type)}` });
    }
  }
  return errors.sort((a, b) => a.line! - b.line!);
}
