// 跨省互认 (B1) and the correction override (H6) in the status engine: the origin pass × local facts table,
// the pass's days, the latest pass deciding, and the override ending with the first newer fact.
import { describe, expect, it } from 'vitest';
import { EMPTY_FACTS, evaluate, originPassRule, type HealthFacts } from '../../src/domain/statusEngine';

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
  const base = { ...localOrange, originPasses: [pass('yellow')], latestDataAt: at('2026-03-12') };
  it('reads green while nothing newer was recorded', () => {
    expect(evaluate(facts({ ...base, override: { acceptedAt: at('2026-03-13') } }), TODAY)).toMatchObject({ colour: 'green', reasons: [], greenFrom: null });
    expect(evaluate(facts({ ...base, override: { acceptedAt: at('2026-03-12') } }), TODAY).colour).toBe('green'); // recorded at the same instant: before it
  });
  it('ends with the first fact recorded after it, whatever it says', () => {
    expect(evaluate(facts({ ...base, latestDataAt: at('2026-03-14'), override: { acceptedAt: at('2026-03-13') } }), TODAY)).toMatchObject({ colour: 'orange', reasons: ['FEVER_CLINIC', 'ORIGIN_PASS'] });
  });
  it('changes nothing on a green code', () => {
    expect(evaluate(facts({ override: { acceptedAt: at('2026-03-13') } }), TODAY)).toMatchObject({ colour: 'green', reasons: [] });
  });
});
