import { describe, expect, it } from 'vitest';
import { visibleNucleicAcidTests } from '../../src/domain/nucleicAcid';

const sampled = (iso: string, id = iso) => ({ id, sampledAt: new Date(iso) });

describe('visibleNucleicAcidTests: shown on S … S+6', () => {
  const test = sampled('2026-03-01T10:00:00+08:00');
  it.each([
    ['2026-02-28', false, 'the day before sampling'],
    ['2026-03-01', true, 'the sampling day S'],
    ['2026-03-07', true, 'S+6'],
    ['2026-03-08', false, 'S+7'],
  ])('on %s → %s (%s)', (today, shown) => {
    expect(visibleNucleicAcidTests([test], today)).toEqual(shown ? [test] : []);
  });

  it('takes S as the Shanghai day: 2026-03-01T16:30Z is S = 03-02, still shown on 03-08', () => {
    const late = sampled('2026-03-01T16:30:00Z');
    expect(visibleNucleicAcidTests([late], '2026-03-08')).toEqual([late]);
    expect(visibleNucleicAcidTests([late], '2026-03-09')).toEqual([]);
  });

  it('a test sampled 23:30 Shanghai is gone on S+7', () => {
    const evening = sampled('2026-03-01T23:30:00+08:00');
    expect(visibleNucleicAcidTests([evening], '2026-03-07')).toEqual([evening]);
    expect(visibleNucleicAcidTests([evening], '2026-03-08')).toEqual([]);
  });

  it('lists newest first and leaves the input untouched', () => {
    const a = sampled('2026-03-01T09:00:00+08:00', 'a');
    const b = sampled('2026-03-03T09:00:00+08:00', 'b');
    const c = sampled('2026-03-03T08:00:00+08:00', 'c');
    const old = sampled('2026-02-20T09:00:00+08:00', 'old');
    const input = [a, old, c, b];
    expect(visibleNucleicAcidTests(input, '2026-03-04').map((t) => t.id)).toEqual(['b', 'c', 'a']);
    expect(input.map((t) => t.id)).toEqual(['a', 'old', 'c', 'b']);
  });
});
