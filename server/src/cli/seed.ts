// npm run seed — seeds the demo province into an empty database (the server does this on first start).
import { bootstrap } from '../bootstrap';
import { ConfigError } from '../config';
import { seedDemo } from '../services/seedService';

async function main(): Promise<void> {
  const deps = await bootstrap({ cli: true });
  try {
    const summary = await seedDemo(deps);
    process.stdout.write(summary ? `${JSON.stringify(summary)}\n` : '数据库已有人员数据，未重复填充演示数据\n');
  } finally {
    await deps.db.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `填充失败: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
