// npm run create-admin -- <user name>: the provincial health department's console account (卫健委). It
// issues activation codes to government units and sees province-wide data. The initial password is
// printed once and must be changed at first login.
import { bootstrap } from '../bootstrap';
import { ConfigError } from '../config';
import { isApiError } from '../errors';
import { createConsoleAdmin } from '../services/consoleAccountService';

async function main(): Promise<number> {
  const loginName = process.argv[2];
  if (!loginName || process.argv.length > 3) {
    process.stderr.write('用法: npm run create-admin -- <用户名>\n');
    return 2;
  }
  const deps = await bootstrap({ cli: true });
  try {
    const { initialPassword } = await createConsoleAdmin(deps, loginName);
    process.stdout.write(
      `卫健委管理侧账号已创建\n  用户名:   ${loginName}\n  初始密码: ${initialPassword}\n（只显示这一次；首次登录须修改密码）\n`,
    );
    return 0;
  } catch (e) {
    if (isApiError(e)) {
      process.stderr.write(`${e.details?.map((d) => d.problem).join('；') || e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await deps.ocr.close();
    await deps.db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `创建失败: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
