// Local storage of the session token and the user's display preferences.
import Taro from '@tarojs/taro';

export const TOKEN_KEY = 'bamin.sessionToken';
export const ELDER_MODE_KEY = 'bamin.elderMode';

export function getToken(): string {
  try {
    return Taro.getStorageSync(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

export function setToken(token: string): void {
  Taro.setStorageSync(TOKEN_KEY, token);
}

export function clearToken(): void {
  try {
    Taro.removeStorageSync(TOKEN_KEY);
  } catch {
    /* ignore */
  }
}

export function getElderMode(): boolean {
  try {
    return Taro.getStorageSync(ELDER_MODE_KEY) === true || Taro.getStorageSync(ELDER_MODE_KEY) === 'true';
  } catch {
    return false;
  }
}

export function setElderMode(on: boolean): void {
  Taro.setStorageSync(ELDER_MODE_KEY, on);
}
