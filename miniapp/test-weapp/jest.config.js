/**
 * Smoke test of the BUILT WeChat mini-program (dist/weapp) under miniprogram-simulate.
 * Run `npm run build:weapp` first. The built files are plain CommonJS for the mini-program
 * runtime: no transform, no module mapping.
 */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/**/*.test.js'],
  transform: {},
  testTimeout: 20000,
};
