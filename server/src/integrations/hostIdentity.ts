// The host super-app identity adapter (H7; issue 10): verifies a host's ticket (common/src/hostApi.ts)
// against the host keys registered in the configuration, one per host app.
//
// Registered hosts file (HOST_APPS_FILE): { "hosts": [ { "appId", "name", "publicKeyPem" } ] } — the key
// is Ed25519 or RSA (RS256). On the SQLite default a development host, 闽政通（开发）, is created in
// <dataDir>/hosts/ with its private key beside it (dev-host-key.pem), which `npm run host-ticket` and the
// demo host mini-program use. The checks are pure given the key set and a clock: verifyHostTicket.
// Single use is the caller's part (a unique row per jti: services/hostSessionService.ts).
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  HOST_TICKET_CLOCK_SKEW_SECONDS,
  HOST_TICKET_MAX_TTL_SECONDS,
  HOST_TICKET_PREFIX,
  base64UrlDecode,
  base64UrlEncode,
  checkResidentId,
  type HostTicketError,
  type HostTicketPayload,
} from '@bamin/common';

export interface HostApp {
  appId: string;
  name: string;
  publicKey: KeyObject;
}

export interface HostRegistry {
  hosts: Map<string, HostApp>;
}

export type HostTicketCheck = { ok: true; payload: HostTicketPayload; host: HostApp } | { ok: false; error: HostTicketError; problem: string };

export const DEV_HOST_APP_ID = 'minzhengtong-dev';
export const DEV_HOST_NAME = '闽政通（开发）';

export function loadHostRegistry(file: string): HostRegistry {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { hosts?: { appId?: unknown; name?: unknown; publicKeyPem?: unknown }[] };
  if (!Array.isArray(raw.hosts)) throw new Error(`${file}: expected { "hosts": [...] }`);
  const hosts = new Map<string, HostApp>();
  for (const h of raw.hosts) {
    if (typeof h.appId !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(h.appId)) throw new Error(`${file}: a host has no valid appId`);
    if (typeof h.name !== 'string' || !h.name) throw new Error(`${file}: host ${h.appId} has no name`);
    if (typeof h.publicKeyPem !== 'string') throw new Error(`${file}: host ${h.appId} has no publicKeyPem`);
    const publicKey = createPublicKey(h.publicKeyPem);
    if (publicKey.asymmetricKeyType !== 'ed25519' && publicKey.asymmetricKeyType !== 'rsa') throw new Error(`${file}: host ${h.appId}: only Ed25519 and RSA keys are accepted`);
    if (hosts.has(h.appId)) throw new Error(`${file}: host ${h.appId} is listed twice`);
    hosts.set(h.appId, { appId: h.appId, name: h.name, publicKey });
  }
  return { hosts };
}

export interface DevHostFiles {
  registryFile: string;
  privateKeyFile: string;
}

export function devHostFiles(dataDir: string): DevHostFiles {
  const dir = path.join(dataDir, 'hosts');
  return { registryFile: path.join(dir, 'hosts.json'), privateKeyFile: path.join(dir, 'dev-host-key.pem') };
}

/** Creates the development host (an Ed25519 key pair) once; safe when two processes race. */
export function ensureDevHost(dataDir: string): DevHostFiles {
  const files = devHostFiles(dataDir);
  if (existsSync(files.registryFile) && existsSync(files.privateKeyFile)) return files;
  mkdirSync(path.dirname(files.registryFile), { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const write = (file: string, text: string) => {
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(tmp, text, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    try {
      linkSync(tmp, file); // fails when another process got there first: theirs stands
    } catch {
      /* keep the existing file */
    } finally {
      unlinkSync(tmp);
    }
  };
  write(files.privateKeyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
  // the registry must hold the public half of the private key that stands
  const standing = createPrivateKey(readFileSync(files.privateKeyFile, 'utf8'));
  write(files.registryFile, `${JSON.stringify({ hosts: [{ appId: DEV_HOST_APP_ID, name: DEV_HOST_NAME, publicKeyPem: createPublicKey(standing).export({ format: 'pem', type: 'spki' }).toString() }] }, null, 2)}\n`);
  void publicKey;
  return files;
}

/** Signs a ticket as a host would (the development host, tests, `npm run host-ticket`). */
export function signHostTicket(payload: HostTicketPayload, privateKey: KeyObject): string {
  const body = base64UrlEncode(new TextEncoder().encode(JSON.stringify(payload)));
  const algorithm = privateKey.asymmetricKeyType === 'rsa' ? 'sha256' : null;
  return `${HOST_TICKET_PREFIX}.${body}.${base64UrlEncode(new Uint8Array(cryptoSign(algorithm, Buffer.from(body), privateKey)))}`;
}

const refuse = (error: HostTicketError, problem: string): HostTicketCheck => ({ ok: false, error, problem });

/** Every check but single use, in this order: shape, host, signature, audience, times, identity. */
export function verifyHostTicket(ticket: string, registry: HostRegistry, audience: string, now: Date): HostTicketCheck {
  const parts = typeof ticket === 'string' ? ticket.split('.') : [];
  if (parts.length !== 3 || parts[0] !== HOST_TICKET_PREFIX) return refuse('HOST_TICKET_MALFORMED', '不是宿主应用签发的登录票据');
  const raw = base64UrlDecode(parts[1]);
  const sig = base64UrlDecode(parts[2]);
  if (!raw || !sig || sig.length === 0) return refuse('HOST_TICKET_MALFORMED', '票据编码不正确');
  let p: HostTicketPayload;
  try {
    p = JSON.parse(new TextDecoder().decode(raw)) as HostTicketPayload;
  } catch {
    return refuse('HOST_TICKET_MALFORMED', '票据内容不是 JSON');
  }
  if (!p || typeof p !== 'object' || p.v !== 1 || typeof p.iss !== 'string') return refuse('HOST_TICKET_MALFORMED', '票据版本或签发方缺失');
  const host = registry.hosts.get(p.iss);
  if (!host) return refuse('HOST_UNKNOWN', `未登记的宿主应用：${p.iss.slice(0, 64)}`);
  let good = false;
  try {
    good = cryptoVerify(host.publicKey.asymmetricKeyType === 'rsa' ? 'sha256' : null, Buffer.from(parts[1]), host.publicKey, Buffer.from(sig));
  } catch {
    good = false;
  }
  if (!good) return refuse('HOST_TICKET_FORGED', '票据签名与该宿主应用登记的公钥不符');
  // the signature holds: what follows is the host's own statement
  if (p.aud !== audience) return refuse('HOST_TICKET_WRONG_AUDIENCE', '票据不是签发给本服务的');
  const t = now.getTime() / 1000;
  if (typeof p.iat !== 'number' || typeof p.exp !== 'number' || typeof p.jti !== 'string' || p.jti.length < 8 || p.jti.length > 64) {
    return refuse('HOST_TICKET_MALFORMED', '票据缺少 jti、iat 或 exp');
  }
  if (p.exp - p.iat > HOST_TICKET_MAX_TTL_SECONDS) return refuse('HOST_TICKET_EXPIRED', `票据有效期不得超过 ${HOST_TICKET_MAX_TTL_SECONDS} 秒`);
  if (t >= p.exp) return refuse('HOST_TICKET_EXPIRED', '票据已过期，请重新进入');
  if (p.iat > t + HOST_TICKET_CLOCK_SKEW_SECONDS) return refuse('HOST_TICKET_EXPIRED', '票据签发时间晚于当前时间');
  if (p.l4 !== true) return refuse('HOST_TICKET_MALFORMED', '宿主应用未声明已完成高级实名认证');
  if (typeof p.sub !== 'string' || !p.sub || p.sub.length > 64) return refuse('HOST_TICKET_MALFORMED', '票据缺少宿主用户标识');
  if (p.idType !== 'resident_id' || !checkResidentId(String(p.idNumber)).ok) return refuse('HOST_TICKET_MALFORMED', '票据中的身份证号码无效');
  if (typeof p.name !== 'string' || !p.name.trim() || p.name.length > 50) return refuse('HOST_TICKET_MALFORMED', '票据中的姓名无效');
  if (typeof p.phone !== 'string' || !/^1\d{10}$/.test(p.phone)) return refuse('HOST_TICKET_MALFORMED', '票据中的手机号码无效');
  return { ok: true, payload: p, host };
}
