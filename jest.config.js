/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // Integration suites each start a Temporal dev server and sshd hosts; two at a time fits 2 cores.
  maxWorkers: 2,
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/harness/summary-reporter.js'],
};
