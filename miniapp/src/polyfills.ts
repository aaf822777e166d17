// TextEncoder / TextDecoder (UTF-8 only) where the engine has none: the WeChat mini-program's JS engine does
// not provide them, and the national 防疫健康信息码's offline check (verifyNationalToken of common/nationalApi)
// needs both. Installed before any page code runs (first import of app.ts); a native one is left alone.

/** UTF-8 bytes of a string; lone surrogates become U+FFFD, as the standard encoder does. */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else c = 0xfffd;
    } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

/** A string from UTF-8 bytes; malformed input becomes U+FFFD exactly as the WHATWG decoder (non-fatal) does. */
export function utf8Decode(input: ArrayBufferView | ArrayBuffer | undefined): string {
  const b = input === undefined ? new Uint8Array(0)
    : input instanceof ArrayBuffer ? new Uint8Array(input)
    : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  let s = '';
  let cp = 0;
  let needed = 0;
  let seen = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < b.length; i++) {
    const byte = b[i];
    if (needed === 0) {
      if (byte < 0x80) s += String.fromCharCode(byte);
      else if (byte >= 0xc2 && byte <= 0xdf) [needed, cp] = [1, byte & 0x1f];
      else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) lower = 0xa0;
        if (byte === 0xed) upper = 0x9f;
        [needed, cp] = [2, byte & 0x0f];
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) lower = 0x90;
        if (byte === 0xf4) upper = 0x8f;
        [needed, cp] = [3, byte & 0x07];
      } else s += '\ufffd';
      continue;
    }
    if (byte < lower || byte > upper) {
      // the sequence ends here; this byte starts over
      [cp, needed, seen, lower, upper] = [0, 0, 0, 0x80, 0xbf];
      s += '\ufffd';
      i--;
      continue;
    }
    [lower, upper] = [0x80, 0xbf];
    cp = (cp << 6) | (byte & 0x3f);
    if (++seen < needed) continue;
    s += cp >= 0x10000 ? String.fromCharCode(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff)) : String.fromCharCode(cp);
    [cp, needed, seen] = [0, 0, 0];
  }
  if (needed !== 0) s += '\ufffd';
  return s;
}

class Utf8Encoder {
  readonly encoding = 'utf-8';
  encode(s = ''): Uint8Array {
    return utf8Encode(String(s));
  }
}

class Utf8Decoder {
  readonly encoding = 'utf-8';
  constructor(label = 'utf-8') {
    if (!/^utf-?8$/i.test(label)) throw new RangeError(`unsupported encoding: ${label}`);
  }
  decode(input?: ArrayBufferView | ArrayBuffer): string {
    return utf8Decode(input);
  }
}

// globalThis itself is missing on older engines (iOS < 12.2); the mini-program forbids new Function/eval,
// so the global object is looked up by its other names.
declare const global: unknown;
const g = (typeof globalThis !== 'undefined' ? globalThis
  : typeof self !== 'undefined' ? self
  : typeof window !== 'undefined' ? window
  : global) as unknown as Record<string, unknown>;
if (typeof g.TextEncoder !== 'function') g.TextEncoder = Utf8Encoder;
if (typeof g.TextDecoder !== 'function') g.TextDecoder = Utf8Decoder;
