// 数据上报 / 数据接收 (manual 四(八); D7) on a real database: receivers are ancestors only; the .xlsx read
// back with exceljs equals the console's records of the range row for row (masked), with a 汇总 sheet;
// formula-looking text stays text; the receiver sees 未读 then 已读; nobody else gets the file; a
// corrupted file is refused; a failure mid-generation leaves a failed report and no file.
import ExcelJS from 'exceljs';
import { existsSync, readdirSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleSession } from '../../src/services/consoleSessionService';
import { runningReports, startDataReport } from '../../src/services/dataReportService';
import { agent, type Agent, governmentUnit, healthDepartment, healthDepartmentId, registerEnterprise } from '../helpers/console';
import { citizenWithCode, smsCode } from '../helpers/citizen';
import { createTestContext, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/people';
import { bearer, personWithCode, staffAtPoint } from '../helpers/staff';

let ctx: TestContext;
let hd: Agent;
let hdId: number;
let unit: Awaited<ReturnType<typeof governmentUnit>>;
let sibling: Awaited<ReturnType<typeof governmentUnit>>;
let childId: number;
let formulaScanId: number;
let personA: Awaited<ReturnType<typeof personWithCode>>;

const FORMULA = '=HYPERLINK("http://evil.example/x","点我")';
const settle = () => Promise.all([...runningReports]);
const sessionOf = (organisationId: number) => ({ sessionId: 0, authMethod: 'password', accountId: null, citizenUserId: null, organisationId, role: 'government', mustChangePassword: false }) as ConsoleSession;

async function readBack(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const rowsOf = (name: string, cols: number) => {
    const ws = wb.getWorksheet(name)!;
    const out: unknown[][] = [];
    ws.eachRow({ includeEmpty: false }, (row) => out.push(Array.from({ length: cols }, (_, j) => row.getCell(j + 1).value ?? '')));
    return { ws, rows: out };
  };
  return { wb, records: rowsOf('出入扫码记录', 10), summary: rowsOf('汇总', 2) };
}

const binary = (res: { on: (e: string, f: (c?: Buffer) => void) => void; setEncoding?: unknown }, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c?: Buffer) => chunks.push(c!));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const download = (a: Agent, id: number) => a.get(`/api/v1/console/data-reports/${id}/file`).buffer(true).parse(binary as never);

async function sendAndSettle(a: Agent, body: Record<string, unknown>) {
  const res = await a.post('/api/v1/console/data-reports').send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  await settle();
  return res;
}

beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
  hd = await healthDepartment(ctx);
  hdId = await healthDepartmentId(ctx);
  unit = await governmentUnit(ctx, hd, { name: '鼓楼区东街街道办事处' });
  sibling = await governmentUnit(ctx, hd, { name: '鼓楼区南街街道办事处' });
  childId = Number((await ctx.deps.db.models.Organisation.create({ kind: 'government', name: '东街某社区居委会', areaCode: '350102', parentId: unit.organisationId })).get('id'));
  const staff = await staffAtPoint(ctx, '350102', { organisationId: unit.organisationId, name: '张扫码' });
  personA = await personWithCode(ctx, { name: '王小明', idNumber: residentId('350102', '19800101', 501) });
  const personB = await personWithCode(ctx, { name: '李大红', idNumber: residentId('350102', '19810101', 502) });
  await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: personA.codeNumber });
  ctx.clock.advance(60_000);
  const scanB = (await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ codeNumber: personB.codeNumber })).body.scanId;
  await ctx.http.put(`/api/v1/staff/scans/${scanB}/feedback`).set(bearer(staff.token)).send({ passReason: 'work', temperatureResult: 'normal' });
  // a person and a point whose text looks like a formula (a point named by its location only)
  const evil = await personWithCode(ctx, { name: FORMULA, idNumber: residentId('350102', '19820101', 503) });
  formulaScanId = Number(
    (
      await ctx.deps.db.models.ScanRecord.create({
        organisationId: unit.organisationId, personId: evil.personId, mode: 'passive', method: 'camera', colour: 'orange', areaCode: '350102',
        location: FORMULA, scanPointName: null, temperatureResult: 'abnormal', scannedAt: new Date('2026-03-14T09:00:00+08:00'),
      })
    ).get('id'),
  );
  // outside the range, and another unit's record
  await ctx.deps.db.models.ScanRecord.create({ organisationId: unit.organisationId, personId: personA.personId, mode: 'passive', method: 'camera', colour: 'green', areaCode: '350102', location: '旧点', scanPointName: '旧点', scannedAt: new Date('2026-03-01T09:00:00+08:00') });
  await ctx.deps.db.models.ScanRecord.create({ organisationId: sibling.organisationId, personId: personA.personId, mode: 'passive', method: 'camera', colour: 'green', areaCode: '350102', location: '南门', scanPointName: '南门', scannedAt: new Date('2026-03-14T09:00:00+08:00') });
}, 120_000);
afterAll(async () => {
  await settle();
  await ctx.close();
});

describe('GET /api/v1/console/data-reports/receivers', () => {
  it('lists the unit\'s ancestors nearest first, ending with the health department', async () => {
    const res = await unit.agent.get('/api/v1/console/data-reports/receivers');
    expect(res.status).toBe(200);
    expect(res.body.map((r: { name: string }) => r.name)).toEqual(['福州市鼓楼区卫生健康局', '福州市卫生健康委员会', '福建省卫生健康委员会']);
    expect(res.body.at(-1)).toEqual({ id: hdId, name: '福建省卫生健康委员会', kind: 'health_department' });
    expect(res.body.map((r: { id: number }) => r.id)).not.toContain(sibling.organisationId);
  });

  it('places an enterprise without a parent under the department of its credit code\'s area', async () => {
    const e = await registerEnterprise(ctx);
    await ctx.deps.db.models.Organisation.update({ parentId: null }, { where: { id: e.organisationId } });
    const { receiversOf } = await import('../../src/services/dataReportService');
    expect((await receiversOf(ctx.deps, e.organisationId)).map((r) => r.name)).toEqual(['福州市鼓楼区卫生健康局', '福州市卫生健康委员会', '福建省卫生健康委员会']);
  });

  it('gives the health department nobody above it', async () => {
    expect((await hd.get('/api/v1/console/data-reports/receivers')).body).toEqual([]);
  });
});

describe('POST /api/v1/console/data-reports (D7)', () => {
  it('audits a report sent from a personal real-name session as the person, not as an account', async () => {
    const repId = residentId('350102', '19710808', 88);
    const e = await registerEnterprise(ctx, { legalRepIdNumber: repId });
    await citizenWithCode(ctx, '13766667777', repId, '林法人');
    const a = agent(ctx);
    expect((await a.post('/api/v1/console/personal/sessions').send({ phone: '13766667777', smsCode: await smsCode(ctx, '13766667777', 'console') })).status).toBe(201);
    expect((await a.post('/api/v1/console/personal/association').send({ creditCode: e.creditCode })).status).toBe(200);
    const res = await sendAndSettle(a, { toOrganisationId: hdId, from: '2026-03-15', to: '2026-03-15' });
    const user = (await ctx.deps.db.models.CitizenUser.findOne({ order: [['id', 'DESC']], raw: true })) as unknown as { id: number };
    const entry = (await ctx.deps.db.models.AuditLog.findOne({ where: { action: 'console.data_report_sent', subjectId: String(res.body.id) }, raw: true })) as unknown as { actorKind: string; actorId: string };
    expect(entry).toMatchObject({ actorKind: 'person', actorId: String(user.id) });
  });

  it.each([
    ['a sibling', () => sibling.organisationId],
    ['a child', () => childId],
  ])('refuses sending to %s, naming toOrganisationId', async (_n, to) => {
    const res = await unit.agent.post('/api/v1/console/data-reports').send({ toOrganisationId: to(), from: '2026-03-14', to: '2026-03-15' });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'REPORT_RECEIVER_NOT_ALLOWED', details: [{ field: 'toOrganisationId' }] });
  });

  it('names bad fields', async () => {
    const res = await unit.agent.post('/api/v1/console/data-reports').send({ toOrganisationId: hdId, from: '2026-3-14', to: '2026-03-15', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['colour', 'from']);
  });

  it('answers 生成中 at once, then delivers a file equal to the console\'s records of the range, row for row, with a summary', async () => {
    const res = await unit.agent.post('/api/v1/console/data-reports').send({ toOrganisationId: hdId, from: '2026-03-14', to: '2026-03-15' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ from: { id: unit.organisationId, name: '鼓楼区东街街道办事处' }, to: { id: hdId }, rangeFrom: '2026-03-14', rangeTo: '2026-03-15', status: 'generating', statusText: '生成中', readAt: null, deliveredAt: null, rowCount: null });
    await settle();
    const sent = await unit.agent.get('/api/v1/console/data-reports/sent');
    expect(sent.body.items[0]).toMatchObject({ id: res.body.id, status: 'delivered', statusText: '已送达', rowCount: 3, failureReason: null, fileName: '鼓楼区东街街道办事处_出入扫码记录_2026-03-14至2026-03-15.xlsx' });

    const file = await download(unit.agent, res.body.id);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const { records, summary } = await readBack(file.body);
    const console = (await unit.agent.get('/api/v1/console/scan-records?from=2026-03-14&to=2026-03-15&pageSize=100')).body.items.reverse();
    const expected = [];
    for (const r of console) {
      const detail = (await unit.agent.get(`/api/v1/console/scan-records/${r.id}`)).body;
      const at = new Date(new Date(r.scannedAt).getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
      expected.push([r.nameMasked, r.idMasked, r.areaName, r.pointName, r.scanner?.nameMasked ?? '', at, r.methodText, r.colourText, r.temperatureText, detail.passReasonText ?? '']);
    }
    expect(records.rows).toEqual([['姓名', '证件号码', '通行区域', '扫码点', '扫码员', '扫码时间', '方式', '健康码状态', '体温结果', '通行原因'], ...expected]);
    expect(records.rows.slice(1).map((r) => r[1])).toHaveLength(3);
    expect(records.rows[2]).toMatchObject(['**明', `35*****${personA.idNumber.slice(-3)}`, '福建省福州市鼓楼区', '鼓楼区东街社区东门检测点', '**码', '2026-03-15 10:00:00', '人工输入', '绿码', '未反馈', '']);
    // full ID numbers are never written
    expect(file.body.includes(Buffer.from(personA.idNumber))).toBe(false);
    expect(summary.rows).toEqual([['项目', '人次'], ['合计', 3], ['绿码', 2], ['橙码', 1], ['体温正常', 1], ['体温异常', 1], ['未反馈', 1]]);
  });

  it('keeps formula-looking text as text', async () => {
    const res = await sendAndSettle(unit.agent, { toOrganisationId: hdId, from: '2026-03-14', to: '2026-03-14' });
    const { records } = await readBack((await download(unit.agent, res.body.id)).body);
    expect(records.rows).toHaveLength(2);
    const cell = records.ws.getRow(2).getCell(4);
    expect(cell.value).toBe(FORMULA);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.formula).toBeUndefined();
    expect(records.ws.getRow(2).getCell(1).value).toBe('*'.repeat(Array.from(FORMULA).length - 1) + ')');
    expect(formulaScanId).toBeGreaterThan(0);
  });

  it('applies the filters (colour, temperature)', async () => {
    const res = await sendAndSettle(unit.agent, { toOrganisationId: hdId, from: '2026-03-14', to: '2026-03-15', colour: 'green', temperature: 'none' });
    const { records } = await readBack((await download(unit.agent, res.body.id)).body);
    expect(records.rows.slice(1).map((r) => r[0])).toEqual(['**明']);
  });

  it('writes a header-only sheet and a zero summary for an empty range', async () => {
    const res = await sendAndSettle(unit.agent, { toOrganisationId: hdId, from: '2026-02-01', to: '2026-02-28' });
    expect((await unit.agent.get('/api/v1/console/data-reports/sent')).body.items[0]).toMatchObject({ id: res.body.id, status: 'delivered', rowCount: 0 });
    const { records, summary } = await readBack((await download(unit.agent, res.body.id)).body);
    expect(records.rows).toEqual([['姓名', '证件号码', '通行区域', '扫码点', '扫码员', '扫码时间', '方式', '健康码状态', '体温结果', '通行原因']]);
    expect(summary.rows).toEqual([['项目', '人次'], ['合计', 0], ['绿码', 0], ['橙码', 0], ['体温正常', 0], ['体温异常', 0], ['未反馈', 0]]);
  });

  it('fails without a half delivery when writing breaks mid-generation: status failed, reason, no file', async () => {
    const reportsDir = path.join(ctx.dir, 'reports');
    const view = await startDataReport(ctx.deps, sessionOf(unit.organisationId), { toOrganisationId: hdId, from: '2026-03-14', to: '2026-03-15' }, {
      openOutput: (file) => {
        const real = createWriteStream(file);
        let written = 0;
        return new Writable({
          write(chunk: Buffer, _enc, cb) {
            written += chunk.length;
            if (written > 200) cb(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
            else real.write(chunk, () => cb());
          },
          final(cb) {
            real.end(cb);
          },
        });
      },
    });
    expect(view.status).toBe('generating');
    await settle();
    await new Promise((r) => setTimeout(r, 50)); // let the real stream close
    const sent = (await unit.agent.get('/api/v1/console/data-reports/sent?pageSize=100')).body.items.find((r: { id: number }) => r.id === view.id);
    expect(sent).toMatchObject({ status: 'failed', statusText: '失败', rowCount: null, fileName: null, deliveredAt: null });
    expect(sent.failureReason).toContain('ENOSPC');
    expect(readdirSync(reportsDir).filter((f) => f.startsWith(`${view.id}-`))).toEqual([]);
    expect((await download(unit.agent, view.id)).status).toBe(404);
    expect((await hd.get('/api/v1/console/data-reports/received?pageSize=100')).body.items.map((r: { id: number }) => r.id)).not.toContain(view.id);
  });
});

describe('GET /api/v1/console/data-reports/received and /:id/file', () => {
  it('the receiver sees it 未读, downloads it, then 已读; the sender\'s downloads do not count', async () => {
    const res = await sendAndSettle(unit.agent, { toOrganisationId: hdId, from: '2026-03-15', to: '2026-03-15' });
    expect((await download(unit.agent, res.body.id)).status).toBe(200);
    const before = await hd.get('/api/v1/console/data-reports/received');
    expect(before.status).toBe(200);
    expect(before.body.items[0]).toMatchObject({ id: res.body.id, from: { name: '鼓楼区东街街道办事处' }, status: 'delivered', readAt: null, rowCount: 2 });
    // 送达时间: when the whole file was written, by the server's clock
    expect(before.body.items[0].deliveredAt).toBe(ctx.clock.now().toISOString());
    const file = await download(hd, res.body.id);
    expect(file.status).toBe(200);
    expect((await readBack(file.body)).records.rows).toHaveLength(3);
    const after = await hd.get('/api/v1/console/data-reports/received');
    expect(after.body.items[0].readAt).toBe(ctx.clock.now().toISOString());
    expect((await unit.agent.get('/api/v1/console/data-reports/sent')).body.items[0].readAt).toBe(ctx.clock.now().toISOString());
  });

  it('gives a third unit 404 for the file and nothing in its lists', async () => {
    const { id } = (await unit.agent.get('/api/v1/console/data-reports/sent')).body.items[0];
    const res = await download(sibling.agent, id);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body.toString()).error.code).toBe('DATA_REPORT_NOT_FOUND');
    expect((await sibling.agent.get('/api/v1/console/data-reports/received')).body).toMatchObject({ total: 0, items: [] });
    expect((await sibling.agent.get('/api/v1/console/data-reports/sent')).body).toMatchObject({ total: 0, items: [] });
  });

  it('refuses a file that no longer matches its checksum (409 REPORT_FILE_CORRUPT)', async () => {
    const res = await sendAndSettle(unit.agent, { toOrganisationId: hdId, from: '2026-03-14', to: '2026-03-15' });
    const row = (await ctx.deps.db.models.DataReport.findByPk(res.body.id, { raw: true })) as unknown as { filePath: string; checksum: string };
    expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(ctx.dir, row.filePath);
    expect(existsSync(file)).toBe(true);
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(file, bytes);
    const got = await download(hd, res.body.id);
    expect(got.status).toBe(409);
    expect(JSON.parse(got.body.toString()).error.code).toBe('REPORT_FILE_CORRUPT');
    expect((await hd.get('/api/v1/console/data-reports/received')).body.items[0]).toMatchObject({ id: res.body.id, readAt: null });
  });
});
