// The crowd-flow window (D9): distinct people in (now − window, now], and the states it gives.
import { describe, expect, it } from 'vitest';
import { checkCrowdSetting, crowdState, liveCount, presenceCount, stateChange, type CountedWindow, type Visit } from '../../src/domain/crowdFlow';

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

describe('presenceCount: the count kept from presence equals liveCount', () => {
  /** What the database does for a batch: leaving read from presence, then the batch's latest records stored. */
  function countBatch(presence: Map<number, Date>, stored: CountedWindow, batch: Visit[], now: Date, windowMinutes: number): CountedWindow {
    const start = Math.max(now.getTime() - windowMinutes * MIN, stored.windowFrom.getTime());
    const leaving = [...presence.values()].filter((t) => t.getTime() > stored.windowFrom.getTime() && t.getTime() <= start).length;
    const present = new Map(batch.filter((x) => presence.has(x.personId)).map((x) => [x.personId, presence.get(x.personId)!]));
    const next = presenceCount({ stored, windowMinutes, now, leaving, visits: batch, present });
    for (const x of batch) if (!presence.has(x.personId) || presence.get(x.personId)! < x.at) presence.set(x.personId, x.at);
    return next;
  }

  it('after each of 2,000 random batches — repeat visitors, records older than the window, idle gaps longer than it, clocks a moment behind', () => {
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const windowMinutes = 30;
    const presence = new Map<number, Date>();
    const all: Visit[] = [];
    let t = NOW.getTime();
    let latest = t;
    let stored: CountedWindow = { count: 0, windowFrom: new Date(t - windowMinutes * MIN) };
    for (let i = 0; i < 2000; i++) {
      t += rand(10) === 0 ? rand(50) * MIN : rand(40_000); // now and then an idle gap longer than the window
      // a batch counted after another whose clock read later (another instance): its now is a moment behind
      const now = new Date(rand(8) === 0 ? t - rand(3000) : t);
      const batch = Array.from({ length: 1 + rand(5) }, () => ({ personId: rand(60), at: new Date(now.getTime() - (rand(20) === 0 ? rand(40) * MIN : rand(2000))) }));
      stored = countBatch(presence, stored, batch, now, windowMinutes);
      all.push(...batch);
      latest = Math.max(latest, now.getTime());
      expect(stored.count).toBe(liveCount(all, new Date(latest), windowMinutes));
      expect(stored.windowFrom.getTime()).toBe(latest - windowMinutes * MIN);
    }
  });

  it.each([
    ['a new person enters', { count: 0 }, [], [v(1, 0)], 1],
    ['a person already counted does not enter again', { count: 1 }, [[1, 5 * MIN]], [v(1, 0)], 1],
    ['a person whose latest record left the window enters again', { count: 0 }, [[1, 31 * MIN]], [v(1, 0)], 1],
    ['a record older than the window (a late batch) enters nobody', { count: 0 }, [], [v(1, 31 * MIN)], 0],
    ['the same person twice in the batch enters once', { count: 0 }, [], [v(1, 2 * MIN), v(1, 0)], 1],
  ] as [string, { count: number }, [number, number][], Visit[], number][])('%s', (_name, { count }, present, visits, expected) => {
    const stored = { count, windowFrom: ago(30 * MIN) };
    const next = presenceCount({ stored, windowMinutes: 30, now: NOW, leaving: 0, visits, present: new Map(present.map(([p, msAgo]) => [p, ago(msAgo)])) });
    expect(next).toEqual({ count: expected, windowFrom: ago(30 * MIN) });
  });

  it('counts at the later window start when its clock is behind the stored one', () => {
    const stored = { count: 3, windowFrom: ago(29 * MIN) };
    const next = presenceCount({ stored, windowMinutes: 30, now: NOW, leaving: 0, visits: [v(7, 29.5 * MIN)], present: new Map() });
    expect(next).toEqual({ count: 3, windowFrom: ago(29 * MIN) });
  });
});
