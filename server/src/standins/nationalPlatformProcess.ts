// Runs the stand-in national platform (nationalPlatform.main.ts) as a child process: npm start on the
// SQLite default, and the contract tests, which want it as separate as the real platform is.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../config';
import { STANDIN_READY_PREFIX as READY_PREFIX } from './nationalPlatform';

const MAIN = path.join(REPO_ROOT, 'server/src/standins/nationalPlatform.main.ts');
// tsx compiles on first start; a cold machine takes a few seconds.
const READY_TIMEOUT_MS = 30_000;

export interface StandInProcess {
  /** e.g. http://127.0.0.1:3100 */
  base: string;
  /** What it printed on start (URL, demo passes, key folder). */
  banner: string[];
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after 3 s; resolves once it has exited. */
  stop(): Promise<void>;
}

export function startNationalStandInProcess(opts: {
  dataDir: string;
  /** 0: any free port (read back from the ready line) */
  port: number;
  demo: boolean;
  /** Where its log lines go: inherit (npm start) or pipe (tests keep them for the error message). */
  stderr?: 'inherit' | 'pipe';
  env?: Record<string, string>;
  /** Kill it when this process exits, however it exits. */
  killOnExit?: boolean;
}): Promise<StandInProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...opts.env,
      DATA_DIR: opts.dataDir,
      NATIONAL_STANDIN_PORT: String(opts.port),
      NATIONAL_STANDIN_DEMO: opts.demo ? '1' : '0',
    },
    stdio: ['ignore', 'pipe', opts.stderr ?? 'pipe'],
  });
  const onExit = () => child.kill('SIGKILL');
  if (opts.killOnExit) process.once('exit', onExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    process.off('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`国家政务服务平台（模拟） did not start within ${READY_TIMEOUT_MS} ms\n${err}`));
    }, READY_TIMEOUT_MS);
    child.stderr?.on('data', (c: Buffer) => {
      err = (err + c.toString('utf8')).slice(-4000);
    });
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const lines = out.split('\n');
      const ready = lines.find((l) => l.startsWith(READY_PREFIX));
      // The key-folder line is the last of the start-up banner.
      if (!ready || !lines.some((l) => l.startsWith('  keys: '))) return;
      clearTimeout(timer);
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume(); // never let a full pipe block it
      const end = lines.findIndex((l) => l.startsWith('  keys: '));
      resolve({ base: ready.slice(READY_PREFIX.length).trim(), banner: lines.slice(0, end + 1), child, stop });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      process.off('exit', onExit);
      reject(new Error(`国家政务服务平台（模拟） exited before it was ready (${signal ?? `code ${code}`})\n${err}`));
    });
  });
}
