import { describe, expect, it } from '@jest/globals';
import { resolveClusterConfig } from '../../lib/cluster/cluster-options.resolver.js';
import { clusterOptionProblems } from '../../lib/cluster/cluster-options.validator.js';
import { InvalidJobsConfigError } from '../../lib/errors/invalid-jobs-config.error.js';

const WHERE = 'core_lib.yaml: core_lib.jobs_cluster';
const problemsOf = (section: unknown): string[] => {
  try {
    resolveClusterConfig(section, WHERE);
  } catch (error) {
    if (error instanceof InvalidJobsConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected an InvalidJobsConfigError');
};

describe('resolveClusterConfig (YAML core_lib.jobs_cluster)', () => {
  it('maps snake_case keys to ClusterOptions', () => {
    expect(
      resolveClusterConfig(
        {
          backend: 'redis',
          url: 'redis://cache:6379/2',
          key_prefix: 'shop',
          lease: '45s',
          replica_id: 'web-1',
        },
        WHERE,
      ),
    ).toEqual({
      backend: 'redis',
      url: 'redis://cache:6379/2',
      keyPrefix: 'shop',
      lease: '45s',
      replicaId: 'web-1',
    });
    expect(
      resolveClusterConfig(
        {
          backend: 'postgres',
          url: 'postgresql://u@db/app',
          table: 'ops.job_locks',
          enabled: 'true',
        },
        WHERE,
      ),
    ).toEqual({
      backend: 'postgres',
      url: 'postgresql://u@db/app',
      table: 'ops.job_locks',
    });
  });

  it('is off with enabled: false (an env value too), backend or not', () => {
    expect(resolveClusterConfig({ enabled: false }, WHERE)).toBeUndefined();
    expect(
      resolveClusterConfig({ enabled: 'False', backend: 'redis', url: 'redis://x' }, WHERE),
    ).toBeUndefined();
  });

  it('reports every problem at once, one line each: where, field, value, expected', () => {
    expect(
      problemsOf({
        backend: 'redis',
        url: 'postgres://db/app',
        leese: '30s',
        lease: 30,
        table: 'locks',
        replica_id: '',
        enabled: 'yes',
      }),
    ).toEqual([
      `${WHERE}: leese: got "30s", expected a known key; did you mean 'lease'?`,
      `${WHERE}: enabled: got "yes", expected true or false`,
      `${WHERE}: table: got "locks", expected no 'table' here: it is for backend 'postgres'`,
      `${WHERE}: url: got "postgres://db/app", expected a redis:// or rediss:// URL`,
      `${WHERE}: replica_id: got "", expected a non-empty string`,
      `${WHERE}: lease: got 30, expected a duration of at least 1s, such as '30s'`,
    ]);
  });

  it('needs a backend it can build from YAML, and a usable lease and table', () => {
    expect(problemsOf({ url: 'redis://x' })).toEqual([
      `${WHERE}: backend: missing, expected 'redis' or 'postgres'`,
    ]);
    expect(problemsOf({ backend: 'custom' })).toEqual([
      `${WHERE}: backend: got "custom", expected 'redis' or 'postgres'`,
    ]);
    expect(
      problemsOf({
        backend: 'postgres',
        lease: '500ms',
        table: 'locks; drop table x',
        key_prefix: 3,
      }),
    ).toEqual([
      `${WHERE}: table: got "locks; drop table x", expected a table name such as ` +
        `'core_lib_job_locks' or 'jobs.locks' (letters, digits, '_')`,
      `${WHERE}: key_prefix: got 3, expected a non-empty string`,
      `${WHERE}: lease: got "500ms", expected a duration of at least 1s, such as '30s'`,
    ]);
  });

  describe('prototype names are unknown keys, whether cluster mode is on or off', () => {
    const KNOWN = 'backend, url, key_prefix, lease, replica_id, table, enabled';
    it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])('%s', (key) => {
      for (const base of [{ enabled: false }, { backend: 'redis' }]) {
        const section = { ...base };
        // An own key, as YAML makes it.
        Object.defineProperty(section, key, { value: 1, enumerable: true });
        expect(problemsOf(section)).toEqual([
          `${WHERE}: ${key}: got 1, expected one of the known keys: ${KNOWN}`,
        ]);
      }
    });

    it('from YAML text too', () => {
      expect(
        problemsOf(JSON.parse('{ "enabled": false, "__proto__": { "backend": "redis" } }')),
      ).toEqual([
        `${WHERE}: __proto__: got {"backend":"redis"}, expected one of the known keys: ${KNOWN}`,
      ]);
    });
  });

  describe('lease: whole ms, from 1s to a Node timer (renewed every third of it)', () => {
    it.each(['30d', '1y'])('%j is too long', (lease) => {
      expect(problemsOf({ backend: 'redis', lease })).toEqual([
        `${WHERE}: lease: got "${lease}", expected a duration of at most 3w3d20h31m23.647s ` +
          `(the longest delay of a Node timer, about 24.8 days)`,
      ]);
    });

    it('accepts the parse-duration forms and the bounds', () => {
      expect(resolveClusterConfig({ backend: 'redis', lease: '1.5 hours' }, WHERE)).toMatchObject({
        lease: '1.5 hours',
      });
      expect(problemsOf({ backend: 'redis', lease: '1 hr 1 day' })).toEqual([
        expect.stringContaining('lease: got "1 hr 1 day"'),
      ]);
      expect(clusterOptionProblems({ backend: 'redis', lease: 2 ** 31 - 1 }, 'w')).toEqual([]);
      expect(clusterOptionProblems({ backend: 'redis', lease: 1_000 }, 'w')).toEqual([]);
    });

    it.each([1_500.5, Number.NaN, Infinity])('forRoot lease %p: says why', (lease) => {
      expect(clusterOptionProblems({ backend: 'redis', lease }, 'w')).toEqual([
        expect.stringMatching(
          new RegExp(
            `^w: cluster\\.lease: ${lease} is invalid, expected a whole number of milliseconds`,
          ),
        ),
      ]);
    });
  });

  it('wants a mapping', () => {
    expect(problemsOf('redis')).toEqual([
      `${WHERE}: got "redis", expected a mapping such as { backend: redis, url: ` +
        `'\${oc.env:REDIS_URL}' }`,
    ]);
  });
});

describe('clusterOptionProblems (forRoot({ cluster }))', () => {
  const where = 'CoreLibJobsModule options';

  it('accepts each backend with its own fields', () => {
    expect(
      clusterOptionProblems(
        { backend: 'redis', url: 'rediss://cache', lease: 10_000, keyPrefix: 'p', replicaId: 'a' },
        where,
      ),
    ).toEqual([]);
    expect(
      clusterOptionProblems(
        { backend: 'postgres', pool: { query() {}, connect() {} }, table: 'locks' },
        where,
      ),
    ).toEqual([]);
    const lock = { time() {}, anchor() {}, claim() {}, extend() {}, release() {}, close() {} };
    expect(clusterOptionProblems({ backend: 'custom', lock }, where)).toEqual([]);
  });

  it('reports every problem with the option path', () => {
    expect(
      clusterOptionProblems(
        { backend: 'redis', url: 'redis://x', client: {}, keyPrefx: 'p', lease: 999 },
        where,
      ),
    ).toEqual([
      `${where}: cluster.keyPrefx: "p" is invalid, expected a known option; did you mean ` +
        `'keyPrefix'?`,
      `${where}: cluster.url: "redis://x" is invalid, expected either 'url' or 'client', not both`,
      `${where}: cluster.client: {} is invalid, expected an ioredis client (new Redis(...))`,
      `${where}: cluster.lease: 999 is invalid, expected a duration of at least 1s, such as ` +
        `'30s' or 30000 (ms)`,
    ]);
    expect(clusterOptionProblems({ backend: 'custom', lock: { time() {} } }, where)).toEqual([
      `${where}: cluster.lock: {} is invalid, expected a JobLock (an object with time, ` +
        `anchor, claim, extend, release, close)`,
    ]);
  });
});
