// A JSON upload: an array of objects keyed by the same snake_case names as the CSV columns. A
// record's `line` is its 1-based position in the array, which is how a source finds it again.
import type { ErrorDetail } from '@bamin/common';
import type { RawCell } from '../../domain/sources';

export interface JsonRecord {
  line: number;
  values: Record<string, RawCell>;
  /** Per-key problems (a nested object or array where a value belongs). */
  problems: ErrorDetail[];
}

export type JsonParse = { ok: true; records: JsonRecord[] } | { ok: false; error: ErrorDetail };

export function parseJsonRecords(text: string): JsonParse {
  if (text.trim() === '') return { ok: false, error: { problem: '文件为空' } };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: { problem: `不是有效的 JSON${whereJsonFailed(text)}` } };
  }
  if (!Array.isArray(data)) {
    return { ok: false, error: { problem: '内容必须是 JSON 数组，每个元素是一条记录（对象）' } };
  }

  const records: JsonRecord[] = [];
  data.forEach((item: unknown, i) => {
    const line = i + 1;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      records.push({ line, values: {}, problems: [{ line, problem: '记录必须是 JSON 对象' }] });
      return;
    }
    // No prototype: a "__proto__" key must stay an ordinary (and then refused) field.
    const values: Record<string, RawCell> = Object.create(null);
    const problems: ErrorDetail[] = [];
    for (const [key, value] of Object.entries(item)) {
      if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        values[key] = value;
      } else {
        problems.push({ line, field: key, problem: '值必须是字符串、数字或 null，不能是对象或数组' });
      }
    }
    records.push({ line, values, problems });
  });
  return { ok: true, records };
}

// `line` means the record position for JSON, so where the syntax broke goes into the text instead.
// V8 does not always name the position in its message, hence a scan of our own.
function whereJsonFailed(text: string): string {
  const offset = jsonSyntaxErrorOffset(text);
  if (offset === null) return '';
  const before = text.slice(0, offset);
  const row = before.split(/\r\n|\r|\n/).length;
  const column = offset - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return `（第 ${row} 行第 ${column} 列附近有语法错误）`;
}

/** Offset of the first character where `text` stops being JSON; null if it is JSON after all. */
export function jsonSyntaxErrorOffset(text: string): number | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail();
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail();
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail();
      } else i++;
    }
    fail();
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return null;
  } catch (offset) {
    // Anything else (a stack overflow on absurd nesting) only costs the location hint.
    return typeof offset === 'number' ? offset : null;
  }
}
