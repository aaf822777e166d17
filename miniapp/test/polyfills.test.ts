// The UTF-8 TextEncoder/TextDecoder shim the mini-program runs on (its engine has none), against Node's own.
import { TextDecoder as NodeDecoder, TextEncoder as NodeEncoder } from 'node:util';
import { utf8Decode, utf8Encode } from '../src/polyfills';

describe('UTF-8 shim', () => {
  it.each([
    ['ascii', '{"provinceName":"x","v":1}'],
    ['CJK', '广东省 黄码 *明'],
    ['emoji (surrogate pair)', '码😀'],
    ['lone high surrogate', 'a\ud800b'],
    ['lone low surrogate', '\udc00'],
    ['empty', ''],
  ])('encodes %s as Node does, and back', (_name, text) => {
    const node = new NodeEncoder().encode(text);
    expect(Array.from(utf8Encode(text))).toEqual(Array.from(node));
    expect(utf8Decode(node)).toBe(new NodeDecoder().decode(node));
  });

  it.each([
    ['truncated sequence', [0xe5, 0xb9]],
    ['overlong', [0xc0, 0xaf]],
    ['encoded surrogate', [0xed, 0xa0, 0x80]],
    ['stray continuation', [0x80, 0x41]],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ])('decodes a malformed %s with U+FFFD as Node does', (_name, bytes) => {
    const b = new Uint8Array(bytes);
    expect(utf8Decode(b)).toBe(new NodeDecoder().decode(b));
  });

  it('is installed where the engine has none (jsdom here)', () => {
    expect(new TextDecoder().decode(new TextEncoder().encode('福建省'))).toBe('福建省');
  });
});
