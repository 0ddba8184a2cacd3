/** Jest: TypeScript through SWC (no type-check at test time; `npm run typecheck` does that). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // The package suites (npm pack, a consumer app installing the tarball) take minutes: `npm run test:package`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/package/'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // Only our own TypeScript is transformed; ESM-only dependencies are loaded through Node's require(esm).
  transformIgnorePatterns: ['/node_modules/'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/setup-jest.ts'],
  maxWorkers: 2,
  testTimeout: 30000,
};
