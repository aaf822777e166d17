// CA-certificate login core (E1, manual 五(二)1): real certificates and real signatures, no mocks.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { spawnSync } from 'node:child_process';
import { randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '@bamin/common';
import { REPO_ROOT } from '../../src/config';
import {
  issueEnterpriseCertificate,
  loadCaRoot,
  loadOrCreateDevCa,
  verifyChallengeSignature,
  verifyEnterpriseCertificate,
  type CaRoot,
} from '../../src/integrations/ca';

const NOW = new Date('2026-03-15T02:00:00Z');
const DAY = 86_400_000;
const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** A valid code: 17 given characters plus the check character computed by common's GB 32100 rule. */
function creditCode(first17: string): string {
  return first17 + creditCodeCheckChar(first17);
}
const CODE = creditCode('91350100M000100Y4');
const OTHER_CODE = creditCode('91350200MA3X00001');
/** The right length and alphabet, the wrong check character. */
const BAD_CHECK = CODE.slice(0, 17) + (CODE[17] === '0' ? '1' : '0');

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bamin-ca-'));
  dirs.push(dir);
  return dir;
}

let dataDir: string;
let ca: CaRoot;
beforeAll(async () => {
  dataDir = tempDir();
  ca = await loadOrCreateDevCa(dataDir, NOW);
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const b64url = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('base64url');

// ---- certificates built by hand, for the ones the issuing function rightly refuses to make ----------

interface Signer {
  key: webcrypto.CryptoKey;
  name: x509.Name;
}

async function newKeys(alg: webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams = P256): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}

async function devCaSigner(root: CaRoot = ca): Promise<Signer> {
  const der = root.privateKey!.export({ type: 'pkcs8', format: 'der' });
  return {
    key: await webcrypto.subtle.importKey('pkcs8', der, P256, false, ['sign']),
    name: new x509.X509Certificate(root.certificate.raw).subjectName,
  };
}

function enterpriseSubject(organizationIdentifier: (string | x509.JsonAttributeObject)[] | null, name = '福州测试有限公司'): x509.JsonNameParams {
  const subject: x509.JsonNameParams = [{ CN: [name] }, { O: [name] }];
  if (organizationIdentifier) {
    subject.push({ '2.5.4.97': organizationIdentifier.map((v) => (typeof v === 'string' ? { printableString: v } : v)) });
  }
  return subject;
}

async function handMade(opts: {
  signer: Signer;
  subject?: x509.JsonNameParams;
  keys?: webcrypto.CryptoKeyPair;
  notBefore?: Date;
  notAfter?: Date;
  ca?: boolean;
  usages?: x509.KeyUsageFlags;
}): Promise<string> {
  const keys = opts.keys ?? (await newKeys());
  const cert = await x509.X509CertificateGenerator.create({
    subject: new x509.Name(opts.subject ?? enterpriseSubject([CODE])),
    issuer: opts.signer.name,
    publicKey: keys.publicKey,
    signingKey: opts.signer.key,
    notBefore: opts.notBefore ?? new Date(NOW.getTime() - DAY),
    notAfter: opts.notAfter ?? new Date(NOW.getTime() + 365 * DAY),
    signingAlgorithm: ECDSA_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(opts.ca ?? false, undefined, true),
      new x509.KeyUsagesExtension(opts.usages ?? x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  return cert.toString('pem');
}

async function selfSigned(opts: { name?: x509.JsonNameParams; ca?: boolean } = {}): Promise<{ pem: string; signer: Signer }> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: new x509.Name(opts.name ?? enterpriseSubject([CODE])),
    keys,
    notBefore: new Date(NOW.getTime() - DAY),
    notAfter: new Date(NOW.getTime() + 365 * DAY),
    signingAlgorithm: ECDSA_SHA256,
    extensions: [new x509.BasicConstraintsExtension(opts.ca ?? false, undefined, true)],
  });
  return { pem: cert.toString('pem'), signer: { key: keys.privateKey, name: cert.subjectName } };
}

async function issue(overrides: Partial<{ creditCode: string; name: string; notBefore: Date; notAfter: Date }> = {}) {
  return issueEnterpriseCertificate(ca, {
    creditCode: CODE,
    name: '福州测试有限公司',
    notBefore: new Date(NOW.getTime() - DAY),
    notAfter: new Date(NOW.getTime() + 365 * DAY),
    ...overrides,
  });
}

// What the console does with the one file the enterprise picks: split it, import the key, sign.
function pemBlock(file: string, label: string): string {
  const match = file.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----\\n?`));
  if (!match) throw new Error(`no ${label} block`);
  return match[0];
}
async function browserSign(privateKeyPem: string, challenge: Uint8Array): Promise<string> {
  const body = privateKeyPem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '').replace(/\s+/g, '');
  const der = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  const key = await webcrypto.subtle.importKey('pkcs8', der, P256, false, ['sign']);
  return b64url(await webcrypto.subtle.sign(ECDSA_SHA256, key, challenge));
}

// ---- the development CA ---------------------------------------------------------------------------

describe('loadOrCreateDevCa', () => {
  it('creates an ECDSA P-256 self-signed root valid for 10 years, key file 0600', () => {
    const certFile = path.join(dataDir, 'dev-ca', 'ca.crt.pem');
    const keyFile = path.join(dataDir, 'dev-ca', 'ca.key.pem');
    expect(readFileSync(certFile, 'utf8')).toBe(ca.certificatePem);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);

    const root = ca.certificate;
    expect(root.subject).toBe('CN=八闽健康码开发测试 CA');
    expect(root.issuer).toBe(root.subject);
    expect(root.ca).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(root.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    const parsed = new x509.X509Certificate(root.raw);
    expect(parsed.notBefore).toEqual(NOW);
    expect(parsed.notAfter).toEqual(new Date('2036-03-15T02:00:00Z'));
    expect(parsed.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: true, critical: true });
    expect(parsed.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
  });

  it('loads the same root (and key) afterwards, whatever the clock says', async () => {
    const again = await loadOrCreateDevCa(dataDir, new Date(NOW.getTime() + 400 * DAY));
    expect(again.certificate.fingerprint256).toBe(ca.certificate.fingerprint256);
    expect(again.privateKey!.export({ type: 'pkcs8', format: 'pem' })).toBe(ca.privateKey!.export({ type: 'pkcs8', format: 'pem' }));
    const { certificatePem } = await issueEnterpriseCertificate(again, { creditCode: CODE, name: '复用', notBefore: NOW, notAfter: new Date(NOW.getTime() + DAY) });
    expect(verifyEnterpriseCertificate(ca, certificatePem, NOW)).toMatchObject({ ok: true });
  });

  it('two processes starting together end up with one CA', async () => {
    const dir = tempDir();
    const [a, b, c] = await Promise.all([loadOrCreateDevCa(dir, NOW), loadOrCreateDevCa(dir, NOW), loadOrCreateDevCa(dir, NOW)]);
    expect(new Set([a, b, c].map((r) => r.certificate.fingerprint256)).size).toBe(1);
    expect((await loadOrCreateDevCa(dir, NOW)).certificate.fingerprint256).toBe(a.certificate.fingerprint256);
  });
});

describe('loadCaRoot (production: the CA certificate only)', () => {
  it('loads the certificate without a key, and verifies what the CA issued', async () => {
    const root = loadCaRoot(path.join(dataDir, 'dev-ca', 'ca.crt.pem'));
    expect(root.privateKey).toBeNull();
    expect(root.certificate.fingerprint256).toBe(ca.certificate.fingerprint256);
    const { certificatePem } = await issue();
    expect(verifyEnterpriseCertificate(root, certificatePem, NOW)).toMatchObject({ ok: true, creditCode: CODE });
    await expect(issueEnterpriseCertificate(root, { creditCode: CODE, name: 'x', notBefore: NOW, notAfter: new Date(NOW.getTime() + DAY) })).rejects.toThrow(/without its private key/);
  });

  it('refuses a file that is not a CA certificate', async () => {
    const dir = tempDir();
    const leaf = path.join(dir, 'leaf.pem');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(leaf, (await issue()).certificatePem);
    expect(() => loadCaRoot(leaf)).toThrow(/not a CA certificate/);
    writeFileSync(leaf, 'nonsense');
    expect(() => loadCaRoot(leaf)).toThrow(/not exactly one PEM certificate/);
  });
});

// ---- issuing and verifying -----------------------------------------------------------------------

describe('issueEnterpriseCertificate + verifyEnterpriseCertificate', () => {
  it('an issued certificate verifies and yields the credit code, name, serial and end of validity', async () => {
    const notAfter = new Date('2027-03-15T02:00:00Z');
    const { certificatePem, privateKeyPem } = await issue({ notAfter });
    const cert = new X509Certificate(certificatePem);
    expect(verifyEnterpriseCertificate(ca, certificatePem, NOW)).toEqual({
      ok: true,
      creditCode: CODE,
      subjectName: '福州测试有限公司',
      serialNumber: cert.serialNumber,
      notAfter,
    });
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    expect(cert.subject).toBe(`CN=福州测试有限公司\nO=福州测试有限公司\norganizationIdentifier=${CODE}`);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // extended key usage: clientAuth
    expect(cert.ca).toBe(false);
    expect(cert.serialNumber).toMatch(/^[0-9A-F]{32}$/);
    // organizationIdentifier is written bare, as a PrintableString: OID 2.5.4.97, tag 0x13, 18 bytes.
    expect(cert.raw.toString('hex')).toContain(`0603550461${'1312'}${Buffer.from(CODE).toString('hex')}`);
    const usage = new x509.X509Certificate(cert.raw).getExtension(x509.KeyUsagesExtension);
    expect(usage?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
  });

  it('serial numbers are random', async () => {
    const a = new X509Certificate((await issue()).certificatePem).serialNumber;
    const b = new X509Certificate((await issue()).certificatePem).serialNumber;
    expect(a).not.toBe(b);
  });

  it('refuses to issue for an invalid credit code or an empty period', async () => {
    await expect(issue({ creditCode: BAD_CHECK })).rejects.toThrow(/校验码/);
    await expect(issue({ notAfter: new Date(NOW.getTime() - 2 * DAY) })).rejects.toThrow(/notAfter/);
    await expect(issue({ name: ' ' })).rejects.toThrow(/name/);
  });

  it('reads a lower-case code as the normalised code', async () => {
    const { certificatePem } = await issue({ creditCode: CODE.toLowerCase() });
    expect(verifyEnterpriseCertificate(ca, certificatePem, NOW)).toMatchObject({ ok: true, creditCode: CODE });
  });

  it.each([
    ['the bare code as a PrintableString', [{ printableString: CODE }]],
    ['the bare code as a UTF8String', [{ utf8String: CODE }]],
    ['the ETSI form NTRCN-<code>', [{ utf8String: `NTRCN-${CODE}` }]],
    ['the ETSI form in lower case, ntrcn-<code>', [{ printableString: `ntrcn-${CODE}` }]],
    ['the same code twice, bare and prefixed', [{ printableString: CODE }, { printableString: `NTRCN-${CODE}` }]],
  ])('accepts organizationIdentifier written as %s', async (_label, values) => {
    const pem = await handMade({ signer: await devCaSigner(), subject: enterpriseSubject(values) });
    expect(verifyEnterpriseCertificate(ca, pem, NOW)).toMatchObject({ ok: true, creditCode: CODE });
  });

  describe('validity period (CA_CERT_EXPIRED)', () => {
    const notBefore = new Date('2026-03-01T00:00:00Z');
    const notAfter = new Date('2026-04-01T00:00:00Z');
    let pem: string;
    beforeAll(async () => {
      pem = (await issue({ notBefore, notAfter })).certificatePem;
    });
    it.each([
      ['refused one second before notBefore (not yet valid)', new Date(notBefore.getTime() - 1000), false],
      ['accepted at notBefore', notBefore, true],
      ['accepted at notAfter', notAfter, true],
      ['refused one second after notAfter (expired)', new Date(notAfter.getTime() + 1000), false],
    ])('%s', (_label, now, ok) => {
      expect(verifyEnterpriseCertificate(ca, pem, now)).toEqual(ok ? expect.objectContaining({ ok: true }) : { ok: false, code: 'CA_CERT_EXPIRED' });
    });

    it('refuses a certificate whose notAfter is in the past', async () => {
      const expired = await issue({ notBefore: new Date(NOW.getTime() - 400 * DAY), notAfter: new Date(NOW.getTime() - DAY) });
      expect(verifyEnterpriseCertificate(ca, expired.certificatePem, NOW)).toEqual({ ok: false, code: 'CA_CERT_EXPIRED' });
    });

    it('refuses a certificate that is not valid yet', async () => {
      const future = await issue({ notBefore: new Date(NOW.getTime() + DAY), notAfter: new Date(NOW.getTime() + 400 * DAY) });
      expect(verifyEnterpriseCertificate(ca, future.certificatePem, NOW)).toEqual({ ok: false, code: 'CA_CERT_EXPIRED' });
    });
  });

  describe('trust (CA_CERT_UNTRUSTED)', () => {
    const untrusted = { ok: false, code: 'CA_CERT_UNTRUSTED' };

    it('refuses a self-signed certificate with the same subject layout', async () => {
      const { pem } = await selfSigned();
      expect(new X509Certificate(pem).subject).toContain(`organizationIdentifier=${CODE}`);
      expect(verifyEnterpriseCertificate(ca, pem, NOW)).toEqual(untrusted);
    });

    it('refuses a certificate issued by a second, different CA — even one with the same name', async () => {
      const other = await loadOrCreateDevCa(tempDir(), NOW);
      expect(other.certificate.subject).toBe(ca.certificate.subject);
      const { certificatePem } = await issueEnterpriseCertificate(other, { creditCode: CODE, name: '福州测试有限公司', notBefore: NOW, notAfter: new Date(NOW.getTime() + DAY) });
      expect(verifyEnterpriseCertificate(other, certificatePem, NOW)).toMatchObject({ ok: true });
      expect(verifyEnterpriseCertificate(ca, certificatePem, NOW)).toEqual(untrusted);
    });

    it('refuses a certificate that names our CA as issuer but is signed by another key', async () => {
      const forger = { key: (await newKeys()).privateKey, name: (await devCaSigner()).name };
      const pem = await handMade({ signer: forger });
      expect(new X509Certificate(pem).checkIssued(ca.certificate)).toBe(true);
      expect(verifyEnterpriseCertificate(ca, pem, NOW)).toEqual(untrusted);
    });

    it('refuses the CA certificate itself and any CA certificate it issued', async () => {
      expect(verifyEnterpriseCertificate(ca, ca.certificatePem, NOW)).toEqual(untrusted);
      const subCa = await handMade({ signer: await devCaSigner(), ca: true, usages: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature });
      expect(verifyEnterpriseCertificate(ca, subCa, NOW)).toEqual(untrusted);
    });

    it('refuses a certificate whose key usage does not allow signatures (e.g. an encryption certificate)', async () => {
      const pem = await handMade({ signer: await devCaSigner(), usages: x509.KeyUsageFlags.keyEncipherment });
      expect(verifyEnterpriseCertificate(ca, pem, NOW)).toEqual(untrusted);
    });

    it.each([
      ['P-384', { name: 'ECDSA', namedCurve: 'P-384' }],
      ['RSA', { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }],
    ] as const)('refuses a certificate from our CA with a %s key (the console signs with P-256 only)', async (_label, alg) => {
      const pem = await handMade({ signer: await devCaSigner(), keys: await newKeys(alg as webcrypto.EcKeyGenParams) });
      expect(verifyEnterpriseCertificate(ca, pem, NOW)).toEqual(untrusted);
    });

    it('answers UNTRUSTED before EXPIRED: a self-signed, expired certificate', async () => {
      const keys = await newKeys();
      const cert = await x509.X509CertificateGenerator.createSelfSigned({
        name: new x509.Name(enterpriseSubject([CODE])),
        keys,
        notBefore: new Date(NOW.getTime() - 10 * DAY),
        notAfter: new Date(NOW.getTime() - DAY),
        signingAlgorithm: ECDSA_SHA256,
      });
      expect(verifyEnterpriseCertificate(ca, cert.toString('pem'), NOW)).toEqual(untrusted);
    });
  });

  describe('credit code (CA_CERT_NO_CREDIT_CODE)', () => {
    it.each([
      ['no organizationIdentifier', null],
      ['a wrong check character', [BAD_CHECK]],
      ['17 characters', [CODE.slice(0, 17)]],
      ['another prefix (VATCN-)', [`VATCN-${CODE}`]],
      ['two different codes', [CODE, OTHER_CODE]],
      ['an empty value', [' ']],
    ])('refuses a certificate from our CA with %s', async (_label, values) => {
      const pem = await handMade({ signer: await devCaSigner(), subject: enterpriseSubject(values) });
      expect(verifyEnterpriseCertificate(ca, pem, NOW)).toEqual({ ok: false, code: 'CA_CERT_NO_CREDIT_CODE' });
    });

    it('answers EXPIRED before NO_CREDIT_CODE', async () => {
      const pem = await handMade({ signer: await devCaSigner(), subject: enterpriseSubject(null), notAfter: new Date(NOW.getTime() - DAY) });
      expect(verifyEnterpriseCertificate(ca, pem, NOW)).toEqual({ ok: false, code: 'CA_CERT_EXPIRED' });
    });
  });

  describe('parsing (CA_CERT_MALFORMED)', () => {
    let good: { certificatePem: string; privateKeyPem: string };
    beforeAll(async () => {
      good = await issue();
    });
    const cases: [string, () => unknown][] = [
      ['garbage text', () => 'hello, I am a certificate'],
      ['an empty string', () => ''],
      ['not a string', () => 42],
      ['two certificates', () => good.certificatePem + (ca.certificatePem)],
      ['the same certificate twice', () => good.certificatePem + good.certificatePem],
      ['a private key PEM', () => good.privateKeyPem],
      ['the certificate with its private key (the whole file)', () => good.certificatePem + good.privateKeyPem],
      ['a CERTIFICATE block of random bytes', () => `-----BEGIN CERTIFICATE-----\n${randomBytes(300).toString('base64')}\n-----END CERTIFICATE-----\n`],
      ['a truncated certificate', () => good.certificatePem.slice(0, 200) + '\n-----END CERTIFICATE-----\n'],
      ['a certificate with text around it', () => `subject=whatever\n${good.certificatePem}`],
      ['a certificate with characters that are not base64', () => good.certificatePem.replace(/\n[A-Za-z]/, '\n!')],
    ];
    it.each(cases)('refuses %s', (_label, input) => {
      expect(verifyEnterpriseCertificate(ca, input() as string, NOW)).toEqual({ ok: false, code: 'CA_CERT_MALFORMED' });
    });

    it('accepts CRLF line ends and surrounding whitespace', () => {
      const crlf = `\r\n  ${good.certificatePem.replace(/\n/g, '\r\n')}  \r\n`;
      expect(verifyEnterpriseCertificate(ca, crlf, NOW)).toMatchObject({ ok: true, creditCode: CODE });
    });
  });
});

// ---- the challenge signature ---------------------------------------------------------------------

describe('verifyChallengeSignature', () => {
  let good: { certificatePem: string; privateKeyPem: string };
  const challenge = randomBytes(32);
  beforeAll(async () => {
    good = await issue();
  });

  it('accepts a WebCrypto signature made with the key imported from the PKCS#8 PEM, as a browser does', async () => {
    const signature = await browserSign(good.privateKeyPem, challenge);
    expect(Buffer.from(signature, 'base64url')).toHaveLength(64);
    expect(verifyChallengeSignature(good.certificatePem, challenge, signature)).toBe(true);
  });

  it('refuses a signature by another key', async () => {
    const other = await issue();
    expect(verifyChallengeSignature(good.certificatePem, challenge, await browserSign(other.privateKeyPem, challenge))).toBe(false);
  });

  it('refuses a signature over other bytes', async () => {
    const signature = await browserSign(good.privateKeyPem, randomBytes(32));
    expect(verifyChallengeSignature(good.certificatePem, challenge, signature)).toBe(false);
    const flipped = Buffer.from(challenge);
    flipped[0] ^= 1;
    expect(verifyChallengeSignature(good.certificatePem, flipped, await browserSign(good.privateKeyPem, challenge))).toBe(false);
  });

  it('refuses the DER form of a valid signature (the console sends raw r||s)', async () => {
    const { createPrivateKey, sign } = await import('node:crypto');
    const der = sign('sha256', challenge, { key: createPrivateKey(good.privateKeyPem), dsaEncoding: 'der' });
    expect(verifyChallengeSignature(good.certificatePem, challenge, der.toString('base64url'))).toBe(false);
  });

  it.each([
    ['an empty string', ''],
    ['a short string', 'abc'],
    ['64 random bytes', randomBytes(64).toString('base64url')],
    ['63 bytes', randomBytes(63).toString('base64url')],
    ['65 bytes', randomBytes(65).toString('base64url')],
    ['characters outside base64url', '!'.repeat(86)],
    ['not a string', 12345],
  ])('returns false, never throws, for a signature that is %s', (_label, signature) => {
    expect(verifyChallengeSignature(good.certificatePem, challenge, signature as string)).toBe(false);
  });

  it('returns false for a garbage certificate or challenge', async () => {
    const signature = await browserSign(good.privateKeyPem, challenge);
    expect(verifyChallengeSignature('garbage', challenge, signature)).toBe(false);
    expect(verifyChallengeSignature(good.privateKeyPem, challenge, signature)).toBe(false);
    expect(verifyChallengeSignature(good.certificatePem, 'not a buffer' as unknown as Buffer, signature)).toBe(false);
  });
});

// ---- npm run issue-cert ----------------------------------------------------------------------------

describe('npm run issue-cert -- <credit code>', () => {
  function cli(dir: string, ...args: string[]) {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn', INIT_CWD: dir, CLOCK_FIXED_AT: NOW.toISOString() };
    delete env.DATABASE_URL; // the tool needs no database; keep a MySQL test run's URL from demanding secrets
    return spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'server/src/cli/issueCert.ts'), ...args], {
      cwd: REPO_ROOT,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  it('writes one file with the certificate and the private key; the certificate verifies against the dev CA of DATA_DIR', async () => {
    const dir = tempDir();
    const run = cli(dir, CODE, '--name', '厦门示例科技有限公司', '--days', '30', '--out', 'certs');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const file = path.join(dir, 'certs', `${CODE}.pem`);
    expect(run.stdout).toContain(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const text = readFileSync(file, 'utf8');
    const certificatePem = pemBlock(text, 'CERTIFICATE');
    const devCa = await loadOrCreateDevCa(dir, NOW);
    expect(verifyEnterpriseCertificate(devCa, certificatePem, NOW)).toEqual({
      ok: true,
      creditCode: CODE,
      subjectName: '厦门示例科技有限公司',
      serialNumber: new X509Certificate(certificatePem).serialNumber,
      notAfter: new Date(NOW.getTime() + 30 * DAY),
    });
    // not trusted by another CA (the one this test file made)
    expect(verifyEnterpriseCertificate(ca, certificatePem, NOW)).toEqual({ ok: false, code: 'CA_CERT_UNTRUSTED' });
    const challenge = randomBytes(32);
    expect(verifyChallengeSignature(certificatePem, challenge, await browserSign(pemBlock(text, 'PRIVATE KEY'), challenge))).toBe(true);
  });

  it('defaults to a file under DATA_DIR/dev-ca/issued (git-ignored: it holds a private key)', () => {
    const dir = tempDir();
    const run = cli(dir, OTHER_CODE);
    expect(run.status).toBe(0);
    const file = path.join(dir, 'dev-ca', 'issued', `${OTHER_CODE}.pem`);
    expect(run.stdout).toContain(file);
    expect(existsSync(file)).toBe(true);
  });

  it.each([
    ['a wrong check character', [BAD_CHECK], /校验码不正确/],
    ['no credit code', [], /统一社会信用代码/],
    ['a bad --days', [CODE, '--days', 'many'], /--days/],
    ['an unknown option', [CODE, '--force'], /force/],
  ])('exits 2 with a message and writes nothing for %s', (_label, args, message) => {
    const dir = tempDir();
    const run = cli(dir, ...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('用法: npm run issue-cert');
    expect(existsSync(path.join(dir, 'dev-ca'))).toBe(false);
  });
});
