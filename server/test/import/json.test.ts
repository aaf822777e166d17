import { describe, expect, it } from 'vitest';
import { jsonSyntaxErrorOffset, parseJsonRecords } from '../../src/services/import/json';

describe('parseJsonRecords', () => {
  it('numbers records from 1 and keeps scalar values', () => {
    expect(parseJsonRecords('[{"a":"x","b":1,"c":true,"d":null},{}]')).toEqual({
      ok: true,
      records: [
        { line: 1, values: { a: 'x', b: 1, c: true, d: null }, problems: [] },
        { line: 2, values: {}, problems: [] },
      ],
    });
  });

  it('flags nested values and non-objects', () => {
    const parsed = parseJsonRecords('[{"a":{"b":1}}, [1], null]');
    expect(parsed.ok && parsed.records.map((r) => r.problems)).toEqual([
      [{ line: 1, field: 'a', problem: expect.stringContaining('不能是对象或数组') }],
      [{ line: 2, problem: '记录必须是 JSON 对象' }],
      [{ line: 3, problem: '记录必须是 JSON 对象' }],
    ]);
  });

  it('keeps "__proto__" an ordinary key', () => {
    const parsed = parseJsonRecords('[{"__proto__":"x"}]');
    expect(parsed.ok && Object.keys(parsed.records[0].values)).toEqual(['__proto__']);
  });

  it('says where the syntax broke without claiming a record line', () => {
    const parsed = parseJsonRecords('[\n  {"a": 1},\n  {"b": }\n]');
    expect(parsed).toEqual({ ok: false, error: { problem: expect.stringContaining('第 3 行') } });
    expect(parseJsonRecords('{"a":1}')).toEqual({ ok: false, error: { problem: expect.stringContaining('JSON 数组') } });
    expect(parseJsonRecords(' \n')).toEqual({ ok: false, error: { problem: '文件为空' } });
  });
});

describe('jsonSyntaxErrorOffset', () => {
  it('agrees with JSON.parse on what is JSON and points at the first bad character', () => {
    for (const ok of ['[]', ' {"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"]} ', '"x"', '0']) {
      expect(() => JSON.parse(ok)).not.toThrow();
      expect(jsonSyntaxErrorOffset(ok)).toBeNull();
    }
    expect(jsonSyntaxErrorOffset('[1,]')).toBe(3);
    expect(jsonSyntaxErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonSyntaxErrorOffset('["abc')).toBe(5);
    expect(jsonSyntaxErrorOffset('[01]')).toBe(2);
    expect(jsonSyntaxErrorOffset('[1] x')).toBe(4);
    expect(() => jsonSyntaxErrorOffset('['.repeat(200_000))).not.toThrow();
  });
});
