/**
 * Jest in native ESM mode (NestJS 12 is ESM-only): run through `npm test` (all projects) or
 * `npm run test:<project>`. A test file's name says what it needs: `*.redis.spec.ts` and
 * `*.postgres.spec.ts` need those servers, `*.real-clock.spec.ts` measures real time,
 * `*.browser.spec.ts` drives Chromium.
 */
const SERVICES = '\\.(redis|postgres|services)\\.spec\\.ts$';
const REAL_CLOCK = '\\.real-clock\\.spec\\.ts$';
const BROWSER = '\\.browser\\.spec\\.ts$';

const base = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^nestjs-core-lib-jobs$': '<rootDir>/lib/index.ts',
    '^nestjs-core-lib-jobs/(redis|postgres)$': '<rootDir>/lib/cluster-$1.ts',
    '^nestjs-core-lib-jobs/(prometheus|opentelemetry|terminus|dashboard|testing)$':
      '<rootDir>/lib/$1.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
};

const project = (displayName, testRegex, extra = {}) => ({
  ...base,
  displayName,
  testRegex,
  ...extra,
});

export default {
  // A global option: inside `projects` Jest ignores it.
  testTimeout: 30000,
  projects: [
    project('unit', '/test/unit/.*\\.spec\\.ts$', {
      testPathIgnorePatterns: ['/node_modules/', SERVICES, REAL_CLOCK, BROWSER],
    }),
    project('e2e', '/test/(?!unit/).*\\.spec\\.ts$', {
      testPathIgnorePatterns: ['/node_modules/', SERVICES, REAL_CLOCK, BROWSER],
    }),
    project('services', SERVICES, {
      globalSetup: '<rootDir>/test/setup/services.global-setup.mjs',
    }),
    project('real-clock', REAL_CLOCK),
    project('browser', BROWSER, { globalSetup: '<rootDir>/test/setup/browser.global-setup.mjs' }),
  ],
};
