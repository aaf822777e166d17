// The printable service-point poster (D8/E8, manual 四(九)2 and 五(二)9 (2)): both formats rendered for real,
// the PNG read back with jsQR, the PDF read back with pdf.js (text, page size, fonts, no raster images).
import { randomBytes } from 'node:crypto';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  POSTER_INSTRUCTION,
  POSTER_NOTICE,
  POSTER_TITLE,
  renderPosterPdf,
  renderPosterPng,
  wrapText,
  type PosterContent,
} from '../../src/integrations/poster';

const A4 = { width: 595.28, height: 841.89 };
/** 10 mm: nothing may be drawn closer to the paper's edge (the layout keeps 15 mm). */
const EDGE_PT = 28.35;

const content: PosterContent = {
  unitName: '长威信息科技发展股份有限公司',
  pointName: '软件园9号食堂（第一分店）',
  address: '福州市鼓楼区软件大道89号',
  // A signed point token is base64url text of about this length (the dot separates payload and signature).
  qrText: `${randomBytes(45).toString('base64url')}.${randomBytes(43).toString('base64url')}`,
  // 01:30 on 2 December in Shanghai: the printed date is Shanghai's, not UTC's 1 December.
  issuedAt: new Date('2026-12-01T17:30:00Z'),
};

const LONG_UNIT_NAME = '福建省长威信息科技发展股份有限公司鼓楼软件园区第一分公司暨闽东北区域智慧健康公共服务运营管理指挥中心（福州市鼓楼区分部）';
const longContent: PosterContent = { ...content, unitName: LONG_UNIT_NAME };

interface PdfText {
  str: string;
  x: number;
  /** From the bottom of the page, as PDF has it. */
  y: number;
  width: number;
  height: number;
}

async function readPdf(bytes: Buffer) {
  const pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true }).promise;
  const page = await pdf.getPage(1);
  const text = await page.getTextContent();
  const items: PdfText[] = text.items
    .filter((item): item is Extract<typeof item, { str: string }> => 'str' in item && item.str.length > 0)
    .map((item) => ({ str: item.str, x: item.transform[4], y: item.transform[5], width: item.width, height: item.height }));
  const operators = await page.getOperatorList();
  const result = { numPages: pdf.numPages, view: page.view, items, text: items.map((i) => i.str).join(''), fnArray: operators.fnArray };
  await pdf.destroy();
  return result;
}

/** Count of non-white pixels within `edge` px of the image's border. */
function inkNearEdge(png: PNG, edge: number): number {
  let ink = 0;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      if (x >= edge && x < png.width - edge && y >= edge && y < png.height - edge) continue;
      const i = (y * png.width + x) * 4;
      if (png.data[i] < 250 || png.data[i + 1] < 250 || png.data[i + 2] < 250) ink++;
    }
  }
  return ink;
}

function decodeQr(png: PNG): string | undefined {
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height, { inversionAttempts: 'dontInvert' })?.data;
}

describe('service-point poster (D8/E8)', () => {
  let png: PNG;
  let longPng: PNG;
  let pdf: Awaited<ReturnType<typeof readPdf>>;
  let longPdf: Awaited<ReturnType<typeof readPdf>>;
  let pdfBytes: Buffer;

  beforeAll(async () => {
    expect(content.qrText.length).toBeGreaterThanOrEqual(110);
    expect(Array.from(LONG_UNIT_NAME)).toHaveLength(60);
    png = PNG.sync.read(await renderPosterPng(content));
    longPng = PNG.sync.read(await renderPosterPng(longContent));
    pdfBytes = await renderPosterPdf(content);
    pdf = await readPdf(pdfBytes);
    longPdf = await readPdf(await renderPosterPdf(longContent));
  });

  describe('PNG', () => {
    it('is A4 portrait at 150 dpi: 1240 × 1754 px', () => {
      expect([png.width, png.height]).toEqual([1240, 1754]);
    });

    it('carries the point token exactly as given in its QR code', () => {
      expect(decodeQr(png)).toBe(content.qrText);
    });

    it('keeps a 60-character unit name inside the margins, and the QR code still reads', () => {
      expect([longPng.width, longPng.height]).toEqual([1240, 1754]);
      expect(inkNearEdge(longPng, Math.round((EDGE_PT * 150) / 72))).toBe(0);
      expect(inkNearEdge(png, Math.round((EDGE_PT * 150) / 72))).toBe(0);
      expect(decodeQr(longPng)).toBe(content.qrText);
    });

    it('draws Chinese with the embedded font, not tofu: two names of equal length give different ink', async () => {
      // A font without the glyphs draws the same box for every character; real glyphs differ in ink.
      const other = PNG.sync.read(await renderPosterPng({ ...content, unitName: '福建省鼓楼区软件园食堂服务中' }));
      expect(Array.from(content.unitName)).toHaveLength(14);
      const ink = (image: PNG): number => {
        let dark = 0;
        for (let i = 0; i < image.data.length; i += 4) if (image.data[i] < 128) dark++;
        return dark;
      };
      expect(ink(other)).not.toBe(ink(png));
    });

    it('cuts an absurdly long name with … and keeps everything on the page', async () => {
      const absurd = PNG.sync.read(await renderPosterPng({
        ...content,
        unitName: LONG_UNIT_NAME.repeat(4),
        pointName: content.pointName.repeat(6),
        address: (content.address as string).repeat(8),
      }));
      expect(inkNearEdge(absurd, Math.round((EDGE_PT * 150) / 72))).toBe(0);
      expect(decodeQr(absurd)).toBe(content.qrText);
    });
  });

  describe('PDF', () => {
    it('is one A4 page (595.28 × 841.89 pt)', () => {
      expect(pdf.numPages).toBe(1);
      expect(pdf.view).toEqual([0, 0, A4.width, A4.height]);
    });

    it('has the Chinese as real text: title, unit, point, address, instruction, Shanghai date, notice', () => {
      for (const expected of [
        POSTER_TITLE,
        content.unitName,
        content.pointName,
        content.address as string,
        POSTER_INSTRUCTION,
        '请使用闽政通 APP 扫一扫，查看服务点健康信息并进行信息登记',
        '2026-12-02',
        POSTER_NOTICE,
      ]) {
        expect(pdf.text).toContain(expected);
      }
    });

    it('embeds a subset of the CJK font and draws the QR code as vectors, not as an image', () => {
      const raw = pdfBytes.toString('latin1');
      expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
      expect(raw).toContain('/FontFile3');
      expect(pdf.fnArray).not.toContain(OPS.paintImageXObject);
      expect(pdf.fnArray).toContain(OPS.constructPath);
    });

    it('wraps a 60-character unit name within the page margins', () => {
      expect(longPdf.numPages).toBe(1);
      expect(longPdf.text).toContain(LONG_UNIT_NAME);
      const nameLines = longPdf.items.filter((i) => LONG_UNIT_NAME.includes(i.str) && i.str.length > 5);
      expect(nameLines.length).toBeGreaterThanOrEqual(2);
      for (const item of longPdf.items) {
        expect(item.x, item.str).toBeGreaterThanOrEqual(EDGE_PT);
        expect(item.x + item.width, item.str).toBeLessThanOrEqual(A4.width - EDGE_PT);
        expect(item.y, item.str).toBeGreaterThanOrEqual(EDGE_PT);
        expect(item.y + item.height, item.str).toBeLessThanOrEqual(A4.height - EDGE_PT);
      }
    });

    it('leaves out the address line when the point has none', async () => {
      const { text } = await readPdf(await renderPosterPdf({ ...content, address: null }));
      expect(text).not.toContain('地址');
      expect(text).toContain(content.pointName);
    });
  });

  it('refuses a QR text that is not printable ASCII (a token is base64url)', async () => {
    await expect(renderPosterPng({ ...content, qrText: '' })).rejects.toThrow(RangeError);
    await expect(renderPosterPdf({ ...content, qrText: '健康码' })).rejects.toThrow(RangeError);
  });

  describe('line breaking', () => {
    // Every character is 1 unit wide; a line holds 5.
    const fits = (line: string): boolean => Array.from(line).length <= 5;
    it.each([
      ['breaks Chinese between any two characters', '长威信息科技发展股份', ['长威信息科', '技发展股份']],
      ['never starts a line with a closing mark: takes the character before along', '软件园九号，食堂', ['软件园九', '号，食堂']],
      ['never ends a line with an opening mark', '软件园九（号食堂）', ['软件园九', '（号食堂）']],
      ['keeps a Latin word together', '食堂号ABCD', ['食堂号', 'ABCD']],
      ['splits a word longer than a line by characters', '食堂A12345号', ['食堂A12', '345号']],
      ['keeps a short number together', '软件大道189号', ['软件大道', '189号']],
    ])('%s', (_rule, text, expected) => {
      expect(wrapText(text, fits)).toEqual(expected);
    });
  });
});
