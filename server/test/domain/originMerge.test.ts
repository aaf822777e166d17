// 跨省互认 (B1) and the correction override (H6) in the status engine: the origin pass × local facts table,
// the pass's days, the latest pass deciding, and the override ending with the first newer fact.
import { describe, expect, it } from 'vitest';
import { EMPTY_FACTS, evaluate, factsFingerprint, originPassRule, type HealthFacts } from '../../src/domain/statusEngine';

const at = (s: string) => new Date(`${s}T10:00:00+08:00`);
const pass = (colour: 'green' | 'yellow' | 'red', issued = '2026-03-10', expires = '2026-03-17') => ({ colour, issuedAt: at(issued), expiresAt: at(expires) });
const facts = (f: Partial<HealthFacts>): HealthFacts => ({ ...EMPTY_FACTS, cases: [], closeContacts: [], arrivals: [], closedCommunities: [], feverClinicVisits: [], feverDrugPurchases: [], ...f });
const localOrange = { feverClinicVisits: [{ visitedAt: at('2026-03-12') }] };
const TODAY = '2026-03-15';

describe('origin pass × local facts (B1)', () => {
  it.each([
    ['green', false, 'green', []],
    ['yellow', false, 'orange', ['ORIGIN_PASS']],
    ['red', false, 'orange', ['ORIGIN_PASS']],
    ['green', true, 'orange', ['FEVER_CLINIC']],
    ['yellow', true, 'orange', ['FEVER_CLINIC', 'ORIGIN_PASS']],
    ['red', true, 'orange', ['FEVER_CLINIC', 'ORIGIN_PASS']],
  ] as const)('origin %s, local orange %s → %s %j', (colour, local, expected, reasons) => {
    const d = evaluate(facts({ originPasses: [pass(colour)], ...(local ? localOrange : {}) }), TODAY);
    expect(d.colour).toBe(expected);
    expect(d.reasons).toEqual(reasons);
  });

  it('holds from the issue day through the expiry day, then turns green that next day', () => {
    const f = facts({ originPasses: [pass('red', '2026-03-10', '2026-03-17')] });
    expect(originPassRule(f, '2026-03-09').holds).toBe(false);
    expect(originPassRule(f, '2026-03-10').holds).toBe(true);
    expect(originPassRule(f, '2026-03-17')).toMatchObject({ holds: true, end: '2026-03-18' });
    expect(originPassRule(f, '2026-03-18').holds).toBe(false);
    expect(evaluate(f, TODAY)).toMatchObject({ colour: 'orange', greenFrom: '2026-03-18', reviewOn: '2026-03-18' });
  });

  it('the latest pass decides: a green one issued after a red one clears it', () => {
    expect(evaluate(facts({ originPasses: [pass('red', '2026-03-10'), pass('green', '2026-03-12')] }), TODAY).colour).toBe('green');
    expect(evaluate(facts({ originPasses: [pass('green', '2026-03-10'), pass('yellow', '2026-03-12')] }), TODAY).colour).toBe('orange');
  });
});

describe('an accepted correction overrides until new data (H6)', () => {
  const base = facts({ ...localOrange, originPasses: [pass('yellow')] });
  const accepted = factsFingerprint(base); // the digest stands for this text; equality is all the engine needs
  it('reads green while the facts are those it was accepted on', () => {
    expect(evaluate({ ...base, digest: accepted, override: { digest: accepted } }, TODAY)).toMatchObject({ colour: 'green', reasons: [], greenFrom: null });
  });
  it('the fingerprint ignores order: the same rows in another order are the same facts', () => {
    const two = facts({ feverClinicVisits: [{ visitedAt: at('2026-03-12') }, { visitedAt: at('2026-03-13') }] });
    const swapped = facts({ feverClinicVisits: [{ visitedAt: at('2026-03-13') }, { visitedAt: at('2026-03-12') }] });
    expect(factsFingerprint(two)).toBe(factsFingerprint(swapped));
  });
  it('ends with the first new or changed fact, whatever it says', () => {
    const more = facts({ ...localOrange, feverDrugPurchases: [{ purchasedAt: at('2026-03-14') }], originPasses: [pass('yellow')] });
    expect(evaluate({ ...more, digest: factsFingerprint(more), override: { digest: accepted } }, TODAY)).toMatchObject({ colour: 'orange', reasons: ['FEVER_CLINIC', 'FEVER_DRUG', 'ORIGIN_PASS'] });
    const greener = facts({ ...localOrange, originPasses: [pass('red')] });
    expect(factsFingerprint(greener)).not.toBe(accepted);
  });
  it('changes nothing on a green code, and needs a digest to hold', () => {
    expect(evaluate(facts({ digest: 'x', override: { digest: 'x' } }), TODAY)).toMatchObject({ colour: 'green', reasons: [] });
    expect(evaluate({ ...base, override: { digest: accepted } }, TODAY).colour).toBe('orange');
  });
});
