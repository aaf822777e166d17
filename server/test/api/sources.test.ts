import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../helpers/context';
import { csv, residentId } from '../helpers/people';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
});
afterAll(() => ctx.close());

const A = residentId('350102', '19900101', 11);
const B = residentId('350203', '19851231', 12);
const VISITS = 'id_type,id_number,name,hospital,visited_at';

const post = (type: string, body: string | Buffer, contentType = 'text/csv') =>
  ctx.http.post(`/api/v1/sources/${type}`).set(auth(ctx)).set('Content-Type', contentType).send(body);

const lookup = (idNumber: string) => ctx.http.post('/api/v1/people/lookup').set(auth(ctx)).send({ idType: 'resident_id', idNumber });

async function countRows() {
  const m = ctx.deps.db.models;
  return {
    people: await m.Person.count(),
    visits: await m.FeverClinicVisit.count(),
    cases: await m.Case.count(),
    statuses: await m.HealthStatus.count(),
  };
}

describe('POST /api/v1/sources/fever-clinic-visits', () => {
  it('loads a CSV and the people turn orange with greenFrom 14 days after the visit', async () => {
    const res = await post(
      'fever-clinic-visits',
      csv(VISITS, `resident_id,${A},张三,福建省立医院,2026-03-10T09:30:00`, `resident_id,${B},李四,福州市第一医院,2026-03-14 23:59:00+08:00`),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ type: 'fever-clinic-visits', rows: 2, inserted: 2, updated: 0, unchanged: 0, recomputed: 2 });

    const a = await lookup(A);
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ colour: 'orange', reasons: ['FEVER_CLINIC'], greenFrom: '2026-03-24', codeNumber: null, nucleicAcidTests: [] });
    const b = await lookup(B);
    expect(b.body).toMatchObject({ colour: 'orange', reasons: ['FEVER_CLINIC'], greenFrom: '2026-03-28' });
  });

  it('importing the same file twice changes nothing', async () => {
    const before = await countRows();
    const res = await post(
      'fever-clinic-visits',
      csv(VISITS, `resident_id,${A},张三,福建省立医院,2026-03-10T09:30:00`, `resident_id,${B},李四,福州市第一医院,2026-03-14 23:59:00+08:00`),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ type: 'fever-clinic-visits', rows: 2, inserted: 0, updated: 0, unchanged: 2, recomputed: 0 });
    expect(await countRows()).toEqual(before);
  });

  it('loads a GBK-encoded CSV (what Chinese Excel writes)', async () => {
    const C = residentId('350503', '19700505', 13);
    // "王五" and "泉州市第一医院" in GB18030/GBK
    const gbk = Buffer.concat([
      Buffer.from(`${VISITS}\nresident_id,${C},`),
      Buffer.from([0xcd, 0xf5, 0xce, 0xe5]),
      Buffer.from(','),
      Buffer.from([0xc8, 0xaa, 0xd6, 0xdd, 0xca, 0xd0, 0xb5, 0xda, 0xd2, 0xbb, 0xd2, 0xbd, 0xd4, 0xba]),
      Buffer.from(',2026-03-12T08:00:00\n'),
    ]);
    const res = await post('fever-clinic-visits', gbk);
    expect(res.status).toBe(200);
    expect(res.body.inserted).toBe(1);
    const rows = await ctx.deps.db.models.FeverClinicVisit.findAll({ where: { hospital: '泉州市第一医院' }, raw: true });
    expect(rows).toHaveLength(1);
    const person = await ctx.deps.db.models.Person.findOne({ where: { name: '王五' }, raw: true });
    expect(person).not.toBeNull();
  });
});

describe('POST /api/v1/sources/{type}: refusals are clear 4xx and write nothing', () => {
  const cases: [string, () => Promise<import('supertest').Response>, number, string, unknown][] = [
    ['a wrong header', () => post('fever-clinic-visits', csv('id_type,id_number,name,clinic,visited_at', `resident_id,${A},张三,某医院,2026-03-10`)), 422, 'IMPORT_INVALID', expect.arrayContaining([expect.objectContaining({ line: 1 })])],
    ['an unknown column', () => post('fever-clinic-visits', csv(`${VISITS},extra`, `resident_id,${A},张三,某医院,2026-03-10,x`)), 422, 'IMPORT_INVALID', [expect.objectContaining({ line: 1, field: 'extra' })]],
    ['a bad check digit', () => post('fever-clinic-visits', csv(VISITS, `resident_id,${A},张三,某医院,2026-03-10`, `resident_id,${A.slice(0, 17)}${A[17] === '0' ? '1' : '0'},李四,某医院,2026-03-10`)), 422, 'IMPORT_INVALID', [expect.objectContaining({ line: 3, field: 'id_number' })]],
    ['a date that does not exist', () => post('fever-clinic-visits', csv(VISITS, `resident_id,${A},张三,某医院,2026-02-30T08:00:00`)), 422, 'IMPORT_INVALID', [expect.objectContaining({ line: 2, field: 'visited_at' })]],
    ['an empty file', () => post('fever-clinic-visits', ''), 422, 'IMPORT_INVALID', [expect.objectContaining({ problem: expect.any(String) })]],
    ['two rows with one key', () => post('fever-clinic-visits', csv(VISITS, `resident_id,${A},张三,某医院,2026-03-11T08:00:00`, `resident_id,${B},李四,某医院,2026-03-11T08:00:00`, `resident_id,${A},张三,某医院,2026-03-11T08:00:00+08:00`)), 422, 'IMPORT_INVALID', [expect.objectContaining({ line: 2 }), expect.objectContaining({ line: 4 })]],
    ['bytes valid in neither UTF-8 nor GB18030 (0xFF)', () => post('fever-clinic-visits', Buffer.concat([Buffer.from(`${VISITS}\nresident_id,${A},`), Buffer.from([0xff, 0xff]), Buffer.from(',某医院,2026-03-10\n')])), 422, 'IMPORT_INVALID', [expect.objectContaining({ problem: expect.stringContaining('编码') })]],
    ['an unknown type', () => post('fever-clinics', csv(VISITS, `resident_id,${A},张三,某医院,2026-03-10`)), 404, 'SOURCE_TYPE_UNKNOWN', [expect.objectContaining({ field: 'type' })]],
    ['an unsupported content type', () => post('fever-clinic-visits', 'x', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE', expect.any(Array)],
  ];

  it.each(cases)('%s', async (_name, send, status, code, details) => {
    const before = await countRows();
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe('string');
    expect(res.body.error.details).toEqual(details);
    expect(await countRows()).toEqual(before);
  });

  it('refuses without the source token (401) and with a wrong one', async () => {
    const none = await ctx.http.post('/api/v1/sources/cases').set('Content-Type', 'text/csv').send('x');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: '缺少凭证或凭证错误' } });
    const wrong = await ctx.http.post('/api/v1/sources/cases').set('Authorization', 'Bearer nope').set('Content-Type', 'text/csv').send('x');
    expect(wrong.status).toBe(401);
  });

  it('refuses an XLSX whose ID number sits in a number cell (Excel lost its last digits)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('visits');
    ws.addRow(['id_type', 'id_number', 'name', 'hospital', 'visited_at']);
    ws.addRow(['resident_id', A, '张三', '福建省立医院', new Date(Date.UTC(2026, 2, 10, 9, 0, 0))]);
    ws.addRow(['resident_id', 350102198001011000, '赵六', '福建省立医院', new Date(Date.UTC(2026, 2, 10, 9, 0, 0))]);
    const body = Buffer.from(await wb.xlsx.writeBuffer());
    const before = await countRows();
    const res = await post('fever-clinic-visits', body, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([expect.objectContaining({ line: 3, field: 'id_number' })]);
    expect(await countRows()).toEqual(before);
  });

  it('loads an XLSX with date cells read as Asia/Shanghai wall-clock time', async () => {
    const D = residentId('350104', '19920202', 21);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('cases');
    ws.addRow(['id_type', 'id_number', 'name', 'status', 'reported_at']);
    // 2026-03-14 23:30 wall clock in Shanghai is still the 14th there
    ws.addRow(['resident_id', D, '孙七', 'discharged', new Date(Date.UTC(2026, 2, 14, 23, 30, 0))]);
    const res = await post('cases', Buffer.from(await wb.xlsx.writeBuffer()), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.status).toBe(200);
    const l = await lookup(D);
    expect(l.body).toMatchObject({ colour: 'orange', reasons: ['CASE'], greenFrom: '2026-03-28' });
  });

  it('refuses a 25 MB body with 413 and a clear message', async () => {
    const line = `resident_id,${A},张三,${'某'.repeat(60)}医院,2026-03-10T08:00:00\n`;
    const big = VISITS + '\n' + line.repeat(Math.ceil((25 * 1024 * 1024) / Buffer.byteLength(line)));
    const before = await countRows();
    const res = await post('fever-clinic-visits', big);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.body.error.message).toContain('npm run import');
    expect(await countRows()).toEqual(before);
  });

  it('loads a JSON array of records', async () => {
    const E = residentId('350105', '19880808', 31);
    const res = await ctx.http
      .post('/api/v1/sources/arrivals')
      .set(auth(ctx))
      .send([{ id_type: 'resident_id', id_number: E, name: '周八', from_area: '湖北省武汉市', arrived_at: '2026-03-02T12:00:00+08:00' }]);
    expect(res.status).toBe(200);
    expect((await lookup(E)).body).toMatchObject({ colour: 'orange', reasons: ['HIGH_RISK_ARRIVAL'], greenFrom: '2026-03-16' });
  });
});

describe('POST /api/v1/sources/{type}: concurrent imports', () => {
  it('two imports creating the same new people at once both succeed, and each person exists once', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => residentId('350111', '19930303', 100 + i));
    const file = (hospital: string) => csv(VISITS, ...ids.map((id) => `resident_id,${id},并发,${hospital},2026-03-12T10:00:00`));
    const [a, b] = await Promise.all([post('fever-clinic-visits', file('医院甲')), post('fever-clinic-visits', file('医院乙'))]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.inserted + b.body.inserted).toBe(80);
    const people = await ctx.deps.db.models.Person.count({ where: { name: '并发' } });
    expect(people).toBe(40);
  });
});
