// A stand-in for @tarojs/taro under jest: in-memory storage, recorded navigation, scripted modals.
import { useEffect, useRef } from 'react';

const storage = new Map<string, unknown>();

export const routerState: { params: Record<string, string> } = { params: {} };

export const modalAnswers: { confirm: boolean }[] = [];

const Taro = {
  getStorageSync: jest.fn((key: string) => (storage.has(key) ? storage.get(key) : '')),
  setStorageSync: jest.fn((key: string, value: unknown) => {
    storage.set(key, value);
  }),
  removeStorageSync: jest.fn((key: string) => {
    storage.delete(key);
  }),
  clearStorageSync: jest.fn(() => storage.clear()),
  navigateTo: jest.fn(() => Promise.resolve()),
  redirectTo: jest.fn(() => Promise.resolve()),
  reLaunch: jest.fn(() => Promise.resolve()),
  navigateBack: jest.fn(() => Promise.resolve()),
  showToast: jest.fn(() => Promise.resolve()),
  // Like Taro: button texts over 4 characters are refused (the dialog never shows).
  showModal: jest.fn((opts: { confirmText?: string; cancelText?: string } = {}) =>
    [opts.confirmText, opts.cancelText].some((t) => typeof t === 'string' && t.length > 4)
      ? Promise.reject({ errMsg: 'showModal:fail confirmText/cancelText length should not larger than 4 Chinese characters' })
      : Promise.resolve({ confirm: modalAnswers.length ? modalAnswers.shift()!.confirm : true, cancel: false })),
  request: jest.fn(() => Promise.reject(new Error('Taro.request must not be called in component tests'))),
  getCurrentInstance: jest.fn(() => ({ router: { params: routerState.params } })),
  scanCode: jest.fn(() => Promise.reject(new Error('scanCode not scripted'))),
  chooseImage: jest.fn(() => Promise.reject(new Error('chooseImage not scripted'))),
  getLocation: jest.fn(() => Promise.reject(new Error('getLocation not scripted'))),
  getFileSystemManager: jest.fn(() => ({
    readFile: (opts: { success?: (r: { data: string }) => void }) => opts.success?.({ data: 'BASE64DATA' }),
  })),
};

export function useRouter() {
  return { params: routerState.params, path: '' };
}

/** useDidShow callbacks of the mounted pages: called once on mount (as Taro shows a page after loading it)
 * and again by showPagesAgain(), which plays "back to this page". */
const didShow = new Set<() => void>();

export function useDidShow(cb: () => void) {
  const latest = useRef(cb);
  latest.current = cb;
  useEffect(() => {
    const show = () => latest.current();
    didShow.add(show);
    show();
    return () => {
      didShow.delete(show);
    };
  }, []);
}

export function showPagesAgain() {
  for (const show of [...didShow]) show();
}
export function useReady() {}

export function resetTaroMock() {
  storage.clear();
  routerState.params = {};
  modalAnswers.length = 0;
  didShow.clear();
  for (const fn of Object.values(Taro)) {
    if (typeof fn === 'function' && 'mockClear' in fn) (fn as jest.Mock).mockClear();
  }
}

export default Taro;
