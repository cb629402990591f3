/**
 * Long randomised run (npm run fuzz): only test/fuzz. The time budget is FUZZ_SECONDS (default 600);
 * the test timeout leaves room for shrinking a failure and writing the regression files.
 */
const fuzzSeconds = Number(process.env.FUZZ_SECONDS ?? 600) || 600;

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }],
  },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/test/fuzz/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: (fuzzSeconds + 300) * 1000,
};
