// Hostile imports (issue 11) through the real API, for both importers — data sources (POST /api/v1/sources/
// fever-clinic-visits) and a unit's employees (POST /api/v1/console/employees/imports): a zip bomb whose
// directory lies about its sizes, a 200,000-row sheet, formulas with and without a cached result, merged
// cells, the data on the wrong sheet, binary garbage under an .xlsx or CSV content type. Each answer is a
// clear refusal naming the problem or a correct load — never a crash or a hang — and a refusal writes
// nothing; the server keeps answering afterwards.
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkZip } from '../../src/services/import/zipGuard';
import { passwordSignIn, registerEnterprise, type Agent } from '../helpers/console';
import { auth, createTestContext, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/people';

let ctx: TestContext;
let ent: Agent;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const VISITS = ['id_type', 'id_number', 'name', 'hospital', 'visited_at'];
const EMPLOYEES = ['姓名', '证件类型', '证件号码'];

beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
  const e = await registerEnterprise(ctx);
  ent = await passwordSignIn(ctx, e.loginName, e.password as string);
}, 60_000);
afterAll(() => ctx.close());

const counts = async () => ({ visits: await ctx.deps.db.models.FeverClinicVisit.count(), people: await ctx.deps.db.models.Person.count(), employees: await ctx.deps.db.models.Employee.count() });
const source = (body: Buffer, type = XLSX) => ctx.http.post('/api/v1/sources/fever-clinic-visits').set(auth(ctx)).set('Content-Type', type).send(body);
async function employees(body: Buffer, type = XLSX) {
  const res = await ent.post('/api/v1/console/employees/imports').set('Content-Type', type).send(body);
  if (res.status !== 202) return { status: res.status, body: res.body };
  // a background job: wait for it to end
  for (let i = 0; i < 600; i++) {
    const job = await ent.get(`/api/v1/console/employees/imports/${res.body.jobId}`);
    if (job.body.status !== 'running' && job.body.status !== 'queued') return { status: 202, job: job.body };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import job never ended');
}

async function workbook(fill: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  fill(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A valid zip whose one part inflates to `size` bytes while its headers declare 1 KB. */
function lyingZip(size: number): Buffer {
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const data = deflateRawSync(Buffer.alloc(size, 0x20));
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(1024, 22); // the lie
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(1024, 24); // the lie
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0, 42);
  const cdOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

async function bigSheet(rows: number, header: string[], row: (i: number) => unknown[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet('数据');
  ws.addRow(header).commit();
  for (let i = 0; i < rows; i++) ws.addRow(row(i)).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

describe('zipGuard', () => {
  it('measures what a zip really inflates to, not what it declares', () => {
    const bomb = lyingZip(50 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(200_000);
    expect(checkZip(bomb, 10 * 1024 * 1024)).toMatchObject({ ok: false, reason: 'too_big' });
    expect(checkZip(lyingZip(1000), 10 * 1024 * 1024)).toMatchObject({ ok: true, inflatedBytes: 1000 });
    expect(checkZip(Buffer.from('not a zip at all'), 1024)).toMatchObject({ ok: false, reason: 'not_zip' });
  });
});

describe('hostile workbooks and files', () => {
  it('a zip bomb whose directory lies about its sizes: refused by both, nothing written', async () => {
    const before = await counts();
    const bomb = lyingZip(300 * 1024 * 1024);
    const s = await source(bomb);
    expect(s.status).toBe(422);
    expect(s.body.error.details[0].problem).toMatch(/^Excel 文件过大：解压后超过 \d+ MB/);
    const e = await employees(bomb);
    expect(e.status === 400 || e.status === 422 || (e.status === 202 && e.job.status === 'failed')).toBe(true);
    expect(JSON.stringify(e)).toMatch(/文件过大/);
    expect(await counts()).toEqual(before);
  });

  it('a 200,000-row sheet: refused by both with the limit and the count, before exceljs loads it', async () => {
    const before = await counts();
    const visits = await bigSheet(200_000, VISITS, (i) => ['resident_id', residentId('350102', '19900101', i % 999), '张三', '医院', '2026-03-10 09:00:00']);
    const s = await source(visits);
    expect(s.status).toBe(422);
    expect(s.body.error.details[0].problem).toBe('Excel 文件数据行过多：每个文件最多 100000 行，本文件约 200000 行；请分成多个文件或改用 CSV 文件');
    const staff = await bigSheet(200_000, EMPLOYEES, (i) => ['张三', '居民身份证', residentId('350102', '19900101', i % 999)]);
    const e = await employees(staff);
    expect(JSON.stringify(e)).toMatch(/数据行过多：每个文件最多 10000 行|文件过大/);
    expect(await counts()).toEqual(before);
  }, 120_000);

  it('formulas: a cached result is loaded as the value the source saw; none is refused on its line', async () => {
    const id = residentId('350102', '19880808', 71);
    const good = await workbook((wb) => {
      const ws = wb.addWorksheet('数据');
      ws.addRow(VISITS);
      ws.addRow(['resident_id', { formula: `"${id}"`, result: id }, '公式', '医院', '2026-03-10 09:00:00']);
    });
    const ok = await source(good);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ rows: 1, inserted: 1 });
    const before = await counts();
    const bad = await workbook((wb) => {
      const ws = wb.addWorksheet('数据');
      ws.addRow(VISITS);
      ws.addRow(['resident_id', { formula: 'HYPERLINK("http://evil.example","x")' }, '公式', '医院', '2026-03-10 09:00:00']);
    });
    const refused = await source(bad);
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ line: 2, problem: expect.stringContaining('公式没有计算结果') })]);
    expect(await counts()).toEqual(before);
  });

  it('merged cells: read as the value shown, so the file loads or is refused line by line — never half', async () => {
    const before = await counts();
    const wb = await workbook((w) => {
      const ws = w.addWorksheet('数据');
      ws.addRow(VISITS);
      ws.addRow(['resident_id', residentId('350102', '19770707', 72), '合并', '医院', '2026-03-10 09:00:00']);
      ws.addRow(['resident_id', residentId('350102', '19770707', 73), '合并', null, '2026-03-10 10:00:00']);
      ws.mergeCells('D2:D3'); // one hospital across two rows
    });
    const res = await source(wb);
    const after = await counts();
    if (res.status === 200) expect(after.visits - before.visits).toBe(2);
    else {
      expect(res.status).toBe(422);
      expect(after).toEqual(before);
    }
  });

  it('the data on the wrong sheet: the header of the first sheet is named as wrong', async () => {
    const before = await counts();
    const wb = await workbook((w) => {
      w.addWorksheet('说明').addRow(['请看第二张表']);
      const ws = w.addWorksheet('数据');
      ws.addRow(VISITS);
      ws.addRow(['resident_id', residentId('350102', '19660606', 74), '错表', '医院', '2026-03-10 09:00:00']);
    });
    const s = await source(wb);
    expect(s.status).toBe(422);
    expect(s.body.error.details[0]).toMatchObject({ line: 1 });
    const e = await employees(wb);
    expect(JSON.stringify(e)).toMatch(/表头|列/);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['random bytes as .xlsx', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)), XLSX],
    ['a PNG as .xlsx', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), XLSX],
    ['a zip that is no workbook', lyingZip(100), XLSX],
    ['binary garbage as CSV', Buffer.from([0xff, 0xfe, 0x00, 0x00, 0xc3, 0x28, 0xa0, 0xa1, 0x00, 0x0a]), 'text/csv'],
    ['a NUL-filled CSV', Buffer.alloc(2000, 0), 'text/csv'],
  ])('%s: a clear refusal, nothing written', async (_what, body, type) => {
    const before = await counts();
    const s = await source(body, type);
    expect(s.status).toBeGreaterThanOrEqual(400);
    expect(s.status).toBeLessThan(500);
    expect(typeof s.body.error.message).toBe('string');
    if (type === XLSX) {
      const e = await employees(body);
      expect(e.status === 202 ? e.job.status : e.status).not.toBe('done');
      expect(typeof e.status).toBe('number');
    }
    expect(await counts()).toEqual(before);
    // and the server still answers
    expect((await ctx.http.get('/api/health')).status).toBe(200);
  });
});
