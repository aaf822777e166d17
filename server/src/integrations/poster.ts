// The printable service-point poster (健康码下载, manual 四(九)2 and 五(二)9 (2); D8/E8): a unit prints it and
// sticks it at the entrance, and people scan its QR code with the app. One A4 portrait page, rendered as a
// PNG (150 dpi, 1240 × 1754 px) or as a PDF (595.28 × 841.89 pt) from the same layout.
//
// - The layout is computed once per format in PDF points (origin top left) from text widths measured by
//   that format's own renderer, then drawn: a canvas (@napi-rs/canvas) scaled by 150/72, or pdfkit.
// - The QR code carries the signed point token exactly as given (made elsewhere; never created here),
//   error correction M, a quiet zone of 4 modules. Its module size is a whole number of PNG pixels so
//   the printed code is crisp; in the PDF it is vector squares of the same size.
// - The font is Noto Sans Hans (Noto Sans CJK SC, OFL-1.1), whole OpenType files from @embedpdf/fonts-sc:
//   the canvas registers them by path, pdfkit embeds a subset of the glyphs used (CID-keyed CFF), so the
//   PDF's Chinese is real, searchable text. See docs/POSTER.md for the choice.
// - Long names wrap (a CJK line may break between any two characters, never before a closing mark such
//   as ，。） or after an opening one), shrink through a few sizes, and are cut with … only past the
//   last line allowed, so nothing is ever drawn outside the page margins.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import qrcode from 'qrcode-generator';
import { shanghaiDay } from '@bamin/common';

export interface PosterContent {
  unitName: string;
  pointName: string;
  address: string | null;
  qrText: string;
  issuedAt: Date;
}

export const POSTER_TITLE = '八闽健康码 · 服务单位健康码';
export const POSTER_INSTRUCTION = '请使用闽政通 APP 扫一扫，查看服务点健康信息并进行信息登记';
export const POSTER_NOTICE = '本二维码不含个人信息；重新生成后旧码作废';

/** A4 in PDF points (1/72 inch). */
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
/** PNG resolution: 150 dpi gives 1240 × 1754 px. */
const PNG_DPI = 150;
const PNG_SCALE = PNG_DPI / 72;
export const POSTER_PNG_SIZE = { width: Math.round(PAGE_WIDTH * PNG_SCALE), height: Math.round(PAGE_HEIGHT * PNG_SCALE) };
/** Most office printers cannot print the outer 5 mm; 15 mm keeps every mark well inside. */
const MARGIN = 42;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
/** ISO/IEC 18004 asks for at least 4 modules of light margin around the symbol. */
const QUIET_ZONE_MODULES = 4;
const QR_MAX_SIZE = 380;
/** Sizes (pt) and line counts for the variable texts: a unit name of 60 characters takes 3 lines at 22 pt. */
const UNIT_NAME_STEPS: readonly FitStep[] = [[30, 1], [26, 2], [22, 3], [19, 4], [17, 4]];
const POINT_NAME_STEPS: readonly FitStep[] = [[24, 1], [21, 2], [18, 3], [16, 3]];
const ADDRESS_STEPS: readonly FitStep[] = [[15, 2], [13, 3], [12, 3]];

const COLOR_BRAND = '#16804a';
const COLOR_TEXT = '#1d1d1f';
const COLOR_MUTED = '#5f6368';
const COLOR_FRAME = '#c8d9cf';

type Weight = 'regular' | 'bold';
/** Width in points of `text` set at `size` points. */
type Measure = (text: string, size: number, weight: Weight) => number;

type DrawOp =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; radius: number; fill?: string; stroke?: string }
  | { kind: 'text'; text: string; x: number; baseline: number; size: number; weight: Weight; color: string }
  | { kind: 'qr'; x: number; y: number; moduleSize: number; dark: boolean[][] };

// ---------------------------------------------------------------------------------------------------
// Font

const FONT_FILES: Record<Weight, string> = {
  regular: 'NotoSansHans-Regular.otf',
  bold: 'NotoSansHans-Bold.otf',
};
const CANVAS_FAMILY: Record<Weight, string> = { regular: 'BaminPosterSC', bold: 'BaminPosterSCBold' };

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
    if (!('layout' in parsed)) throw new Error(`poster font is a collection, not a font: ${fontPath(weight)}`);
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
      throw new Error(`poster font could not be registered: ${fontPath(weight)}`);
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

interface FittedText {
  size: number;
  lines: string[];
}

/** A font size and the most lines the text may take at it. */
type FitStep = readonly [size: number, maxLines: number];

/**
 * The first step (largest size first) at which `text` wraps into at most its number of lines, so a name
 * first shrinks before it takes another line. Past the last step the extra lines are dropped and the last
 * kept line ends in … (still within the width).
 */
function fitText(text: string, steps: readonly FitStep[], width: number, weight: Weight, measure: Measure): FittedText {
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
// Layout

function qrMatrix(qrText: string): boolean[][] {
  // The token is base64url text; qrcode-generator's byte mode keeps only the low byte of each UTF-16 unit,
  // so anything outside printable ASCII would be encoded wrongly: refuse it instead.
  if (!/^[\x20-\x7e]+$/.test(qrText)) throw new RangeError('qrText must be non-empty printable ASCII');
  const qr = qrcode(0, 'M');
  qr.addData(qrText, 'Byte');
  qr.make();
  const count = qr.getModuleCount();
  return Array.from({ length: count }, (_, row) => Array.from({ length: count }, (_, col) => qr.isDark(row, col)));
}

/** Centred lines from `top`; returns the y below the last line. */
function centredLines(ops: DrawOp[], fitted: FittedText, top: number, lineHeight: number, weight: Weight, color: string, measure: Measure): number {
  let y = top;
  for (const line of fitted.lines) {
    const w = measure(line, fitted.size, weight);
    // The em box of a CJK glyph sits about 0.88 em above the baseline in Noto Sans CJK.
    ops.push({ kind: 'text', text: line, x: (PAGE_WIDTH - w) / 2, baseline: y + fitted.size * 0.88 + (lineHeight - 1) * fitted.size / 2, size: fitted.size, weight, color });
    y += fitted.size * lineHeight;
  }
  return y;
}

function layoutPoster(c: PosterContent, measure: Measure): DrawOp[] {
  const ops: DrawOp[] = [];
  const dark = qrMatrix(c.qrText);

  // Header band with the title.
  const bandHeight = 64;
  ops.push({ kind: 'rect', x: MARGIN, y: MARGIN, w: CONTENT_WIDTH, h: bandHeight, radius: 10, fill: COLOR_BRAND });
  const title = fitText(POSTER_TITLE, [[26, 1], [22, 1], [18, 1]], CONTENT_WIDTH - 32, 'bold', measure);
  centredLines(ops, title, MARGIN + (bandHeight - title.size * 1.3) / 2, 1.3, 'bold', '#ffffff', measure);

  // Unit, point, address.
  let y = MARGIN + bandHeight + 30;
  const unit = fitText(c.unitName, UNIT_NAME_STEPS, CONTENT_WIDTH, 'bold', measure);
  y = centredLines(ops, unit, y, 1.3, 'bold', COLOR_TEXT, measure) + 10;
  const point = fitText(c.pointName, POINT_NAME_STEPS, CONTENT_WIDTH, 'regular', measure);
  y = centredLines(ops, point, y, 1.3, 'regular', COLOR_BRAND, measure) + 6;
  if (c.address && c.address.trim()) {
    const address = fitText(`地址：${c.address.trim()}`, ADDRESS_STEPS, CONTENT_WIDTH, 'regular', measure);
    y = centredLines(ops, address, y, 1.4, 'regular', COLOR_MUTED, measure);
  }
  const qrTop = y + 20;

  // Footer, laid out from the bottom margin up: notice, issue date, rule, instruction.
  const small = 11;
  const noticeBaseline = PAGE_HEIGHT - MARGIN - small * 0.3;
  const dateBaseline = noticeBaseline - small * 1.7;
  const ruleY = dateBaseline - small - 14;
  const instruction = fitText(POSTER_INSTRUCTION, [[17, 1], [15, 2], [13, 2]], CONTENT_WIDTH, 'bold', measure);
  const instructionTop = ruleY - 16 - instruction.lines.length * instruction.size * 1.45;
  centredLines(ops, instruction, instructionTop, 1.45, 'bold', COLOR_TEXT, measure);
  ops.push({ kind: 'rect', x: MARGIN, y: ruleY, w: CONTENT_WIDTH, h: 0.75, radius: 0, fill: COLOR_FRAME });
  const dateText = `生成日期：${shanghaiDay(c.issuedAt)}`;
  ops.push({ kind: 'text', text: dateText, x: (PAGE_WIDTH - measure(dateText, small, 'regular')) / 2, baseline: dateBaseline, size: small, weight: 'regular', color: COLOR_MUTED });
  ops.push({ kind: 'text', text: POSTER_NOTICE, x: (PAGE_WIDTH - measure(POSTER_NOTICE, small, 'regular')) / 2, baseline: noticeBaseline, size: small, weight: 'regular', color: COLOR_MUTED });

  // The QR code takes the space left between, up to QR_MAX_SIZE, with a whole number of PNG pixels a module.
  const framePadding = 8;
  const space = instructionTop - 18 - qrTop;
  const available = Math.min(QR_MAX_SIZE, space - 2 * framePadding);
  const modules = dark.length + 2 * QUIET_ZONE_MODULES;
  const modulePx = Math.floor((available * PNG_SCALE) / modules);
  if (modulePx < 3) throw new Error('poster layout leaves no room for the QR code');
  const moduleSize = modulePx / PNG_SCALE;
  const qrSize = modules * moduleSize;
  // Pixel-aligned origin, so that every module covers whole PNG pixels.
  const qrX = Math.round(((PAGE_WIDTH - qrSize) / 2) * PNG_SCALE) / PNG_SCALE;
  const qrY = Math.round((qrTop + (space - qrSize) / 2) * PNG_SCALE) / PNG_SCALE;
  ops.push({ kind: 'rect', x: qrX - framePadding, y: qrY - framePadding, w: qrSize + 2 * framePadding, h: qrSize + 2 * framePadding, radius: 8, stroke: COLOR_FRAME });
  ops.push({ kind: 'qr', x: qrX + QUIET_ZONE_MODULES * moduleSize, y: qrY + QUIET_ZONE_MODULES * moduleSize, moduleSize, dark });
  return ops;
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

/** A4 portrait at 150 dpi (1240 × 1754 px), white background. */
export async function renderPosterPng(c: PosterContent): Promise<Buffer> {
  registerCanvasFonts();
  const canvas = createCanvas(POSTER_PNG_SIZE.width, POSTER_PNG_SIZE.height);
  const ctx = canvas.getContext('2d');
  const fontOf = (size: number, weight: Weight): string => `${size}px ${CANVAS_FAMILY[weight]}`;
  // Measured in points: the context is scaled below, and font sizes are given in points too.
  const measure: Measure = (text, size, weight) => {
    ctx.font = fontOf(size, weight);
    return ctx.measureText(text).width;
  };
  const ops = layoutPoster(c, measure);

  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.scale(PNG_SCALE, PNG_SCALE);
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
      const px = Math.round(op.moduleSize * PNG_SCALE);
      const x0 = Math.round(op.x * PNG_SCALE);
      const y0 = Math.round(op.y * PNG_SCALE);
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

/** One A4 page; the Chinese text is real text in an embedded subset of Noto Sans Hans, the QR code vector. */
export async function renderPosterPdf(c: PosterContent): Promise<Buffer> {
  const doc = new PDFDocument({
    size: [PAGE_WIDTH, PAGE_HEIGHT],
    margin: 0,
    lang: 'zh-CN',
    info: {
      Title: `${c.unitName} ${c.pointName} 服务单位健康码`,
      Subject: POSTER_TITLE,
      Creator: '八闽健康码',
      CreationDate: c.issuedAt,
      ModDate: c.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit 0.20 takes a fontkit font object as a source; @types/pdfkit 0.17 does not know that yet.
  doc.registerFont('poster-regular', pdfFont('regular') as unknown as Buffer);
  doc.registerFont('poster-bold', pdfFont('bold') as unknown as Buffer);
  const fontName = (weight: Weight): string => (weight === 'bold' ? 'poster-bold' : 'poster-regular');
  const measure: Measure = (text, size, weight) => doc.font(fontName(weight)).fontSize(size).widthOfString(text);
  const ops = layoutPoster(c, measure);

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
