// npm run host-ticket -- <resident ID number> [--name 姓名] [--phone 手机号] [--sub <host user id>]
//                        [--ttl 120] [--key <private key PEM>] [--app <host app id>] [--aud <audience>]
// What a host super-app's back end does to hand its signed-in user to the health-code plugin (H7): sign a
// short-lived, single-use ticket (common/src/hostApi.ts) with the host's private key. Development: the
// development host's key in DATA_DIR/hosts (created on first use) and its app id; a real host passes its
// own --key and --app (registered here in HOST_APPS_FILE). Prints the ticket on stdout. Needs no database.
// Exit codes: 0 printed, 2 bad arguments, 1 anything else.
import { randomBytes, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { HOST_TICKET_MAX_TTL_SECONDS, checkResidentId } from '@bamin/common';
import { ConfigError, loadConfig } from '../config';
import { DEV_HOST_APP_ID, ensureDevHost, signHostTicket } from '../integrations/hostIdentity';

const USAGE = '用法: npm run host-ticket -- <身份证号码> [--name 姓名] [--phone 手机号] [--sub 宿主用户标识] [--ttl 秒] [--key 私钥PEM] [--app 宿主应用] [--aud 受众]';

class UsageError extends Error {}

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { name: { type: 'string' }, phone: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string' }, key: { type: 'string' }, app: { type: 'string' }, aud: { type: 'string' } },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError('需要且只需要一个身份证号码');
  const id = checkResidentId(positionals[0]);
  if (!id.ok) throw new UsageError(`身份证号码无效（${positionals[0].slice(0, 4)}…）`);
  const phone = values.phone ?? `139${id.normalized.slice(-8).replace(/\D/g, '0')}`;
  if (!/^1\d{10}$/.test(phone)) throw new UsageError('--phone 应为 11 位手机号码');
  const ttl = values.ttl === undefined ? 120 : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > HOST_TICKET_MAX_TTL_SECONDS) throw new UsageError(`--ttl 应为 1 至 ${HOST_TICKET_MAX_TTL_SECONDS} 的整数`);
  return { idNumber: id.normalized, name: values.name?.trim() || '测试用户', phone, sub: values.sub ?? `dev-${id.normalized.slice(-6)}`, ttl, key: values.key, app: values.app, aud: values.aud };
}

function main(): void {
  const args = parse(process.argv.slice(2));
  const config = loadConfig();
  const keyFile = args.key ?? ensureDevHost(config.dataDir).privateKeyFile;
  const privateKey = createPrivateKey(readFileSync(keyFile, 'utf8'));
  const now = Math.floor(Date.now() / 1000);
  const ticket = signHostTicket(
    {
      v: 1,
      iss: args.app ?? DEV_HOST_APP_ID,
      aud: args.aud ?? config.hostTicketAudience,
      jti: randomBytes(16).toString('hex'),
      iat: now,
      exp: now + args.ttl,
      sub: args.sub,
      l4: true,
      name: args.name,
      idType: 'resident_id',
      idNumber: args.idNumber,
      phone: args.phone,
    },
    privateKey,
  );
  process.stdout.write(`${ticket}\n`);
}

try {
  main();
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`${e instanceof ConfigError ? e.message : String(e)}\n`);
  process.exit(1);
}
