import { describe, expect, it } from '@jest/globals';
import { createJobsConfig } from '../../lib/config/jobs-config.factory.js';
import { resolveModuleOptions } from '../../lib/core-lib-jobs.options.js';
import { resolveJobSpec } from '../../lib/engine/job-spec.js';
import { FROM_CODE, FROM_YAML } from '../../lib/engine/prepared-job.js';
import { validateJobsConfig } from '../../lib/config/jobs-config.validator.js';
import { loadConfig } from '../../lib/config/config.loader.js';
import { InvalidJobsConfigError } from '../../lib/index.js';

const configOf = (options: object) => createJobsConfig(resolveModuleOptions(options));
const redisCluster = { backend: 'redis', url: 'redis://127.0.0.1:6379/3', key_prefix: 'app1' };

describe('which store', () => {
  it('is memory when nothing is named', () => {
    expect(configOf({ config: { core_lib: { jobs: [] } } }).store).toEqual({ backend: 'memory' });
  });

  it("is cluster mode's backend, on its connection and key prefix, unless one is named", () => {
    const config = configOf({ config: { core_lib: { jobs: [], jobs_cluster: redisCluster } } });
    expect(config.store).toMatchObject({
      backend: 'redis',
      url: 'redis://127.0.0.1:6379/3',
      keyPrefix: 'app1',
    });
    const named = { backend: 'file', path: 'x.json' };
    const yaml = { core_lib: { jobs: [], jobs_cluster: redisCluster, jobs_store: named } };
    expect(configOf({ config: yaml }).store).toEqual(named);
  });

  it('forRoot({ store }) wins over YAML, and YAML history may come from ${oc.env:...}', () => {
    process.env.STORE_WIRING_HISTORY = '7';
    const yaml = {
      core_lib: {
        jobs: [],
        jobs_store: { backend: 'file', history: '${oc.env:STORE_WIRING_HISTORY}' },
      },
    };
    expect(configOf({ config: yaml }).store).toEqual({ backend: 'file', history: 7 });
    const store = { backend: 'memory', history: 3 };
    expect(configOf({ config: yaml, store }).store).toEqual(store);
  });

  it('a bad YAML section is a problem listed with the others, naming file, field and value', () => {
    const yaml = { core_lib: { jobs: [], jobs_store: { backend: 'file', path: 'x', table: 't' } } };
    expect(configOf({ config: yaml }).problems).toEqual([
      expect.stringMatching(/core_lib\.jobs_store: table: got "t", expected .*postgres/),
    ]);
  });
});

describe('catch-up fields', () => {
  const yamlEntry = (fields: object) => ({
    core_lib: {
      jobs: [{ name: 'j', initial_delay: '1s', handler: { class: 'J' }, ...fields }],
    },
  });
  const problemsOf = (fields: object): string[] => {
    try {
      validateJobsConfig(loadConfig(yamlEntry(fields))!, 'core_lib.jobs', ['J']);
      return [];
    } catch (error) {
      return (error as InvalidJobsConfigError).problems;
    }
  };

  it('default to none, a 1d window and a limit of 10', () => {
    const { policy } = resolveJobSpec({ initialDelay: 0, frequency: 1_000 }, FROM_CODE);
    expect(policy).toMatchObject({
      catchUp: 'none',
      catchUpWindowMs: 86_400_000,
      catchUpLimit: 10,
    });
  });

  it('resolve from code (camelCase) and YAML (snake_case)', () => {
    const code = {
      initialDelay: 0,
      frequency: 1_000,
      catchUp: 'all',
      catchUpWindow: 5_000,
      catchUpLimit: 3,
    } as const;
    expect(resolveJobSpec(code, FROM_CODE).policy).toMatchObject({
      catchUp: 'all',
      catchUpWindowMs: 5_000,
      catchUpLimit: 3,
    });
    const yaml = {
      initialDelay: '1s',
      cron: '* * * * *',
      catchUp: 'last',
      catchUpWindow: '2h',
    } as const;
    expect(resolveJobSpec(yaml, FROM_YAML).policy).toMatchObject({
      catchUp: 'last',
      catchUpWindowMs: 7_200_000,
    });
    expect(
      problemsOf({ frequency: '1s', catch_up: 'all', catch_up_window: '1h', catch_up_limit: 2 }),
    ).toEqual([]);
  });

  it('report bad values with the entry, the field, the value and what was expected', () => {
    const problems = problemsOf({
      frequency: '1s',
      catch_up: 'sometimes',
      catch_up_window: 5,
      catch_up_limit: 0,
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /jobs\[0\] \(name 'j'.*catch_up: got "sometimes", expected one of 'none', 'last', 'all'/,
      ),
      expect.stringMatching(/catch_up_window: got 5, expected a duration.*needs a unit/),
      expect.stringMatching(/catch_up_limit: got 0, expected a whole number, 1 or more/),
    ]);
  });

  it('refuse catch-up on a job that runs once', () => {
    expect(problemsOf({ catch_up: 'last' })).toEqual([
      expect.stringMatching(/catch_up: got "last", expected 'none' for a job that runs once/),
    ]);
    expect(problemsOf({ catch_up: 'none' })).toEqual([]);
  });
});
