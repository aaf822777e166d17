// npm run recompute — recomputes every person's colour, in batches, with progress on stderr.
import { bootstrap } from '../bootstrap';
import { ConfigError } from '../config';
import { recomputeAll } from '../services/statusService';
import { progress } from './progress';

async function main(): Promise<void> {
  const deps = await bootstrap({ cli: true });
  try {
    const n = await recomputeAll(deps, progress('重新计算健康码'));
    const orange = await deps.db.models.HealthStatus.count({ where: { colour: 'orange' } });
    process.stdout.write(`${JSON.stringify({ recomputed: n, orange })}\n`);
  } finally {
    await deps.db.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `重新计算失败: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
