import { describe, expect, it } from '@jest/globals';
import { InvalidJobsConfigError } from '../../lib/errors/invalid-jobs-config.error.js';
import { resolveStoreConfig } from '../../lib/store/config/store-options.resolver.js';
import { storeOptionProblems } from '../../lib/store/config/store-options.validator.js';
import { MemoryJobStore } from '../../lib/store/memory-job-store.js';

const WHERE = 'core_lib.yaml: core_lib.jobs_store';
const HISTORY = 'a whole number of runs from 0 (none kept) to 10000';
const KEYS = 'one of the known keys: backend, path, url, key_prefix, table, history';
const SERVERS = "it is for backend 'redis' or 'postgres'";
const problemsOf = (section: unknown): string[] => {
  try {
    resolveStoreConfig(section, WHERE);
  } catch (error) {
    if (error instanceof InvalidJobsConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected an InvalidJobsConfigError');
};

describe('resolveStoreConfig (YAML core_lib.jobs_store)', () => {
  it('maps snake_case keys to JobStoreOptions', () => {
    expect(
      resolveStoreConfig({ backend: 'file', path: 'var/jobs.json', history: 20 }, WHERE),
    ).toEqual({
      backend: 'file',
      path: 'var/jobs.json',
      history: 20,
    });
    expect(
      resolveStoreConfig(
        { backend: 'redis', url: 'rediss://cache:6380/1', key_prefix: 'shop', history: '0' },
        WHERE,
      ),
    ).toEqual({
      backend: 'redis',
      url: 'rediss://cache:6380/1',
      keyPrefix: 'shop',
      history: 0,
    });
    expect(
      resolveStoreConfig(
        { backend: 'postgres', url: 'postgresql://u@db/app', table: 'ops.jobs' },
        WHERE,
      ),
    ).toEqual({
      backend: 'postgres',
      url: 'postgresql://u@db/app',
      table: 'ops.jobs',
    });
    expect(resolveStoreConfig({ backend: 'memory' }, WHERE)).toEqual({ backend: 'memory' });
  });

  it('reports every problem at once: where, field, value and what was expected', () => {
    expect(
      problemsOf({
        backend: 'file',
        pth: 'x.json',
        url: 'redis://x',
        history: -1,
        key_prefix: 'p',
      }),
    ).toEqual([
      `${WHERE}: pth: got "x.json", expected a known key; did you mean 'path'?`,
      `${WHERE}: url: got "redis://x", expected no 'url' here: ${SERVERS}`,
      `${WHERE}: key_prefix: got "p", expected no 'key_prefix' here: ${SERVERS}`,
      `${WHERE}: history: got -1, expected ${HISTORY}`,
    ]);
    expect(
      problemsOf({ backend: 'postgres', url: 'redis://x', table: 'a-b', history: '5 runs' }),
    ).toEqual([
      `${WHERE}: url: got "redis://x", expected a postgres:// or postgresql:// URL`,
      `${WHERE}: table: got "a-b", expected a table name prefix such as 'core_lib_jobs' or ` +
        "'jobs.core_lib' (letters, digits, '_'; at most 47 characters after the schema)",
      `${WHERE}: history: got "5 runs", expected ${HISTORY}`,
    ]);
  });

  it('needs a backend it can build from YAML, and a usable path', () => {
    expect(problemsOf({ path: 'x.json' })).toEqual([
      `${WHERE}: backend: missing, expected 'memory' or 'file' or 'redis' or 'postgres'`,
    ]);
    expect(problemsOf({ backend: 'custom' })[0]).toBe(
      `${WHERE}: backend: got "custom", expected 'memory' or 'file' or 'redis' or 'postgres'`,
    );
    expect(problemsOf({ backend: 'file', path: ' ' })).toEqual([
      `${WHERE}: path: got " ", expected a file path such as .core-lib-jobs/state.json`,
    ]);
  });

  it('looks at own keys only: inherited names are unknown keys, not fields', () => {
    expect(problemsOf({ backend: 'memory', constructor: 1, toString: 'x' })).toEqual([
      `${WHERE}: constructor: got 1, expected ${KEYS}`,
      `${WHERE}: toString: got "x", expected ${KEYS}`,
    ]);
    const inherited = Object.create({ backend: 'file' }) as object;
    expect(problemsOf(inherited)).toEqual([
      `${WHERE}: backend: missing, expected 'memory' or 'file' or 'redis' or 'postgres'`,
    ]);
  });

  it('wants a mapping', () => {
    expect(problemsOf('file')).toEqual([
      `${WHERE}: got "file", expected a mapping such as ` +
        '{ backend: file, path: .core-lib-jobs/state.json }',
    ]);
    expect(problemsOf(null)[0]).toMatch(
      /^core_lib.yaml: core_lib.jobs_store: empty, expected a mapping/,
    );
  });
});

describe('storeOptionProblems (forRoot({ store }))', () => {
  const where = 'CoreLibJobsModule options';

  it('accepts every backend with its own options, and a custom store', () => {
    expect(storeOptionProblems({ backend: 'memory', history: 0 }, where)).toEqual([]);
    expect(storeOptionProblems({ backend: 'file' }, where)).toEqual([]);
    const client = { defineCommand: () => undefined, hget: () => undefined };
    expect(storeOptionProblems({ backend: 'redis', client, keyPrefix: 'a' }, where)).toEqual([]);
    const pool = { query: () => undefined, connect: () => undefined };
    expect(storeOptionProblems({ backend: 'postgres', pool, table: 'jobs' }, where)).toEqual([]);
    expect(storeOptionProblems({ backend: 'custom', store: new MemoryJobStore() }, where)).toEqual(
      [],
    );
  });

  it('names the field, the value and what was expected', () => {
    expect(
      storeOptionProblems({ backend: 'redis', url: 'redis://x', client: {}, histroy: 3 }, where),
    ).toEqual([
      `${where}: store.histroy: 3 is invalid, expected a known option; did you mean 'history'?`,
      `${where}: store.url: "redis://x" is invalid, expected either 'url' or 'client', not both`,
      `${where}: store.client: {} is invalid, expected an ioredis client (new Redis(...))`,
    ]);
    expect(storeOptionProblems({ backend: 'custom', store: { open() {} } }, where)).toEqual([
      `${where}: store.store: {} is invalid, expected a JobStore (an object with open, ` +
        'runStarted, heartbeat, runEnded, markTick, lastTick, state, states, history, ' +
        'reapAbandoned, close)',
    ]);
    expect(storeOptionProblems({ backend: 'memory', history: 2.5 }, where)).toEqual([
      `${where}: store.history: 2.5 is invalid, expected ${HISTORY}`,
    ]);
    expect(storeOptionProblems({ backend: 'custom' }, where)).toEqual([
      expect.stringMatching(
        /^CoreLibJobsModule options: store\.store: undefined is invalid, expected a JobStore/,
      ),
    ]);
    // Digits in a string are for YAML's interpolated values only.
    expect(storeOptionProblems({ backend: 'file', history: '3' }, where)).toHaveLength(1);
    expect(storeOptionProblems('file', where)).toEqual([
      `${where}: store: "file" is invalid, expected ` +
        "{ backend: 'memory' | 'file' | 'redis' | 'postgres' | 'custom', ... }",
    ]);
  });
});
