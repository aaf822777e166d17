// The crowd-flow window (D9): distinct people in (now − window, now], and the states it gives.
import { describe, expect, it } from 'vitest';
import { checkCrowdSetting, crowdState, liveCount, stateChange, type Visit } from '../../src/domain/crowdFlow';

const NOW = new Date('2026-03-11T08:30:00+08:00');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const v = (personId: number, msAgo: number): Visit => ({ personId, at: ago(msAgo) });
const MIN = 60_000;

describe('liveCount: distinct people with a record in (now − window, now]', () => {
  it.each([
    ['a visit exactly one window ago is out', [v(1, 30 * MIN)], 0],
    ['a visit one second later is in', [v(1, 30 * MIN - 1000)], 1],
    ['a visit now is in', [v(1, 0)], 1],
    ['a visit in the future (clock skew) is out', [v(1, -1000)], 0],
    ['the same person twice counts once', [v(1, 5 * MIN), v(1, 1 * MIN)], 1],
    ['two people at the same second count twice', [v(1, 10 * MIN), v(2, 10 * MIN)], 2],
    ['the same person inside and outside the window counts once', [v(1, 40 * MIN), v(1, 2 * MIN)], 1],
    ['nobody', [], 0],
  ] as [string, Visit[], number][])('%s', (_name, visits, expected) => {
    expect(liveCount(visits, NOW, 30)).toBe(expected);
  });
});

describe('crowdState', () => {
  const setting = { capacity: 100, warningLine: 90 };
  it.each([
    [0, 'normal'],
    [89, 'normal'],
    [90, 'warning'],
    [99, 'warning'],
    [100, 'exceeded'],
    [103, 'exceeded'],
  ] as const)('%i people → %s', (count, state) => {
    expect(crowdState(count, setting)).toBe(state);
  });
  it('a warning line equal to the capacity goes straight to 已超标', () => {
    expect(crowdState(5, { capacity: 5, warningLine: 5 })).toBe('exceeded');
  });
});

describe('checkCrowdSetting', () => {
  it.each([
    [{ capacity: 100, warningLine: 90, windowMinutes: 30 }, []],
    [{ capacity: 100, warningLine: 101, windowMinutes: 30 }, ['warningLine']],
    [{ capacity: 0, warningLine: 0, windowMinutes: 0 }, ['capacity', 'warningLine', 'windowMinutes']],
    [{ capacity: 10, warningLine: 5, windowMinutes: 1441 }, ['windowMinutes']],
    [{ capacity: 10.5, warningLine: 5, windowMinutes: 30 }, ['capacity']],
  ])('%o → problems in %o', (setting, fields) => {
    expect(checkCrowdSetting(setting).map((p) => p.field)).toEqual(fields);
  });
});

describe('stateChange: announced once per change', () => {
  it('says nothing while the state stays, and names the change when it moves', () => {
    expect(stateChange('warning', 'warning')).toBeNull();
    expect(stateChange('normal', 'warning')).toEqual({ from: 'normal', to: 'warning' });
    expect(stateChange('exceeded', 'normal')).toEqual({ from: 'exceeded', to: 'normal' });
  });
});
