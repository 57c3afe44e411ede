// typescript-eslint with a small rule set: what catches bugs, not matters of taste (Prettier
// owns formatting).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-all/',
      'dist-sample/',
      'coverage/',
      'bench/results/',
      'bench/.scratch/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        performance: 'readonly',
        globalThis: 'readonly',
        fetch: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        document: 'readonly',
        window: 'readonly',
      },
    },
    rules: {
      // Job classes and core-lib interop take `any` on purpose (`BaseJob<TCoreLib = any>`).
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // `Function` is the type of a class as Nest's discovery hands it over.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['lib/**/*.ts'],
    rules: {
      // Only real sprawl: cohesion decides a file's size, and a low cap made fragments.
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      // The library logs through Nest's Logger, so the app decides where lines go.
      'no-console': 'error',
    },
  },
);
