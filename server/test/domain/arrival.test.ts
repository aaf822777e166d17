import { describe, expect, it } from 'vitest';
import { arrivalWindow, isArrivalByFacts } from '../../src/domain/arrival';

describe('arrivalWindow (入闽申报 counts 14 days back and 3 ahead)', () => {
  it('is today−13 … today+3, across a month end', () => {
    expect(arrivalWindow('2026-03-15')).toEqual(['2026-03-02', '2026-03-18']);
    expect(arrivalWindow('2026-02-27')).toEqual(['2026-02-14', '2026-03-02']);
  });
});

describe('isArrivalByFacts', () => {
  it('a resident ID holder living outside Fujian is an arrival, declared or not', () => {
    expect(isArrivalByFacts({ idType: 'resident_id', residenceArea: '330102' }, false)).toBe(true);
  });
  it('one living in Fujian is an arrival only with a declaration in the window', () => {
    expect(isArrivalByFacts({ idType: 'resident_id', residenceArea: '350102' }, false)).toBe(false);
    expect(isArrivalByFacts({ idType: 'resident_id', residenceArea: '350102' }, true)).toBe(true);
    expect(isArrivalByFacts({ idType: 'resident_id', residenceArea: null }, true)).toBe(true);
    expect(isArrivalByFacts({ idType: 'resident_id', residenceArea: null }, false)).toBe(false);
  });
  it('other documents never are (the national platform knows resident ID numbers only)', () => {
    expect(isArrivalByFacts({ idType: 'passport', residenceArea: '330102' }, true)).toBe(false);
  });
});
