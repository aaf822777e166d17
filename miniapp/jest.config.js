/** Component tests: Taro's APIs and components are replaced by small DOM stand-ins (test/mocks). */
module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'mjs', 'json'],
  transform: { '^.+\\.(t|j)sx?$': 'babel-jest', '^.+\\.mjs$': 'babel-jest' },
  moduleNameMapper: {
    '^@tarojs/taro$': '<rootDir>/test/mocks/taro.ts',
    '^@tarojs/components$': '<rootDir>/test/mocks/components.tsx',
    '^@bamin/common/(.*)$': '<rootDir>/../common/src/$1',
    '\\.(css|scss|sass|less)$': '<rootDir>/test/mocks/style.js',
  },
  setupFiles: ['<rootDir>/test/setup.ts'],
};
