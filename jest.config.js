// Three projects: fast unit specs next to the code; e2e suites in test/ that boot
// gateway + worker + esc-sim against the real PostgreSQL and Redis; and the flow and
// reliability suites again with BullMQ on its PostgreSQL backend (no Redis involved).
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const e2eShared = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
};

const shared = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
};

module.exports = {
  // e2e waits (waitFor) give up after 20 s: a test has longer than that
  testTimeout: 60000,
  // a safety net: on 2 cores the suites run in one process, and a handle one of them leaks (a
  // server a test forgot) would keep CI waiting for ever; Jest says so when it has to force the exit
  forceExit: true,
  projects: [
    { ...shared, displayName: 'unit', rootDir: __dirname, testMatch: ['<rootDir>/{apps,libs,scripts}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      ...e2eShared,
    },
    {
      ...shared,
      displayName: 'e2e-pg-queue',
      rootDir: __dirname,
      testMatch: ['deploy-and-terminate', 'flow-engine', 'lost-callbacks', 'slow-esc', 'queue-backend', 'instance-update-and-rerun', 'instance-custom-actions'].map((s) => `<rootDir>/test/${s}.e2e-spec.ts`),
      setupFiles: ['<rootDir>/test/support/use-postgres-queue-backend.ts'],
      ...e2eShared,
    },
  ],
};
