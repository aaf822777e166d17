// Nucleic-acid results (A7): a test sampled on day S is shown on S … S+6, newest first.
import { type Day, daysBetween, shanghaiDay } from '@bamin/common';

export const SHOWN_FOR_DAYS = 7;

export function visibleNucleicAcidTests<T extends { sampledAt: Date }>(tests: T[], today: Day): T[] {
  return tests
    .filter((test) => {
      const age = daysBetween(shanghaiDay(test.sampledAt), today);
      return age >= 0 && age < SHOWN_FOR_DAYS;
    })
    .sort((a, b) => b.sampledAt.getTime() - a.sampledAt.getTime());
}
