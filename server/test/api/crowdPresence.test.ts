// The crowd count kept incrementally from presence (D9, issue 12; crowdFlowService.countVisits): after every
// scan — one at a time and in concurrent batches — the count the point's state row stores is exactly the
// count of its records (countNow: distinct people in (now − window, now]), through people repeating, leaving
// the window, an idle gap longer than the window, crossings of the lines (announced once each) and a
// changed window (counted again). And the stored count is what presence says: the people whose latest record
// is after the window start the state row keeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context';
import { residentId } from '../helpers/citizen';
import { bearer, codeTokenFor, personWithCode, staffAtPoint } from '../helpers/staff';
import { countNow, evaluatePoint } from '../../src/services/crowdFlowService';
import { hotTime } from '../../src/db/hotSql';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ now: '2026-03-15T10:00:00+08:00' });
}, 60_000);
afterAll(() => ctx?.close());

const MIN = 60_000;

describe('crowd count kept from presence', () => {
  it('equals the count of the records after every scan, through repeats, departures, idle gaps, crossings and a changed window', async () => {
    const staff = await staffAtPoint(ctx);
    const { ServicePoint, CrowdFlowSetting, ScanPoint, CrowdFlowState, Message } = ctx.deps.db.models;
    const point = await ServicePoint.create({ organisationId: staff.organisationId, name: '北站进站口', areaCode: '350102', address: '北站路 1 号' });
    const pointId = Number(point.get('id'));
    await CrowdFlowSetting.create({ servicePointId: pointId, capacity: 6, warningLine: 5, windowMinutes: 30 });
    await evaluatePoint(ctx.deps, pointId);
    await ScanPoint.update({ servicePointId: pointId }, { where: { accountId: staff.accountId } });
    const people: Awaited<ReturnType<typeof personWithCode>>[] = [];
    for (let i = 0; i < 8; i++) people.push(await personWithCode(ctx, { idNumber: residentId('350102', '19800101', 700 + i), name: `旅客${i}` }));
    // the point's staff on duty, who receive its announcements (an employee of the unit who is a person of the system)
    const onDuty = await personWithCode(ctx, { idNumber: residentId('350102', '19800101', 730), name: '值班员' });
    const { idHash, idNumberEnc, idMasked } = (await ctx.deps.db.models.Person.findByPk(onDuty.personId, { raw: true })) as unknown as { idHash: string; idNumberEnc: string; idMasked: string };
    const employee = await ctx.deps.db.models.Employee.create({ organisationId: staff.organisationId, name: '值班员', idType: 'resident_id', idHash, idNumberEnc, idMasked });
    await ctx.deps.db.models.ServicePointStaff.create({ servicePointId: pointId, employeeId: Number(employee.get('id')) });

    const scan = async (...who: number[]) => {
      const tokens = await Promise.all(who.map((i) => codeTokenFor(ctx, people[i].personId)));
      const answers = await Promise.all(tokens.map((token) => ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token })));
      for (const r of answers) expect(r.status, JSON.stringify(r.body)).toBe(201);
    };
    const stored = async () => {
      const s = (await CrowdFlowState.findOne({ where: { servicePointId: pointId }, raw: true })) as unknown as { state: string; currentCount: number; windowFrom: Date | string; windowMinutes: number };
      const [row] = await ctx.deps.db.hot.select<{ n: number | string }>('SELECT COUNT(*) AS n FROM crowd_presence WHERE service_point_id = ? AND last_seen_at > ?', [
        pointId,
        hotTime(ctx.deps.db.dialect, new Date(s.windowFrom)),
      ]);
      return { state: s.state, count: Number(s.currentCount), presence: Number(row.n), windowMinutes: Number(s.windowMinutes) };
    };
    const expectCount = async (count: number, state: string, windowMinutes = 30) => {
      expect(await countNow(ctx.deps, pointId, windowMinutes)).toBe(count);
      expect(await stored()).toEqual({ state, count, presence: count, windowMinutes });
    };
    const announced = async () =>
      ((await Message.findAll({ where: { kind: 'crowd_warning' }, order: [['id', 'ASC']], raw: true })) as unknown as { title: string; body: string }[])
        .filter((m) => m.title.includes('北站进站口'))
        .map((m) => /人流状态：(\S+?)（/.exec(m.body)?.[1]);

    await expectCount(0, 'normal');
    await scan(0, 1, 2, 3); // at once: batches of several scans
    await expectCount(4, 'normal');
    ctx.clock.advance(5 * MIN);
    await scan(0, 4); // 0 again: still one person
    await expectCount(5, 'warning');
    ctx.clock.advance(10 * MIN);
    await scan(5, 5);
    await expectCount(6, 'exceeded');
    // 31 minutes after the first scans: 1, 2, 3 have left; 0 (at 5 min), 4, 5 are in; 6 enters
    ctx.clock.advance(16 * MIN);
    await scan(6);
    await expectCount(4, 'normal');
    // a scan exactly one window after 0's and 4's latest: they leave as 7 enters
    ctx.clock.advance(4 * MIN);
    await scan(7);
    await expectCount(3, 'normal');
    // an idle gap of two hours, longer than the window: everyone has left
    ctx.clock.advance(120 * MIN);
    await scan(2);
    await expectCount(1, 'normal');
    expect(await announced()).toEqual(['预警', '已超标']);
    // a longer window counts again from the records: everyone of the last three hours
    await CrowdFlowSetting.update({ windowMinutes: 180 }, { where: { servicePointId: pointId } });
    await evaluatePoint(ctx.deps, pointId);
    await expectCount(8, 'exceeded', 180);
    ctx.clock.advance(MIN);
    await scan(3, 1);
    await expectCount(8, 'exceeded', 180);
    expect(await announced()).toEqual(['预警', '已超标', '已超标']);
    // a count kept with a window the setting no longer has (changed between the batch's read and its count) is not stored: counted again
    await evaluatePoint(ctx.deps, pointId, undefined, { pointId, windowMinutes: 30, count: 0, windowFrom: ctx.clock.now() });
    await expectCount(8, 'exceeded', 180);
  });

  it('a state row never counted from presence (made by a scan, or from before it) is counted from the records at its first scan', async () => {
    const staff = await staffAtPoint(ctx);
    const { ServicePoint, CrowdFlowSetting, ScanPoint, CrowdFlowState } = ctx.deps.db.models;
    const point = await ServicePoint.create({ organisationId: staff.organisationId, name: '南站出站口', areaCode: '350102', address: '南站路 1 号' });
    const pointId = Number(point.get('id'));
    await CrowdFlowSetting.create({ servicePointId: pointId, capacity: 100, warningLine: 80, windowMinutes: 60 });
    await ScanPoint.update({ servicePointId: pointId }, { where: { accountId: staff.accountId } });
    const a = await personWithCode(ctx, { idNumber: residentId('350102', '19800101', 720), name: '旅客甲' });
    const b = await personWithCode(ctx, { idNumber: residentId('350102', '19800101', 721), name: '旅客乙' });
    const scan = async (personId: number) =>
      expect((await ctx.http.post('/api/v1/staff/scans').set(bearer(staff.token)).send({ token: await codeTokenFor(ctx, personId) })).status).toBe(201);
    await scan(a.personId); // the scan makes the state row, then counts it from the records
    // an upgraded database: the row's count from before presence, its window start unknown
    await CrowdFlowState.update({ windowFrom: null, windowMinutes: null, currentCount: 0 }, { where: { servicePointId: pointId } });
    await ctx.deps.db.hot.run('DELETE FROM crowd_presence WHERE service_point_id = ?', [pointId]);
    ctx.clock.advance(MIN);
    await scan(b.personId);
    const s = (await CrowdFlowState.findOne({ where: { servicePointId: pointId }, raw: true })) as unknown as { currentCount: number; windowMinutes: number };
    expect({ count: Number(s.currentCount), windowMinutes: Number(s.windowMinutes) }).toEqual({ count: 2, windowMinutes: 60 });
    expect(await countNow(ctx.deps, pointId, 60)).toBe(2);
  });
});
