/** Jest in native ESM mode (NestJS 12 is ESM-only): run through `npm test`. */
export default {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^nestjs-core-lib-jobs$': '<rootDir>/lib/index.ts',
    '^nestjs-core-lib-jobs/(redis|postgres)$': '<rootDir>/lib/cluster-$1.ts',
    '^nestjs-core-lib-jobs/(prometheus|opentelemetry|terminus|dashboard|testing)$': '<rootDir>/lib/$1.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
};
