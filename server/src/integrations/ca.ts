// CA-certificate login core (E1, manual 五(二)1 "通过 CA 登录"): the enterprise's certificate stands in
// for its UKey. Rules a certificate must pass, checked in this order (the first failure is the answer):
//   1. CA_CERT_MALFORMED       exactly one PEM block, a CERTIFICATE, that parses as X.509 — nothing else
//                              in the text (a second certificate or a private key is refused, so a
//                              client that would ship its key to the server fails loudly).
//   2. CA_CERT_UNTRUSTED       issued by the configured CA (issuer name/key id match, `checkIssued`) and
//                              its signature verifies with the CA's public key; not a CA certificate
//                              itself (so the root cannot log in as an enterprise); key usage, when
//                              present, allows digitalSignature; the key is EC P-256 — a well-formed
//                              certificate with another key type is "not one we accept", hence
//                              UNTRUSTED rather than MALFORMED.
//   3. CA_CERT_EXPIRED         notBefore <= now <= notAfter (also answers "not yet valid").
//   4. CA_CERT_NO_CREDIT_CODE  the subject's organizationIdentifier (OID 2.5.4.97) holds one valid
//                              GB 32100 credit code, bare or with the ETSI EN 319 412-1 "NTRCN-" prefix.
// The challenge signature is WebCrypto's ECDSA P-256 / SHA-256 in raw r||s form (IEEE P1363), base64url.
//
// node:crypto parses and verifies X.509 but cannot create it: @peculiar/x509 (pure JS over WebCrypto)
// builds the development CA and the certificates it issues, and reads the subject's attributes.
// It needs a Reflect metadata polyfill loaded before it (tsyringe inside it checks at load time).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import {
  createPrivateKey,
  createPublicKey,
  randomBytes,
  verify as cryptoVerify,
  webcrypto,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkCreditCode } from '@bamin/common';

// The library's types name the DOM's Crypto, which this Node-only tsconfig (lib ES2022) leaves out.
x509.cryptoProvider.set(webcrypto as never);

export interface CaRoot {
  /** The certificate that issues enterprise certificates (the dev root, or the configured CA file). */
  certificate: X509Certificate;
  certificatePem: string;
  /** Development CA only; a production root is loaded without its key. */
  privateKey: KeyObject | null;
}

export type CaCertRefusal = 'CA_CERT_MALFORMED' | 'CA_CERT_EXPIRED' | 'CA_CERT_UNTRUSTED' | 'CA_CERT_NO_CREDIT_CODE';

export type EnterpriseCertificateCheck =
  | { ok: true; creditCode: string; subjectName: string; serialNumber: string; notAfter: Date }
  | { ok: false; code: CaCertRefusal };

export const DEV_CA_COMMON_NAME = '八闽健康码开发测试 CA';
export const ORGANIZATION_IDENTIFIER_OID = '2.5.4.97';
const DEV_CA_DIR = 'dev-ca';
const DEV_CA_CERT_FILE = 'ca.crt.pem';
const DEV_CA_KEY_FILE = 'ca.key.pem';
const DEV_CA_YEARS = 10;
// Private keys: owner read/write only.
const KEY_FILE_MODE = 0o600;
// A certificate is a kilobyte or two; this only stops absurd input before any parsing.
const MAX_PEM_CHARS = 64 * 1024;
// X.520 upper bound for commonName and organizationName.
const MAX_NAME_CHARS = 64;
const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SHA256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
// ETSI EN 319 412-1 semantics identifier: "NTR" (national trade register) + country + "-".
const NTR_PREFIX = /^NTRCN-/i;

// ---- PEM -----------------------------------------------------------------------------------------

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** The DER of the one CERTIFICATE block in `pem`, or null when there is not exactly that. */
function singleCertificateDer(pem: unknown): Buffer | null {
  if (typeof pem !== 'string' || pem.length > MAX_PEM_CHARS) return null;
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (blocks.length !== 1 || blocks[0][1] !== 'CERTIFICATE') return null;
  if (pem.replace(PEM_BLOCK, '').trim() !== '') return null;
  const body = blocks[0][2].replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return null;
  return Buffer.from(body, 'base64');
}

function toPem(der: Buffer, label: string): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

interface Parsed {
  node: X509Certificate;
  peculiar: x509.X509Certificate;
}

function parseCertificate(pem: unknown): Parsed | null {
  const der = singleCertificateDer(pem);
  if (!der) return null;
  try {
    const node = new X509Certificate(der);
    const peculiar = new x509.X509Certificate(der);
    return { node, peculiar };
  } catch {
    return null;
  }
}

function isP256(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
}

// ---- the CA ---------------------------------------------------------------------------------------

function caFromPem(certificatePem: string, source: string): CaRoot {
  const parsed = parseCertificate(certificatePem);
  if (!parsed) throw new Error(`${source}: not exactly one PEM certificate`);
  if (!parsed.node.ca) throw new Error(`${source}: not a CA certificate (basicConstraints CA:true is missing)`);
  return { certificate: parsed.node, certificatePem, privateKey: null };
}

/**
 * Production: the certificate of the CA that issues enterprise certificates (a root, or the issuing
 * intermediate — whichever signs the enterprise certificates directly). No private key.
 */
export function loadCaRoot(certPemPath: string): CaRoot {
  return caFromPem(readFileSync(certPemPath, 'utf8'), certPemPath);
}

/**
 * Development: `<dataDir>/dev-ca/ca.crt.pem` + `ca.key.pem`, created on first use and reused after,
 * so certificates issued earlier keep verifying. Creation writes both files into a fresh folder and
 * renames it into place: two processes starting together (server and `npm run issue-cert`) cannot
 * leave a certificate beside the other one's key — the loser discards its CA and loads the winner's.
 */
export async function loadOrCreateDevCa(dataDir: string, now: Date): Promise<CaRoot> {
  const dir = path.join(dataDir, DEV_CA_DIR);
  if (!existsSync(path.join(dir, DEV_CA_CERT_FILE)) && !existsSync(path.join(dir, DEV_CA_KEY_FILE))) {
    await createDevCa(dataDir, dir, now);
  }
  return loadDevCa(dir);
}

function loadDevCa(dir: string): CaRoot {
  const certFile = path.join(dir, DEV_CA_CERT_FILE);
  const keyFile = path.join(dir, DEV_CA_KEY_FILE);
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    throw new Error(`${dir}: the development CA is incomplete (${DEV_CA_CERT_FILE} and ${DEV_CA_KEY_FILE} belong together); delete the folder to create a new CA`);
  }
  const root = caFromPem(readFileSync(certFile, 'utf8'), certFile);
  const privateKey = createPrivateKey(readFileSync(keyFile, 'utf8'));
  const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
  if (!spki(createPublicKey(privateKey)).equals(spki(root.certificate.publicKey))) {
    throw new Error(`${keyFile}: this key does not belong to ${certFile}`);
  }
  return { ...root, privateKey };
}

async function createDevCa(dataDir: string, dir: string, now: Date): Promise<void> {
  if (Number.isNaN(now.getTime())) throw new RangeError('loadOrCreateDevCa: now is an invalid date');
  const keys = (await webcrypto.subtle.generateKey(P256, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + DEV_CA_YEARS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [DEV_CA_COMMON_NAME] }],
    keys,
    notBefore: now,
    notAfter,
    signingAlgorithm: ECDSA_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));

  mkdirSync(dataDir, { recursive: true });
  const tmp = path.join(dataDir, `.${DEV_CA_DIR}-${randomBytes(6).toString('hex')}`);
  mkdirSync(tmp, { mode: 0o700 });
  try {
    writeFileSync(path.join(tmp, DEV_CA_KEY_FILE), toPem(pkcs8, 'PRIVATE KEY'), { mode: KEY_FILE_MODE });
    writeFileSync(path.join(tmp, DEV_CA_CERT_FILE), cert.toString('pem') + '\n');
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // Another process got there first (the folder exists and is not empty): use its CA.
      if (!['ENOTEMPTY', 'EEXIST'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** 16 random bytes as hex, positive (top bit clear) and without a leading zero byte. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

// ---- issuing (development CA and tests) -----------------------------------------------------------

/**
 * Issues an enterprise certificate: subject CN = O = name, organizationIdentifier = the bare credit
 * code (PrintableString: the code's alphabet is digits and capitals), key usage digitalSignature,
 * extended key usage clientAuth, random serial. Returns the PEM and the PKCS#8 private key PEM.
 */
export async function issueEnterpriseCertificate(
  ca: CaRoot,
  opts: { creditCode: string; name: string; notBefore: Date; notAfter: Date },
): Promise<{ certificatePem: string; privateKeyPem: string }> {
  if (!ca.privateKey) throw new Error('issueEnterpriseCertificate: this CA was loaded without its private key');
  const check = checkCreditCode(opts.creditCode);
  if (!check.ok) throw new RangeError(`issueEnterpriseCertificate: ${check.problem}`);
  const name = opts.name.trim();
  if (!name || [...name].length > MAX_NAME_CHARS) throw new RangeError(`issueEnterpriseCertificate: name must be 1 to ${MAX_NAME_CHARS} characters`);
  if (Number.isNaN(opts.notBefore.getTime()) || Number.isNaN(opts.notAfter.getTime()) || opts.notAfter <= opts.notBefore) {
    throw new RangeError('issueEnterpriseCertificate: notAfter must come after notBefore');
  }

  const issuer = new x509.X509Certificate(ca.certificate.raw);
  const signingKey = await webcrypto.subtle.importKey(
    'pkcs8',
    ca.privateKey.export({ type: 'pkcs8', format: 'der' }),
    P256,
    false,
    ['sign'],
  );
  const keys = (await webcrypto.subtle.generateKey(P256, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const issuerKeyId = issuer.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: new x509.Name([{ CN: [name] }, { O: [name] }, { [ORGANIZATION_IDENTIFIER_OID]: [{ printableString: check.normalized }] }]),
    issuer: issuer.subjectName,
    publicKey: keys.publicKey,
    signingKey,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    signingAlgorithm: ECDSA_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      issuerKeyId ? new x509.AuthorityKeyIdentifierExtension(issuerKeyId) : await x509.AuthorityKeyIdentifierExtension.create(issuer),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { certificatePem: cert.toString('pem') + '\n', privateKeyPem: toPem(pkcs8, 'PRIVATE KEY') };
}

// ---- verifying ------------------------------------------------------------------------------------

function issuedByCa(cert: Parsed, ca: CaRoot): boolean {
  if (cert.node.ca) return false;
  if (!cert.node.checkIssued(ca.certificate) || !cert.node.verify(ca.certificate.publicKey)) return false;
  const usage = cert.peculiar.getExtension(x509.KeyUsagesExtension);
  if (usage && !(usage.usages & x509.KeyUsageFlags.digitalSignature)) return false;
  return isP256(cert.node.publicKey);
}

function withinValidity(cert: Parsed, now: Date): boolean {
  return cert.peculiar.notBefore.getTime() <= now.getTime() && now.getTime() <= cert.peculiar.notAfter.getTime();
}

/** The one valid credit code in organizationIdentifier, or null. */
function creditCodeOf(cert: Parsed): string | null {
  const values = new Set(cert.peculiar.subjectName.getField(ORGANIZATION_IDENTIFIER_OID).map((v) => v.trim().replace(NTR_PREFIX, '').toUpperCase()));
  if (values.size !== 1) return null;
  const check = checkCreditCode([...values][0]);
  return check.ok ? check.normalized : null;
}

export function verifyEnterpriseCertificate(ca: CaRoot, certificatePem: string, now: Date): EnterpriseCertificateCheck {
  const cert = parseCertificate(certificatePem);
  if (!cert) return { ok: false, code: 'CA_CERT_MALFORMED' };
  if (!issuedByCa(cert, ca)) return { ok: false, code: 'CA_CERT_UNTRUSTED' };
  if (!withinValidity(cert, now)) return { ok: false, code: 'CA_CERT_EXPIRED' };
  const creditCode = creditCodeOf(cert);
  if (!creditCode) return { ok: false, code: 'CA_CERT_NO_CREDIT_CODE' };
  const subject = cert.peculiar.subjectName;
  return {
    ok: true,
    creditCode,
    subjectName: subject.getField('CN')[0] ?? subject.getField('O')[0] ?? subject.toString(),
    serialNumber: cert.node.serialNumber.toUpperCase(),
    notAfter: cert.peculiar.notAfter,
  };
}

/**
 * Whether `signatureBase64url` (raw r||s, 64 bytes, as WebCrypto's ECDSA produces it) is the
 * certificate key's ECDSA P-256 / SHA-256 signature over `challenge`. Never throws: garbage is false.
 * Call it only after verifyEnterpriseCertificate accepted the same certificate.
 */
export function verifyChallengeSignature(certificatePem: string, challenge: Buffer, signatureBase64url: string): boolean {
  try {
    const cert = parseCertificate(certificatePem);
    if (!cert || !isP256(cert.node.publicKey) || !Buffer.isBuffer(challenge)) return false;
    if (typeof signatureBase64url !== 'string' || !/^[A-Za-z0-9_-]{86}(==)?$/.test(signatureBase64url)) return false;
    const signature = Buffer.from(signatureBase64url, 'base64url');
    if (signature.length !== 64) return false;
    return cryptoVerify('sha256', challenge, { key: cert.node.publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}
