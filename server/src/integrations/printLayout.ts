// Shared printing machinery of the printed pages (the service-point poster, D8/E8, and the code card, H4):
// fonts, CJK line breaking, the QR matrix and the two renderers that draw one list of operations either on
// a canvas (@napi-rs/canvas → PNG) or into a PDF (pdfkit), so both formats of a page come from one layout.
//
// - A layout works in PDF points (origin top left) and gets a `measure` from the renderer of the format being
//   drawn, so text widths are the renderer's own.
// - The font is Noto Sans Hans (Noto Sans CJK SC, OFL-1.1), whole OpenType files from @embedpdf/fonts-sc:
//   the canvas registers them by path, pdfkit embeds a subset of the glyphs used (CID-keyed CFF), so the
//   PDF's Chinese is real, searchable text. See docs/POSTER.md for the choice.
// - QR modules are drawn in whole device pixels in the PNG (crisp), as vector squares in the PDF.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import qrcode from 'qrcode-generator';

export type Weight = 'regular' | 'bold';
/** Width in points of `text` set at `size` points. */
export type Measure = (text: string, size: number, weight: Weight) => number;

export type DrawOp =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; radius: number; fill?: string; stroke?: string }
  | { kind: 'text'; text: string; x: number; baseline: number; size: number; weight: Weight; color: string }
  | { kind: 'qr'; x: number; y: number; moduleSize: number; dark: boolean[][] };

/** A page size in PDF points and the resolution of its PNG. */
export interface PageSpec {
  width: number;
  height: number;
  pngDpi: number;
}

export const pngScale = (page: PageSpec): number => page.pngDpi / 72;
export const pngSize = (page: PageSpec) => ({ width: Math.round(page.width * pngScale(page)), height: Math.round(page.height * pngScale(page)) });

// ---------------------------------------------------------------------------------------------------
// Font

const FONT_FILES: Record<Weight, string> = {
  regular: 'NotoSansHans-Regular.otf',
  bold: 'NotoSansHans-Bold.otf',
};
const CANVAS_FAMILY: Record<Weight, string> = { regular: 'BaminPrintSC', bold: 'BaminPrintSCBold' };

let fontDir: string | undefined;
function fontPath(weight: Weight): string {
  if (!fontDir) {
    // The package exports only its index (dist/index.*); the OpenType files sit in fonts/ beside dist/.
    const require = createRequire(import.meta.url);
    fontDir = join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
  }
  return join(fontDir, FONT_FILES[weight]);
}

const pdfFonts = new Map<Weight, Font>();
/**
 * The parsed font, kept for the life of the process and handed to every document: pdfkit would otherwise
 * parse the 8 MB OpenType file again per document, and subsetting a freshly parsed CID font costs ~1 s
 * against ~0.2 s with fontkit's tables and glyphs already loaded. Documents only read from it.
 */
function pdfFont(weight: Weight): Font {
  let font = pdfFonts.get(weight);
  if (!font) {
    const parsed = fontkit.create(readFileSync(fontPath(weight)));
    if (!('layout' in parsed)) throw new Error(`print font is a collection, not a font: ${fontPath(weight)}`);
    font = parsed;
    pdfFonts.set(weight, font);
  }
  return font;
}

let canvasFontsRegistered = false;
function registerCanvasFonts(): void {
  if (canvasFontsRegistered) return;
  for (const weight of ['regular', 'bold'] as const) {
    if (!GlobalFonts.registerFromPath(fontPath(weight), CANVAS_FAMILY[weight])) {
      throw new Error(`print font could not be registered: ${fontPath(weight)}`);
    }
  }
  canvasFontsRegistered = true;
}

// ---------------------------------------------------------------------------------------------------
// Text wrapping

/** May not start a line (closing marks); may not end one (opening marks). Chinese typesetting rules. */
const NO_LINE_START = new Set([...'，。、；：！？）》」』】〕”’,.;:!?)]}…%·']);
const NO_LINE_END = new Set([...'（《「『【〔“‘([{']);

/** Latin letters and digits stay together as one word; every other character is its own unit. */
function tokens(text: string): string[] {
  return text.match(/[A-Za-z0-9@#&_\-./:+]+|\s+|[^]/gu) ?? [];
}

/** Greedy line breaking: `fits` says whether a line is narrow enough; a word longer than a line is split by characters. */
export function wrapText(text: string, fits: (line: string) => boolean): string[] {
  const units: string[] = [];
  for (const token of tokens(text.trim().replace(/\s+/g, ' '))) {
    if (token.length > 1 && !fits(token)) units.push(...token);
    else units.push(token);
  }
  const lines: string[][] = [];
  let line: string[] = [];
  for (const unit of units) {
    if (line.length === 0 && unit === ' ') continue;
    if (fits([...line, unit].join('')) || line.length === 0) {
      line.push(unit);
      continue;
    }
    // Move the tail that may not be separated to the next line: the last character when `unit` may
    // not start a line, and any opening marks that may not end one. Never empty the line completely.
    const next: string[] = [unit];
    if (NO_LINE_START.has(unit) && line.length > 1) next.unshift(line.pop() as string);
    while (line.length > 1 && NO_LINE_END.has(line[line.length - 1])) next.unshift(line.pop() as string);
    lines.push(line);
    line = next.filter((u, i) => !(i === 0 && u === ' '));
    // A kinsoku move can make the new line too long only for absurd widths; split it again then.
    while (line.length > 1 && !fits(line.join(''))) {
      const overflow: string[] = [];
      while (line.length > 1 && !fits(line.join(''))) overflow.unshift(line.pop() as string);
      lines.push(line);
      line = overflow;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines.map((l) => l.join('').trimEnd());
}

export interface FittedText {
  size: number;
  lines: string[];
}

/** A font size and the most lines the text may take at it. */
export type FitStep = readonly [size: number, maxLines: number];

/**
 * The first step (largest size first) at which `text` wraps into at most its number of lines, so a name
 * first shrinks before it takes another line. Past the last step the extra lines are dropped and the last
 * kept line ends in … (still within the width).
 */
export function fitText(text: string, steps: readonly FitStep[], width: number, weight: Weight, measure: Measure): FittedText {
  if (steps.length === 0) throw new Error('fitText needs at least one step');
  for (const [index, [size, maxLines]] of steps.entries()) {
    const fits = (line: string): boolean => measure(line, size, weight) <= width;
    const lines = wrapText(text, fits);
    if (lines.length <= maxLines) return { size, lines };
    if (index === steps.length - 1) {
      const kept = lines.slice(0, maxLines);
      let last = kept[maxLines - 1];
      while (last.length > 0 && !fits(`${last}…`)) last = Array.from(last).slice(0, -1).join('');
      kept[maxLines - 1] = `${last}…`;
      return { size, lines: kept };
    }
  }
  throw new Error('unreachable');
}

// ---------------------------------------------------------------------------------------------------
// QR code and placement helpers

/** ISO/IEC 18004 asks for at least 4 modules of light margin around the symbol. */
export const QUIET_ZONE_MODULES = 4;

/** The modules of `qrText` (printable ASCII only, byte mode) at the given error correction level. */
export function qrMatrix(qrText: string, errorCorrection: 'L' | 'M' | 'Q' | 'H' = 'M'): boolean[][] {
  // The token is base64url text; qrcode-generator's byte mode keeps only the low byte of each UTF-16 unit,
  // so anything outside printable ASCII would be encoded wrongly: refuse it instead.
  if (!/^[\x20-\x7e]+$/.test(qrText)) throw new RangeError('qrText must be non-empty printable ASCII');
  const qr = qrcode(0, errorCorrection);
  qr.addData(qrText, 'Byte');
  qr.make();
  const count = qr.getModuleCount();
  return Array.from({ length: count }, (_, row) => Array.from({ length: count }, (_, col) => qr.isDark(row, col)));
}

/** Lines centred on a page `pageWidth` wide, from `top`; returns the y below the last line. */
export function centredLines(ops: DrawOp[], fitted: FittedText, top: number, lineHeight: number, weight: Weight, color: string, measure: Measure, pageWidth: number): number {
  let y = top;
  for (const line of fitted.lines) {
    const w = measure(line, fitted.size, weight);
    // The em box of a CJK glyph sits about 0.88 em above the baseline in Noto Sans CJK.
    ops.push({ kind: 'text', text: line, x: (pageWidth - w) / 2, baseline: y + fitted.size * 0.88 + (lineHeight - 1) * fitted.size / 2, size: fitted.size, weight, color });
    y += fitted.size * lineHeight;
  }
  return y;
}

/**
 * A QR symbol centred horizontally in `space` (top, height) on the page, at most `maxSize` points wide with its
 * quiet zone, each module a whole number of PNG pixels and the origin pixel-aligned. Returns the op and the box
 * (quiet zone included). Throws when fewer than `minModulePx` pixels a module fit.
 */
export function placeQr(page: PageSpec, dark: boolean[][], top: number, space: number, maxSize: number, minModulePx = 3) {
  const scale = pngScale(page);
  const available = Math.min(maxSize, space);
  const modules = dark.length + 2 * QUIET_ZONE_MODULES;
  const modulePx = Math.floor((available * scale) / modules);
  if (modulePx < minModulePx) throw new Error('page layout leaves no room for the QR code');
  const moduleSize = modulePx / scale;
  const size = modules * moduleSize;
  const x = Math.round(((page.width - size) / 2) * scale) / scale;
  const y = Math.round((top + (space - size) / 2) * scale) / scale;
  const op: DrawOp = { kind: 'qr', x: x + QUIET_ZONE_MODULES * moduleSize, y: y + QUIET_ZONE_MODULES * moduleSize, moduleSize, dark };
  return { op, box: { x, y, size } };
}

// ---------------------------------------------------------------------------------------------------
// PNG

function roundedRectPath(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  if (r <= 0) {
    ctx.rect(x, y, w, h);
    return;
  }
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

/** Draws the page's layout on a white canvas at the page's resolution and encodes it as PNG. */
export async function renderPng(page: PageSpec, layout: (measure: Measure) => DrawOp[]): Promise<Buffer> {
  registerCanvasFonts();
  const scale = pngScale(page);
  const size = pngSize(page);
  const canvas = createCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d');
  const fontOf = (px: number, weight: Weight): string => `${px}px ${CANVAS_FAMILY[weight]}`;
  // Measured in points: the context is scaled below, and font sizes are given in points too.
  const measure: Measure = (text, px, weight) => {
    ctx.font = fontOf(px, weight);
    return ctx.measureText(text).width;
  };
  const ops = layout(measure);

  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.scale(scale, scale);
  for (const op of ops) {
    if (op.kind === 'rect') {
      roundedRectPath(ctx, op.x, op.y, op.w, op.h, op.radius);
      if (op.fill) {
        ctx.fillStyle = op.fill;
        ctx.fill();
      }
      if (op.stroke) {
        ctx.strokeStyle = op.stroke;
        ctx.lineWidth = 1.5;
        ctx.stroke();
      }
    } else if (op.kind === 'text') {
      ctx.font = fontOf(op.size, op.weight);
      ctx.fillStyle = op.color;
      ctx.textBaseline = 'alphabetic';
      ctx.fillText(op.text, op.x, op.baseline);
    } else {
      // Module squares in device pixels (integers) so that no anti-aliased seams appear between them.
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = '#000000';
      const px = Math.round(op.moduleSize * scale);
      const x0 = Math.round(op.x * scale);
      const y0 = Math.round(op.y * scale);
      op.dark.forEach((row, r) => row.forEach((isDark, col) => {
        if (isDark) ctx.fillRect(x0 + col * px, y0 + r * px, px, px);
      }));
      ctx.restore();
    }
  }
  return canvas.encode('png');
}

// ---------------------------------------------------------------------------------------------------
// PDF

export interface PdfInfo {
  Title: string;
  Subject: string;
  CreationDate: Date;
}

/** One page; the Chinese text is real text in an embedded subset of Noto Sans Hans, the QR code vector. */
export async function renderPdf(page: PageSpec, info: PdfInfo, layout: (measure: Measure) => DrawOp[]): Promise<Buffer> {
  const doc = new PDFDocument({
    size: [page.width, page.height],
    margin: 0,
    lang: 'zh-CN',
    info: { ...info, Creator: '八闽健康码', ModDate: info.CreationDate },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit 0.20 takes a fontkit font object as a source; @types/pdfkit 0.17 does not know that yet.
  doc.registerFont('print-regular', pdfFont('regular') as unknown as Buffer);
  doc.registerFont('print-bold', pdfFont('bold') as unknown as Buffer);
  const fontName = (weight: Weight): string => (weight === 'bold' ? 'print-bold' : 'print-regular');
  const measure: Measure = (text, size, weight) => doc.font(fontName(weight)).fontSize(size).widthOfString(text);
  const ops = layout(measure);

  for (const op of ops) {
    if (op.kind === 'rect') {
      if (op.radius > 0) doc.roundedRect(op.x, op.y, op.w, op.h, op.radius);
      else doc.rect(op.x, op.y, op.w, op.h);
      if (op.fill && op.stroke) doc.lineWidth(0.75).fillAndStroke(op.fill, op.stroke);
      else if (op.fill) doc.fill(op.fill);
      else if (op.stroke) doc.lineWidth(0.75).stroke(op.stroke);
    } else if (op.kind === 'text') {
      doc.font(fontName(op.weight)).fontSize(op.size).fillColor(op.color);
      doc.text(op.text, op.x, op.baseline, { lineBreak: false, baseline: 'alphabetic' });
    } else {
      // One path of all dark modules, filled once: a small, exact vector symbol.
      op.dark.forEach((row, r) => row.forEach((isDark, col) => {
        if (isDark) doc.rect(op.x + col * op.moduleSize, op.y + r * op.moduleSize, op.moduleSize, op.moduleSize);
      }));
      doc.fill('#000000');
    }
  }
  doc.end();
  return done;
}
