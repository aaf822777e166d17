// The daily-stats job (manual 五(二)4 企业看板, E3, G2; issue 6), called directly on a seeded month.
// Every figure is checked against counts computed here from the inserted fixture alone, with their own
// day arithmetic (UTC+8 by hand), not through the code under test.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config';
import { toDate } from '../../src/db/values';
import * as job from '../../src/jobs/dailyStats.job';
import { aggregateDay, dashboard, fillMissingDays, missingDays } from '../../src/services/dailyStatsService';
import { createTestContext, type TestContext } from '../helpers/context';

let ctx: TestContext;

// ---- the fixture, and the figures it implies -----------------------------------------------------------

const H = 3600_000;
const shDay = (t: Date) => new Date(t.getTime() + 8 * H).toISOString().slice(0, 10);
const dayEnd = (day: string) => Date.parse(`${day}T00:00:00+08:00`) + 24 * H;
const at = (day: string, time: string) => new Date(`${day}T${time}+08:00`);
const march = (d: number) => `2026-03-${String(d).padStart(2, '0')}`;
const hashOf = (p: number) => createHash('sha256').update(`person-${p}`).digest('hex');

interface Emp { org: 'A' | 'B'; person: number; createdAt: Date }
interface Rep { person: number; reporter: number; type: 'self' | 'family'; at: Date }

const employees: Emp[] = [
  // A: five from February, an employee who never registered (no people row: never reports) …
  ...[1, 2, 3, 4, 5, 10].map((person) => ({ org: 'A' as const, person, createdAt: at('2026-02-20', '09:00:00') })),
  // … and two added on 10 March in the afternoon
  { org: 'A', person: 6, createdAt: at('2026-03-10', '15:00:00') },
  { org: 'A', person: 7, createdAt: at('2026-03-10', '15:00:00') },
  // B: person 1 works for both units; person 12 joins today (2026-04-01)
  { org: 'B', person: 1, createdAt: at('2026-02-25', '09:00:00') },
  { org: 'B', person: 8, createdAt: at('2026-02-25', '09:00:00') },
  { org: 'B', person: 12, createdAt: at('2026-04-01', '00:05:00') },
];
/** People with an account: everyone but 10; 9 is person 1's family member and works nowhere. */
const people = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12];

const reports: Rep[] = [{ person: 1, reporter: 1, type: 'self', at: at('2026-02-25', '10:00:00') }];
for (let d = 1; d <= 31; d++) {
  if (d === 15) continue; // a day nobody reported
  for (let p = 1; p <= 8; p++) {
    if ((d + p) % 3 === 0) continue;
    // person 1 is reported by their family member 9 on odd days, by themselves on even ones
    const byFamily = p === 1 && d % 2 === 1;
    reports.push({ person: p, reporter: byFamily ? 9 : p, type: byFamily ? 'family' : 'self', at: at(march(d), `0${p}:30:00`) });
    if (p === 2 && d % 2 === 0) reports.push({ person: 2, reporter: 2, type: 'self', at: at(march(d), '20:00:00') });
  }
  // person 1 reports for family member 9 every day: about 9, so never an employee's report
  reports.push({ person: 9, reporter: 1, type: 'family', at: at(march(d), '12:00:00') });
}
reports.push(
  // either side of midnight (+08:00)
  { person: 4, reporter: 4, type: 'self', at: new Date('2026-03-20T23:59:59.999+08:00') },
  { person: 5, reporter: 5, type: 'self', at: new Date('2026-03-21T00:00:00.000+08:00') },
  { person: 3, reporter: 3, type: 'self', at: new Date('2026-03-31T23:59:59.999+08:00') },
  { person: 3, reporter: 3, type: 'self', at: new Date('2026-04-01T00:00:00.000+08:00') },
  { person: 12, reporter: 12, type: 'self', at: at('2026-04-01', '10:00:00') },
);

interface Figures { employees: number; reportedEmployees: number; reports: number }

/** What one unit's row of `day` must say, from the arrays above. */
function expected(org: 'A' | 'B', day: string): Figures {
  const roll = employees.filter((e) => e.org === org && e.createdAt.getTime() < dayEnd(day));
  const ofDay = reports.filter((r) => shDay(r.at) === day);
  const theirs = roll.map((e) => ofDay.filter((r) => r.person === e.person).length);
  return { employees: roll.length, reportedEmployees: theirs.filter((n) => n > 0).length, reports: theirs.reduce((a, b) => a + b, 0) };
}

function expectedRows(days: string[]): { org: 'A' | 'B'; day: string; figures: Figures }[] {
  return days
    .flatMap((day) => (['A', 'B'] as const).map((org) => ({ org, day, figures: expected(org, day) })))
    .filter((r) => r.figures.employees > 0) // no roll, no row
    .sort((x, y) => (x.day + x.org).localeCompare(y.day + y.org));
}

const range = (from: string, to: string) => {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 24 * H) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};

// ---- reading what the job wrote ------------------------------------------------------------------------

const orgIds: Record<'A' | 'B', number> = { A: 0, B: 0 };
const orgName = (id: number) => (Number(id) === orgIds.A ? 'A' : 'B');

async function storedRows(days: string[]) {
  const rows = (await ctx.deps.db.models.DailyStat.findAll({ raw: true })) as unknown as {
    organisationId: number; day: string; employees: number; reportedEmployees: number; reports: number;
  }[];
  return rows
    .filter((r) => days.includes(String(r.day)))
    .map((r) => ({ org: orgName(r.organisationId), day: String(r.day), figures: { employees: r.employees, reportedEmployees: r.reportedEmployees, reports: r.reports } }))
    .sort((x, y) => (x.day + x.org).localeCompare(y.day + y.org));
}

const row = async (org: 'A' | 'B', day: string) =>
  (await storedRows([day])).find((r) => r.org === org)?.figures ?? null;

async function seed() {
  const { Organisation, Person, Employee, HealthReport } = ctx.deps.db.models;
  orgIds.A = Number((await Organisation.create({ kind: 'enterprise', name: '福州甲公司', creditCode: '91350102MA2XNYQ51U', areaCode: '350102' })).get('id'));
  orgIds.B = Number((await Organisation.create({ kind: 'enterprise', name: '厦门乙公司', creditCode: '91350203MA2XNYQ52X', areaCode: '350203' })).get('id'));
  const personId = new Map<number, number>();
  for (const p of people) {
    const created = await Person.create({ idType: 'resident_id', idHash: hashOf(p), idNumberEnc: 'x', idMasked: `3501**********${String(p).padStart(4, '0')}`, name: `员工${p}` });
    personId.set(p, Number(created.get('id')));
  }
  await Employee.bulkCreate(
    employees.map((e) => ({
      organisationId: orgIds[e.org], name: `员工${e.person}`, idType: 'resident_id', idHash: hashOf(e.person), idNumberEnc: 'x', idMasked: '3501**', createdAt: e.createdAt, updatedAt: e.createdAt,
    })),
  );
  await HealthReport.bulkCreate(
    reports.map((r) => ({ personId: personId.get(r.person), reporterPersonId: personId.get(r.reporter), reportType: r.type, temperatureTenths: 365, symptoms: 'none', reportedAt: r.at })),
  );
  return personId;
}

let personIds: Map<number, number>;
beforeAll(async () => {
  // the nightly run: ten past midnight on 1 April, Shanghai
  ctx = await createTestContext({ now: '2026-04-01T00:10:00+08:00' });
  personIds = await seed();
});
afterAll(() => ctx.close());

describe('daily-stats job', () => {
  it('the fixture was stored as written (created_at kept, not the wall clock)', async () => {
    const e = (await ctx.deps.db.models.Employee.findOne({ where: { idHash: hashOf(6) }, raw: true })) as unknown as { createdAt: Date | string };
    expect(toDate(e.createdAt).toISOString()).toBe('2026-03-10T07:00:00.000Z');
  });

  it('at start-up, catchUp fills every missed day up to yesterday (90 days when nothing was aggregated yet)', async () => {
    const days = range('2026-01-01', '2026-03-31');
    expect(await missingDays(ctx.deps)).toEqual(days);
    const r = await job.catchUp(ctx.deps);
    expect(r.ran).toBe(true);
    expect(r.days).toEqual(days);
    const want = expectedRows(days);
    expect(r.rows).toBe(want.length);
    expect(await storedRows(days)).toEqual(want);
    expect(await missingDays(ctx.deps)).toEqual([]);
  });

  it('every figure of the month matches the fixture, including the cases that matter', async () => {
    // spelled out for the reader; the previous test compared every row
    expect(await row('A', '2026-02-19')).toBeNull(); // nobody on the roll yet: no row
    expect(await row('B', '2026-02-25')).toEqual({ employees: 2, reportedEmployees: 1, reports: 1 }); // person 1's February report counts for B
    expect(await row('A', '2026-02-25')).toEqual({ employees: 6, reportedEmployees: 1, reports: 1 }); // … and for A
    expect(await row('A', '2026-03-15')).toEqual({ employees: 8, reportedEmployees: 0, reports: 0 }); // the day nobody reported
    expect(await row('B', '2026-03-15')).toEqual({ employees: 2, reportedEmployees: 0, reports: 0 });
    expect((await row('A', '2026-03-09'))!.employees).toBe(6); // the day before two were added
    expect((await row('A', '2026-03-10'))!.employees).toBe(8); // added at 15:00: on the roll that day
    // 5 March: persons 6 and 7 reported but were not employees yet
    expect(await row('A', '2026-03-05')).toEqual(expected('A', '2026-03-05'));
    expect(expected('A', '2026-03-05').reportedEmployees).toBe(3); // 2, 3 and 5 ((5+1)%3 and (5+4)%3 skip 1 and 4)
    // around midnight: 23:59:59.999 counts for the 20th, 00:00:00 for the 21st
    // 20th: 2 (twice), 3, 5, 6 and person 4 at 23:59:59.999; 21st: 1, 2, 4, 7 and person 5 twice, once at 00:00:00
    expect(await row('A', '2026-03-20')).toEqual({ employees: 8, reportedEmployees: 5, reports: 6 });
    expect(await row('A', '2026-03-21')).toEqual({ employees: 8, reportedEmployees: 5, reports: 6 });
    // family reports count for the person reported about, never for the reporter
    // (3 March: person 1 reported by 9, person 8 by themselves, person 9 by person 1)
    expect(await row('B', '2026-03-03')).toEqual({ employees: 2, reportedEmployees: 2, reports: 2 });
  });

  it('two instances firing at once: exactly one runs, the other skips the claimed slot', async () => {
    ctx.clock.set('2026-04-02T00:10:00+08:00');
    const [a, b] = await Promise.all([job.run(ctx.deps), job.run(ctx.deps)]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    const winner = a.ran ? a : b;
    expect(winner.days).toEqual(['2026-04-01']);
    expect(a.ran ? b : a).toEqual({ ran: false, days: [], rows: 0 });
    const runs = (await ctx.deps.db.models.JobRun.findAll({ where: { jobName: 'daily-stats' }, raw: true })) as unknown as { runKey: string; finishedAt: unknown }[];
    expect(runs.map((r) => r.runKey).sort()).toEqual(['2026-03-31', '2026-04-01']);
    expect(runs.every((r) => r.finishedAt != null)).toBe(true);
    // person 12 joined on the 1st; person 3's 00:00:00 report is the 1st's
    expect(await storedRows(['2026-04-01'])).toEqual(expectedRows(['2026-04-01']));
    expect(await row('B', '2026-04-01')).toEqual({ employees: 3, reportedEmployees: 1, reports: 1 });
    // and a restart the same day finds the slot taken: nothing runs twice
    expect((await job.catchUp(ctx.deps)).ran).toBe(false);
  });

  it('is idempotent: a rerun rewrites the day, with a report added since and without duplicating rows', async () => {
    const day = '2026-03-12';
    const before = await storedRows([day]);
    expect(await aggregateDay(ctx.deps, day)).toMatchObject({ day, organisations: 2 });
    expect(await storedRows([day])).toEqual(before);
    // person 3 did not report on the 12th ((12+3)%3 = 0); a late-arriving report of theirs is picked up
    await ctx.deps.db.models.HealthReport.create({ personId: personIds.get(3), reporterPersonId: personIds.get(3), reportType: 'self', temperatureTenths: 366, symptoms: 'none', reportedAt: at(day, '18:00:00') });
    reports.push({ person: 3, reporter: 3, type: 'self', at: at(day, '18:00:00') });
    const counts = await aggregateDay(ctx.deps, day);
    await aggregateDay(ctx.deps, day);
    expect(await storedRows([day])).toEqual(expectedRows([day]));
    expect((await row('A', day))!.reportedEmployees).toBe(before.find((r) => r.org === 'A')!.figures.reportedEmployees + 1);
    expect(counts).toEqual({
      day,
      organisations: 2,
      employees: expected('A', day).employees + expected('B', day).employees,
      reportedEmployees: expected('A', day).reportedEmployees + expected('B', day).reportedEmployees,
      reports: expected('A', day).reports + expected('B', day).reports,
    });
    expect(await ctx.deps.db.models.DailyStat.count({ where: { day } })).toBe(2);
  });

  it('fills the days missed after the last aggregated one, oldest first', async () => {
    const lost = range('2026-03-29', '2026-04-01');
    await ctx.deps.db.models.DailyStat.destroy({ where: { day: lost } });
    expect(await missingDays(ctx.deps)).toEqual(lost);
    expect(await missingDays(ctx.deps, { maxDays: 2 })).toEqual(['2026-03-31', '2026-04-01']);
    const filled = await fillMissingDays(ctx.deps);
    expect(filled.map((f) => f.day)).toEqual(lost);
    expect(await storedRows(lost)).toEqual(expectedRows(lost));
    expect(await fillMissingDays(ctx.deps)).toEqual([]);
  });

  it('the dashboard: totals as of yesterday and the trend, each figure from the fixture', async () => {
    const yesterday = '2026-04-01';
    const days = range('2026-03-03', yesterday);
    expect(days).toHaveLength(30);
    const all = range('2026-01-01', yesterday);
    for (const org of ['A', 'B'] as const) {
      const mine = employees.filter((e) => e.org === org && e.createdAt.getTime() < dayEnd(yesterday));
      const d = await dashboard(ctx.deps, orgIds[org], 30);
      expect(d).toEqual({
        asOf: yesterday,
        totals: {
          employees: mine.length,
          reportedEmployees: mine.filter((e) => reports.some((r) => r.person === e.person && r.at.getTime() < dayEnd(yesterday))).length,
          reports: all.reduce((n, day) => n + expected(org, day).reports, 0),
        },
        trend: days.map((day) => {
          const f = expected(org, day);
          return { day, reportedEmployees: f.reportedEmployees, employees: f.employees, share: f.employees ? Math.round((f.reportedEmployees / f.employees) * 10000) / 10000 : 0 };
        }),
      });
    }
    // spelled out: A's roll is 8 with person 10 never reporting; B counts person 1 too
    const a = await dashboard(ctx.deps, orgIds.A, 1);
    expect(a.totals.employees).toBe(8);
    expect(a.totals.reportedEmployees).toBe(7);
    expect(a.trend).toHaveLength(1);
    expect((await dashboard(ctx.deps, orgIds.B, 1)).totals).toMatchObject({ employees: 3, reportedEmployees: 3 });
  });

  it('a day\'s share keeps that day\'s roll when employees are added later', async () => {
    const before = await dashboard(ctx.deps, orgIds.A, 30);
    const nineth = before.trend.find((t) => t.day === '2026-03-09')!;
    expect(nineth.employees).toBe(6);
    ctx.clock.set('2026-04-02T11:00:00+08:00');
    await ctx.deps.db.models.Employee.create({
      organisationId: orgIds.A, name: '员工8', idType: 'resident_id', idHash: hashOf(8), idNumberEnc: 'x', idMasked: '3501**',
      createdAt: at('2026-04-02', '11:00:00'), updatedAt: at('2026-04-02', '11:00:00'),
    });
    await aggregateDay(ctx.deps, '2026-03-09'); // even a rerun of the day
    const after = await dashboard(ctx.deps, orgIds.A, 30);
    expect(after.trend).toEqual(before.trend);
    expect(after.totals).toEqual(before.totals); // not on yesterday's roll either
  });

  it('an employee deleted since is dropped when a day is re-aggregated (no roll history: accepted)', async () => {
    const day = '2026-03-25';
    const was = (await row('B', day))!;
    await ctx.deps.db.models.Employee.destroy({ where: { organisationId: orgIds.B, idHash: hashOf(8) } });
    expect(await row('B', day)).toEqual(was); // rows already written keep them
    await aggregateDay(ctx.deps, day);
    const ofDay = reports.filter((r) => shDay(r.at) === day && r.person === 8).length;
    expect(await row('B', day)).toEqual({ employees: was.employees - 1, reportedEmployees: was.reportedEmployees - (ofDay ? 1 : 0), reports: was.reports - ofDay });
    employees.splice(employees.findIndex((e) => e.org === 'B' && e.person === 8), 1); // the fixture follows
    expect(await row('B', day)).toEqual(expected('B', day));
  });
});

describe('npm run aggregate -- --date YYYY-MM-DD', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/src/cli/aggregate.ts'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...ctx.env, LOG_LEVEL: 'warn', CLOCK_FIXED_AT: ctx.clock.now().toISOString() },
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('rewrites the day and prints its counts as JSON', async () => {
    const day = '2026-03-20';
    await ctx.deps.db.models.DailyStat.destroy({ where: { day } });
    const run = cli('--date', day);
    expect(run.status, run.stderr).toBe(0);
    const a = expected('A', day);
    const b = expected('B', day);
    expect(JSON.parse(run.stdout)).toEqual({
      day, organisations: 2, employees: a.employees + b.employees, reportedEmployees: a.reportedEmployees + b.reportedEmployees, reports: a.reports + b.reports,
    });
    expect(await storedRows([day])).toEqual(expectedRows([day]));
  });

  it('defaults to yesterday', () => {
    const run = cli();
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).day).toBe('2026-04-01');
  });

  it.each([[['--date', '2026-02-30']], [['--day', '2026-03-01']], [['--date=2026-13-01', 'x']]])('refuses %j with the usage and exit code 2', (args) => {
    const run = cli(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('用法');
  });
});
