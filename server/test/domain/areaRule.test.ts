import type { AreaLevel } from '@bamin/common';
import { describe, expect, it } from 'vitest';
import { areaWarningText, fourteenDayAreaWarning, type AreaVisit } from '../../src/domain/areaRule';

const POLICY = '零星散发疫情区-从该区无确诊病例的乡镇（街道）“点对点”前往其他区域务工的人员，实行监督性医学观察，无发热、乏力、咳嗽、腹泻、结膜充血等不适症状的可上岗。';
const LEVELS: Record<string, AreaLevel> = { '350102': 'sporadic', '350203': 'community', '350503': 'none', '350104': 'sporadic', '420106': 'outbreak' };
const levelOf = (code: string) => (LEVELS[code] ? { level: LEVELS[code], policy: LEVELS[code] === 'sporadic' ? POLICY : `${LEVELS[code]} policy` } : null);
const TODAY = '2026-03-15';
const visit = (areaCode: string, iso: string): AreaVisit => ({ areaCode, at: new Date(iso) });

describe('14-day area rule (manual 六(二)4 D)', () => {
  it.each([
    ['a more severe area earlier → warned with its level and policy', [visit('350102', '2026-03-10T09:00:00+08:00')], null, '350503', { areaCode: '350102', level: 'sporadic', levelText: '零星散发疫情区', policy: POLICY }],
    ['the same level as the scan point → nothing', [visit('350102', '2026-03-10T09:00:00+08:00')], null, '350104', null],
    ['a less severe area earlier → nothing', [visit('350503', '2026-03-10T09:00:00+08:00')], null, '350102', null],
    ['the starting area only → warned', [], '350203', '350503', { areaCode: '350203', level: 'community', levelText: '社区传播疫情区', policy: 'community policy' }],
    ['a scan 14 days ago does not count', [visit('420106', '2026-03-01T23:59:00+08:00')], null, '350503', null],
    ['a scan 13 days ago counts', [visit('420106', '2026-03-02T00:00:00+08:00')], null, '350503', { areaCode: '420106', level: 'outbreak', levelText: '暴发疫情区', policy: 'outbreak policy' }],
    ['the most severe of several is named', [visit('350102', '2026-03-14T09:00:00+08:00'), visit('350203', '2026-03-05T09:00:00+08:00')], '350503', '350503', { areaCode: '350203', level: 'community', levelText: '社区传播疫情区', policy: 'community policy' }],
    ['an area with no level is none', [visit('110101', '2026-03-14T09:00:00+08:00')], null, '350503', null],
    ['no visits and no starting area → nothing', [], null, '350503', null],
  ] as [string, AreaVisit[], string | null, string, unknown][])('%s', (_name, visits, startingArea, scanPointArea, expected) => {
    expect(fourteenDayAreaWarning({ visits, startingArea, scanPointArea, today: TODAY, levelOf })).toEqual(expected);
  });

  it('on equally severe areas, the most recent visit is named', () => {
    const w = fourteenDayAreaWarning({
      visits: [visit('350102', '2026-03-05T09:00:00+08:00'), visit('350104', '2026-03-12T09:00:00+08:00')],
      startingArea: null,
      scanPointArea: '350503',
      today: TODAY,
      levelOf,
    });
    expect(w?.areaCode).toBe('350104');
  });

  it('says it the way the manual shows it', () => {
    const w = fourteenDayAreaWarning({ visits: [visit('350102', '2026-03-10T09:00:00+08:00')], startingArea: null, scanPointArea: '350503', today: TODAY, levelOf })!;
    expect(areaWarningText(w, '福州市鼓楼区')).toBe('14天内去过的最严重地区是在 福州市鼓楼区，目前该地区为零星散发疫情区。');
  });
});
