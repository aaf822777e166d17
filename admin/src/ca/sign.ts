// CA-certificate sign-in helper (E1, manual 五(二)1 (1) "通过 CA 登录"), standing in for the UKey: the
// enterprise holds one PEM file with its certificate and its PKCS#8 private key. Pure functions over
// WebCrypto's SubtleCrypto, so the same code runs in the browser and in node (tests pass node's webcrypto).

/** A refusal the user can act on; `message` is shown as is. */
export class CaFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaFileError';
  }
}

export interface CaFileParts {
  /** The first certificate block, PEM text as in the file (what the server parses). */
  certificatePem: string;
  /** DER bytes of the PKCS#8 private key. */
  privateKeyPkcs8: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Splits the PEM file into the certificate and the PKCS#8 key, naming what is wrong otherwise. */
export function splitCaPem(text: string): CaFileParts {
  let certificatePem: string | null = null;
  let privateKeyPkcs8: Uint8Array | null = null;
  let sawOtherKey: string | null = null;
  for (const m of text.matchAll(BLOCK)) {
    const [whole, label, body] = m;
    if (label === 'CERTIFICATE' && certificatePem === null) {
      certificatePem = whole.trim() + '\n';
    } else if (label === 'PRIVATE KEY' && privateKeyPkcs8 === null) {
      const der = base64Decode(body);
      if (!der) throw new CaFileError('证书文件中的私钥无法解码');
      privateKeyPkcs8 = der;
    } else if (label === 'ENCRYPTED PRIVATE KEY' || label === 'EC PRIVATE KEY' || label === 'RSA PRIVATE KEY') {
      sawOtherKey = label;
    }
  }
  if (certificatePem === null) throw new CaFileError('证书文件中没有证书（-----BEGIN CERTIFICATE-----）');
  if (privateKeyPkcs8 === null) {
    if (sawOtherKey === 'ENCRYPTED PRIVATE KEY') throw new CaFileError('证书文件中的私钥已加密，请使用未加密的 PKCS#8 私钥');
    if (sawOtherKey) throw new CaFileError('证书文件中的私钥须为 PKCS#8 格式（-----BEGIN PRIVATE KEY-----）');
    throw new CaFileError('证书文件中没有私钥（-----BEGIN PRIVATE KEY-----）');
  }
  return { certificatePem, privateKeyPkcs8 };
}

function base64Decode(body: string): Uint8Array | null {
  const clean = body.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return null;
  const bin = atob(clean);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function base64UrlEncode(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** null when `text` is not base64url. */
export function base64UrlDecode(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return base64Decode(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
}

/**
 * Signs the challenge's bytes (base64url-decoded) with the P-256 key: ECDSA with SHA-256, WebCrypto's raw
 * r||s signature (64 bytes), base64url — the form the server verifies (common/src/consoleApi.ts).
 */
export async function signChallenge(subtle: SubtleCrypto, privateKeyPkcs8: Uint8Array, challenge: string): Promise<string> {
  const bytes = base64UrlDecode(challenge);
  if (!bytes) throw new CaFileError('服务器返回的挑战值无效，请重试');
  let key: CryptoKey;
  try {
    key = await subtle.importKey('pkcs8', toBuffer(privateKeyPkcs8), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  } catch {
    throw new CaFileError('证书文件中的私钥无法使用：须为 ECDSA P-256 的 PKCS#8 私钥');
  }
  const signature = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, toBuffer(bytes));
  return base64UrlEncode(new Uint8Array(signature));
}

// A copy over a plain ArrayBuffer (the type WebCrypto wants). A view, not its buffer: node's WebCrypto
// (tests) refuses an ArrayBuffer made in another realm but accepts any typed array.
function toBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(new ArrayBuffer(bytes.length));
  copy.set(bytes);
  return copy;
}

/** The subtle API of this page, or a message why it is missing (it exists only on HTTPS or localhost). */
export function browserSubtle(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new CaFileError('当前页面不支持数字证书签名：请通过 HTTPS 地址访问管理侧');
  return subtle;
}
