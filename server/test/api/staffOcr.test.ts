// ID-card OCR at the checkpoint (issue 4, F3 / manual 六(二)4 C), end to end with the real tesseract
// worker on card images the test renders: the right person, 60 and over only, every refusal clear.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context';
import { renderIdCard } from '../helpers/idCardImage';
import { residentId } from '../helpers/people';
import { bearer, personWithCode, staffAtPoint } from '../helpers/staff';

let ctx: TestContext;
let token: string;
let accountId: number;
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
  const staff = await staffAtPoint(ctx);
  token = staff.token;
  accountId = staff.accountId;
}, 60_000);
afterAll(() => ctx.close());

const ocr = (image: Buffer | string) =>
  ctx.http.post('/api/v1/staff/scans/ocr').set(bearer(token)).send({ imageBase64: typeof image === 'string' ? image : image.toString('base64') });

/** A valid number whose check character is X. */
function idEndingInX(birth: string): string {
  for (let seq = 1; seq < 1000; seq++) {
    const id = residentId('350102', birth, seq);
    if (id.endsWith('X')) return id;
  }
  throw new Error('no X found');
}

describe('POST /api/v1/staff/scans/ocr', () => {
  it('reads a known elder\'s card (number ending in X), and writes the record as 身份证识别', async () => {
    const idNumber = idEndingInX('19580312');
    const p = await personWithCode(ctx, { idNumber, name: '林阿婆', residenceArea: '350102' });
    const image = await renderIdCard({ idNumber, name: '林阿婆', noise: true, rotationDeg: 2, format: 'jpeg' });
    const res = await ocr(image);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      method: 'ocr',
      methodText: '身份证识别',
      person: { nameMasked: '**婆', idMasked: `35*****${idNumber.slice(-3)}`, residence: '福建省福州市鼓楼区' },
      colour: 'green',
      tokenIssuedAt: null,
    });
    expect(await ctx.deps.db.models.ScanRecord.findByPk(res.body.scanId, { raw: true })).toMatchObject({ personId: p.personId, method: 'ocr', temperatureResult: null });
    const audit = await ctx.deps.db.models.AuditLog.findOne({ where: { action: 'code.lookup_ocr', actorId: String(accountId), outcome: 'ok' }, raw: true });
    expect(audit).toMatchObject({ subjectKind: 'person', subjectId: String(p.personId) });
  });

  it('accepts a person who turns 60 today, and identifies an elder no source knows (green, name unknown)', async () => {
    const idNumber = residentId('350103', '19660315', 21);
    const res = await ocr(await renderIdCard({ idNumber, name: '陈阿公', rotationDeg: -2 }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ method: 'ocr', person: { nameMasked: '—', idMasked: `35*****${idNumber.slice(-3)}`, residence: null }, colour: 'green' });
  });

  it('refuses a person one day short of 60', async () => {
    const before = await ctx.deps.db.models.ScanRecord.count();
    const res = await ocr(await renderIdCard({ idNumber: residentId('350103', '19660316', 22), name: '郑某某' }));
    expect(res.status).toBe(422);
    expect(res.body.error).toEqual({ code: 'OCR_UNDER_60', message: '身份证识别仅适用于 60 周岁以上（含 60 周岁）的老年人，请扫描其健康码' });
    expect(await ctx.deps.db.models.ScanRecord.count()).toBe(before);
  });

  it('refuses a card whose number fails the check digit: never a wrong person', async () => {
    const good = residentId('350102', '19500307', 31);
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const res = await ocr(await renderIdCard({ idNumber: bad, name: '王某某' }));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('OCR_NO_ID_NUMBER');
  });

  it('refuses bytes that are no image, and a body that is not base64, by field', async () => {
    const garbage = await ocr(Buffer.from('this is not a picture of anything at all'));
    expect(garbage.status).toBe(422);
    expect(garbage.body.error.code).toBe('OCR_IMAGE_UNREADABLE');
    const notBase64 = await ocr('%%%not base64%%%');
    expect(notBase64.status).toBe(400);
    expect(notBase64.body.error.details[0].field).toBe('imageBase64');
    // the worker still answers after bad input
    const idNumber = residentId('350104', '19450101', 41);
    expect((await ocr(await renderIdCard({ idNumber }))).status).toBe(201);
  });
});
