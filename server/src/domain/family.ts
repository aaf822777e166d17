// Family applications (为家人申领), manual 一(五): one L4 user may apply for at most 8 family members —
// 4 parents aged 55 or over (own and spouse's parents together), 3 children aged 16 or under, 1 spouse.
// 以上/以下 include the number (Civil Code art. 1259): 55 is allowed for a parent, 16 for a child.
// Ages are full years (周岁) on the day of application.
import { ageOn, type Day, type FamilyRelation, type HealthAnswers } from '@bamin/common';

export const FAMILY_LIMITS = { parents: 4, children: 3, spouse: 1, total: 8 } as const;
export const PARENT_MIN_AGE = 55;
export const CHILD_MAX_AGE = 16;

export type FamilyRuleViolation =
  | 'FAMILY_LIMIT_TOTAL'
  | 'FAMILY_LIMIT_PARENTS'
  | 'FAMILY_LIMIT_CHILDREN'
  | 'FAMILY_LIMIT_SPOUSE'
  | 'FAMILY_PARENT_TOO_YOUNG'
  | 'FAMILY_CHILD_TOO_OLD';

const isParent = (r: FamilyRelation) => r === 'parent' || r === 'spouse_parent';

const parentOldEnough = (birthDate: Day, today: Day) => ageOn(birthDate, today) >= PARENT_MIN_AGE;
const childYoungEnough = (birthDate: Day, today: Day) => ageOn(birthDate, today) <= CHILD_MAX_AGE;

/** The first rule the new member breaks, or null. `existing` are the applicant's current members. */
export function checkFamilyApplication(
  existing: readonly { relation: FamilyRelation }[],
  candidate: { relation: FamilyRelation; birthDate: Day },
  today: Day,
): FamilyRuleViolation | null {
  const count = (pred: (r: FamilyRelation) => boolean) => existing.filter((m) => pred(m.relation)).length;
  if (existing.length >= FAMILY_LIMITS.total) return 'FAMILY_LIMIT_TOTAL';
  if (isParent(candidate.relation)) {
    if (!parentOldEnough(candidate.birthDate, today)) return 'FAMILY_PARENT_TOO_YOUNG';
    if (count(isParent) >= FAMILY_LIMITS.parents) return 'FAMILY_LIMIT_PARENTS';
  } else if (candidate.relation === 'child') {
    if (!childYoungEnough(candidate.birthDate, today)) return 'FAMILY_CHILD_TOO_OLD';
    if (count((r) => r === 'child') >= FAMILY_LIMITS.children) return 'FAMILY_LIMIT_CHILDREN';
  } else if (count((r) => r === 'spouse') >= FAMILY_LIMITS.spouse) return 'FAMILY_LIMIT_SPOUSE';
  return null;
}

/** Answers that make a member's code orange (manual 一(五) health questions three to five). */
export function answersDeclareRisk(a: HealthAnswers): boolean {
  return a.isolatedOrContactOrRecentlyDischarged || a.feverOrRespiratorySymptoms || a.otherAbnormalHealth;
}
