// Before an uploaded .xlsx (a zip) is handed to exceljs, which inflates it whole in memory: how big is it
// really, and how many rows has its first sheet? (issue 11: zip bombs, huge sheets.)
//
// The sizes a zip declares can lie, so every part is actually inflated here — with zlib's
// maxOutputLength, so a part that inflates past what is left of the budget stops at the budget and is
// refused, never finished. The work is bounded by the budget, whatever the file claims. Only the two
// methods an .xlsx uses (stored, deflate) are read; anything else is not an .xlsx.
import { inflateRawSync } from 'node:zlib';

export type ZipCheck =
  | { ok: true; inflatedBytes: number; firstSheetRows: number | null }
  | { ok: false; reason: 'not_zip' | 'too_big'; inflatedBytes: number };

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const FIRST_SHEET = 'xl/worksheets/sheet1.xml';

export function checkZip(body: Uint8Array, maxInflatedBytes: number): ZipCheck {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let end = -1;
  // the end record is 22 bytes plus a comment of at most 65,535
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) return { ok: false, reason: 'not_zip', inflatedBytes: 0 };
  const entries = buf.readUInt16LE(end + 10);
  let offset = buf.readUInt32LE(end + 16);
  let total = 0;
  let firstSheetRows: number | null = null;
  for (let n = 0; n < entries; n++) {
    if (offset + 46 > buf.length || buf.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) return { ok: false, reason: 'not_zip', inflatedBytes: total };
    const method = buf.readUInt16LE(offset + 10);
    const compressedSize = buf.readUInt32LE(offset + 20);
    const nameLength = buf.readUInt16LE(offset + 28);
    const local = buf.readUInt32LE(offset + 42);
    const name = buf.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + buf.readUInt16LE(offset + 30) + buf.readUInt16LE(offset + 32);
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL_FILE_HEADER) return { ok: false, reason: 'not_zip', inflatedBytes: total };
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (compressedSize === 0xffffffff || start + compressedSize > buf.length) return { ok: false, reason: 'not_zip', inflatedBytes: total };
    const data = buf.subarray(start, start + compressedSize);
    const budget = maxInflatedBytes - total;
    let part: Buffer;
    if (method === 0) {
      if (data.length > budget) return { ok: false, reason: 'too_big', inflatedBytes: total + data.length };
      part = data;
    } else if (method === 8) {
      try {
        part = inflateRawSync(data, { maxOutputLength: Math.max(1, budget) });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) return { ok: false, reason: 'too_big', inflatedBytes: maxInflatedBytes + 1 };
        return { ok: false, reason: 'not_zip', inflatedBytes: total };
      }
    } else {
      return { ok: false, reason: 'not_zip', inflatedBytes: total };
    }
    total += part.length;
    if (total > maxInflatedBytes) return { ok: false, reason: 'too_big', inflatedBytes: total };
    if (name === FIRST_SHEET) firstSheetRows = countRows(part);
  }
  return { ok: true, inflatedBytes: total, firstSheetRows };
}

/** `<row` elements in sheet XML (every row Excel or exceljs writes, empty ones included). */
function countRows(xml: Buffer): number {
  let n = 0;
  for (let i = xml.indexOf('<row'); i >= 0; i = xml.indexOf('<row', i + 4)) {
    const next = xml[i + 4];
    // <row> or <row attr…>, not <rows…>
    if (next === 0x20 || next === 0x3e || next === 0x2f) n++;
  }
  return n;
}
