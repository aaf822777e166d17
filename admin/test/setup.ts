// jsdom lacks a few browser APIs antd relies on.
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';

afterEach(() => cleanup());

if (typeof window !== 'undefined') {
  window.matchMedia ??= ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  })) as unknown as typeof window.matchMedia;
  // jsdom computes styles by walking every rule of every <style> antd's CSS-in-JS inserted: hundreds of
  // milliseconds per call, and antd calls it on each click (wave effect) and popup. Layout is not what
  // these tests check, so every element gets an empty computed style.
  const empty = new Proxy({} as CSSStyleDeclaration, {
    get: (_t, prop) => (prop === 'getPropertyValue' ? () => '' : prop === 'length' ? 0 : ''),
  });
  window.getComputedStyle = (() => empty) as typeof window.getComputedStyle;
  (globalThis as { ResizeObserver?: unknown }).ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}

// antd's form validation is asynchronous and jsdom is slow to lay out its styles: allow more than 1 s.
import { configure } from '@testing-library/react';
configure({ asyncUtilTimeout: 5000 });
