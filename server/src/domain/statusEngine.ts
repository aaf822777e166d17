// The status engine (G1, A4, H2): a person's code is orange while at least one of the six rules of the
// manual's 服务介绍 holds, green otherwise.
//
//   (1) CASE              caseRule              属于新冠肺炎确诊人员、疑似人员 — the latest case row decides:
//                                               confirmed/suspected hold with no end, discharged holds 14 days
//                                               from discharge, excluded clears.
//   (2) CLOSE_CONTACT     closeContactRule      属于确诊或疑似人员的可能密切接触者 — from identification until
//                                               the day of release.
//   (3) HIGH_RISK_ARRIVAL highRiskArrivalRule   来自疫情高发地区人员 — 14 days from arrival.
//   (4) CLOSED_COMMUNITY  closedCommunityRule   属于实行封闭管理小区的居民 — from the closure's first day until
//                                               the day it is lifted.
//   (5) FEVER_CLINIC      feverClinicRule       14天内在我省有发热门诊就诊记录 — 14 days from the visit.
//   (6) FEVER_DRUG        feverDrugRule         14天内在我省有购买退烧药品记录 — 14 days from the purchase.
//   (7) SELF_DECLARED     selfDeclaredRule      a family member's health answers (manual 一(五)) with a "yes" —
//                                               14 days from the answer, until the applicant answers again.
//   (8) ORIGIN_PASS       originPassRule        跨省互认 (manual 二, B1): the latest origin-province pass the
//                                               national platform gave is yellow or red — from the day it was
//                                               issued through the day it expires. A green one clears it.
//
// An accepted correction (H6) is an override: while the person's facts are exactly those the health
// department saw when it accepted the correction (the digest of factsFingerprint then equals the digest
// now), an orange decision reads green. The first new or changed fact ends it, whatever it says; the
// same file imported again changes nothing. No clock is compared, so it holds however rows are stamped.
//
// Every rule works on Shanghai calendar days with half-open intervals [start, end): a row starting on
// day S with end E makes the rule hold on S … E−1, and no longer on E. "14 days" therefore means held on
// S … S+13 and green on S+14. A row starting after today does not hold yet; its start only marks a day
// to review the decision.
import {
  type Colour,
  type Day,
  type OriginColour,
  type ReasonCode,
  addDays,
  isValidDay,
  shanghaiDay,
} from '@bamin/common';

export type CaseStatus = 'confirmed' | 'suspected' | 'discharged' | 'excluded';
export const CASE_STATUSES: readonly CaseStatus[] = ['confirmed', 'suspected', 'discharged', 'excluded'];

export interface HealthFacts {
  cases: { status: CaseStatus; reportedAt: Date }[];
  closeContacts: { identifiedAt: Date; releasedAt: Date | null }[];
  arrivals: { arrivedAt: Date }[];
  /** Closures of the communities the person lives in. */
  closedCommunities: { closedFrom: Date; closedUntil: Date | null }[];
  feverClinicVisits: { visitedAt: Date }[];
  feverDrugPurchases: { purchasedAt: Date }[];
  /** Latest health answers with a "yes", given by an applicant for this family member. */
  selfDeclarations?: { declaredAt: Date }[];
  /** Origin-province passes the national platform gave (B1). */
  originPasses?: { colour: OriginColour; issuedAt: Date; expiresAt: Date }[];
  /** An accepted correction (H6): the digest of the facts it was accepted on. */
  override?: { digest: string } | null;
  /** The digest of factsFingerprint of these facts (computed by the loader). */
  digest?: string | null;
}

// Frozen all the way down: a push into a shared empty list would leak facts between people.
export const EMPTY_FACTS: HealthFacts = Object.freeze({
  cases: Object.freeze([]),
  closeContacts: Object.freeze([]),
  arrivals: Object.freeze([]),
  closedCommunities: Object.freeze([]),
  feverClinicVisits: Object.freeze([]),
  feverDrugPurchases: Object.freeze([]),
}) as unknown as HealthFacts;

export interface StatusDecision {
  colour: Colour;
  /** Holding rules, in REASON_CODES order. */
  reasons: ReasonCode[];
  /** The day the code turns green with no new data: null when green, or when a holding rule has no end. */
  greenFrom: Day | null;
  /** The earliest day after today on which the decision may change with no new data; null if none. */
  reviewOn: Day | null;
}

export interface RuleResult {
  holds: boolean;
  /** Exclusive end of the holding period that contains today; null when it has no end or the rule does not hold. */
  end: Day | null;
  /** The earliest start after today of a row that does not hold yet; null if none. */
  nextStart: Day | null;
}

/** A half-open run of days [start, end); end null = no end yet. */
interface Interval {
  start: Day;
  end: Day | null;
}

const FOURTEEN_DAYS = 14;

function minDay(a: Day | null, b: Day | null): Day | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/**
 * Rows that started on or before today take part in the holding period. Their union containing today
 * ends at the latest end among the rows containing today (all of them started by today, so they overlap
 * there), and has no end if any of them is open.
 */
function combine(intervals: Interval[], today: Day): RuleResult {
  let holds = false;
  let open = false;
  let end: Day | null = null;
  let nextStart: Day | null = null;
  for (const interval of intervals) {
    if (interval.end !== null && interval.end <= interval.start) continue; // empty: never holds
    if (interval.start > today) {
      nextStart = minDay(nextStart, interval.start);
      continue;
    }
    if (interval.end !== null && interval.end <= today) continue;
    holds = true;
    if (interval.end === null) open = true;
    else if (end === null || interval.end > end) end = interval.end;
  }
  return { holds, end: holds && !open ? end : null, nextStart };
}

function fixedPeriod(times: Date[], today: Day): RuleResult {
  return combine(
    times.map((t) => {
      const start = shanghaiDay(t);
      return { start, end: addDays(start, FOURTEEN_DAYS) };
    }),
    today,
  );
}

// On equal report times the more severe status wins, so a tie can never clear a case by accident.
const CASE_SEVERITY: Record<CaseStatus, number> = { confirmed: 3, suspected: 2, discharged: 1, excluded: 0 };

/** 服务介绍 (1): the latest case row reported by today decides. */
export function caseRule(facts: HealthFacts, today: Day): RuleResult {
  let latest: { status: CaseStatus; reportedAt: Date; day: Day } | null = null;
  let nextStart: Day | null = null;
  for (const row of facts.cases) {
    const day = shanghaiDay(row.reportedAt);
    if (day > today) {
      // A future report will replace the current one whatever its status.
      nextStart = minDay(nextStart, day);
      continue;
    }
    const t = row.reportedAt.getTime();
    const latestT = latest?.reportedAt.getTime();
    if (
      latest === null ||
      t > latestT! ||
      (t === latestT && CASE_SEVERITY[row.status] > CASE_SEVERITY[latest.status])
    ) {
      latest = { ...row, day };
    }
  }
  let current: RuleResult = { holds: false, end: null, nextStart: null };
  if (latest?.status === 'confirmed' || latest?.status === 'suspected') {
    current = combine([{ start: latest.day, end: null }], today);
  } else if (latest?.status === 'discharged') {
    current = combine([{ start: latest.day, end: addDays(latest.day, FOURTEEN_DAYS) }], today);
  }
  return { ...current, nextStart };
}

/** 服务介绍 (2): identified until the day of release. */
export function closeContactRule(facts: HealthFacts, today: Day): RuleResult {
  return combine(
    facts.closeContacts.map((row) => ({
      start: shanghaiDay(row.identifiedAt),
      end: row.releasedAt === null ? null : shanghaiDay(row.releasedAt),
    })),
    today,
  );
}

/** 服务介绍 (3): 14 days from arrival. */
export function highRiskArrivalRule(facts: HealthFacts, today: Day): RuleResult {
  return fixedPeriod(facts.arrivals.map((row) => row.arrivedAt), today);
}

/** 服务介绍 (4): from the closure's first day until the day it is lifted. */
export function closedCommunityRule(facts: HealthFacts, today: Day): RuleResult {
  return combine(
    facts.closedCommunities.map((row) => ({
      start: shanghaiDay(row.closedFrom),
      end: row.closedUntil === null ? null : shanghaiDay(row.closedUntil),
    })),
    today,
  );
}

/** 服务介绍 (5): 14 days from a fever-clinic visit in the province. */
export function feverClinicRule(facts: HealthFacts, today: Day): RuleResult {
  return fixedPeriod(facts.feverClinicVisits.map((row) => row.visitedAt), today);
}

/** 服务介绍 (6): 14 days from a fever-drug purchase in the province. */
export function feverDrugRule(facts: HealthFacts, today: Day): RuleResult {
  return fixedPeriod(facts.feverDrugPurchases.map((row) => row.purchasedAt), today);
}

/** In REASON_CODES order, so reasons come out sorted. */
export function selfDeclaredRule(facts: HealthFacts, today: Day): RuleResult {
  return fixedPeriod((facts.selfDeclarations ?? []).map((d) => d.declaredAt), today);
}

/** (8) 跨省互认: the latest pass issued by today decides; yellow or red holds through its expiry day. */
export function originPassRule(facts: HealthFacts, today: Day): RuleResult {
  let latest: { colour: OriginColour; issuedAt: Date; expiresAt: Date } | null = null;
  let nextStart: Day | null = null;
  for (const p of facts.originPasses ?? []) {
    const day = shanghaiDay(p.issuedAt);
    if (day > today) {
      nextStart = minDay(nextStart, day);
      continue;
    }
    if (latest === null || p.issuedAt.getTime() > latest.issuedAt.getTime()) latest = p;
  }
  let current: RuleResult = { holds: false, end: null, nextStart: null };
  if (latest && latest.colour !== 'green') {
    current = combine([{ start: shanghaiDay(latest.issuedAt), end: addDays(shanghaiDay(latest.expiresAt), 1) }], today);
  }
  return { ...current, nextStart };
}

/** H6: an accepted correction holds while the facts are those it was accepted on. */
export function overrideHolds(facts: HealthFacts): boolean {
  const o = facts.override;
  return o != null && facts.digest != null && o.digest === facts.digest;
}

/** The facts as one canonical text (every list sorted), whose digest identifies them; override and digest left out. */
export function factsFingerprint(f: HealthFacts): string {
  const t = (d: Date | null) => (d ? d.toISOString() : null);
  const sorted = <T>(xs: readonly T[] | undefined, key: (x: T) => unknown[]) => (xs ?? []).map((x) => JSON.stringify(key(x))).sort();
  return JSON.stringify({
    cases: sorted(f.cases, (x) => [x.status, t(x.reportedAt)]),
    closeContacts: sorted(f.closeContacts, (x) => [t(x.identifiedAt), t(x.releasedAt)]),
    arrivals: sorted(f.arrivals, (x) => [t(x.arrivedAt)]),
    closedCommunities: sorted(f.closedCommunities, (x) => [t(x.closedFrom), t(x.closedUntil)]),
    feverClinicVisits: sorted(f.feverClinicVisits, (x) => [t(x.visitedAt)]),
    feverDrugPurchases: sorted(f.feverDrugPurchases, (x) => [t(x.purchasedAt)]),
    selfDeclarations: sorted(f.selfDeclarations, (x) => [t(x.declaredAt)]),
    originPasses: sorted(f.originPasses, (x) => [x.colour, t(x.issuedAt), t(x.expiresAt)]),
  });
}

export const RULES: readonly { reason: ReasonCode; rule: (facts: HealthFacts, today: Day) => RuleResult }[] = [
  { reason: 'CASE', rule: caseRule },
  { reason: 'CLOSE_CONTACT', rule: closeContactRule },
  { reason: 'HIGH_RISK_ARRIVAL', rule: highRiskArrivalRule },
  { reason: 'CLOSED_COMMUNITY', rule: closedCommunityRule },
  { reason: 'FEVER_CLINIC', rule: feverClinicRule },
  { reason: 'FEVER_DRUG', rule: feverDrugRule },
  { reason: 'SELF_DECLARED', rule: selfDeclaredRule },
  { reason: 'ORIGIN_PASS', rule: originPassRule },
];

/**
 * A future start is a review day even when it turns out to change nothing (a closure starting inside
 * one already open): reviewing early only costs a recomputation, reviewing late leaves a wrong colour.
 */
export function evaluate(facts: HealthFacts, today: Day): StatusDecision {
  // Rules compare days as strings, which is only sound for well-formed days.
  if (!isValidDay(today)) throw new RangeError(`not a valid day: ${JSON.stringify(today)}`);
  const reasons: ReasonCode[] = [];
  let anyOpen = false;
  let latestEnd: Day | null = null;
  let reviewOn: Day | null = null;
  for (const { reason, rule } of RULES) {
    const result = rule(facts, today);
    reviewOn = minDay(reviewOn, result.nextStart);
    if (!result.holds) continue;
    reasons.push(reason);
    if (result.end === null) anyOpen = true;
    else {
      if (latestEnd === null || result.end > latestEnd) latestEnd = result.end;
      reviewOn = minDay(reviewOn, result.end);
    }
  }
  if (reasons.length > 0 && overrideHolds(facts)) {
    // the correction clears what is on record now; reviews still happen on their days
    return { colour: 'green', reasons: [], greenFrom: null, reviewOn };
  }
  const colour: Colour = reasons.length > 0 ? 'orange' : 'green';
  return {
    colour,
    reasons,
    greenFrom: colour === 'orange' && !anyOpen ? latestEnd : null,
    reviewOn,
  };
}
