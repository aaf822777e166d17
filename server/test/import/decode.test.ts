import { describe, expect, it } from 'vitest';
import { LineAlignedDecoder, UNKNOWN_ENCODING_PROBLEM, decodeText } from '../../src/services/import/decode';

const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));

// GBK by hand: TextEncoder only writes UTF-8.
const ZHANG_SAN = [0xd5, 0xc5, 0xc8, 0xfd]; // 张三
const YI_YUAN = [0xd2, 0xbd, 0xd4, 0xba]; // 医院

describe('decodeText', () => {
  it('reads UTF-8 and strips a BOM', () => {
    expect(decodeText(utf8('a,张三\n'))).toEqual({ ok: true, text: 'a,张三\n', encoding: 'utf-8' });
    expect(decodeText(bytes([0xef, 0xbb, 0xbf], 'a,张三\n'))).toEqual({ ok: true, text: 'a,张三\n', encoding: 'utf-8' });
  });

  it('keeps a U+FEFF that is not at the start', () => {
    expect(decodeText(bytes('a\n', [0xef, 0xbb, 0xbf], 'b'))).toMatchObject({ ok: true, text: 'a\n\ufeffb' });
  });

  it('falls back to GB18030 for GBK bytes', () => {
    expect(decodeText(bytes('name,hospital\r\n', ZHANG_SAN, ',', YI_YUAN, '\r\n'))).toEqual({
      ok: true,
      text: 'name,hospital\r\n张三,医院\r\n',
      encoding: 'gb18030',
    });
  });

  it('refuses bytes valid in neither, naming the line', () => {
    expect(decodeText(bytes('a\nb\nc', [0xff], 'd\n'))).toEqual({ ok: false, error: { line: 3, problem: UNKNOWN_ENCODING_PROBLEM } });
    // GBK on line 2, a stray 0xFF on line 4: GB18030 got furthest, so line 4 is the one to fix.
    expect(decodeText(bytes('h\n', ZHANG_SAN, '\r\nx\r\ny', [0xff], '\r\n'))).toEqual({
      ok: false,
      error: { line: 4, problem: UNKNOWN_ENCODING_PROBLEM },
    });
  });

  it('recognizes UTF-16', () => {
    const result = decodeText(Uint8Array.from([0xff, 0xfe, 0x61, 0x00]));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.problem).toContain('UTF-16');
  });
});

describe('LineAlignedDecoder', () => {
  it('decodes chunks split in the middle of a character', () => {
    const all = utf8('第一行\r\n第二行\n第三');
    for (let cut = 1; cut < all.length; cut++) {
      const d = new LineAlignedDecoder('utf-8');
      const a = d.push(all.subarray(0, cut));
      const b = d.push(all.subarray(cut));
      const c = d.end();
      expect(a.ok && b.ok && c.ok).toBe(true);
      if (a.ok && b.ok && c.ok) expect(a.text + b.text + c.text).toBe('第一行\r\n第二行\n第三');
    }
  });

  it('counts lines across chunks, CRLF as one', () => {
    const d = new LineAlignedDecoder('utf-8');
    expect(d.push(utf8('a\r')).ok).toBe(true);
    expect(d.push(utf8('\nb\n')).ok).toBe(true);
    expect(d.push(bytes('c\n', ZHANG_SAN, '\n'))).toEqual({ ok: false, line: 4 });
  });
});
