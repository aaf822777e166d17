// Small polyfills for older mini-program engines and browsers (iOS < 15.4 lacks Object.hasOwn, which the
// shared token code in common/ uses for the offline check).
if (typeof (Object as any).hasOwn !== 'function') {
  Object.defineProperty(Object, 'hasOwn', {
    value: (o: object, key: PropertyKey) => Object.prototype.hasOwnProperty.call(o, key),
    configurable: true,
    writable: true,
  });
}

export {};
