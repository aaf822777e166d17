// Daily statistics behind the enterprise dashboard (manual 五(二)4 企业看板, E3) and the government's
// 企业数据管理 (G2); issue 6. A nightly job (jobs/dailyStats.job.ts) writes one daily_stats row per
// organisation and day, so a day's share keeps the roll of that day when employees are added later.
//
// Figures of a day D (rules in domain/dailyStats.ts):
// - employees: the unit's employees created before the end of D. An employee deleted since is gone from
//   the employees table, so a day re-aggregated after a deletion no longer counts them; rows already
//   written keep them. Accepted: there is no history table of the roll.
// - reported_employees: of those, the ones with at least one health report about them on D (self,
//   family or scan reports; the link is employees.id_hash = people.id_hash). A person employed by two
//   units counts for both.
// - reports: the number of those reports.
//
// SQL is written for both MySQL and SQLite: no dialect functions, and times are passed as JS Dates so
// Sequelize formats them exactly as it stores them.
import type { Dashboard, EnterpriseSummary, Page } from '@bamin/common';
import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import { staleReads } from '../db/database';
import { findArea } from '../domain/areas';
import {
  areaPrefix,
  creditCodeLikePattern,
  dayBounds,
  missingDays as missingDaysOf,
  shareOf,
  TREND_MAX_DAYS,
  trendDays,
  yesterdayOf,
} from '../domain/dailyStats';

type D = Pick<Deps, 'db' | 'clock'>;
type Day = string;

export interface DayCounts {
  day: Day;
  /** daily_stats rows written: units with a roll that day. */
  organisations: number;
  employees: number;
  reportedEmployees: number;
  reports: number;
}

interface StatRow {
  organisationId: number;
  day: Day;
  employees: number;
  reportedEmployees: number;
  reports: number;
}

/** DATEONLY comes back as 'YYYY-MM-DD' (or a Date at UTC midnight from some drivers). */
function dayOf(v: unknown): Day {
  return v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);
}

const BATCH = 500;

/** Writes day D's rows (see the top comment), replacing every row of that day: a rerun rewrites the day. */
export async function aggregateDay(deps: D, day: Day): Promise<DayCounts> {
  const { start, end } = dayBounds(day);
  const { sequelize, models } = deps.db;
  return sequelize.transaction(async (transaction) => {
    const rolls = (await sequelize.query(
      'SELECT organisation_id AS organisationId, COUNT(*) AS n FROM employees WHERE created_at < ? GROUP BY organisation_id',
      { replacements: [end], type: QueryTypes.SELECT, transaction },
    )) as { organisationId: number | string; n: number | string }[];
    const reported = (await sequelize.query(
      `SELECT e.organisation_id AS organisationId, COUNT(DISTINCT e.id) AS employees, COUNT(r.id) AS reports
         FROM employees e
         JOIN people p ON p.id_hash = e.id_hash
         JOIN health_reports r ON r.person_id = p.id
        WHERE e.created_at < ? AND r.reported_at >= ? AND r.reported_at < ?
        GROUP BY e.organisation_id`,
      { replacements: [end, start, end], type: QueryTypes.SELECT, transaction },
    )) as { organisationId: number | string; employees: number | string; reports: number | string }[];
    const byOrg = new Map(reported.map((r) => [Number(r.organisationId), r]));
    const rows: StatRow[] = rolls.map((r) => {
      const rep = byOrg.get(Number(r.organisationId));
      return {
        organisationId: Number(r.organisationId),
        day,
        employees: Number(r.n),
        reportedEmployees: Number(rep?.employees ?? 0),
        reports: Number(rep?.reports ?? 0),
      };
    });
    // Delete and insert rather than upsert row by row: a unit whose roll of that day is now empty
    // (its employees deleted) loses its stale row too.
    await models.DailyStat.destroy({ where: { day }, transaction });
    const now = deps.clock.now();
    for (let i = 0; i < rows.length; i += BATCH) {
      await models.DailyStat.bulkCreate(
        rows.slice(i, i + BATCH).map((r) => ({ ...r, createdAt: now, updatedAt: now })),
        { transaction },
      );
    }
    return {
      day,
      organisations: rows.length,
      employees: rows.reduce((s, r) => s + r.employees, 0),
      reportedEmployees: rows.reduce((s, r) => s + r.reportedEmployees, 0),
      reports: rows.reduce((s, r) => s + r.reports, 0),
    };
  });
}

/** The latest day with daily_stats rows, or null. */
async function lastAggregatedDay(deps: D, transaction?: Transaction): Promise<Day | null> {
  const [r] = (await deps.db.sequelize.query('SELECT MAX(day) AS day FROM daily_stats', { type: QueryTypes.SELECT, transaction })) as { day: unknown }[];
  return r?.day == null ? null : dayOf(r.day);
}

/** Days after the last aggregated one up to yesterday, oldest first (at most `maxDays`, the most recent). */
export async function missingDays(deps: D, opts: { maxDays?: number } = {}): Promise<Day[]> {
  return missingDaysOf(await lastAggregatedDay(deps), yesterdayOf(deps.clock.now()), opts.maxDays ?? TREND_MAX_DAYS);
}

/** Aggregates every missing day, oldest first. */
export async function fillMissingDays(deps: D, opts: { maxDays?: number } = {}): Promise<DayCounts[]> {
  const done: DayCounts[] = [];
  for (const day of await missingDays(deps, opts)) done.push(await aggregateDay(deps, day));
  return done;
}

/** E3: totals as of yesterday (截至昨日) and the daily trend of the last `days` days. */
export async function dashboard(deps: D, organisationId: number, days: number): Promise<Dashboard> {
  const yesterday = yesterdayOf(deps.clock.now());
  const window = trendDays(yesterday, days);
  // yesterday's figures: a replica a second behind gives the same answer
  const { sequelize, models } = staleReads(deps.db);
  const stats = (await models.DailyStat.findAll({
    where: { organisationId, day: { [Op.gte]: window[0], [Op.lte]: yesterday } },
    attributes: ['day', 'employees', 'reportedEmployees', 'reports'],
    raw: true,
  })) as unknown as StatRow[];
  const byDay = new Map(stats.map((s) => [dayOf(s.day), s]));
  const [sum] = (await sequelize.query('SELECT SUM(reports) AS n FROM daily_stats WHERE organisation_id = ? AND day <= ?', {
    replacements: [organisationId, yesterday],
    type: QueryTypes.SELECT,
  })) as { n: number | string | null }[];
  // Live: anyone on yesterday's roll with a report about them up to the end of yesterday.
  const { end } = dayBounds(yesterday);
  const [ever] = (await sequelize.query(
    `SELECT COUNT(*) AS n FROM employees e
      WHERE e.organisation_id = ? AND e.created_at < ?
        AND EXISTS (SELECT 1 FROM people p JOIN health_reports r ON r.person_id = p.id WHERE p.id_hash = e.id_hash AND r.reported_at < ?)`,
    { replacements: [organisationId, end, end], type: QueryTypes.SELECT },
  )) as { n: number | string }[];
  return {
    asOf: yesterday,
    totals: {
      employees: Number(byDay.get(yesterday)?.employees ?? 0),
      reportedEmployees: Number(ever.n),
      reports: Number(sum?.n ?? 0),
    },
    trend: window.map((day) => {
      const s = byDay.get(day);
      const employees = Number(s?.employees ?? 0);
      const reportedEmployees = Number(s?.reportedEmployees ?? 0);
      return { day, reportedEmployees, employees, share: shareOf(reportedEmployees, employees) };
    }),
  };
}

/**
 * G2 企业数据管理: enterprises registered in the unit's area (rule 6 of domain/dailyStats.ts), oldest
 * registration first, with yesterday's roll and share from daily_stats and yesterday's scan records.
 */
export async function enterpriseSummaries(deps: D, unitOrganisationId: number, page: number, pageSize: number): Promise<Page<EnterpriseSummary>> {
  const { models, sequelize } = staleReads(deps.db);
  const unit = (await models.Organisation.findByPk(unitOrganisationId, { attributes: ['areaCode'], raw: true })) as unknown as { areaCode: string | null } | null;
  const area = unit?.areaCode ? findArea(unit.areaCode) : undefined;
  if (!area) return { items: [], page, pageSize, total: 0 };
  const { rows, count } = await models.Organisation.findAndCountAll({
    where: { kind: 'enterprise', creditCode: { [Op.like]: creditCodeLikePattern(areaPrefix(area)) } },
    attributes: ['id', 'name', 'creditCode'],
    order: [['id', 'ASC']],
    limit: pageSize,
    offset: (page - 1) * pageSize,
    raw: true,
  });
  const orgs = rows as unknown as { id: number | string; name: string; creditCode: string }[];
  if (orgs.length === 0) return { items: [], page, pageSize, total: count };
  const ids = orgs.map((o) => Number(o.id));
  const yesterday = yesterdayOf(deps.clock.now());
  const stats = (await models.DailyStat.findAll({
    where: { organisationId: { [Op.in]: ids }, day: yesterday },
    attributes: ['organisationId', 'employees', 'reportedEmployees'],
    raw: true,
  })) as unknown as StatRow[];
  const statOf = new Map(stats.map((s) => [Number(s.organisationId), s]));
  const { start, end } = dayBounds(yesterday);
  const entries = (await sequelize.query(
    `SELECT organisation_id AS organisationId, COUNT(*) AS n FROM scan_records
      WHERE organisation_id IN (?) AND scanned_at >= ? AND scanned_at < ? GROUP BY organisation_id`,
    { replacements: [ids, start, end], type: QueryTypes.SELECT },
  )) as { organisationId: number | string; n: number | string }[];
  const entriesOf = new Map(entries.map((e) => [Number(e.organisationId), Number(e.n)]));
  return {
    items: orgs.map((o) => {
      const s = statOf.get(Number(o.id));
      const employees = Number(s?.employees ?? 0);
      return {
        organisationId: Number(o.id),
        name: o.name,
        creditCode: o.creditCode,
        employees,
        yesterdayShare: employees > 0 ? shareOf(Number(s!.reportedEmployees), employees) : null,
        yesterdayEntries: entriesOf.get(Number(o.id)) ?? 0,
      };
    }),
    page,
    pageSize,
    total: count,
  };
}
