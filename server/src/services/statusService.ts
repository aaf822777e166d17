// Loads each person's facts from the source tables, runs the status engine, and stores the decision.
// A stored decision is current until its reviewOn day: reads recompute a stale one, and the midnight
// job recomputes everyone whose day has come (DESIGN: colours are always current).
import { isReasonCode, shanghaiDay, type Colour, type Day, type HealthAnswers, type OriginColour, type ReasonCode } from '@bamin/common';
import { answersDeclareRisk } from '../domain/family';
import { Op, type Transaction } from 'sequelize';
import type { Deps } from '../deps';
import type { HealthStatusRow } from '../db/models';
import { createHash } from 'node:crypto';
import { EMPTY_FACTS, evaluate, factsFingerprint, type CaseStatus, type HealthFacts, type StatusDecision } from '../domain/statusEngine';
import { chunks } from './peopleService';
import { timeParam, toDate, toDateOrNull } from '../db/values';
import { retryOnDeadlock } from '../db/connectionErrors';

export interface CurrentStatus {
  colour: Colour;
  reasons: ReasonCode[];
  greenFrom: Day | null;
}


export async function loadFacts(
  deps: Pick<Deps, 'db'>,
  personIds: number[],
  transaction?: Transaction,
): Promise<Map<number, HealthFacts>> {
  const m = deps.db.models;
  const facts = new Map<number, HealthFacts>();
  const of = (id: unknown): HealthFacts => {
    const key = Number(id);
    let f = facts.get(key);
    if (!f) {
      f = { cases: [], closeContacts: [], arrivals: [], closedCommunities: [], feverClinicVisits: [], feverDrugPurchases: [], selfDeclarations: [], originPasses: [], override: null, digest: null };
      facts.set(key, f);
    }
    return f;
  };
  for (const id of personIds) of(id);
  for (const part of chunks(personIds)) {
    const where = { personId: { [Op.in]: part } };
    const q = { where, raw: true, transaction } as const;
    const [cases, contacts, arrivals, visits, purchases, residents, declarations, origins, overrides] = await Promise.all([
      m.Case.findAll({ ...q, attributes: ['personId', 'status', 'reportedAt'] }),
      m.CloseContact.findAll({ ...q, attributes: ['personId', 'identifiedAt', 'releasedAt'] }),
      m.Arrival.findAll({ ...q, attributes: ['personId', 'arrivedAt'] }),
      m.FeverClinicVisit.findAll({ ...q, attributes: ['personId', 'visitedAt'] }),
      m.FeverDrugPurchase.findAll({ ...q, attributes: ['personId', 'purchasedAt'] }),
      m.CommunityResident.findAll({ ...q, attributes: ['personId', 'communityCode'] }),
      m.FamilyBinding.findAll({
        where: { memberPersonId: { [Op.in]: part } },
        attributes: ['memberPersonId', 'healthAnswers', 'answeredAt'],
        raw: true,
        transaction,
      }),
      m.OriginPass.findAll({ ...q, where: { ...where, colour: { [Op.ne]: null } }, attributes: ['personId', 'colour', 'issuedAt', 'expiresAt'] }),
      m.StatusOverride.findAll({ ...q, attributes: ['personId', 'factsDigest'] }),
    ]);
    type R = Record<string, unknown>;
    for (const r of origins as unknown as R[]) {
      of(r.personId).originPasses!.push({ colour: r.colour as OriginColour, issuedAt: toDate(r.issuedAt as Date), expiresAt: toDate(r.expiresAt as Date) });
    }
    for (const r of overrides as unknown as R[]) of(r.personId).override = { digest: String(r.factsDigest) };
    for (const r of cases as unknown as R[]) of(r.personId).cases.push({ status: r.status as CaseStatus, reportedAt: toDate(r.reportedAt) });
    for (const r of contacts as unknown as R[])
      of(r.personId).closeContacts.push({ identifiedAt: toDate(r.identifiedAt), releasedAt: toDateOrNull(r.releasedAt) });
    for (const r of arrivals as unknown as R[]) of(r.personId).arrivals.push({ arrivedAt: toDate(r.arrivedAt) });
    for (const r of visits as unknown as R[]) of(r.personId).feverClinicVisits.push({ visitedAt: toDate(r.visitedAt) });
    for (const r of purchases as unknown as R[]) of(r.personId).feverDrugPurchases.push({ purchasedAt: toDate(r.purchasedAt) });
    for (const r of declarations as unknown as R[]) {
      if (r.answeredAt && r.healthAnswers && answersDeclareRisk(JSON.parse(String(r.healthAnswers)) as HealthAnswers)) {
        of(r.memberPersonId).selfDeclarations!.push({ declaredAt: toDate(r.answeredAt) });
      }
    }
    const res = residents as unknown as { personId: unknown; communityCode: string }[];
    if (res.length) {
      const closures = (await m.ClosedCommunity.findAll({
        where: { communityCode: { [Op.in]: [...new Set(res.map((r) => r.communityCode))] } },
        attributes: ['communityCode', 'closedFrom', 'closedUntil'],
        raw: true,
        transaction,
      })) as unknown as { communityCode: string; closedFrom: unknown; closedUntil: unknown }[];
      const byCode = new Map(closures.map((c) => [c.communityCode, c]));
      for (const r of res) {
        const c = byCode.get(r.communityCode);
        if (c) of(r.personId).closedCommunities.push({ closedFrom: toDate(c.closedFrom), closedUntil: toDateOrNull(c.closedUntil) });
      }
    }
  }
  // the digest an accepted correction is compared with (H6)
  for (const f of facts.values()) f.digest = factsDigest(f);
  return facts;
}

/** SHA-256 of the facts' canonical text: equal exactly when the facts are. */
export function factsDigest(f: HealthFacts): string {
  return createHash('sha256').update(factsFingerprint(f)).digest('hex');
}

function toRow(personId: number, d: StatusDecision, now: Date): HealthStatusRow {
  return { personId, colour: d.colour, reasons: d.reasons.join(','), greenFrom: d.greenFrom, reviewOn: d.reviewOn, computedAt: now };
}

/**
 * The decisions as one multi-row upsert. Written by hand (issue 12): Sequelize's bulkCreate built, checked
 * and escaped a model instance per row — most of the full recompute's server time for a million people.
 * MySQL-compatible databases (MariaDB, MySQL, TiDB) take VALUES(), SQLite its upsert clause.
 */
async function writeDecisions(deps: Pick<Deps, 'db'>, rows: HealthStatusRow[], transaction?: Transaction): Promise<void> {
  if (!rows.length) return;
  const onConflict =
    deps.db.dialect === 'mysql'
      ? 'ON DUPLICATE KEY UPDATE colour = VALUES(colour), reasons = VALUES(reasons), green_from = VALUES(green_from), review_on = VALUES(review_on), computed_at = VALUES(computed_at)'
      : 'ON CONFLICT (person_id) DO UPDATE SET colour = excluded.colour, reasons = excluded.reasons, green_from = excluded.green_from, review_on = excluded.review_on, computed_at = excluded.computed_at';
  const replacements = rows.flatMap((r) => [r.personId, r.colour, r.reasons, r.greenFrom, r.reviewOn, timeParam(deps.db, r.computedAt)]);
  await deps.db.sequelize.query(
    `INSERT INTO health_statuses (person_id, colour, reasons, green_from, review_on, computed_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')} ${onConflict}`,
    { replacements, transaction },
  );
}

/** Recomputes and stores the status of the given people; returns how many were written. */
export async function recomputePeople(
  deps: Pick<Deps, 'db' | 'clock'>,
  personIds: number[],
  transaction?: Transaction,
): Promise<number> {
  const ids = [...new Set(personIds.map(Number))];
  const now = deps.clock.now();
  const today = shanghaiDay(now);
  let written = 0;
  for (const part of chunks(ids)) {
    const facts = await loadFacts(deps, part, transaction);
    const rows = part.map((id) => toRow(id, evaluate(facts.get(id) ?? EMPTY_FACTS, today), now));
    await writeDecisions(deps, rows, transaction);
    written += rows.length;
  }
  return written;
}

/** A stored decision as the status it says. */
export function statusFromRow(r: Pick<HealthStatusRow, 'colour' | 'reasons' | 'greenFrom'>): CurrentStatus {
  return {
    colour: r.colour as Colour,
    reasons: r.reasons ? r.reasons.split(',').filter(isReasonCode) : [],
    greenFrom: r.greenFrom ?? null,
  };
}

/** The person's current colour; a missing or stale stored decision is recomputed first. */
export async function currentStatus(deps: Pick<Deps, 'db' | 'clock'>, personId: number, transaction?: Transaction): Promise<CurrentStatus> {
  const today = shanghaiDay(deps.clock.now());
  const row = (await deps.db.models.HealthStatus.findByPk(personId, { raw: true, transaction })) as unknown as HealthStatusRow | null;
  if (row && (row.reviewOn == null || row.reviewOn > today)) return statusFromRow(row);
  await recomputePeople(deps, [personId], transaction);
  const fresh = (await deps.db.models.HealthStatus.findByPk(personId, { raw: true, transaction })) as unknown as HealthStatusRow;
  return statusFromRow(fresh);
}

/** Recomputes everyone whose stored decision is due (reviewOn ≤ today). Used by the midnight job. */
export async function recomputeDue(deps: Pick<Deps, 'db' | 'clock'>, batchSize = 2000): Promise<number> {
  const today = shanghaiDay(deps.clock.now());
  let total = 0;
  let lastId = 0;
  for (;;) {
    const due = (await deps.db.models.HealthStatus.findAll({
      where: { reviewOn: { [Op.lte]: today }, personId: { [Op.gt]: lastId } },
      attributes: ['personId'],
      order: [['personId', 'ASC']],
      limit: batchSize,
      raw: true,
    })) as unknown as { personId: number }[];
    if (!due.length) return total;
    const ids = due.map((d) => Number(d.personId));
    await deps.db.sequelize.transaction((transaction) => recomputePeople(deps, ids, transaction));
    total += ids.length;
    lastId = ids[ids.length - 1];
  }
}

/** Batches of recomputeAll in flight at once on MySQL: one loads its facts while another is written. */
export const RECOMPUTE_CONCURRENCY = 2;

/**
 * Recomputes every person, in batches, reporting progress (npm run recompute). On MySQL two batches run at
 * once (their people are disjoint; a batch that loses a deadlock runs again — recomputing is idempotent):
 * the database writes one while the server evaluates the next. SQLite has one connection, so one.
 */
export async function recomputeAll(
  deps: Pick<Deps, 'db' | 'clock'>,
  onProgress?: (done: number, total: number) => void,
  batchSize = 2000,
): Promise<number> {
  const total = await deps.db.models.Person.count();
  const concurrency = deps.db.dialect === 'mysql' ? RECOMPUTE_CONCURRENCY : 1;
  let done = 0;
  let lastId = 0;
  const running = new Set<Promise<void>>();
  let failed: unknown = null;
  for (;;) {
    const people = (await deps.db.models.Person.findAll({
      where: { id: { [Op.gt]: lastId } },
      attributes: ['id'],
      order: [['id', 'ASC']],
      limit: batchSize,
      raw: true,
    })) as unknown as { id: number }[];
    if (!people.length) break;
    const ids = people.map((p) => Number(p.id));
    lastId = ids[ids.length - 1];
    const run: Promise<void> = retryOnDeadlock(() => deps.db.sequelize.transaction((transaction) => recomputePeople(deps, ids, transaction))).then(
      () => {
        done += ids.length;
        onProgress?.(done, total);
      },
      (e: unknown) => {
        failed ??= e;
      },
    );
    running.add(run);
    void run.finally(() => running.delete(run));
    if (running.size >= concurrency) await Promise.race(running);
    if (failed) break;
  }
  await Promise.all(running);
  if (failed) throw failed;
  return done;
}
