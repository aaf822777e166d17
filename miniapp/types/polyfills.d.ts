// ES2022 Object.hasOwn, provided by src/polyfills.ts where the engine lacks it (the project targets es2017).
interface ObjectConstructor {
  hasOwn(o: object, v: PropertyKey): boolean;
}
