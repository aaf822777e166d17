// The stand-in national platform for tests (B3): as a separate process (what the contract tests use, as
// separate as the real platform) or in this process (faster, and its store can be looked at directly).
// Both keep their keys in <dir>/national; pass the same dir to createTestContext({ nationalUrl, nationalKeysDir })
// so the server and the stand-in trust each other.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OriginColour, OriginPass } from '@bamin/common';
import type { Clock } from '../../src/clock';
import { devNationalKeyFiles, ensureDevNationalKeys, type DevNationalKeyFiles } from '../../src/integrations/nationalKeys';
import { createNationalStandIn, type NationalStandIn, type StandInCorrection, type StandInMode } from '../../src/standins/nationalPlatform';
import { startNationalStandInProcess } from '../../src/standins/nationalPlatformProcess';

export interface RunningStandIn {
  /** e.g. http://127.0.0.1:41234 */
  base: string;
  /** Holds national/ with the keys (platform-keys.json, platform-public-keys.json, client-key.json). */
  dir: string;
  keys: DevNationalKeyFiles;
  control: StandInControl;
  /** Stops it (and removes dir when the helper created it). */
  close(): Promise<void>;
}

/** Starts `node --import tsx nationalPlatform.main.ts` on a free port, without demo passes. */
export async function startNationalStandIn(dir?: string, opts: { env?: Record<string, string> } = {}): Promise<RunningStandIn & { pid: number }> {
  const ownDir = dir ?? mkdtempSync(path.join(tmpdir(), 'bamin-national-'));
  // Created here first so the test can read them before (or without) the child touching them.
  const keys = ensureDevNationalKeys(ownDir);
  const proc = await startNationalStandInProcess({ dataDir: ownDir, port: 0, demo: false, stderr: 'pipe', env: { LOG_LEVEL: 'silent', ...opts.env }, killOnExit: true });
  return {
    base: proc.base,
    dir: ownDir,
    keys,
    pid: proc.child.pid!,
    control: controlStandIn(proc.base),
    async close() {
      await proc.stop();
      if (!dir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}

/** The same stand-in inside the test process; `standIn.store` shows what it holds. */
export async function startNationalStandInInProcess(dir?: string, opts: { clock?: Clock } = {}): Promise<RunningStandIn & { standIn: NationalStandIn }> {
  const ownDir = dir ?? mkdtempSync(path.join(tmpdir(), 'bamin-national-'));
  const standIn = createNationalStandIn({ dataDir: ownDir, clock: opts.clock });
  const base = await standIn.listen(0);
  return {
    base,
    dir: ownDir,
    keys: devNationalKeyFiles(ownDir),
    standIn,
    control: controlStandIn(base),
    async close() {
      await standIn.close();
      if (!dir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}

export interface SeedPass {
  name: string;
  idNumber: string;
  /** GB/T 2260 province code, e.g. 440000 */
  provinceCode: string;
  colour: OriginColour;
  issuedAt?: string;
  expiresAt?: string;
}

export interface StandInControl {
  /** POST /__standin/passes → the pass and a national token of it (exp now + 300 s, never after the pass) */
  seedPass(p: SeedPass): Promise<{ pass: OriginPass; token: string }>;
  /** POST /__standin/tokens: a fresh token of a stored pass (expiresAt: its exp, e.g. in the past) */
  token(passId: string, expiresAt?: string): Promise<string>;
  setMode(mode: StandInMode): Promise<void>;
  revoke(passId: string): Promise<void>;
  /** POST /__standin/clock: the platform's clock stands still at `now`; null: the real clock again */
  setClock(now: string | null): Promise<void>;
  corrections(): Promise<StandInCorrection[]>;
  reset(): Promise<void>;
}

export function controlStandIn(base: string): StandInControl {
  async function call<T>(method: 'GET' | 'POST', what: string, body?: unknown): Promise<T> {
    const res = await fetch(`${base}/__standin/${what}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`stand-in ${method} /__standin/${what}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
  return {
    seedPass: (p) => call('POST', 'passes', p),
    token: async (passId, expiresAt) => (await call<{ token: string }>('POST', 'tokens', { passId, expiresAt })).token,
    setMode: async (mode) => void (await call('POST', 'mode', { mode })),
    revoke: async (passId) => void (await call('POST', 'revoke', { passId })),
    setClock: async (now) => void (await call('POST', 'clock', { now })),
    corrections: async () => (await call<{ corrections: StandInCorrection[] }>('GET', 'corrections')).corrections,
    reset: async () => void (await call('POST', 'reset', {})),
  };
}
