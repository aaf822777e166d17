// 健康码卡片 (H4; issue 11) on a real database (SQLite, or MySQL/MariaDB with DATABASE_URL): issued for oneself
// and for a family member, 404 for anyone else's, printed as an A6 PDF with the embedded font and no colour,
// its PNG's QR a card token; scanned online with the current colour; revoked, reissued and expired.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CARD_NOTICE, CARD_TITLE, checkToken } from '@bamin/common';
import jsQR from 'jsqr';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { nodeEd25519Verify } from '../../src/domain/codeTokens';
import { auth, createTestContext, type TestContext } from '../helpers/context';
import { ANSWERS_OK, citizenWithCode, residentId, signIn, smsCode } from '../helpers/citizen';
import { csv } from '../helpers/people';
import { bearer as staffBearer, staffAtPoint } from '../helpers/staff';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
});
afterAll(() => ctx.close());

type Bearer = { Authorization: string };
const SELF_ID = residentId('350102', '19800101', 701);
const PARENT_ID = residentId('350102', '19500101', 702);
const OTHER_ID = residentId('350102', '19850101', 703);
let me: Bearer;
let myCodeNumber: string;
let other: Bearer;
let parentHolder: string;
let staff: Bearer;

beforeAll(async () => {
  const self = await citizenWithCode(ctx, '13600000001', SELF_ID, '王小斌');
  me = self.bearer;
  myCodeNumber = self.code.codeNumber;
  ({ bearer: other } = await citizenWithCode(ctx, '13600000002', OTHER_ID, '李四'));
  const phone = '13600000003';
  const fam = await ctx.http
    .post('/api/v1/app/family')
    .set(me)
    .send({ relation: 'parent', name: '王建国', idType: 'resident_id', idNumber: PARENT_ID, phone, smsCode: await smsCode(ctx, phone, 'family'), answers: ANSWERS_OK, commitmentAccepted: true });
  expect(fam.status).toBe(201);
  parentHolder = fam.body.holder;
  staff = staffBearer((await staffAtPoint(ctx)).token);
  // each SMS above moved the clock on by a minute: start the card tests at a known instant
  ctx.clock.set('2026-03-15T10:10:00+08:00');
});

const issue = (who: Bearer, holder: string) => ctx.http.post('/api/v1/app/cards').set(who).send({ holder });
const revoke = (who: Bearer, cardId: number, reason?: string) => ctx.http.post(`/api/v1/app/cards/${cardId}/revoke`).set(who).send(reason ? { reason } : {});
const reissue = (who: Bearer, cardId: number) => ctx.http.post(`/api/v1/app/cards/${cardId}/reissue`).set(who);
const scan = (token: string) => ctx.http.post('/api/v1/staff/scans').set(staff).send({ token });

async function download(who: Bearer, cardId: number, format: 'pdf' | 'png') {
  return ctx.http
    .get(`/api/v1/app/cards/${cardId}/${format}`)
    .set(who)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

function decodeQr(png: PNG): string | undefined {
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height, { inversionAttempts: 'dontInvert' })?.data;
}

/** The token in the card's PNG, read back out of the picture the way a scanner does. */
async function cardToken(who: Bearer, cardId: number): Promise<string> {
  const res = await download(who, cardId, 'png');
  expect(res.status).toBe(200);
  const token = decodeQr(PNG.sync.read(res.body as Buffer));
  expect(token).toBeTruthy();
  return token!;
}

function publicKeys(): Record<string, Uint8Array> {
  return Object.fromEntries(ctx.deps.keyRing.keys.map((k) => [k.keyId, k.publicKeyRaw]));
}

describe('POST /api/v1/app/cards', () => {
  it('issues a card for oneself, valid 14 days, and audits it', async () => {
    const res = await issue(me, 'self');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      cardId: expect.any(Number),
      holder: 'self',
      nameMasked: '**斌',
      issuedAt: '2026-03-15T02:10:00.000Z',
      expiresAt: '2026-03-29T02:10:00.000Z',
      validUntil: '2026-03-29',
      status: 'active',
      statusText: '有效',
      revokedAt: null,
      revokeReason: null,
    });
    const audit = await ctx.deps.db.models.AuditLog.findAll({ where: { action: 'card.issue' }, raw: true });
    expect(audit).toHaveLength(1);
    expect(JSON.parse((audit[0] as unknown as { detail: string }).detail)).toEqual({ cardId: res.body.cardId, relation: 'self' });
  });

  it('refuses a second card while one is active (409 CARD_ACTIVE, pointing to 补办)', async () => {
    const res = await issue(me, 'self');
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: 'CARD_ACTIVE', message: '已有有效的健康码卡片；如需重新打印，请使用补办（补办后旧卡片立即作废）' });
  });

  it('issues a card for a family member the caller applied for', async () => {
    const res = await issue(me, parentHolder);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ holder: parentHolder, nameMasked: '**国', status: 'active' });
  });

  it("is 404 for another's family member, and the other's cards are 404 to everyone else", async () => {
    const res = await issue(other, parentHolder);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('FAMILY_NOT_FOUND');
    const mine = (await ctx.http.get('/api/v1/app/cards?holder=self').set(me)).body.cards[0].cardId as number;
    for (const r of [await download(other, mine, 'pdf'), await download(other, mine, 'png'), await revoke(other, mine), await reissue(other, mine)]) {
      expect(r.status).toBe(404);
      expect(JSON.parse(Buffer.isBuffer(r.body) ? r.body.toString('utf8') : JSON.stringify(r.body)).error.code).toBe('CARD_NOT_FOUND');
    }
    expect((await ctx.http.get(`/api/v1/app/cards?holder=${parentHolder}`).set(other)).status).toBe(404);
  });

  it('validates the holder', async () => {
    const res = await issue(me, '../1');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('GET /api/v1/app/cards/:cardId/pdf and /png', () => {
  let cardId: number;
  let pdf: Buffer;
  let png: PNG;
  beforeAll(async () => {
    cardId = (await ctx.http.get('/api/v1/app/cards?holder=self').set(me)).body.cards[0].cardId;
    const p = await download(me, cardId, 'pdf');
    expect(p.status).toBe(200);
    expect(p.headers['content-type']).toBe('application/pdf');
    expect(p.headers['cache-control']).toBe('private, no-store');
    pdf = p.body as Buffer;
    const i = await download(me, cardId, 'png');
    expect(i.headers['content-type']).toBe('image/png');
    png = PNG.sync.read(i.body as Buffer);
  });

  it('is one A6 page (105 × 148 mm = 297.64 × 419.53 pt)', async () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 297.64 419.53]');
    const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, disableFontFace: true }).promise;
    expect(doc.numPages).toBe(1);
    await doc.destroy();
  });

  it('has the title, masked name, validity and notice as real text in the embedded CJK font; no colour word, no full name or ID', async () => {
    const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, disableFontFace: true }).promise;
    const page = await doc.getPage(1);
    const text = (await page.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join('');
    for (const expected of [CARD_TITLE, '持卡人：**斌', '有效期至 2026-03-29', CARD_NOTICE]) expect(text).toContain(expected);
    for (const forbidden of ['绿码', '橙码', '红码', '黄码', '王小斌', SELF_ID, SELF_ID.slice(0, 6) + '*', '136']) expect(text).not.toContain(forbidden);
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-(Regular|Bold)/);
    // black and grey only: every colour set on the page has equal red, green and blue
    const ops = await page.getOperatorList();
    let colours = 0;
    ops.fnArray.forEach((fn, i) => {
      if (fn === OPS.setFillRGBColor || fn === OPS.setStrokeRGBColor) {
        colours++;
        const arg = ops.argsArray[i] as unknown;
        const hex = typeof arg === 'string' ? arg : Array.isArray(arg) && typeof arg[0] === 'string' ? arg[0] : null;
        const rgb = hex ? [1, 3, 5].map((k) => hex.slice(k, k + 2)) : (arg as number[]).slice(0, 3).map(String);
        expect(new Set(rgb).size, `colour ${JSON.stringify(arg)}`).toBe(1);
      }
    });
    expect(colours).toBeGreaterThan(2);
    expect(ops.fnArray).not.toContain(OPS.paintImageXObject);
    await doc.destroy();
  });

  it('PNG: the same A6 layout at 300 dpi, every pixel grey, its QR a card token checkToken accepts', () => {
    expect({ width: png.width, height: png.height }).toEqual({ width: 1240, height: 1748 });
    let coloured = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i] !== png.data[i + 1] || png.data[i + 1] !== png.data[i + 2]) coloured++;
    expect(coloured).toBe(0);
    const token = decodeQr(png)!;
    const checked = checkToken(token, publicKeys(), Math.floor(ctx.clock.now().getTime() / 1000), nodeEd25519Verify);
    expect(checked.ok).toBe(true);
    expect(checked.ok && checked.payload).toMatchObject({
      kind: 'card',
      subject: myCodeNumber,
      colour: null,
      issuedAt: Date.parse('2026-03-15T02:10:00Z') / 1000,
      expiresAt: Date.parse('2026-03-29T02:10:00Z') / 1000,
    });
  });

  it('prints the same QR on every download (the token is signed again from the row, deterministically)', async () => {
    expect(await cardToken(me, cardId)).toBe(decodeQr(png));
  });
});

describe('POST /api/v1/staff/scans with a card', () => {
  it('shows the current colour and says it was a card; the record is a camera scan', async () => {
    const cardId = (await ctx.http.get('/api/v1/app/cards?holder=self').set(me)).body.cards[0].cardId;
    const token = await cardToken(me, cardId);
    const res = await scan(token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      method: 'camera',
      methodText: '扫码',
      colour: 'green',
      colourText: '绿码',
      person: { nameMasked: '**斌' },
      tokenExpiresAt: '2026-03-29T02:10:00.000Z',
      card: { expiresAt: '2026-03-29T02:10:00.000Z', validUntil: '2026-03-29', text: '健康码卡片 · 有效期至 2026-03-29' },
    });
    const record = await ctx.deps.db.models.ScanRecord.findByPk(res.body.scanId, { raw: true });
    expect(record).toMatchObject({ method: 'camera', colour: 'green' });

    // a fever-clinic visit is imported: the same printed card now scans orange
    const visit = await ctx.http
      .post('/api/v1/sources/fever-clinic-visits')
      .set(auth(ctx))
      .set('Content-Type', 'text/csv')
      .send(csv('id_type,id_number,name,hospital,visited_at', `resident_id,${SELF_ID},王小斌,福建省立医院,2026-03-15T08:00:00`));
    expect(visit.status).toBe(200);
    const again = await scan(token);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ colour: 'orange', colourText: '橙码', card: { validUntil: '2026-03-29' } });
  });

  it('a code on a phone has no card marker', async () => {
    const code = await ctx.http.get(`/api/v1/app/codes/${parentHolder}`).set(me);
    const res = await scan(code.body.token);
    expect(res.status).toBe(201);
    expect(res.body.card).toBeUndefined();
  });
});

describe('POST /api/v1/app/cards/:cardId/revoke and /reissue', () => {
  it('revokes: the card is listed 已作废, its scan refused with CARD_REVOKED, it is never printed again', async () => {
    const cardId = (await ctx.http.get(`/api/v1/app/cards?holder=${parentHolder}`).set(me)).body.cards[0].cardId;
    const token = await cardToken(me, cardId);
    expect((await scan(token)).status).toBe(201);
    const res = await revoke(me, cardId, '卡片遗失');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ cardId, holder: parentHolder, status: 'revoked', statusText: '已作废', revokedAt: '2026-03-15T02:10:00.000Z', revokeReason: '卡片遗失' });
    const refused = await scan(token);
    expect(refused.status).toBe(410);
    expect(refused.body.error).toEqual({ code: 'CARD_REVOKED', message: '该健康码卡片已作废，请勿放行；请出示新补办的卡片或本人健康码' });
    expect((await download(me, cardId, 'pdf')).status).toBe(409);
    expect((await revoke(me, cardId)).body.error.code).toBe('CARD_NOT_ACTIVE');
    expect((await reissue(me, cardId)).body.error.code).toBe('CARD_NOT_ACTIVE');
    expect(await ctx.deps.db.models.AuditLog.count({ where: { action: 'card.revoke' } })).toBe(1);
  });

  it('issues a new card after a revocation in the same second, and it scans', async () => {
    const res = await issue(me, parentHolder);
    expect(res.status).toBe(201);
    // the clock has not moved: the new card is dated the next whole second, after the revocation
    expect(res.body.issuedAt).toBe('2026-03-15T02:10:01.000Z');
    expect((await scan(await cardToken(me, res.body.cardId))).status).toBe(201);
  });

  it('reissues in one step: the new card scans, the old one is refused; the list shows both', async () => {
    const list = await ctx.http.get(`/api/v1/app/cards?holder=${parentHolder}`).set(me);
    const old = list.body.cards.find((c: { status: string }) => c.status === 'active').cardId as number;
    const oldToken = await cardToken(me, old);
    const res = await reissue(me, old);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ holder: parentHolder, status: 'active', nameMasked: '**国' });
    expect(res.body.cardId).not.toBe(old);
    expect((await scan(oldToken)).body.error.code).toBe('CARD_REVOKED');
    const fresh = await scan(await cardToken(me, res.body.cardId));
    expect(fresh.status).toBe(201);
    expect(fresh.body.card).toBeTruthy();
    const after = await ctx.http.get(`/api/v1/app/cards?holder=${parentHolder}`).set(me);
    expect(after.body.cards.map((c: { cardId: number; status: string; revokeReason: string | null }) => [c.cardId, c.status, c.revokeReason])).toEqual([
      [res.body.cardId, 'active', null],
      [old, 'revoked', '补办新卡'],
      [expect.any(Number), 'revoked', '卡片遗失'],
    ]);
  });
});

describe('expiry after CARD_TTL_DAYS', () => {
  it('a card scans on its last day and is refused with CARD_EXPIRED after it; the list says 已过期', async () => {
    const cardId = (await ctx.http.get('/api/v1/app/cards?holder=self').set(me)).body.cards[0].cardId;
    const token = await cardToken(me, cardId);
    // two weeks on: both sessions have long expired, so sign in again
    ctx.clock.set('2026-03-29T10:05:00+08:00');
    me = { Authorization: `Bearer ${await signIn(ctx, '13600000001')}` };
    staff = staffBearer((await staffAtPoint(ctx)).token);
    expect((await scan(token)).status).toBe(201);
    ctx.clock.set('2026-03-29T10:11:00+08:00');
    const res = await scan(token);
    expect(res.status).toBe(410);
    expect(res.body.error).toEqual({ code: 'CARD_EXPIRED', message: '该健康码卡片已过期，请出示新补办的卡片或本人健康码' });
    const list = await ctx.http.get('/api/v1/app/cards?holder=self').set(me);
    expect(list.body.cards[0]).toMatchObject({ cardId, status: 'expired', statusText: '已过期' });
    expect((await download(me, cardId, 'png')).status).toBe(409);
    // nothing active any more: a new card may be issued without 补办
    expect((await issue(me, 'self')).status).toBe(201);
  });

  it('CARD_TTL_DAYS is 14 by default and accepts 1–90 only', () => {
    const dir = () => mkdtempSync(path.join(tmpdir(), 'bamin-cfg-'));
    expect(loadConfig({ DATA_DIR: dir() }).cardTtlDays).toBe(14);
    expect(loadConfig({ DATA_DIR: dir(), CARD_TTL_DAYS: '90' }).cardTtlDays).toBe(90);
    for (const bad of ['0', '91', '7.5']) expect(() => loadConfig({ DATA_DIR: dir(), CARD_TTL_DAYS: bad })).toThrow(ConfigError);
  });
});
