import { describe, expect, it } from 'vitest';
import { type Day, REASON_CODES, parseBusinessTime } from '@bamin/common';
import {
  CASE_STATUSES,
  type CaseStatus,
  EMPTY_FACTS,
  type HealthFacts,
  caseRule,
  closeContactRule,
  closedCommunityRule,
  evaluate,
  feverClinicRule,
  feverDrugRule,
  highRiskArrivalRule,
} from '../../src/domain/statusEngine';

/** An instant on a Shanghai day, at noon unless told. */
function at(day: Day, time = '12:00'): Date {
  const instant = parseBusinessTime(`${day}T${time}+08:00`);
  if (!instant) throw new Error(`bad test time ${day} ${time}`);
  return instant;
}

function facts(partial: Partial<HealthFacts>): HealthFacts {
  return { ...EMPTY_FACTS, ...partial };
}

const GREEN = { colour: 'green', reasons: [], greenFrom: null, reviewOn: null };

/** One row of each 14-day kind on day S. */
const fourteenDayFacts: [string, (s: Date) => HealthFacts, string][] = [
  ['a high-risk arrival', (s) => facts({ arrivals: [{ arrivedAt: s }] }), 'HIGH_RISK_ARRIVAL'],
  ['a fever-clinic visit', (s) => facts({ feverClinicVisits: [{ visitedAt: s }] }), 'FEVER_CLINIC'],
  ['a fever-drug purchase', (s) => facts({ feverDrugPurchases: [{ purchasedAt: s }] }), 'FEVER_DRUG'],
  ['a discharge', (s) => facts({ cases: [{ status: 'discharged', reportedAt: s }] }), 'CASE'],
];

describe('evaluate', () => {
  it('is green with no facts', () => {
    expect(evaluate(EMPTY_FACTS, '2026-03-01')).toEqual(GREEN);
  });

  it('rejects a malformed today', () => {
    expect(() => evaluate(EMPTY_FACTS, '2026-3-1')).toThrow(RangeError);
  });

  it('keeps EMPTY_FACTS from being filled by accident', () => {
    expect(() => (EMPTY_FACTS.arrivals as { arrivedAt: Date }[]).push({ arrivedAt: at('2026-03-01') })).toThrow();
  });

  describe('14-day rules: orange on S … S+13, green on S+14', () => {
    it.each(fourteenDayFacts)('orange when %s was today (S)', (_name, make, reason) => {
      expect(evaluate(make(at('2026-03-01')), '2026-03-01')).toEqual({
        colour: 'orange',
        reasons: [reason],
        greenFrom: '2026-03-15',
        reviewOn: '2026-03-15',
      });
    });

    it.each(fourteenDayFacts)('orange when %s was 13 days ago; green at 14', (_name, make, reason) => {
      const f = make(at('2026-03-01'));
      expect(evaluate(f, '2026-03-14')).toEqual({
        colour: 'orange',
        reasons: [reason],
        greenFrom: '2026-03-15',
        reviewOn: '2026-03-15',
      });
      expect(evaluate(f, '2026-03-15')).toEqual(GREEN);
    });

    it.each(fourteenDayFacts)('green before %s starts, reviewed on its day', (_name, make) => {
      expect(evaluate(make(at('2026-03-01')), '2026-02-28')).toEqual({ ...GREEN, reviewOn: '2026-03-01' });
    });
  });

  describe('days are Shanghai days', () => {
    it('a visit at 2026-03-01T23:30+08:00 is day 03-01: orange on 03-14, green on 03-15', () => {
      const f = facts({ feverClinicVisits: [{ visitedAt: new Date('2026-03-01T23:30:00+08:00') }] });
      expect(evaluate(f, '2026-03-14').colour).toBe('orange');
      expect(evaluate(f, '2026-03-15').colour).toBe('green');
    });

    it('a visit at 2026-03-01T16:30Z is day 03-02: orange on 03-15, green on 03-16', () => {
      const f = facts({ feverClinicVisits: [{ visitedAt: new Date('2026-03-01T16:30:00Z') }] });
      expect(evaluate(f, '2026-03-15')).toMatchObject({ colour: 'orange', greenFrom: '2026-03-16' });
      expect(evaluate(f, '2026-03-16').colour).toBe('green');
    });

    it('an arrival at 00:00 Shanghai counts from that day', () => {
      const f = facts({ arrivals: [{ arrivedAt: at('2026-03-02', '00:00') }] });
      expect(evaluate(f, '2026-03-01').colour).toBe('green');
      expect(evaluate(f, '2026-03-02').colour).toBe('orange');
    });
  });

  describe('CASE: the latest row by reportedAt decides', () => {
    it.each<[string, CaseStatus, string | null]>([
      ['confirmed', 'confirmed', 'orange'],
      ['suspected', 'suspected', 'orange'],
      ['excluded', 'excluded', null],
    ])('a single %s row', (_name, status, colour) => {
      const decision = evaluate(facts({ cases: [{ status, reportedAt: at('2026-03-01') }] }), '2026-06-01');
      if (colour === 'orange') {
        expect(decision).toEqual({ colour: 'orange', reasons: ['CASE'], greenFrom: null, reviewOn: null });
      } else {
        expect(decision).toEqual(GREEN);
      }
    });

    it('confirmed then excluded → green', () => {
      const f = facts({
        cases: [
          { status: 'excluded', reportedAt: at('2026-03-03') },
          { status: 'confirmed', reportedAt: at('2026-03-01') },
        ],
      });
      expect(evaluate(f, '2026-03-03')).toEqual(GREEN);
      // Before the exclusion was reported the confirmation held, and the exclusion is its review day.
      expect(evaluate(f, '2026-03-02')).toEqual({
        colour: 'orange',
        reasons: ['CASE'],
        greenFrom: null,
        reviewOn: '2026-03-03',
      });
    });

    it('excluded then confirmed → orange with no greenFrom', () => {
      const f = facts({
        cases: [
          { status: 'excluded', reportedAt: at('2026-03-01') },
          { status: 'confirmed', reportedAt: at('2026-03-03') },
        ],
      });
      expect(evaluate(f, '2026-03-05')).toEqual({ colour: 'orange', reasons: ['CASE'], greenFrom: null, reviewOn: null });
    });

    it('the later report wins within one day', () => {
      const f = facts({
        cases: [
          { status: 'suspected', reportedAt: at('2026-03-01', '09:00') },
          { status: 'excluded', reportedAt: at('2026-03-01', '18:00') },
        ],
      });
      expect(evaluate(f, '2026-03-01')).toEqual(GREEN);
    });

    it('on equal report times the more severe status wins', () => {
      const f = facts({
        cases: [
          { status: 'excluded', reportedAt: at('2026-03-01') },
          { status: 'confirmed', reportedAt: at('2026-03-01') },
        ],
      });
      expect(evaluate(f, '2026-03-01').colour).toBe('orange');
    });

    it('confirmed then discharged: 14 days from the discharge', () => {
      const f = facts({
        cases: [
          { status: 'confirmed', reportedAt: at('2026-02-01') },
          { status: 'discharged', reportedAt: at('2026-03-01') },
        ],
      });
      expect(evaluate(f, '2026-03-14')).toMatchObject({ colour: 'orange', greenFrom: '2026-03-15' });
      expect(evaluate(f, '2026-03-15')).toEqual(GREEN);
    });

    it('knows the four statuses', () => {
      expect([...CASE_STATUSES].sort()).toEqual(['confirmed', 'discharged', 'excluded', 'suspected']);
    });
  });

  describe('CLOSE_CONTACT: from identification until the day of release', () => {
    it('open-ended close contact → greenFrom null', () => {
      const f = facts({ closeContacts: [{ identifiedAt: at('2026-03-01'), releasedAt: null }] });
      expect(evaluate(f, '2026-05-01')).toEqual({
        colour: 'orange',
        reasons: ['CLOSE_CONTACT'],
        greenFrom: null,
        reviewOn: null,
      });
    });

    it('released close contact is orange the day before release and green on the release day', () => {
      const f = facts({ closeContacts: [{ identifiedAt: at('2026-03-01'), releasedAt: at('2026-03-10', '09:00') }] });
      expect(evaluate(f, '2026-03-09')).toEqual({
        colour: 'orange',
        reasons: ['CLOSE_CONTACT'],
        greenFrom: '2026-03-10',
        reviewOn: '2026-03-10',
      });
      expect(evaluate(f, '2026-03-10')).toEqual(GREEN);
    });

    it.each([
      ['on the identification day', '2026-03-01'],
      ['before identification', '2026-02-27'],
    ])('a close contact released %s never holds', (_name, releaseDay) => {
      const f = facts({ closeContacts: [{ identifiedAt: at('2026-03-01', '08:00'), releasedAt: at(releaseDay, '20:00') }] });
      expect(evaluate(f, '2026-03-01')).toEqual(GREEN);
      expect(evaluate(f, '2026-02-28')).toEqual(GREEN);
    });

    it('a released and an open row: the open one keeps it endless', () => {
      const f = facts({
        closeContacts: [
          { identifiedAt: at('2026-03-01'), releasedAt: at('2026-03-10') },
          { identifiedAt: at('2026-03-05'), releasedAt: null },
        ],
      });
      expect(evaluate(f, '2026-03-06')).toMatchObject({ colour: 'orange', greenFrom: null, reviewOn: null });
    });
  });

  describe('CLOSED_COMMUNITY: from the closure day until the day it is lifted', () => {
    it('open-ended closure → greenFrom null', () => {
      const f = facts({ closedCommunities: [{ closedFrom: at('2026-03-01'), closedUntil: null }] });
      expect(evaluate(f, '2026-03-01')).toEqual({
        colour: 'orange',
        reasons: ['CLOSED_COMMUNITY'],
        greenFrom: null,
        reviewOn: null,
      });
    });

    it('a lifted closure is green on the day it is lifted', () => {
      const f = facts({ closedCommunities: [{ closedFrom: at('2026-03-01'), closedUntil: at('2026-03-08', '00:00') }] });
      expect(evaluate(f, '2026-03-07')).toMatchObject({ colour: 'orange', greenFrom: '2026-03-08' });
      expect(evaluate(f, '2026-03-08')).toEqual(GREEN);
    });

    it('reviewOn for a future closure start', () => {
      const f = facts({ closedCommunities: [{ closedFrom: at('2026-03-05', '00:00'), closedUntil: null }] });
      expect(evaluate(f, '2026-03-01')).toEqual({ ...GREEN, reviewOn: '2026-03-05' });
      expect(evaluate(f, '2026-03-05').colour).toBe('orange');
    });

    it('a future closure is reviewed on its start even while another rule holds longer', () => {
      const f = facts({
        feverClinicVisits: [{ visitedAt: at('2026-03-01') }],
        closedCommunities: [{ closedFrom: at('2026-03-05'), closedUntil: null }],
      });
      expect(evaluate(f, '2026-03-02')).toEqual({
        colour: 'orange',
        reasons: ['FEVER_CLINIC'],
        greenFrom: '2026-03-15',
        reviewOn: '2026-03-05',
      });
    });
  });

  describe('several rows of one rule', () => {
    it('overlapping visits extend greenFrom', () => {
      const f = facts({ feverClinicVisits: [{ visitedAt: at('2026-03-01') }, { visitedAt: at('2026-03-10') }] });
      expect(evaluate(f, '2026-03-12')).toEqual({
        colour: 'orange',
        reasons: ['FEVER_CLINIC'],
        greenFrom: '2026-03-24',
        reviewOn: '2026-03-24',
      });
      expect(evaluate(f, '2026-03-23').colour).toBe('orange');
      expect(evaluate(f, '2026-03-24').colour).toBe('green');
    });

    it('a chained arrival on the end day of the previous one keeps the code orange', () => {
      const f = facts({ arrivals: [{ arrivedAt: at('2026-03-01') }, { arrivedAt: at('2026-03-15') }] });
      expect(evaluate(f, '2026-03-14')).toMatchObject({ colour: 'orange', greenFrom: '2026-03-15', reviewOn: '2026-03-15' });
      expect(evaluate(f, '2026-03-15')).toMatchObject({ colour: 'orange', greenFrom: '2026-03-29' });
    });

    it('an old, finished row does not shorten or extend the current one', () => {
      const f = facts({ feverDrugPurchases: [{ purchasedAt: at('2026-01-01') }, { purchasedAt: at('2026-03-01') }] });
      expect(evaluate(f, '2026-03-02')).toMatchObject({ colour: 'orange', greenFrom: '2026-03-15' });
    });

    it('a gap between rows is green, with the next start as review day', () => {
      const f = facts({ feverDrugPurchases: [{ purchasedAt: at('2026-03-01') }, { purchasedAt: at('2026-04-01') }] });
      expect(evaluate(f, '2026-03-20')).toEqual({ ...GREEN, reviewOn: '2026-04-01' });
    });
  });

  describe('several rules', () => {
    it('two rules holding → reasons in enum order and greenFrom the latest end', () => {
      const f = facts({
        feverClinicVisits: [{ visitedAt: at('2026-03-01') }],
        arrivals: [{ arrivedAt: at('2026-03-05') }],
      });
      expect(evaluate(f, '2026-03-10')).toEqual({
        colour: 'orange',
        reasons: ['HIGH_RISK_ARRIVAL', 'FEVER_CLINIC'],
        greenFrom: '2026-03-19',
        reviewOn: '2026-03-15',
      });
    });

    it('greenFrom null if one holding rule is open-ended; reviewOn is the bounded rule\'s end', () => {
      const f = facts({
        feverDrugPurchases: [{ purchasedAt: at('2026-03-01') }],
        closeContacts: [{ identifiedAt: at('2026-03-02'), releasedAt: null }],
      });
      expect(evaluate(f, '2026-03-03')).toEqual({
        colour: 'orange',
        reasons: ['CLOSE_CONTACT', 'FEVER_DRUG'],
        greenFrom: null,
        reviewOn: '2026-03-15',
      });
    });

    it('all eight rules holding → all reasons in enum order', () => {
      const s = at('2026-03-01');
      const f: HealthFacts = {
        cases: [{ status: 'suspected', reportedAt: s }],
        closeContacts: [{ identifiedAt: s, releasedAt: null }],
        arrivals: [{ arrivedAt: s }],
        closedCommunities: [{ closedFrom: s, closedUntil: null }],
        feverClinicVisits: [{ visitedAt: s }],
        feverDrugPurchases: [{ purchasedAt: s }],
        selfDeclarations: [{ declaredAt: s }],
        originPasses: [{ colour: 'red', issuedAt: s, expiresAt: at('2026-03-20') }],
      };
      expect(evaluate(f, '2026-03-02')).toEqual({
        colour: 'orange',
        reasons: [...REASON_CODES],
        greenFrom: null,
        reviewOn: '2026-03-15',
      });
    });
  });
});

describe('rules one by one return { holds, end, nextStart }', () => {
  const s = at('2026-03-01');
  it.each([
    ['caseRule', caseRule, facts({ cases: [{ status: 'discharged', reportedAt: s }] })],
    ['closeContactRule', closeContactRule, facts({ closeContacts: [{ identifiedAt: s, releasedAt: at('2026-03-15') }] })],
    ['highRiskArrivalRule', highRiskArrivalRule, facts({ arrivals: [{ arrivedAt: s }] })],
    ['closedCommunityRule', closedCommunityRule, facts({ closedCommunities: [{ closedFrom: s, closedUntil: at('2026-03-15') }] })],
    ['feverClinicRule', feverClinicRule, facts({ feverClinicVisits: [{ visitedAt: s }] })],
    ['feverDrugRule', feverDrugRule, facts({ feverDrugPurchases: [{ purchasedAt: s }] })],
  ])('%s: holds on S … end−1, a future start before S', (_name, rule, f) => {
    expect(rule(f, '2026-02-28')).toEqual({ holds: false, end: null, nextStart: '2026-03-01' });
    expect(rule(f, '2026-03-01')).toEqual({ holds: true, end: '2026-03-15', nextStart: null });
    expect(rule(f, '2026-03-14')).toEqual({ holds: true, end: '2026-03-15', nextStart: null });
    expect(rule(f, '2026-03-15')).toEqual({ holds: false, end: null, nextStart: null });
    expect(rule(EMPTY_FACTS, '2026-03-01')).toEqual({ holds: false, end: null, nextStart: null });
  });
});

describe('SELF_DECLARED (issue 3): a family member declared at risk by the applicant', () => {
  const declared = { ...EMPTY_FACTS, selfDeclarations: [{ declaredAt: new Date('2026-03-01T20:00:00+08:00') }] };
  it.each([
    ['2026-03-01', 'orange'],
    ['2026-03-14', 'orange'],
    ['2026-03-15', 'green'],
  ])('on %s the code is %s (orange for 14 days from the answer)', (today, colour) => {
    const d = evaluate(declared, today);
    expect(d.colour).toBe(colour);
    if (colour === 'orange') expect(d).toMatchObject({ reasons: ['SELF_DECLARED'], greenFrom: '2026-03-15' });
  });
});
