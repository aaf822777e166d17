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
  } catch (e) {
    return { ok: false, error: { problem: `不是有效的 JSON${whereJsonFailed(text, e)}` } };
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
function whereJsonFailed(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const position = /position (\d+)/.exec(message);
  if (!position) return '';
  const offset = Math.min(Number(position[1]), text.length);
  const before = text.slice(0, offset);
  const row = before.split(/\r\n|\r|\n/).length;
  const column = offset - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return `（第 ${row} 行第 ${column} 列附近有语法错误）`;
}
