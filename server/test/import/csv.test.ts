import { describe, expect, it } from 'vitest';
import { CsvParser, parseCsv } from '../../src/services/import/csv';

describe('parseCsv', () => {
  it('reads plain records with LF or CRLF, with or without a final newline', () => {
    expect(parseCsv('a,b\n1,2\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
    expect(parseCsv('a,b\r\n1,2')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
    expect(parseCsv('a,\n,')).toEqual([
      { line: 1, fields: ['a', ''] },
      { line: 2, fields: ['', ''] },
    ]);
  });

  it('handles quotes, doubled quotes, commas and newlines inside quotes, keeping physical lines', () => {
    const text = 'h1,h2\r\n"a, b","say ""hi"""\r\n"multi\r\nline\nvalue",x\r\n\r\nlast,"y"\r\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 2, fields: ['a, b', 'say "hi"'] },
      { line: 3, fields: ['multi\r\nline\nvalue', 'x'] },
      { line: 7, fields: ['last', 'y'] },
    ]);
  });

  it('skips blank lines and counts them', () => {
    expect(parseCsv('\n\na\n\n\nb\n\n')).toEqual([
      { line: 3, fields: ['a'] },
      { line: 6, fields: ['b'] },
    ]);
  });

  it('treats a lone CR as a line break', () => {
    expect(parseCsv('a\rb\r')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: ['b'] },
    ]);
  });

  it('keeps a quote inside an unquoted field', () => {
    expect(parseCsv('6"x,b')).toEqual([{ line: 1, fields: ['6"x', 'b'] }]);
  });

  it('flags text after a closing quote and an unterminated quote', () => {
    const [bad, next] = parseCsv('"abc"d,e\nok,1\n');
    expect(bad.line).toBe(1);
    expect(bad.problem).toContain('结束引号后还有其他字符');
    expect(next).toEqual({ line: 2, fields: ['ok', '1'] });
    const [, open] = parseCsv('a\n"never\nclosed\n');
    expect(open.line).toBe(2);
    expect(open.problem).toContain('引号未闭合');
  });

  it('gives the same records however the text is chunked', () => {
    const text = 'h1,h2\r\n"a, b","say ""hi"""\r\n"multi\r\nline",x\r\n\r\nlast,"y"\r\nz,\r';
    const whole = parseCsv(text);
    for (let size = 1; size <= 7; size++) {
      const parser = new CsvParser();
      const records = [];
      for (let i = 0; i < text.length; i += size) records.push(...parser.push(text.slice(i, i + size)));
      records.push(...parser.end());
      expect(records).toEqual(whole);
    }
  });
});
