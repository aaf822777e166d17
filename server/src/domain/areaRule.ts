// The scanner's 14-day area rule (manual 六(二)4 D, issue 4 / F4): when a person comes from a more
// severe area to a less severe one, the scanner is told the most severe area the person was in during the
// last 14 days, with its current level and control policy.
//
// - The areas of the last 14 days are the areas of the person's scan records on days today−13 … today
//   (a record 14 days old no longer counts), plus their starting area: where their code was first
//   generated (the manual: 被扫对象的初始位置为该对象首次生成"八闽健康码"时所处的区域位置).
// - Each area is judged by its CURRENT level (area-levels import: none < sporadic < community < outbreak);
//   an area with no level is 'none'.
// - A warning is given only when the most severe of those levels is more severe than the current level of
//   the scan point's own area. Among equally severe areas the most recent visit is named.
import { addDays, AREA_LEVEL_TEXT, compareAreaLevels, shanghaiDay, type AreaLevel, type Day } from '@bamin/common';

export const AREA_RULE_DAYS = 14;

export interface AreaVisit {
  areaCode: string;
  at: Date;
}

export interface CurrentAreaLevel {
  level: AreaLevel;
  policy: string | null;
}

export interface AreaWarning {
  areaCode: string;
  level: AreaLevel;
  levelText: string;
  policy: string | null;
}

export function fourteenDayAreaWarning(input: {
  visits: readonly AreaVisit[];
  startingArea: string | null;
  scanPointArea: string;
  today: Day;
  levelOf: (areaCode: string) => CurrentAreaLevel | null;
}): AreaWarning | null {
  const firstDay = addDays(input.today, -(AREA_RULE_DAYS - 1));
  const recent = input.visits
    .filter((v) => {
      const day = shanghaiDay(v.at);
      return day >= firstDay && day <= input.today;
    })
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  // newest first, the starting area last: on a tie the most recent place is named
  const candidates = [...recent.map((v) => v.areaCode), ...(input.startingArea ? [input.startingArea] : [])];
  const levelOf = (code: string): CurrentAreaLevel => input.levelOf(code) ?? { level: 'none', policy: null };
  let worst: { areaCode: string; current: CurrentAreaLevel } | null = null;
  for (const areaCode of candidates) {
    const current = levelOf(areaCode);
    if (!worst || compareAreaLevels(current.level, worst.current.level) > 0) worst = { areaCode, current };
  }
  if (!worst) return null;
  if (compareAreaLevels(worst.current.level, levelOf(input.scanPointArea).level) <= 0) return null;
  return { areaCode: worst.areaCode, level: worst.current.level, levelText: AREA_LEVEL_TEXT[worst.current.level], policy: worst.current.policy };
}

/** The scanner's sentence, as the manual shows it. `areaName` e.g. 福州市鼓楼区. */
export function areaWarningText(w: AreaWarning, areaName: string): string {
  return `14天内去过的最严重地区是在 ${areaName}，目前该地区为${w.levelText}。`;
}
