// The ID-card OCR adapter (F3, manual 六(二)4 C) with the real Tesseract worker, on card photos drawn by
// test/helpers/idCardImage. One adapter (one warm worker) serves the whole file.
import { residentIdCheckDigit } from '@bamin/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTesseractIdCardOcr, type IdCardOcr } from '../../src/integrations/ocr';
import { renderIdCard } from '../helpers/idCardImage';

/** A synthetic, valid number: address code + birth date + sequence + computed check character. */
function residentId(county: string, birth: string, seq: number): string {
  const body = `${county}${birth}${String(seq).padStart(3, '0')}`;
  return body + residentIdCheckDigit(body);
}
/** The first sequence from `from` on whose check character is X. */
function residentIdEndingInX(county: string, birth: string, from = 1): string {
  for (let seq = from; seq < 1000; seq++) {
    const id = residentId(county, birth, seq);
    if (id.endsWith('X')) return id;
  }
  throw new Error('no sequence gives X');
}

const ID_1950 = residentId('350102', '19500307', 123);
const ID_1958 = residentId('350203', '19581201', 246);
const ID_1966 = residentId('350583', '19660131', 17);
const ID_X = residentIdEndingInX('350121', '19500307');

const warnings: { obj: object; msg: string }[] = [];
let ocr: IdCardOcr;

beforeAll(() => {
  ocr = createTesseractIdCardOcr({ logger: { warn: (obj, msg) => warnings.push({ obj, msg }) } });
});

afterAll(async () => {
  await ocr.close();
});

describe('ID-card OCR adapter (F3)', () => {
  it('the test numbers are what the brief asks for', () => {
    expect(ID_X).toMatch(/^\d{17}X$/);
    expect(new Set([ID_1950, ID_1958, ID_1966, ID_X]).size).toBe(4);
  });

  it.each([
    ['a clean PNG', { idNumber: ID_1950 }],
    ['a clean JPEG', { idNumber: ID_1958, format: 'jpeg' }],
    ['a number ending in X', { idNumber: ID_X, name: '陈玉兰' }],
    ['a number ending in X, JPEG', { idNumber: ID_X, format: 'jpeg' }],
    ['a noisy PNG', { idNumber: ID_1966, noise: true }],
    ['a noisy JPEG', { idNumber: ID_1950, noise: true, format: 'jpeg' }],
    ['a card turned by +3°', { idNumber: ID_1958, rotationDeg: 3 }],
    ['a card turned by −2.5°, JPEG', { idNumber: ID_1966, rotationDeg: -2.5, format: 'jpeg' }],
    ['a noisy card turned by −2°', { idNumber: ID_1950, noise: true, rotationDeg: -2 }],
    ['a noisy card turned by +2°, ending in X, JPEG', { idNumber: ID_X, noise: true, rotationDeg: 2, format: 'jpeg' }],
  ] as const)('reads the number from %s', async (_name, card) => {
    const outcome = await ocr.readIdNumber(await renderIdCard(card));
    expect(outcome).toEqual({ ok: true, idNumber: card.idNumber });
  });

  it('a printed number with a wrong check character is no number, never a guess', async () => {
    const wrong = ID_1958.slice(0, 17) + (ID_1958[17] === '1' ? '2' : '1');
    expect(await ocr.readIdNumber(await renderIdCard({ idNumber: wrong }))).toEqual({ ok: false, reason: 'no_id_number' });
  });

  it('a card with no number printed is no number', async () => {
    expect(await ocr.readIdNumber(await renderIdCard({ idNumber: '' }))).toEqual({ ok: false, reason: 'no_id_number' });
  });

  it('bytes that are not a usable image are unreadable, and the adapter keeps working', async () => {
    const png = await renderIdCard({ idNumber: ID_1966 });
    const jpeg = await renderIdCard({ idNumber: ID_1966, format: 'jpeg' });
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const bad = [
      Buffer.alloc(0),
      garbage,
      png.subarray(0, 20), // the signature and no header
      png.subarray(0, png.length >> 1), // a truncated upload: the header is fine, the data is not
      Buffer.concat([png.subarray(0, 33), Buffer.alloc(2000, 7)]), // a PNG header followed by junk
      jpeg.subarray(0, 300), // a JPEG cut before its frame header
      'not a buffer' as unknown as Buffer,
    ];
    for (const image of bad) {
      expect(await ocr.readIdNumber(image)).toEqual({ ok: false, reason: 'unreadable_image' });
    }
    expect(await ocr.readIdNumber(jpeg)).toEqual({ ok: true, idNumber: ID_1966 });
  });

  it('concurrent calls are queued through the one worker and all answered correctly', async () => {
    const ids = [ID_1950, ID_1958, ID_1966, ID_X];
    const images = await Promise.all(ids.map((idNumber, i) => renderIdCard({ idNumber, format: i % 2 ? 'jpeg' : 'png' })));
    const broken = images[0].subarray(0, images[0].length >> 1);
    const outcomes = await Promise.all([...images.map((image) => ocr.readIdNumber(image)), ocr.readIdNumber(broken)]);
    expect(outcomes).toEqual([...ids.map((idNumber) => ({ ok: true, idNumber })), { ok: false, reason: 'unreadable_image' }]);
  });

  it('never logs what it read, only sizes and counts', () => {
    expect(warnings.length).toBeGreaterThan(0); // the unreadable images above were logged
    const logged = JSON.stringify(warnings);
    for (const id of [ID_1950, ID_1958, ID_1966, ID_X]) {
      expect(logged).not.toContain(id);
      expect(logged).not.toContain(id.slice(6, 14)); // nor the birth date part
    }
  });

  it('a worker whose thread died is replaced on the next call', async () => {
    // Reaches into the adapter to end its thread the way a crash would; the public API cannot do that.
    type Internals = { worker: Promise<{ tesseract: { worker: { terminate(): Promise<number> } } }> | null };
    const own = createTesseractIdCardOcr();
    const image = await renderIdCard({ idNumber: ID_1958, format: 'jpeg' });
    try {
      expect(await own.readIdNumber(image)).toEqual({ ok: true, idNumber: ID_1958 });
      const live = await (own as unknown as Internals).worker!;
      await live.tesseract.worker.terminate();
      expect(await own.readIdNumber(image)).toEqual({ ok: true, idNumber: ID_1958 });
    } finally {
      await own.close();
    }
  });

  it('close() is idempotent and a closed adapter refuses work', async () => {
    const own = createTesseractIdCardOcr();
    expect(await own.readIdNumber(Buffer.alloc(0))).toEqual({ ok: false, reason: 'unreadable_image' });
    await own.close();
    await own.close();
    await expect(own.readIdNumber(await renderIdCard({ idNumber: ID_1950 }))).rejects.toThrow(/closed/);
  });
});
