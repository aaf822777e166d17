// npm run issue-cert -- <credit code> [--name <enterprise name>] [--days 365] [--out <dir>]
// Development: issues an enterprise certificate from the development CA in DATA_DIR (created on first
// use) and writes ONE file, <out>/<credit code>.pem, with the certificate and its PKCS#8 private key —
// the file the enterprise picks in the console's "CA 登录" (E1). Needs no database.
// Exit codes: 0 issued, 2 bad arguments (e.g. an invalid credit code), 1 anything else.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkCreditCode } from '@bamin/common';
import { ConfigError, loadConfig } from '../config';
import { issueEnterpriseCertificate, loadOrCreateDevCa } from '../integrations/ca';

const USAGE = '用法: npm run issue-cert -- <统一社会信用代码> [--name <企业名称>] [--days 365] [--out <目录>]';
const MAX_DAYS = 3650;

class UsageError extends Error {}

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { name: { type: 'string' }, days: { type: 'string' }, out: { type: 'string' } },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError('需要且只需要一个统一社会信用代码');
  const check = checkCreditCode(positionals[0]);
  if (!check.ok) throw new UsageError(`统一社会信用代码无效（${positionals[0]}）: ${check.problem}`);
  const days = values.days === undefined ? 365 : Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) throw new UsageError(`--days 应为 1 至 ${MAX_DAYS} 的整数`);
  return { creditCode: check.normalized, name: values.name?.trim() || `测试企业（${check.normalized}）`, days, out: values.out };
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const config = loadConfig();
  const now = config.clockFixedAt ?? new Date();
  const ca = await loadOrCreateDevCa(config.dataDir, now);
  const notAfter = new Date(now.getTime() + args.days * 86_400_000);
  const { certificatePem, privateKeyPem } = await issueEnterpriseCertificate(ca, { creditCode: args.creditCode, name: args.name, notBefore: now, notAfter });

  // Default inside the data folder (git-ignored): the file holds a private key.
  const outDir = args.out ? path.resolve(process.env.INIT_CWD ?? process.cwd(), args.out) : path.join(config.dataDir, 'dev-ca', 'issued');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${args.creditCode}.pem`);
  writeFileSync(file, certificatePem + privateKeyPem, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing file keeps its mode on overwrite
  process.stdout.write(
    [
      `已签发企业证书（开发测试 CA）: ${file}`,
      `  企业名称: ${args.name}`,
      `  统一社会信用代码: ${args.creditCode}`,
      `  有效期: ${now.toISOString()} 至 ${notAfter.toISOString()}`,
      '  文件内含证书和私钥：在企业端 "CA 登录" 中选择此文件。',
      '',
    ].join('\n'),
  );
}

main().then(
  () => process.exit(0),
  (e) => {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `签发失败: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
