// Entry point of `npm start`: migrate, seed demo data on first start, listen, schedule jobs; a graceful shutdown on SIGTERM/SIGINT.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, DEV_NATIONAL_PLATFORM_PORT, loadConfig, REPO_ROOT, type Config } from './config';
import { DevSmsOutbox } from './integrations/sms';
import { createApp } from './app';
import { bootstrap } from './bootstrap';
import { runningJobs, startJobs } from './jobs';
import { catchUp } from './jobs/dailyStats.job';
import { catchUp as catchUpReports } from './jobs/scheduledReports.job';
import { runningReports } from './services/dataReportService';
import { runningImports } from './services/employeeImportService';
import { DEMO_STAFF, demoConsoleAccounts, seedDemo } from './services/seedService';
import { handlersInFlight, installGracefulShutdown } from './shutdown';
import { isClusterWorker, runPrimary, workersWanted } from './cluster';
import { startNationalStandInProcess, type StandInProcess } from './standins/nationalPlatformProcess';

/**
 * On the SQLite default, with no NATIONAL_PLATFORM_URL of one's own, the stand-in national platform runs
 * beside the server (B3) so 入闽 flows work out of the box. A failure to start it (say, one already runs
 * on its port) leaves the server running; calls then go to whatever answers there, or fail as 'network'.
 */
async function startDevNationalPlatform(config: Config): Promise<StandInProcess | null> {
  if (config.dialect !== 'sqlite' || process.env.NATIONAL_PLATFORM_URL) return null;
  try {
    return await startNationalStandInProcess({ dataDir: config.dataDir, port: DEV_NATIONAL_PLATFORM_PORT, demo: true, stderr: 'inherit', killOnExit: true });
  } catch (e) {
    process.stderr.write(`国家政务服务平台（模拟） was not started: ${(e as Error).message.split('\n')[0]}\n`);
    return null;
  }
}

async function main() {
  // in a cluster the primary runs the stand-in once; its workers only use it
  const national = isClusterWorker() ? null : await startDevNationalPlatform(loadConfig());
  const deps = await bootstrap();
  const { config, logger } = deps;
  if (config.seedDemo) {
    const seeded = await seedDemo(deps);
    if (seeded) logger.info(seeded, 'demo data seeded');
  }
  const { koa } = createApp(deps);
  const handlers = handlersInFlight();
  koa.middleware.unshift(handlers.middleware);
  const server = koa.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  if (isClusterWorker()) process.send?.({ listening: true });
  const tasks = config.jobsEnabled ? startJobs(deps) : [];
  // SIGTERM/SIGINT: finish the requests and background work in flight, then close and exit (H3)
  installGracefulShutdown({
    server,
    logger,
    tasks,
    background: { handlers: handlers.running, reports: runningReports, imports: runningImports, jobs: runningJobs },
    close: [
      { name: 'ocr', close: () => deps.ocr.close() },
      { name: 'database', close: () => deps.db.close() },
      { name: 'redis', close: async () => void (await deps.redis?.quit()) },
      { name: 'national stand-in', close: async () => national?.stop() },
    ],
  });
  const track = (p: Promise<unknown>) => {
    const run = p.catch(() => undefined);
    runningJobs.add(run);
    void run.finally(() => runningJobs.delete(run));
  };
  // Dashboard days missed while no instance ran (runOnce keeps it to one instance).
  if (config.jobsEnabled) track(catchUp(deps));
  // 定时上报 periods missed while no instance ran, and generations a crash cut off.
  if (config.jobsEnabled) track(catchUpReports(deps));
  // Development SMS adapter: show the codes it "sends" on the console, masked number, full code.
  if (deps.sms instanceof DevSmsOutbox) {
    const outbox = deps.sms;
    const send = outbox.send.bind(outbox);
    outbox.send = async (phone, text) => {
      await send(phone, text);
      process.stdout.write(`[开发短信] ${phone.slice(0, 3)}****${phone.slice(-4)}: ${text}\n`);
    };
  }
  if (process.env.BAMIN_QUIET_BANNER === '1') return;
  const consoleAccounts = config.seedDemo ? await demoConsoleAccounts(deps) : [];
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const base = `http://localhost:${port}`;
  process.stdout.write(
    [
      '',
      '八闽健康码 server is running',
      `  database:      ${config.dialect === 'sqlite' ? config.databaseUrl : config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@')}`,
      existsSync(path.join(REPO_ROOT, 'miniapp/dist/h5/index.html'))
        ? `  citizen H5:    ${base}/h5/   (sign in with any mobile number; the SMS code is printed below in development)`
        : '  citizen H5:    not built yet — run npm run build:h5',
      ...(config.seedDemo
        ? [
            `  scanner staff: ${base}/h5/#/pages/staff/login/index   (法人用户登录；demo accounts:)`,
            ...DEMO_STAFF.map((a) => `                 ${a.phone} / ${a.password}   ${a.note}`),
          ]
        : []),
      existsSync(path.join(REPO_ROOT, 'admin/dist/index.html'))
        ? `  PC console:    ${base}/admin/   (法人用户登录${consoleAccounts.length ? '；demo accounts:' : '; create the health department\'s account with npm run create-admin -- <name>'})`
        : '  PC console:    not built yet — run npm run build:admin',
      ...consoleAccounts.map((a) => `                 ${a.loginName} / ${a.password}   ${a.note}`),
      `  health:        ${base}/api/health`,
      `  API document:  ${base}/api/openapi.json`,
      `  public keys:   ${base}/api/v1/codes/keys`,
      config.nationalPlatformUrl
        ? `  national platform: ${config.nationalPlatformUrl}${national ? '   (stand-in started with the server)' : ''}`
        : '  national platform: not configured (NATIONAL_PLATFORM_URL)',
      ...(national ? national.banner.slice(1, -1) : []),
      config.dialect === 'sqlite'
        ? `  demo credential (data sources, people/lookup): Authorization: Bearer ${config.sourceToken}\n                 (kept in ${config.dataDir}/dev-secrets.json)`
        : '  data-source credential: SOURCE_TOKEN from your environment',
      '',
    ].join('\n') + '\n',
  );
}

const workers = workersWanted();
const start = workers > 1 && !isClusterWorker() ? () => runPrimary(workers) : main;
start().catch((e) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
  } else {
    process.stderr.write(`Start-up failed: ${(e as Error).stack ?? e}\n`);
  }
  process.exit(1);
});
