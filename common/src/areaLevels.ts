// Epidemic levels of an area, least to most severe (manual 六(二)4 D); the order is what
// compareAreaLevels ranks by.
export const AREA_LEVELS = ['none', 'sporadic', 'community', 'outbreak'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

export const AREA_LEVEL_TEXT: Record<AreaLevel, string> = {
  none: '无疫情区',
  sporadic: '零星散发疫情区',
  community: '社区传播疫情区',
  outbreak: '暴发疫情区',
};

export function isAreaLevel(s: unknown): s is AreaLevel {
  return typeof s === 'string' && (AREA_LEVELS as readonly string[]).includes(s);
}

export function compareAreaLevels(a: AreaLevel, b: AreaLevel): number {
  return AREA_LEVELS.indexOf(a) - AREA_LEVELS.indexOf(b);
}

export function mostSevereAreaLevel(levels: Iterable<AreaLevel>): AreaLevel | null {
  let most: AreaLevel | null = null;
  for (const level of levels) {
    if (most === null || compareAreaLevels(level, most) > 0) most = level;
  }
  return most;
}
