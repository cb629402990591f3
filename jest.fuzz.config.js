/**
 * Long randomised run (npm run fuzz): only test/fuzz, with the same transform as jest.config.js.
 * The time budget is FUZZ_SECONDS (default 600); the test timeout leaves room for shrinking a failure
 * and writing the regression files.
 */
import base from './jest.config.js';

const fuzzSeconds = Number(process.env.FUZZ_SECONDS ?? 600) || 600;

export default {
  ...base,
  testMatch: ['<rootDir>/test/fuzz/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: (fuzzSeconds + 300) * 1000,
};
