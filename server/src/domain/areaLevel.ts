// An area's epidemic level is a history of rows, each in force from its effective day until the next.
import type { AreaLevel, Day } from '@bamin/common';

export interface AreaLevelRow {
  level: AreaLevel;
  policy: string | null;
  effectiveFrom: Day;
}

/**
 * The row in force on `day`: the latest effectiveFrom on or before it. Of rows with the same
 * effectiveFrom the later one in `rows` wins — callers pass rows in the order they were recorded, so a
 * same-day correction replaces the row it corrects.
 */
export function areaLevelOn<T extends AreaLevelRow>(rows: T[], day: Day): T | null {
  let found: T | null = null;
  for (const row of rows) {
    if (row.effectiveFrom > day) continue;
    if (found === null || row.effectiveFrom >= found.effectiveFrom) found = row;
  }
  return found;
}
