// Local storage of the scanner staff (扫码员) side: its own session token, kept apart from the citizen's,
// and the cached public keys for offline token checks (H1).
import Taro from '@tarojs/taro';

export const STAFF_TOKEN_KEY = 'bamin.staffSessionToken';
export const STAFF_PHONE_KEY = 'bamin.staffPhone';
export const CODE_KEYS_KEY = 'bamin.codeKeys';

function read(key: string): unknown {
  try {
    return Taro.getStorageSync(key);
  } catch {
    return '';
  }
}

function remove(key: string): void {
  try {
    Taro.removeStorageSync(key);
  } catch {
    /* ignore */
  }
}

export function getStaffToken(): string {
  const v = read(STAFF_TOKEN_KEY);
  return typeof v === 'string' ? v : '';
}

export function setStaffToken(token: string): void {
  Taro.setStorageSync(STAFF_TOKEN_KEY, token);
}

export function clearStaffToken(): void {
  remove(STAFF_TOKEN_KEY);
}

/** The phone number the staff member signed in with: only to warn on the password page that it must not be the password. */
export function getStaffPhone(): string {
  const v = read(STAFF_PHONE_KEY);
  return typeof v === 'string' ? v : '';
}

export function setStaffPhone(phone: string): void {
  Taro.setStorageSync(STAFF_PHONE_KEY, phone);
}

export function clearStaffPhone(): void {
  remove(STAFF_PHONE_KEY);
}

/** The published key set as cached: key id → raw public key, base64url. */
export interface CachedKeys {
  keys: Record<string, string>;
  fetchedAt: string;
}

export function getCachedKeys(): CachedKeys | null {
  const v = read(CODE_KEYS_KEY);
  if (!v || typeof v !== 'object') return null;
  const c = v as CachedKeys;
  return c.keys && typeof c.keys === 'object' ? c : null;
}

export function setCachedKeys(c: CachedKeys): void {
  Taro.setStorageSync(CODE_KEYS_KEY, c);
}
