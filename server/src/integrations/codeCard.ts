// The printed code card (健康码卡片, H4): for a person without a phone, printed by a family member or a community
// worker and carried instead of a phone. One A6 portrait page (105 × 148 mm), as a PDF (297.64 × 419.53 pt) for
// printing and as a PNG (300 dpi, 1240 × 1748 px) of the same layout for the screen preview.
//
// - Black and grey only: the card must never suggest a colour. Neither the health-code colour (the token has
//   none; the scanner looks it up) nor a brand colour that could be read as 绿码.
// - On it: the title, the masked name (maskName, as the scanner shows it), the QR of the signed `card` token
//   exactly as given (error correction Q: a card lives in a wallet), 有效期至 YYYY-MM-DD (Shanghai day), and the
//   notice that the colour is only what a scan says. Never the full ID number, the phone or the code number.
// - Fonts, line breaking, QR drawing and both renderers are printLayout.ts's, shared with the poster.
import { CARD_NOTICE, CARD_TITLE, cardValidityText, shanghaiDay } from '@bamin/common';
import { centredLines, fitText, placeQr, pngSize, qrMatrix, renderPdf, renderPng, type DrawOp, type Measure, type PageSpec } from './printLayout';

export interface CardContent {
  /** Already masked (maskName). */
  nameMasked: string;
  qrText: string;
  issuedAt: Date;
  expiresAt: Date;
  cardId: number;
}

/** A6 portrait: 105 × 148 mm in PDF points; the PNG at 300 dpi. */
const PAGE: PageSpec = { width: 297.64, height: 419.53, pngDpi: 300 };
export const CARD_PAGE_SIZE_PT = { width: PAGE.width, height: PAGE.height };
export const CARD_PNG_SIZE = pngSize(PAGE);
/** 8 mm: inside what any printer prints, with room for a cut line at 4 mm. */
const MARGIN = 22.7;
const CUT_INSET = 11.3;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const QR_MAX_SIZE = 230;

const BLACK = '#000000';
const GREY = '#555555';
const LIGHT = '#9a9a9a';

function layoutCard(c: CardContent, measure: Measure): DrawOp[] {
  const ops: DrawOp[] = [];
  const dark = qrMatrix(c.qrText, 'Q');
  const W = PAGE.width;

  // A thin cut line around the card.
  ops.push({ kind: 'rect', x: CUT_INSET, y: CUT_INSET, w: W - 2 * CUT_INSET, h: PAGE.height - 2 * CUT_INSET, radius: 8, stroke: LIGHT });

  let y = MARGIN + 2;
  const title = fitText(CARD_TITLE, [[15, 1], [13, 1], [11, 1]], CONTENT_WIDTH, 'bold', measure);
  y = centredLines(ops, title, y, 1.3, 'bold', BLACK, measure, W) + 4;
  ops.push({ kind: 'rect', x: MARGIN, y, w: CONTENT_WIDTH, h: 0.6, radius: 0, fill: LIGHT });
  y += 10;
  const name = fitText(`持卡人：${c.nameMasked}`, [[19, 1], [16, 1], [13, 2]], CONTENT_WIDTH, 'bold', measure);
  y = centredLines(ops, name, y, 1.3, 'bold', BLACK, measure, W);
  const qrTop = y + 6;

  // From the bottom margin up: the card number and issue day, the notice, the validity.
  const tiny = 7.5;
  const footBaseline = PAGE.height - MARGIN - tiny * 0.3;
  const foot = `卡片编号 ${c.cardId} · 生成日期 ${shanghaiDay(c.issuedAt)}`;
  ops.push({ kind: 'text', text: foot, x: (W - measure(foot, tiny, 'regular')) / 2, baseline: footBaseline, size: tiny, weight: 'regular', color: LIGHT });
  const notice = fitText(CARD_NOTICE, [[9, 2], [8, 3]], CONTENT_WIDTH, 'regular', measure);
  const noticeTop = footBaseline - tiny - 6 - notice.lines.length * notice.size * 1.4;
  centredLines(ops, notice, noticeTop, 1.4, 'regular', GREY, measure, W);
  const validity = fitText(cardValidityText(c.expiresAt), [[15, 1], [13, 1]], CONTENT_WIDTH, 'bold', measure);
  const validityTop = noticeTop - 6 - validity.size * 1.3;
  centredLines(ops, validity, validityTop, 1.3, 'bold', BLACK, measure, W);

  const { op } = placeQr(PAGE, dark, qrTop, validityTop - 4 - qrTop, QR_MAX_SIZE);
  ops.push(op);
  return ops;
}

/** A6 portrait at 300 dpi (1240 × 1748 px), white background. */
export function renderCardPng(c: CardContent): Promise<Buffer> {
  return renderPng(PAGE, (measure) => layoutCard(c, measure));
}

/** One A6 page; the Chinese text is real text in an embedded subset of Noto Sans Hans, the QR code vector. */
export function renderCardPdf(c: CardContent): Promise<Buffer> {
  return renderPdf(PAGE, { Title: `${c.nameMasked} 健康码卡片`, Subject: CARD_TITLE, CreationDate: c.issuedAt }, (measure) => layoutCard(c, measure));
}
