// `npm run national-platform`: the stand-in national government service platform as a process of its
// own (B3; issue 9). npm start starts it too on the SQLite default. Its keys live in DATA_DIR/national,
// shared with the server, so the two trust each other without any set-up.
//
// Environment: DATA_DIR (as the server's), NATIONAL_STANDIN_PORT (default 3100; 0 = any free port),
// NATIONAL_STANDIN_HOST (default 127.0.0.1), NATIONAL_STANDIN_DEMO (default 1: seed the demo passes),
// CLOCK_FIXED_AT (tests: the platform's clock stands still). The first stdout line names the URL:
// "国家政务服务平台（模拟）: http://127.0.0.1:3100" — process supervisors (tests, npm start) wait for it.
import path from 'node:path';
import { ManualClock, systemClock } from '../clock';
import { REPO_ROOT } from '../config';
import { createLogger } from '../logger';
import { createNationalStandIn, DEMO_NATIONAL_PASSES, STANDIN_READY_PREFIX } from './nationalPlatform';

async function main() {
  const env = process.env;
  const dataDir = path.resolve(REPO_ROOT, env.DATA_DIR || 'server/data');
  const port = Number(env.NATIONAL_STANDIN_PORT ?? 3100);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`NATIONAL_STANDIN_PORT must be a port number, got ${env.NATIONAL_STANDIN_PORT}`);
  const host = env.NATIONAL_STANDIN_HOST || '127.0.0.1';
  const demo = env.NATIONAL_STANDIN_DEMO !== '0' && env.NATIONAL_STANDIN_DEMO !== 'false';
  const clock = env.CLOCK_FIXED_AT ? new ManualClock(env.CLOCK_FIXED_AT) : systemClock;
  // Logs go to stderr: stdout carries the ready line and the demo list.
  const logger = createLogger(env.LOG_LEVEL || 'warn', process.stderr);
  const standIn = createNationalStandIn({ dataDir, clock, logger, demo });
  const base = await standIn.listen(port, host);
  const lines = [`${STANDIN_READY_PREFIX}${base}`];
  // Demo ID numbers are printed in full on purpose: they are made up, and needed for 实名认证 in the app.
  if (demo) {
    lines.push('  demo passes (入闽人员; 闽政通 实名认证 with these names and ID numbers):');
    for (const p of DEMO_NATIONAL_PASSES) {
      lines.push(`    ${p.note}  ${p.name} ${p.idNumber}  ${base}/code/${p.passId}`);
    }
  }
  lines.push(`  keys: ${path.join(dataDir, 'national')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => {
    void standIn.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e) => {
  process.stderr.write(`国家政务服务平台（模拟） failed to start: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
