import type { FamilyRelation } from '@bamin/common';
import { describe, expect, it } from 'vitest';
import { answersDeclareRisk, checkFamilyApplication } from '../../src/domain/family';

const TODAY = '2026-03-15';
const members = (...rs: FamilyRelation[]) => rs.map((relation) => ({ relation }));

describe('family application rules (manual 一(五))', () => {
  it.each([
    ['a parent aged 55 today (55周岁以上 includes 55)', [], 'parent', '1971-03-15', null],
    ['a parent aged 54, 55 tomorrow', [], 'parent', '1971-03-16', 'FAMILY_PARENT_TOO_YOUNG'],
    ["a spouse's parent aged 54", [], 'spouse_parent', '1972-01-01', 'FAMILY_PARENT_TOO_YOUNG'],
    ['a child aged 16 (16周岁以下 includes 16), 17 tomorrow', [], 'child', '2009-03-16', null],
    ['a child aged 17 today', [], 'child', '2009-03-15', 'FAMILY_CHILD_TOO_OLD'],
    ['the 4th parent (own and spouse parents together)', members('parent', 'parent', 'spouse_parent'), 'spouse_parent', '1950-01-01', null],
    ['the 5th parent', members('parent', 'parent', 'spouse_parent', 'spouse_parent'), 'parent', '1950-01-01', 'FAMILY_LIMIT_PARENTS'],
    ['the 3rd child', members('child', 'child'), 'child', '2015-01-01', null],
    ['the 4th child', members('child', 'child', 'child'), 'child', '2015-01-01', 'FAMILY_LIMIT_CHILDREN'],
    ['the 1st spouse', members('parent'), 'spouse', '1980-01-01', null],
    ['the 2nd spouse', members('spouse'), 'spouse', '1980-01-01', 'FAMILY_LIMIT_SPOUSE'],
    ['a 9th member', members('parent', 'parent', 'spouse_parent', 'spouse_parent', 'child', 'child', 'child', 'spouse'), 'child', '2015-01-01', 'FAMILY_LIMIT_TOTAL'],
  ] as [string, { relation: FamilyRelation }[], FamilyRelation, string, string | null][])('%s', (_name, existing, relation, birthDate, expected) => {
    expect(checkFamilyApplication(existing, { relation, birthDate }, TODAY)).toBe(expected);
  });

  it.each([
    [{ inFujian: true, leftFujianIn14Days: false, isolatedOrContactOrRecentlyDischarged: false, feverOrRespiratorySymptoms: false, otherAbnormalHealth: false }, false],
    [{ inFujian: false, leftFujianIn14Days: true, isolatedOrContactOrRecentlyDischarged: false, feverOrRespiratorySymptoms: false, otherAbnormalHealth: false }, false],
    [{ inFujian: true, leftFujianIn14Days: false, isolatedOrContactOrRecentlyDischarged: true, feverOrRespiratorySymptoms: false, otherAbnormalHealth: false }, true],
    [{ inFujian: true, leftFujianIn14Days: false, isolatedOrContactOrRecentlyDischarged: false, feverOrRespiratorySymptoms: true, otherAbnormalHealth: false }, true],
    [{ inFujian: true, leftFujianIn14Days: false, isolatedOrContactOrRecentlyDischarged: false, feverOrRespiratorySymptoms: false, otherAbnormalHealth: true }, true],
  ])('answers %j declare a risk: %s', (answers, expected) => {
    expect(answersDeclareRisk(answers)).toBe(expected);
  });
});
