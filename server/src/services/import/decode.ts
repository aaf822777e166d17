// Bytes → text for uploaded files. Sources write UTF-8 (with or without BOM) or, when Chinese Excel
// saves "CSV", GB18030/GBK; nothing says which, so UTF-8 is tried first (a GBK file almost never
// happens to be valid UTF-8) and GB18030 second.
//
// Decoding works on blocks that end at a line break. Neither encoding ever uses CR or LF inside a
// multi-byte character, so every block boundary is a character boundary, each block decodes on its
// own, and a failure can be pinned to the physical line where it happened.
import { TextDecoder } from 'node:util';
import type { ErrorDetail } from '@bamin/common';

export type TextEncodingName = 'utf-8' | 'gb18030';

export const ENCODINGS: readonly TextEncodingName[] = ['utf-8', 'gb18030'];

export const UNKNOWN_ENCODING_PROBLEM = '文件编码无法识别：既不是 UTF-8 也不是 GB18030/GBK';

const CR = 0x0d;
const LF = 0x0a;

export type DecodeStep = { ok: true; text: string } | { ok: false; line: number };

/** Incremental decoder: push byte chunks, get the text of every complete line so far. */
export class LineAlignedDecoder {
  private readonly decoder: TextDecoder;
  private pending: Uint8Array = new Uint8Array(0);
  /** Line breaks already decoded; a CR then LF counts as one, matching the CSV reader. */
  private lineBreaks = 0;
  private lastWasCR = false;
  private atStart = true;

  constructor(readonly encoding: TextEncodingName) {
    // ignoreBOM: the BOM is stripped by hand, once; TextDecoder would strip it from every block.
    this.decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  }

  push(chunk: Uint8Array): DecodeStep {
    const bytes = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    let cut = bytes.length;
    while (cut > 0 && bytes[cut - 1] !== LF && bytes[cut - 1] !== CR) cut--;
    this.pending = new Uint8Array(bytes.subarray(cut)); // a copy: the caller's chunk may be large
    return this.decodeBlock(bytes.subarray(0, cut));
  }

  end(): DecodeStep {
    const rest = this.pending;
    this.pending = new Uint8Array(0);
    return this.decodeBlock(rest);
  }

  private decodeBlock(block: Uint8Array): DecodeStep {
    if (block.length === 0) return { ok: true, text: '' };
    let text: string;
    try {
      text = this.decoder.decode(block);
    } catch {
      return { ok: false, line: this.lineBreaks + 1 + this.breaksBeforeBadLine(block) };
    }
    if (this.atStart) {
      this.atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    for (const byte of block) {
      if (byte === CR || (byte === LF && !this.lastWasCR)) this.lineBreaks++;
      this.lastWasCR = byte === CR;
    }
    return { ok: true, text };
  }

  /** Within a block that failed, the line breaks before the first line that fails on its own. */
  private breaksBeforeBadLine(block: Uint8Array): number {
    let breaks = 0;
    let lastWasCR = this.lastWasCR;
    let start = 0;
    for (let i = 0; i <= block.length; i++) {
      const atEnd = i === block.length;
      const byte = block[i];
      if (atEnd || byte === CR || byte === LF) {
        try {
          this.decoder.decode(block.subarray(start, i));
        } catch {
          return breaks;
        }
        if (atEnd) break;
        if (byte === CR || !lastWasCR) breaks++;
        lastWasCR = byte === CR;
        start = i + 1;
      } else {
        lastWasCR = false;
      }
    }
    return breaks;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The problem for bytes neither encoding accepts; `lines` are where each attempt failed. */
export function unknownEncodingError(lines: number[], head?: Uint8Array): ErrorDetail {
  // Excel's "Unicode text" is UTF-16 with a BOM: say so rather than leave the source guessing.
  const utf16 = head && head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
  const problem = utf16 ? `${UNKNOWN_ENCODING_PROBLEM}（看起来是 UTF-16，请另存为 UTF-8 编码的 CSV）` : UNKNOWN_ENCODING_PROBLEM;
  // The attempt that got furthest is the likelier intended encoding, so its failure is the line to fix.
  const line = lines.length > 0 ? Math.max(...lines) : undefined;
  return line === undefined ? { problem } : { line, problem };
}

export type DecodeResult =
  | { ok: true; text: string; encoding: TextEncodingName }
  | { ok: false; error: ErrorDetail };

/** A whole file's bytes as text. */
export function decodeText(bytes: Uint8Array): DecodeResult {
  const failures: number[] = [];
  for (const encoding of ENCODINGS) {
    const decoder = new LineAlignedDecoder(encoding);
    const body = decoder.push(bytes);
    if (!body.ok) {
      failures.push(body.line);
      continue;
    }
    const tail = decoder.end();
    if (!tail.ok) {
      failures.push(tail.line);
      continue;
    }
    return { ok: true, text: body.text + tail.text, encoding };
  }
  return { ok: false, error: unknownEncodingError(failures, bytes.subarray(0, 2)) };
}
