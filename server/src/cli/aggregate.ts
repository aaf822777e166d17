// npm run aggregate -- [--date YYYY-MM-DD]: writes (or rewrites) one day's dashboard statistics by hand,
// yesterday by default (the nightly job's day). Prints the day's counts as JSON. Not through the job's
// once-per-slot claim: rerunning a day on purpose must always run.
import { isValidDay } from '@bamin/common';
import { bootstrap } from '../bootstrap';
import { ConfigError } from '../config';
import { yesterdayOf } from '../domain/dailyStats';
import { aggregateDay } from '../services/dailyStatsService';

const USAGE = '用法: npm run aggregate -- [--date YYYY-MM-DD]（默认昨日，上海时间）\n';

/** `--date D` or `--date=D`, or nothing; null for anything else. */
function parseArgs(args: string[]): { date: string | null } | null {
  if (args.length === 0) return { date: null };
  const joined = args.length === 1 ? /^--date=(.*)$/.exec(args[0]) : null;
  const value = joined ? joined[1] : args.length === 2 && args[0] === '--date' ? args[1] : null;
  return value !== null && isValidDay(value) ? { date: value } : null;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    process.stderr.write(USAGE);
    return 2;
  }
  const deps = await bootstrap({ cli: true });
  try {
    const counts = await aggregateDay(deps, args.date ?? yesterdayOf(deps.clock.now()));
    process.stdout.write(`${JSON.stringify(counts)}\n`);
    return 0;
  } finally {
    await deps.ocr.close();
    await deps.db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `统计失败: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
