// 定时上报 (G3; issue 8) on a real database: schedules created, listed, stopped and deleted through the
// console API (each refusal naming its field or reason, another unit's id 404); the job delivers each
// due period once — run twice, or by two instances at once —, catches up missed periods, retries a
// failed generation (and one a crash cut off), never sends what fell due while stopped, and fails a
// period whose receiver is no longer above the unit. Also the manual reports' guards of this part:
// three at once per unit, keyset pages across equal scan times, full ID numbers only to the health
// department and only when configured.
import ExcelJS from 'exceljs';
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleSession } from '../../src/services/consoleSessionService';
import { REPORT_STALE_MS, generateReport, insertReport, reportFile, runningReports, sentReports } from '../../src/services/dataReportService';
import { listSchedules, runSchedules } from '../../src/services/reportScheduleService';
import { type Agent, governmentUnit, healthDepartment, healthDepartmentId } from '../helpers/console';
import { createTestContext, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/people';
import { personWithCode } from '../helpers/staff';

let ctx: TestContext;
let hd: Agent;
let hdId: number;
let unit: Awaited<ReturnType<typeof governmentUnit>>;
let other: Awaited<ReturnType<typeof governmentUnit>>;
let person: Awaited<ReturnType<typeof personWithCode>>;
const T0 = '2026-03-15T10:00:00+08:00'; // a Sunday

const sessionOf = (organisationId: number) => ({ sessionId: 0, authMethod: 'password', accountId: null, citizenUserId: null, organisationId, role: 'government', mustChangePassword: false }) as ConsoleSession;

/** A scan record of `orgId` at `at` (Shanghai time). */
async function scan(orgId: number, at: string, location = '东门') {
  await ctx.deps.db.models.ScanRecord.create({ organisationId: orgId, personId: person.personId, mode: 'passive', method: 'camera', colour: 'green', areaCode: '350102', location, scanPointName: location, scannedAt: new Date(at) });
}

async function rowsOf(orgId: number, id: number): Promise<unknown[][]> {
  const f = await reportFile(ctx.deps, sessionOf(orgId), id);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(f.body as unknown as ArrayBuffer);
  const out: unknown[][] = [];
  wb.getWorksheet('出入扫码记录')!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out.slice(1);
}

async function reportsOfSchedule(scheduleId: number) {
  return (await ctx.deps.db.models.DataReport.findAll({ where: { scheduleId }, order: [['id', 'ASC']], raw: true })) as unknown as {
    id: number; periodKey: string; status: string; attempts: number; rowCount: number | null; failureReason: string | null; origin: string;
  }[];
}

beforeAll(async () => {
  ctx = await createTestContext({ now: T0 });
  hd = await healthDepartment(ctx);
  hdId = await healthDepartmentId(ctx);
  unit = await governmentUnit(ctx, hd, { name: '鼓楼区东街街道办事处' });
  other = await governmentUnit(ctx, hd, { name: '鼓楼区南街街道办事处' });
  person = await personWithCode(ctx, { name: '王小明', idNumber: residentId('350102', '19800101', 501) });
}, 120_000);
afterAll(async () => {
  await Promise.all([...runningReports]);
  await ctx.close();
});

describe('/api/v1/console/data-report-schedules', () => {
  it.each([
    [{ toOrganisationId: 1, frequency: 'monthly' }, 400, 'frequency'],
    [{ frequency: 'daily' }, 400, 'toOrganisationId'],
    [{ toOrganisationId: 1, frequency: 'daily', colour: 'red' }, 400, 'colour'],
    [{ toOrganisationId: 1, frequency: 'daily', from: '2026-03-01' }, 400, 'from'],
  ])('refuses %j with %i naming %s', async (body, status, field) => {
    const res = await unit.agent.post('/api/v1/console/data-report-schedules').send(body);
    expect(res.status).toBe(status);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('refuses a sibling as receiver, and service points of another unit', async () => {
    const sib = await unit.agent.post('/api/v1/console/data-report-schedules').send({ toOrganisationId: other.organisationId, frequency: 'daily' });
    expect(sib.status).toBe(403);
    expect(sib.body.error).toMatchObject({ code: 'REPORT_RECEIVER_NOT_ALLOWED', details: [{ field: 'toOrganisationId' }] });
    const point = await ctx.deps.db.models.ServicePoint.create({ organisationId: other.organisationId, name: '南街食堂', areaCode: '350102' });
    const res = await unit.agent.post('/api/v1/console/data-report-schedules').send({ toOrganisationId: hdId, frequency: 'daily', servicePointIds: [Number(point.get('id'))] });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'servicePointIds', problem: '所选服务点不属于本单位' }]);
  });

  it('creates, lists, refuses a duplicate, stops and deletes; another unit gets 404', async () => {
    const created = await unit.agent.post('/api/v1/console/data-report-schedules').send({ toOrganisationId: hdId, frequency: 'weekly', colour: 'orange' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      to: { id: hdId }, frequency: 'weekly', frequencyText: '每周', periodText: '每周一凌晨自动上报上一周（周一至周日）的出入扫码记录',
      servicePointIds: [], colour: 'orange', temperature: null, filterText: '全部服务点；橙码', enabled: true, lastReport: null,
    });
    const dup = await unit.agent.post('/api/v1/console/data-report-schedules').send({ colour: 'orange', frequency: 'weekly', toOrganisationId: hdId });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('REPORT_SCHEDULE_DUPLICATE');
    const id = created.body.id;
    for (const res of [
      await other.agent.patch(`/api/v1/console/data-report-schedules/${id}`).send({ enabled: false }),
      await other.agent.delete(`/api/v1/console/data-report-schedules/${id}`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('REPORT_SCHEDULE_NOT_FOUND');
    }
    expect((await other.agent.get('/api/v1/console/data-report-schedules')).body).toEqual([]);
    const stopped = await unit.agent.patch(`/api/v1/console/data-report-schedules/${id}`).send({ enabled: false });
    expect(stopped.status).toBe(200);
    expect(stopped.body.enabled).toBe(false);
    expect((await unit.agent.patch(`/api/v1/console/data-report-schedules/${id}`).send({ enabled: 'no' })).body.error.details[0].field).toBe('enabled');
    expect((await unit.agent.delete(`/api/v1/console/data-report-schedules/${id}`)).status).toBe(204);
    expect((await unit.agent.get('/api/v1/console/data-report-schedules')).body).toEqual([]);
    expect((await unit.agent.delete(`/api/v1/console/data-report-schedules/${id}`)).status).toBe(404);
  });

  it('keeps at most 20 schedules per unit', async () => {
    const u = await governmentUnit(ctx, hd);
    const combos = (['daily', 'weekly'] as const).flatMap((frequency) =>
      (['green', 'orange', undefined] as const).flatMap((colour) => (['normal', 'abnormal', 'none', undefined] as const).map((temperature) => ({ frequency, colour, temperature }))),
    );
    for (let i = 0; i < 20; i++) {
      const res = await u.agent.post('/api/v1/console/data-report-schedules').send({ toOrganisationId: hdId, servicePointIds: [], ...combos[i] });
      expect(res.status, `${i}: ${JSON.stringify(res.body)}`).toBe(201);
    }
    const res = await u.agent.post('/api/v1/console/data-report-schedules').send({ toOrganisationId: hdId, frequency: 'daily' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('REPORT_SCHEDULE_LIMIT');
    await ctx.deps.db.models.DataReportSchedule.destroy({ where: { organisationId: u.organisationId } });
  });
});

describe('the scheduled-reports job', () => {
  beforeAll(async () => {
    await ctx.deps.db.models.DataReportSchedule.destroy({ where: {} });
  });

  it('delivers a day once: run twice, and by two instances at once, one report per period', async () => {
    ctx.clock.set(T0);
    const created = await unit.agent.post('/api/v1/console/data-report-schedules').send({ toOrganisationId: hdId, frequency: 'daily' });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    await scan(unit.organisationId, '2026-03-15T08:00:00+08:00', '早班');
    await scan(unit.organisationId, '2026-03-15T23:59:59+08:00', '夜班');
    await scan(unit.organisationId, '2026-03-16T00:00:00+08:00', '次日');
    await scan(other.organisationId, '2026-03-15T12:00:00+08:00', '别的单位');

    expect(await runSchedules(ctx.deps)).toMatchObject({ delivered: 0 }); // the 15th has not ended
    ctx.clock.set('2026-03-16T00:30:00+08:00');
    expect(await runSchedules(ctx.deps)).toMatchObject({ delivered: 1, failed: 0 });
    expect(await runSchedules(ctx.deps)).toMatchObject({ delivered: 0, skipped: 1 });
    let reports = await reportsOfSchedule(id);
    expect(reports).toMatchObject([{ periodKey: 'D2026-03-15', status: 'delivered', rowCount: 2, origin: 'daily', attempts: 1 }]);
    expect((await rowsOf(hdId, reports[0].id)).map((r) => r[3])).toEqual(['鼓楼区早班', '鼓楼区夜班']);

    ctx.clock.set('2026-03-17T00:30:00+08:00');
    const [a, b] = await Promise.all([runSchedules(ctx.deps), runSchedules(ctx.deps)]);
    expect(a.delivered + b.delivered).toBe(1);
    reports = await reportsOfSchedule(id);
    expect(reports.map((r) => [r.periodKey, r.status, r.rowCount])).toEqual([['D2026-03-15', 'delivered', 2], ['D2026-03-16', 'delivered', 1]]);

    // the receiver sees them as 每日 reports; the schedule shows its newest one
    const sent = await sentReports(ctx.deps, sessionOf(unit.organisationId), 1, 10);
    expect(sent.items.slice(0, 2).map((r) => [r.originText, r.scheduleId, r.rangeFrom, r.rangeTo, r.statusText])).toEqual([
      ['每日', id, '2026-03-16', '2026-03-16', '已送达'],
      ['每日', id, '2026-03-15', '2026-03-15', '已送达'],
    ]);
    const [view] = (await listSchedules(ctx.deps, sessionOf(unit.organisationId))).filter((s) => s.id === id);
    expect(view.lastReport).toMatchObject({ id: reports[1].id, status: 'delivered', statusText: '已送达', rangeFrom: '2026-03-16', rangeTo: '2026-03-16' });

    // catch-up: three days without any instance running, then one run sends each missed day, oldest first
    ctx.clock.set('2026-03-20T09:00:00+08:00');
    expect(await runSchedules(ctx.deps)).toMatchObject({ delivered: 3 });
    expect((await reportsOfSchedule(id)).map((r) => r.periodKey)).toEqual(['D2026-03-15', 'D2026-03-16', 'D2026-03-17', 'D2026-03-18', 'D2026-03-19']);

    // stopped: nothing falls due; enabled again: only from the current period on
    ctx.clock.set(T0);
    expect((await unit.agent.patch(`/api/v1/console/data-report-schedules/${id}`).send({ enabled: false })).status).toBe(200);
    ctx.clock.set('2026-03-23T09:00:00+08:00');
    expect(await runSchedules(ctx.deps)).toMatchObject({ delivered: 0 });
    await ctx.deps.db.models.DataReportSchedule.update({ enabled: true, activeSince: ctx.clock.now() }, { where: { id } });
    ctx.clock.set('2026-03-24T00:30:00+08:00');
    expect(await runSchedules(ctx.deps)).toMatchObject({ delivered: 1 });
    expect((await reportsOfSchedule(id)).map((r) => r.periodKey).slice(-2)).toEqual(['D2026-03-19', 'D2026-03-23']);

    // deleted: reports already sent stay, still marked 每日
    await ctx.deps.db.models.DataReportSchedule.destroy({ where: { id } });
    const after = await sentReports(ctx.deps, sessionOf(unit.organisationId), 1, 100);
    expect(after.items.filter((r) => r.originText === '每日')).toHaveLength(6);
  });

  it('delivers a whole Monday–Sunday week on the Monday after', async () => {
    const sched = await ctx.deps.db.models.DataReportSchedule.create({ organisationId: unit.organisationId, toOrganisationId: hdId, frequency: 'weekly', filter: '{}', enabled: true, activeSince: new Date('2026-04-08T12:00:00+08:00') });
    const id = Number(sched.get('id'));
    await scan(unit.organisationId, '2026-04-06T00:00:00+08:00', '周一'); // Monday 00:00, before the schedule but in its week
    await scan(unit.organisationId, '2026-04-12T23:00:00+08:00', '周日');
    await scan(unit.organisationId, '2026-04-13T07:00:00+08:00', '下周一');
    ctx.clock.set('2026-04-12T23:30:00+08:00');
    expect(await runSchedules(ctx.deps)).toMatchObject({ delivered: 0 });
    ctx.clock.set('2026-04-13T00:30:00+08:00');
    expect(await runSchedules(ctx.deps)).toMatchObject({ delivered: 1 });
    const [r] = await reportsOfSchedule(id);
    expect(r).toMatchObject({ periodKey: 'W2026-04-06', origin: 'weekly', rowCount: 2 });
    expect((await rowsOf(unit.organisationId, r.id)).map((x) => x[3])).toEqual(['鼓楼区周一', '鼓楼区周日']);
    await sched.destroy();
  });

  it('retries a failed generation at the next run, up to 3 attempts; a crash-cut one is failed and retried', async () => {
    const sched = await ctx.deps.db.models.DataReportSchedule.create({ organisationId: unit.organisationId, toOrganisationId: hdId, frequency: 'daily', filter: '{}', enabled: true, activeSince: new Date('2026-05-01T12:00:00+08:00') });
    const id = Number(sched.get('id'));
    const broken = {
      openOutput: (file: string) => {
        const real = createWriteStream(file);
        return new Writable({
          write(_c, _e, cb) {
            cb(Object.assign(new Error('disk failed'), { code: 'EIO' }));
          },
          final(cb) {
            real.end(cb);
          },
        });
      },
    };
    ctx.clock.set('2026-05-02T00:30:00+08:00');
    expect(await runSchedules(ctx.deps, broken)).toMatchObject({ delivered: 0, failed: 1 });
    expect(await reportsOfSchedule(id)).toMatchObject([{ status: 'failed', attempts: 1 }]);
    expect((await reportsOfSchedule(id))[0].failureReason).toContain('EIO');
    expect(await runSchedules(ctx.deps, broken)).toMatchObject({ failed: 1 });
    expect(await runSchedules(ctx.deps, broken)).toMatchObject({ failed: 1 });
    expect(await reportsOfSchedule(id)).toMatchObject([{ status: 'failed', attempts: 3 }]);
    expect(await runSchedules(ctx.deps)).toMatchObject({ delivered: 0, failed: 0 }); // given up after 3
    await ctx.deps.db.models.DataReport.destroy({ where: { scheduleId: id } });

    // a generation cut off (its heartbeat stopped 10 minutes ago) is failed, then retried in the same run
    const cut = await insertReport(ctx.deps, { organisationId: unit.organisationId, toOrganisationId: hdId, from: '2026-05-01', to: '2026-05-01' }, { origin: 'daily', scheduleId: id, periodKey: 'D2026-05-01' });
    ctx.clock.advance(REPORT_STALE_MS - 1000);
    expect(await runSchedules(ctx.deps)).toMatchObject({ stale: 0, delivered: 0, skipped: 1 }); // still alive
    ctx.clock.advance(2000);
    expect(await runSchedules(ctx.deps)).toMatchObject({ stale: 1, delivered: 1 });
    expect(await reportsOfSchedule(id)).toMatchObject([{ id: cut, status: 'delivered', attempts: 2, failureReason: null }]);
    // a generation that was only slow keeps its failure when it finally finishes: never a second delivery
    expect(await generateReport(ctx.deps, cut)).toBe('delivered'); // a delivered report is left as it is
    await sched.destroy();
  });

  it('fails a period whose receiver is no longer above the unit, naming why, without retrying it', async () => {
    ctx.clock.set(T0);
    const u = await governmentUnit(ctx, hd, { name: '晋安区某街道办事处', areaCode: '350111' });
    const parent = await governmentUnit(ctx, hd, { name: '晋安区卫健局', areaCode: '350111' });
    await ctx.deps.db.models.Organisation.update({ parentId: parent.organisationId }, { where: { id: u.organisationId } });
    const sched = await ctx.deps.db.models.DataReportSchedule.create({ organisationId: u.organisationId, toOrganisationId: parent.organisationId, frequency: 'daily', filter: '{}', enabled: true, activeSince: new Date('2026-06-01T12:00:00+08:00') });
    await ctx.deps.db.models.Organisation.update({ parentId: null }, { where: { id: u.organisationId } });
    ctx.clock.set('2026-06-02T00:30:00+08:00');
    expect(await runSchedules(ctx.deps)).toMatchObject({ delivered: 0, failed: 1 });
    const [r] = await reportsOfSchedule(Number(sched.get('id')));
    expect(r).toMatchObject({ status: 'failed', attempts: 3 });
    expect(r.failureReason).toBe('无法生成：只能上报给本单位的上级部门（不能是同级或下级单位）');
    expect(await runSchedules(ctx.deps)).toMatchObject({ failed: 0 });
    await sched.destroy();
  });
});

describe('manual reports: guards added with the schedules', () => {
  it('pages by (scan time, id): equal scan times across page boundaries are neither lost nor repeated', async () => {
    ctx.clock.set(T0);
    const u = await governmentUnit(ctx, hd);
    const same = '2026-07-01T09:00:00+08:00';
    for (let i = 0; i < 7; i++) await scan(u.organisationId, i < 5 ? same : `2026-07-01T1${i}:00:00+08:00`, `点${i}`);
    const id = await insertReport(ctx.deps, { organisationId: u.organisationId, toOrganisationId: hdId, from: '2026-07-01', to: '2026-07-01' }, { origin: 'manual' });
    expect(await generateReport(ctx.deps, id, { pageRows: 2 })).toBe('delivered');
    expect((await rowsOf(u.organisationId, id)).map((r) => r[3])).toEqual(['鼓楼区点0', '鼓楼区点1', '鼓楼区点2', '鼓楼区点3', '鼓楼区点4', '鼓楼区点5', '鼓楼区点6']);
  });

  it('allows three reports 生成中 per unit at once (409 DATA_REPORT_BUSY for a fourth)', async () => {
    ctx.clock.set(T0);
    const u = await governmentUnit(ctx, hd);
    for (let i = 0; i < 3; i++) await insertReport(ctx.deps, { organisationId: u.organisationId, toOrganisationId: hdId, from: '2026-03-01', to: '2026-03-01' }, { origin: 'manual' });
    const res = await u.agent.post('/api/v1/console/data-reports').send({ toOrganisationId: hdId, from: '2026-03-01', to: '2026-03-02' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('DATA_REPORT_BUSY');
    expect(await ctx.deps.db.models.DataReport.count({ where: { fromOrganisationId: u.organisationId } })).toBe(3);
  });

  it('writes full ID numbers only for the health department, and only when configured', async () => {
    ctx.clock.set(T0);
    const u = await governmentUnit(ctx, hd, { name: '仓山区某街道办事处', areaCode: '350104' });
    const parent = await governmentUnit(ctx, hd, { name: '仓山区卫健局', areaCode: '350104' });
    await ctx.deps.db.models.Organisation.update({ parentId: parent.organisationId }, { where: { id: u.organisationId } });
    await scan(u.organisationId, '2026-03-10T09:00:00+08:00');
    const send = async (to: number) => {
      const id = await insertReport(ctx.deps, { organisationId: u.organisationId, toOrganisationId: to, from: '2026-03-10', to: '2026-03-10' }, { origin: 'manual' });
      expect(await generateReport(ctx.deps, id)).toBe('delivered');
      return (await rowsOf(u.organisationId, id))[0][1];
    };
    const masked = (await ctx.deps.db.models.Person.findByPk(person.personId, { raw: true }) as unknown as { idMasked: string }).idMasked;
    expect(await send(hdId)).toBe(masked);
    ctx.deps.config.reportFullIdToHealthDepartment = true;
    try {
      expect(await send(hdId)).toBe(person.idNumber);
      expect(await send(parent.organisationId)).toBe(masked);
    } finally {
      ctx.deps.config.reportFullIdToHealthDepartment = false;
    }
  });
});
