// Local storage of the scanner staff (扫码员) side: its own session token, kept apart from the citizen's,
// and the cached public keys for offline token checks (H1): this system's and the national platform's (B2).
import Taro from '@tarojs/taro';
import type { NationalKeySet } from '@bamin/common/nationalApi';

export const STAFF_TOKEN_KEY = 'bamin.staffSessionToken';
export const STAFF_PHONE_KEY = 'bamin.staffPhone';
export const CODE_KEYS_KEY = 'bamin.codeKeys';
export const NATIONAL_KEYS_KEY = 'bamin.nationalKeys';

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

/** The national platform's published keys of the 防疫健康信息码 (B2), as cached. */
export interface CachedNationalKeys {
  keys: NationalKeySet;
  fetchedAt: string;
}

export function getCachedNationalKeys(): CachedNationalKeys | null {
  const v = read(NATIONAL_KEYS_KEY);
  if (!v || typeof v !== 'object') return null;
  const c = v as CachedNationalKeys;
  return c.keys && Array.isArray(c.keys.keys) ? c : null;
}

export function setCachedNationalKeys(c: CachedNationalKeys): void {
  Taro.setStorageSync(NATIONAL_KEYS_KEY, c);
}
