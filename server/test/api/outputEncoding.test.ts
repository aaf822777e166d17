// Output encoding in Excel files (issue 11): a name or a place that looks like a formula (=, +, -, @ first)
// is written as a text cell, never as a formula Excel or WPS would evaluate (CSV/formula injection:
// =HYPERLINK exfiltrates, +cmd|… runs a program through DDE). Checked through the real API on a real
// database: the employee import template holds no formula; a template filled with such names imports them
// literally; the employee health export writes them, and a report's place, as string cells.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenWithCode } from '../helpers/citizen';
import { governmentUnit, healthDepartment, type Agent } from '../helpers/console';
import { createTestContext, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/people';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FORMULA = '=HYPERLINK("http://evil.example","x")';
const HOSTILE_NAMES = [FORMULA, "+cmd|' /C calc'!A0", '@SUM(1,1)', '-2+3'];
const HOSTILE_DEPARTMENT = '=1+1';

let ctx: TestContext;
let unit: Awaited<ReturnType<typeof governmentUnit>>;
const idNumbers = HOSTILE_NAMES.map((_n, i) => residentId('350102', '19870707', 701 + i));

const binary = (res: { on: (e: string, f: (c?: Buffer) => void) => void }, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c?: Buffer) => chunks.push(c!));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const file = (a: Agent, url: string) => a.get(url).buffer(true).parse(binary as never);

async function load(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

/** Every cell of every sheet that holds a value: none may be a formula. */
function cellsOf(wb: ExcelJS.Workbook): ExcelJS.Cell[] {
  const cells: ExcelJS.Cell[] = [];
  for (const ws of wb.worksheets) ws.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: false }, (c) => void cells.push(c)));
  return cells;
}

function expectTextCell(cell: ExcelJS.Cell, value: string) {
  expect(cell.value).toBe(value);
  expect(cell.type).toBe(ExcelJS.ValueType.String);
  expect(cell.formula).toBeUndefined();
}

async function importAndWait(a: Agent, body: Buffer) {
  const started = await a.post('/api/v1/console/employees/imports').set('Content-Type', XLSX).send(body);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  for (let i = 0; i < 600; i++) {
    const job = await a.get(`/api/v1/console/employees/imports/${started.body.jobId}`);
    if (job.body.status === 'done' || job.body.status === 'failed') return job.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
  unit = await governmentUnit(ctx, await healthDepartment(ctx), { name: '鼓楼区东街街道办事处' });
}, 120_000);
afterAll(() => ctx.close());

describe('GET /api/v1/console/employees/template.xlsx → POST /api/v1/console/employees/imports', () => {
  it('the template holds no formula; filled with formula-looking names, it imports them literally', async () => {
    const template = await file(unit.agent, '/api/v1/console/employees/template.xlsx');
    expect(template.status).toBe(200);
    const wb = await load(template.body);
    const cells = cellsOf(wb);
    expect(cells.length).toBeGreaterThan(6);
    for (const c of cells) {
      expect(c.type, `${c.worksheet.name}!${c.address}`).not.toBe(ExcelJS.ValueType.Formula);
      expect(c.formula, `${c.worksheet.name}!${c.address}`).toBeUndefined();
    }

    // filled in as a person would (plain text typed into the first sheet) and uploaded
    const sheet = wb.worksheets[0];
    HOSTILE_NAMES.forEach((name, i) => sheet.addRow([name, '居民身份证', idNumbers[i], null, null, HOSTILE_DEPARTMENT]));
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    for (const [i, name] of HOSTILE_NAMES.entries()) expectTextCell((await load(filled)).worksheets[0].getRow(i + 2).getCell(1), name);
    const job = await importAndWait(unit.agent, filled);
    expect(job).toMatchObject({ status: 'done', inserted: HOSTILE_NAMES.length, errors: [] });

    const listed = (await unit.agent.get('/api/v1/console/employees?pageSize=50')).body.items as { name: string; department: string }[];
    expect(listed.map((e) => e.name).sort()).toEqual([...HOSTILE_NAMES].sort());
    expect(new Set(listed.map((e) => e.department))).toEqual(new Set([HOSTILE_DEPARTMENT]));
  });
});

describe('GET /api/v1/console/employee-health/export.xlsx', () => {
  it('writes formula-looking names, departments and places as text cells', async () => {
    // each imported employee reports once, from a place that looks like a formula too
    for (const [i, idNumber] of idNumbers.entries()) {
      const citizen = await citizenWithCode(ctx, `1365555${String(i).padStart(4, '0')}`, idNumber);
      const sent = await ctx.http.post('/api/v1/app/health-reports').set(citizen.bearer).send({ holder: 'self', temperatureCelsius: 36.5, symptoms: ['none'], areaCode: '350102', location: FORMULA });
      expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    }
    const res = await file(unit.agent, '/api/v1/console/employee-health/export.xlsx?from=2026-03-15&to=2026-03-15');
    expect(res.status).toBe(200);
    const ws = (await load(res.body)).worksheets[0];
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['姓名', '证件号码', '部门', '上报时间', '上报类型', '体温(℃)', '症状', '所在地区', '具体位置']);
    const names: string[] = [];
    for (let r = 2; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const name = String(row.getCell(1).value);
      names.push(name);
      expectTextCell(row.getCell(1), name);
      expectTextCell(row.getCell(3), HOSTILE_DEPARTMENT);
      expectTextCell(row.getCell(9), FORMULA);
    }
    expect(names.sort()).toEqual([...HOSTILE_NAMES].sort());
    // nothing in the whole workbook is a formula
    for (const c of cellsOf(await load(res.body))) expect(c.formula, c.address).toBeUndefined();
  });
});
