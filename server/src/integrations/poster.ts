// The printable service-point poster (健康码下载, manual 四(九)2 and 五(二)9 (2); D8/E8): a unit prints it and
// sticks it at the entrance, and people scan its QR code with the app. One A4 portrait page, rendered as a
// PNG (150 dpi, 1240 × 1754 px) or as a PDF (595.28 × 841.89 pt) from the same layout.
//
// - The layout is computed once per format in PDF points (origin top left) from text widths measured by
//   that format's own renderer, then drawn by printLayout.ts: a canvas (@napi-rs/canvas) scaled by 150/72, or pdfkit.
// - The QR code carries the signed point token exactly as given (made elsewhere; never created here),
//   error correction M, a quiet zone of 4 modules. Its module size is a whole number of PNG pixels so
//   the printed code is crisp; in the PDF it is vector squares of the same size.
// - The font is Noto Sans Hans (Noto Sans CJK SC, OFL-1.1) from @embedpdf/fonts-sc, embedded as a subset in
//   the PDF (printLayout.ts; docs/POSTER.md for the choice).
// - Long names wrap (a CJK line may break between any two characters, never before a closing mark such
//   as ，。） or after an opening one), shrink through a few sizes, and are cut with … only past the
//   last line allowed, so nothing is ever drawn outside the page margins.
import { shanghaiDay } from '@bamin/common';
import {
  centredLines,
  fitText,
  pngSize,
  placeQr,
  qrMatrix,
  renderPdf,
  renderPng,
  type DrawOp,
  type FitStep,
  type Measure,
  type PageSpec,
} from './printLayout';

export { wrapText } from './printLayout';

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

/** A4 in PDF points (1/72 inch); PNG at 150 dpi gives 1240 × 1754 px. */
const PAGE: PageSpec = { width: 595.28, height: 841.89, pngDpi: 150 };
const PAGE_WIDTH = PAGE.width;
const PAGE_HEIGHT = PAGE.height;
export const POSTER_PNG_SIZE = pngSize(PAGE);
/** Most office printers cannot print the outer 5 mm; 15 mm keeps every mark well inside. */
const MARGIN = 42;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const QR_MAX_SIZE = 380;
/** Sizes (pt) and line counts for the variable texts: a unit name of 60 characters takes 3 lines at 22 pt. */
const UNIT_NAME_STEPS: readonly FitStep[] = [[30, 1], [26, 2], [22, 3], [19, 4], [17, 4]];
const POINT_NAME_STEPS: readonly FitStep[] = [[24, 1], [21, 2], [18, 3], [16, 3]];
const ADDRESS_STEPS: readonly FitStep[] = [[15, 2], [13, 3], [12, 3]];

const COLOR_BRAND = '#16804a';
const COLOR_TEXT = '#1d1d1f';
const COLOR_MUTED = '#5f6368';
const COLOR_FRAME = '#c8d9cf';

// ---------------------------------------------------------------------------------------------------
// Layout

function layoutPoster(c: PosterContent, measure: Measure): DrawOp[] {
  const ops: DrawOp[] = [];
  const dark = qrMatrix(c.qrText, 'M');

  // Header band with the title.
  const bandHeight = 64;
  ops.push({ kind: 'rect', x: MARGIN, y: MARGIN, w: CONTENT_WIDTH, h: bandHeight, radius: 10, fill: COLOR_BRAND });
  const title = fitText(POSTER_TITLE, [[26, 1], [22, 1], [18, 1]], CONTENT_WIDTH - 32, 'bold', measure);
  centredLines(ops, title, MARGIN + (bandHeight - title.size * 1.3) / 2, 1.3, 'bold', '#ffffff', measure, PAGE_WIDTH);

  // Unit, point, address.
  let y = MARGIN + bandHeight + 30;
  const unit = fitText(c.unitName, UNIT_NAME_STEPS, CONTENT_WIDTH, 'bold', measure);
  y = centredLines(ops, unit, y, 1.3, 'bold', COLOR_TEXT, measure, PAGE_WIDTH) + 10;
  const point = fitText(c.pointName, POINT_NAME_STEPS, CONTENT_WIDTH, 'regular', measure);
  y = centredLines(ops, point, y, 1.3, 'regular', COLOR_BRAND, measure, PAGE_WIDTH) + 6;
  if (c.address && c.address.trim()) {
    const address = fitText(`地址：${c.address.trim()}`, ADDRESS_STEPS, CONTENT_WIDTH, 'regular', measure);
    y = centredLines(ops, address, y, 1.4, 'regular', COLOR_MUTED, measure, PAGE_WIDTH);
  }
  const qrTop = y + 20;

  // Footer, laid out from the bottom margin up: notice, issue date, rule, instruction.
  const small = 11;
  const noticeBaseline = PAGE_HEIGHT - MARGIN - small * 0.3;
  const dateBaseline = noticeBaseline - small * 1.7;
  const ruleY = dateBaseline - small - 14;
  const instruction = fitText(POSTER_INSTRUCTION, [[17, 1], [15, 2], [13, 2]], CONTENT_WIDTH, 'bold', measure);
  const instructionTop = ruleY - 16 - instruction.lines.length * instruction.size * 1.45;
  centredLines(ops, instruction, instructionTop, 1.45, 'bold', COLOR_TEXT, measure, PAGE_WIDTH);
  ops.push({ kind: 'rect', x: MARGIN, y: ruleY, w: CONTENT_WIDTH, h: 0.75, radius: 0, fill: COLOR_FRAME });
  const dateText = `生成日期：${shanghaiDay(c.issuedAt)}`;
  ops.push({ kind: 'text', text: dateText, x: (PAGE_WIDTH - measure(dateText, small, 'regular')) / 2, baseline: dateBaseline, size: small, weight: 'regular', color: COLOR_MUTED });
  ops.push({ kind: 'text', text: POSTER_NOTICE, x: (PAGE_WIDTH - measure(POSTER_NOTICE, small, 'regular')) / 2, baseline: noticeBaseline, size: small, weight: 'regular', color: COLOR_MUTED });

  // The QR code takes the space left between, up to QR_MAX_SIZE, with a whole number of PNG pixels a module.
  const framePadding = 8;
  const space = instructionTop - 18 - qrTop;
  const { op: qr, box } = placeQr(PAGE, dark, qrTop + framePadding, space - 2 * framePadding, QR_MAX_SIZE);
  ops.push({ kind: 'rect', x: box.x - framePadding, y: box.y - framePadding, w: box.size + 2 * framePadding, h: box.size + 2 * framePadding, radius: 8, stroke: COLOR_FRAME });
  ops.push(qr);
  return ops;
}

// ---------------------------------------------------------------------------------------------------
// Rendering

/** A4 portrait at 150 dpi (1240 × 1754 px), white background. */
export function renderPosterPng(c: PosterContent): Promise<Buffer> {
  return renderPng(PAGE, (measure) => layoutPoster(c, measure));
}

/** One A4 page; the Chinese text is real text in an embedded subset of Noto Sans Hans, the QR code vector. */
export function renderPosterPdf(c: PosterContent): Promise<Buffer> {
  return renderPdf(PAGE, { Title: `${c.unitName} ${c.pointName} 服务单位健康码`, Subject: POSTER_TITLE, CreationDate: c.issuedAt }, (measure) => layoutPoster(c, measure));
}
