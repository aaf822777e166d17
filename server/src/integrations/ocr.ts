// ID-card OCR adapter (F3, manual 六(二)4 C): scanner staff photograph the front of an elderly person's
// resident ID card and the server reads the 18-character ID number from the photo, fully offline.
//
// - Tesseract (tesseract.js, WebAssembly in a worker thread) with the English LSTM data shipped by
//   @tesseract.js-data/eng: `langPath` points at that package, so nothing is ever fetched from a CDN, and
//   `cacheMethod: 'none'` keeps it from writing a cache file into the working directory.
// - One worker, created on first use and kept warm; recognitions are queued through it one at a time.
// - A bad upload never takes the process down: bytes that are not a JPEG/PNG of sane size never reach
//   Tesseract, an `errorHandler` is installed (without it an image Tesseract cannot decode throws inside the
//   worker's message handler), and a failed, timed-out or dead worker is thrown away and made anew on the
//   next call.
// - The text is turned into a number by domain/idCardText: only a number passing GB 11643 counts, so a
//   misread is "no number", not another person. Nothing read from the card is ever logged.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import { createWorker, OEM, PSM, type Worker as TesseractWorker } from 'tesseract.js';
import { idNumberCandidates } from '../domain/idCardText';

export type OcrOutcome = { ok: true; idNumber: string } | { ok: false; reason: 'unreadable_image' | 'no_id_number' };

export interface IdCardOcr {
  /** Reads the 18-character resident ID number from a photo of the card front (JPEG or PNG bytes). */
  readIdNumber(image: Buffer): Promise<OcrOutcome>;
  close(): Promise<void>;
}

interface OcrLogger {
  warn(obj: object, msg: string): void;
}

/** Uploads larger than this are refused before decoding (a phone photo is a few MB). */
const MAX_IMAGE_BYTES = 15 * 1024 * 1024;
/** Decoded size limits: guards the WebAssembly heap against decompression bombs. */
const MAX_IMAGE_SIDE = 10_000;
const MAX_IMAGE_PIXELS = 40_000_000;
const WORKER_START_TIMEOUT_MS = 30_000;
const RECOGNITION_TIMEOUT_MS = 30_000;

const TESSERACT_PARAMETERS = {
  tessedit_char_whitelist: '0123456789X',
  user_defined_dpi: '300',
  // Sparse text on the whole photo finds the number wherever the card is in the frame.
  tessedit_pageseg_mode: PSM.SPARSE_TEXT,
  // Tesseract's progress chatter ("Detected 128 diacritics") would otherwise go to the server's stdout.
  debug_file: '/dev/null',
};

/**
 * Every photo is read twice, as it is (~0.3 s) and with Tesseract's own skew correction (~0.4 s), and the
 * valid numbers of both readings are pooled. The second reading finds the number on tilted, noisy photos
 * that the first misreads; and when one reading misreads the number into another valid one (rare, but it
 * happens: the check character lets through 1 in 11 multi-digit misreads), the two readings disagree and no
 * number is taken instead of a wrong person.
 */
const PASSES: readonly RecognitionPass[] = [{ rotateAuto: false }, { rotateAuto: true }];

interface RecognitionPass {
  rotateAuto: boolean;
}

/** The folder of the bundled LSTM English data (tesseract.js's default model, here without a download). */
function bundledLangPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}

// ---------------------------------------------------------------------------------------------------
// Image checks (before anything reaches Tesseract)

type ImageFormat = 'png' | 'jpeg';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function imageFormat(image: Buffer): ImageFormat | null {
  if (image.length >= 33 && image.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (image.length >= 4 && image[0] === 0xff && image[1] === 0xd8 && image[2] === 0xff) return 'jpeg';
  return null;
}

/** Width and height from the PNG header chunk, or null when it is not there. */
function pngSize(image: Buffer): { width: number; height: number } | null {
  if (image.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: image.readUInt32BE(16), height: image.readUInt32BE(20) };
}

/** Width and height from the first JPEG start-of-frame segment, or null when there is none. */
function jpegSize(image: Buffer): { width: number; height: number } | null {
  let offset = 2;
  while (offset + 9 < image.length) {
    if (image[offset] !== 0xff) return null;
    const marker = image[offset + 1];
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image or scan data before any frame
    const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isStartOfFrame) return { height: image.readUInt16BE(offset + 5), width: image.readUInt16BE(offset + 7) };
    offset += 2 + image.readUInt16BE(offset + 2);
  }
  return null;
}

/** True when the bytes look like a JPEG or PNG photo of a size Tesseract can safely decode. */
function isAcceptableImage(image: unknown): image is Buffer {
  if (!Buffer.isBuffer(image) || image.length > MAX_IMAGE_BYTES) return false;
  const format = imageFormat(image);
  if (!format) return false;
  const size = format === 'png' ? pngSize(image) : jpegSize(image);
  if (!size || size.width < 1 || size.height < 1) return false;
  return size.width <= MAX_IMAGE_SIDE && size.height <= MAX_IMAGE_SIDE && size.width * size.height <= MAX_IMAGE_PIXELS;
}

// ---------------------------------------------------------------------------------------------------
// The worker

/** A Tesseract worker together with a promise that settles (never rejects) when its thread is gone. */
interface LiveWorker {
  tesseract: TesseractWorker;
  gone: Promise<'gone'>;
  alive: boolean;
}

type Recognition = { text: string } | { failure: 'rejected' | 'timeout' | 'worker_gone' };

function delay<T>(ms: number, value: T): { promise: Promise<T>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(value), ms);
    timer.unref();
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Watches the worker thread: an 'error' listener keeps a thread crash from becoming an uncaught error. */
function watchThread(tesseract: TesseractWorker, logger?: OcrLogger): Promise<'gone'> {
  const thread = (tesseract as unknown as { worker?: ThreadWorker }).worker;
  if (!thread || typeof thread.once !== 'function') return new Promise(() => {});
  return new Promise((resolve) => {
    thread.on('error', (error: unknown) => {
      logger?.warn({ error: describeError(error) }, 'ID card OCR worker thread failed');
      resolve('gone');
    });
    thread.once('exit', () => resolve('gone'));
  });
}

/** A short, content-free description of a Tesseract error (its messages never contain recognised text). */
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 200);
}

async function startWorker(logger?: OcrLogger): Promise<LiveWorker> {
  const creating = createWorker('eng', OEM.LSTM_ONLY, {
    langPath: bundledLangPath(),
    gzip: true,
    cacheMethod: 'none',
    logger: () => {},
    errorHandler: (error: unknown) => logger?.warn({ error: describeError(error) }, 'ID card OCR worker reported an error'),
  });
  const timeout = delay(WORKER_START_TIMEOUT_MS, null);
  const tesseract = await Promise.race([creating, timeout.promise]).finally(timeout.cancel);
  if (!tesseract) {
    // A worker that finishes starting after all must not be left running.
    creating.then((late) => late.terminate()).catch(() => {});
    throw new Error('ID card OCR worker did not start in time');
  }
  const worker: LiveWorker = { tesseract, gone: watchThread(tesseract, logger), alive: true };
  void worker.gone.then(() => {
    worker.alive = false;
  });
  try {
    await tesseract.setParameters(TESSERACT_PARAMETERS);
  } catch (error) {
    await tesseract.terminate().catch(() => {});
    throw error;
  }
  return worker;
}

async function recognise(worker: LiveWorker, image: Buffer, pass: RecognitionPass): Promise<Recognition> {
  const timeout = delay(RECOGNITION_TIMEOUT_MS, { failure: 'timeout' } as const);
  const job: Promise<Recognition> = worker.tesseract.recognize(image, { rotateAuto: pass.rotateAuto }).then(
    (result) => ({ text: result.data.text ?? '' }),
    () => ({ failure: 'rejected' }),
  );
  const gone = worker.gone.then(() => ({ failure: 'worker_gone' }) as const);
  return Promise.race([job, timeout.promise, gone]).finally(timeout.cancel);
}

// ---------------------------------------------------------------------------------------------------
// The adapter

class TesseractIdCardOcr implements IdCardOcr {
  private worker: Promise<LiveWorker> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly logger?: OcrLogger) {}

  readIdNumber(image: Buffer): Promise<OcrOutcome> {
    if (this.closed) return Promise.reject(new Error('ID card OCR is closed'));
    if (!isAcceptableImage(image)) {
      const bytes = Buffer.isBuffer(image) ? (image as Buffer).length : null;
      this.logger?.warn({ bytes }, 'ID card OCR: not a usable JPEG/PNG image');
      return Promise.resolve({ ok: false, reason: 'unreadable_image' });
    }
    const run = this.queue.then(() => this.readQueued(image));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    await this.discardWorker();
  }

  private async readQueued(image: Buffer): Promise<OcrOutcome> {
    let worker = await this.currentWorker();
    if (!worker.alive) {
      // Its thread ended since the last call: use a new one.
      await this.discardWorker();
      worker = await this.currentWorker();
    }
    const texts: string[] = [];
    for (const pass of PASSES) {
      const recognition = await recognise(worker, image, pass);
      if ('failure' in recognition) {
        // The image could not be read; start afresh next time in case it left the worker in a bad state.
        this.logger?.warn({ bytes: image.length, failure: recognition.failure }, 'ID card OCR: image could not be read');
        await this.discardWorker();
        return { ok: false, reason: 'unreadable_image' };
      }
      texts.push(recognition.text);
    }
    const candidates = idNumberCandidates(texts.join('\n'));
    if (candidates.length === 1) return { ok: true, idNumber: candidates[0] };
    if (candidates.length > 1) {
      // Different valid numbers on one photo: taking either could name the wrong person.
      this.logger?.warn({ candidates: candidates.length }, 'ID card OCR: several valid ID numbers, none taken');
    }
    return { ok: false, reason: 'no_id_number' };
  }

  private currentWorker(): Promise<LiveWorker> {
    if (!this.worker) {
      const starting = startWorker(this.logger);
      this.worker = starting;
      starting.catch(() => {
        if (this.worker === starting) this.worker = null; // try again on the next call
      });
    }
    return this.worker;
  }

  private async discardWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    try {
      await (await worker).tesseract.terminate();
    } catch {
      // It never started or is already gone: nothing to terminate.
    }
  }
}

export function createTesseractIdCardOcr(options?: { logger?: { warn(obj: object, msg: string): void } }): IdCardOcr {
  return new TesseractIdCardOcr(options?.logger);
}
