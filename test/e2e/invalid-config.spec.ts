import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { CoreLibJobsModule, InvalidJobsConfigError } from '../../lib/index.js';
import {
  appYaml,
  captureLogs,
  closeApps,
  fixtureApp,
  startupFailure,
} from '../fixtures/fixture-app.js';
import {
  BadCodeScheduleJob,
  FixtureCoreLib,
  HeartbeatJob,
  SendReport,
  UpdateCache,
  resetLogs,
  runLog,
} from '../fixtures/fixture-jobs.js';

beforeEach(() => {
  resetLogs();
  captureLogs();
  jest.useFakeTimers();
  delete process.env.FIXTURE_UNSET_FREQUENCY;
});

afterEach(async () => {
  await closeApps();
  jest.useRealTimers();
  jest.restoreAllMocks();
});

/**
 * Starts the fixture app on `test/fixtures/apps/invalid/<file>` and returns the startup error's
 * problems. The app must refuse to start in `init()`, with an InvalidJobsConfigError, and no job
 * may run afterwards.
 */
async function problemsOf(
  file: string,
  extraProviders: Array<new (...args: never[]) => unknown> = [],
): Promise<string[]> {
  const { phase, error } = await startupFailure(
    fixtureApp({
      jobsModule: CoreLibJobsModule.forRoot({
        config: appYaml(`invalid/${file}`),
        coreLib: FixtureCoreLib,
      }),
      providers: [UpdateCache, SendReport, ...extraProviders],
    }),
  );
  expect(phase).toBe('init');
  expect(error).toBeInstanceOf(InvalidJobsConfigError);
  const problems = (error as InvalidJobsConfigError).problems;
  for (const problem of problems) expect(error.message).toContain(problem); // one line each in the message
  await jest.advanceTimersByTimeAsync(24 * 3600_000);
  expect(runLog).toEqual([]);
  return problems;
}

/** The one problem reported. */
async function onlyProblem(file: string): Promise<string> {
  const problems = await problemsOf(file);
  expect(problems).toHaveLength(1);
  return problems[0];
}

/** Checks that one problem line names the file (and line), the entry, the field, the value and what was expected. */
function expectNames(
  problem: string,
  parts: {
    file: string;
    line: number;
    index: number;
    name: string;
    className: string;
    field: string;
    value: string;
  },
): void {
  expect(problem).toContain(`${appYaml(`invalid/${parts.file}`)}:${parts.line} `);
  expect(problem).toMatch(new RegExp(`core_lib\\.jobs(\\[${parts.index}\\]|\\.${parts.index}\\b)`));
  expect(problem).toContain(`name '${parts.name}'`);
  expect(problem).toContain(`class '${parts.className}'`);
  expect(problem).toContain(`${parts.field}: `);
  expect(problem).toContain(parts.value);
  expect(problem).toContain('expected');
}

describe('an invalid config refuses to start, saying where and why', () => {
  it('unknown handler.class: lists the known job names and suggests the closest', async () => {
    const problem = await onlyProblem('unknown-class.yaml');
    expectNames(problem, {
      file: 'unknown-class.yaml',
      line: 6,
      index: 0,
      name: 'cache',
      className: 'UpdateCach',
      field: 'handler.class',
      value: '"UpdateCach"',
    });
    expect(problem).toMatch(/UpdateCache, send-report/);
    expect(problem).toMatch(/did you mean 'UpdateCache'/);
  });

  it('unknown key: suggests the closest valid key', async () => {
    const problem = await onlyProblem('unknown-key.yaml');
    expectNames(problem, {
      file: 'unknown-key.yaml',
      line: 5,
      index: 0,
      name: 'cache',
      className: 'UpdateCache',
      field: 'frequncy',
      value: '"30s"',
    });
    expect(problem).toMatch(/did you mean 'frequency'/);
  });

  it('bad duration', async () => {
    const problem = await onlyProblem('bad-duration.yaml');
    expectNames(problem, {
      file: 'bad-duration.yaml',
      line: 5,
      index: 0,
      name: 'cache',
      className: 'UpdateCache',
      field: 'frequency',
      value: '"every now and then"',
    });
    expect(problem).toMatch(/expected a duration such as '30s'/);
  });

  it('bare number: the hint says to add a unit', async () => {
    const problem = await onlyProblem('bare-number.yaml');
    expectNames(problem, {
      file: 'bare-number.yaml',
      line: 5,
      index: 0,
      name: 'cache',
      className: 'UpdateCache',
      field: 'frequency',
      value: 'got 30',
    });
    expect(problem).toMatch(/unit, e\.g\. '30s'/);
  });

  it('negative duration', async () => {
    const problem = await onlyProblem('negative-duration.yaml');
    expectNames(problem, {
      file: 'negative-duration.yaml',
      line: 4,
      index: 0,
      name: 'cache',
      className: 'UpdateCache',
      field: 'initial_delay',
      value: '"-5s"',
    });
    expect(problem).toMatch(/negative/);
  });

  it('duplicate names: names both entries', async () => {
    const problem = await onlyProblem('duplicate-names.yaml');
    expectNames(problem, {
      file: 'duplicate-names.yaml',
      line: 7,
      index: 1,
      name: 'cache',
      className: 'send-report',
      field: 'name',
      value: '"cache"',
    });
    expect(problem).toMatch(/unique name.*entries 0 and 1/);
  });

  it('frequency and cron together: names both fields', async () => {
    const problem = await onlyProblem('frequency-and-cron.yaml');
    expectNames(problem, {
      file: 'frequency-and-cron.yaml',
      line: 6,
      index: 0,
      name: 'cache',
      className: 'UpdateCache',
      field: 'cron',
      value: '"0 16 * * *"',
    });
    expect(problem).toMatch(/frequency/);
  });

  it('bad cron expression', async () => {
    const problem = await onlyProblem('bad-cron.yaml');
    expectNames(problem, {
      file: 'bad-cron.yaml',
      line: 4,
      index: 0,
      name: 'cache',
      className: 'UpdateCache',
      field: 'cron',
      value: '"61 16 * * *"',
    });
    expect(problem).toMatch(/cron expression/);
  });

  it('bad time_zone', async () => {
    const problem = await onlyProblem('bad-time-zone.yaml');
    expectNames(problem, {
      file: 'bad-time-zone.yaml',
      line: 5,
      index: 0,
      name: 'cache',
      className: 'UpdateCache',
      field: 'time_zone',
      value: '"Mars/Olympus_Mons"',
    });
    expect(problem).toMatch(/IANA time zone/);
  });

  it('missing initial_delay', async () => {
    const problem = await onlyProblem('missing-initial-delay.yaml');
    expectNames(problem, {
      file: 'missing-initial-delay.yaml',
      line: 3,
      index: 0,
      name: 'cache',
      className: 'UpdateCache',
      field: 'initial_delay',
      value: 'missing',
    });
    expect(problem).toMatch(/'boot', 'startup' or a duration/);
  });

  it('unset environment variable without a default: names the entry, the field, the variable', async () => {
    const problem = await onlyProblem('unset-env.yaml');
    expectNames(problem, {
      file: 'unset-env.yaml',
      line: 5,
      index: 0,
      name: 'cache',
      className: 'UpdateCache',
      field: 'frequency',
      value: '${oc.env:FIXTURE_UNSET_FREQUENCY}',
    });
    expect(problem).toMatch(/FIXTURE_UNSET_FREQUENCY is not set/);
  });

  it('a YAML alias inside its own anchor: names the file, the line and the path, no stack overflow', async () => {
    const problem = await onlyProblem('recursive-alias.yaml');
    expect(problem).toBe(
      `${appYaml('invalid/recursive-alias.yaml')}:8 core_lib.jobs.0.handler.params: contains itself ` +
        '(an alias inside its own anchor, such as *x within &x, or a cyclic object); expected plain data without cycles',
    );
  });

  it('prototype names: unknown cluster keys even when cluster mode is off, and env variables like any other', async () => {
    const problems = await problemsOf('prototype-names.yaml');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'core_lib.jobs_cluster: constructor: got "x", expected one of the known keys: backend, ',
        ),
        expect.stringContaining(
          'core_lib.jobs_cluster: toString: got "y", expected one of the known keys: backend, ',
        ),
        expect.stringMatching(
          /:10 core_lib\.jobs\[0\] \(name 'cache', class 'UpdateCache'\): timeout: got "\$\{toString\}", .*environment variable toString is not set/,
        ),
      ]),
    );
    // ${oc.env:constructor,5s} took its default: frequency is not among the problems.
    expect(problems).toHaveLength(3);
  });

  it('a frequency below 1 ms', async () => {
    const problem = await onlyProblem('sub-millisecond.yaml');
    expectNames(problem, {
      file: 'sub-millisecond.yaml',
      line: 5,
      index: 0,
      name: 'cache',
      className: 'UpdateCache',
      field: 'frequency',
      value: '"0.4ms"',
    });
    expect(problem).toMatch(/at least 1ms/);
  });

  it('YAML syntax error: gives the line and column', async () => {
    const problem = await onlyProblem('syntax-error.yaml');
    expect(problem).toMatch(
      new RegExp(
        `^${escape(appYaml('invalid/syntax-error.yaml'))}:[45]:\\d+ YAML syntax error: \\S`,
      ),
    );
  });

  it('missing file (explicit path): names the path', async () => {
    const problem = await onlyProblem('no-such-file.yaml');
    expect(problem).toContain(appYaml('invalid/no-such-file.yaml'));
    expect(problem).toMatch(/not found/);
  });
});

describe('a config with several problems', () => {
  it('reports all of them in one error, one line each, and runs nothing, not even the good entry', async () => {
    const problems = await problemsOf('many-problems.yaml');
    expect(problems).toHaveLength(5);
    const of = (index: number) => problems.filter((p) => p.includes(`core_lib.jobs[${index}]`));
    expect(of(0)).toEqual([]); // the good entry
    expect(of(1)).toEqual([
      expect.stringMatching(/name 'typo-class'.*handler\.class: got "UpdateCach"/),
    ]);
    expect(of(2)).toEqual([
      expect.stringMatching(/name 'typo-key'.*frequncy: .*did you mean 'frequency'/),
    ]);
    expect(of(3)).toEqual([
      expect.stringMatching(/name 'bad-duration'.*initial_delay: got "soon"/),
    ]);
    expect(of(4)).toEqual([expect.stringMatching(/name 'bare-number'.*frequency: got 30.*unit/)]);
    expect(of(5)).toEqual([
      expect.stringMatching(/name 'good'.*name: got "good".*entries 0 and 5/),
    ]);
    for (const problem of problems)
      expect(problem).toContain(appYaml('invalid/many-problems.yaml'));
  });

  it('reports YAML problems and bad @Job() schedules together, and runs no code job either', async () => {
    const problems = await problemsOf('many-problems.yaml', [BadCodeScheduleJob, HeartbeatJob]);
    expect(problems).toHaveLength(7);
    expect(problems.filter((p) => p.includes('BadCodeScheduleJob'))).toHaveLength(2);
  });

  it('reports an unset environment variable together with the other problems of the file', async () => {
    const problems = await problemsOf('env-and-other-problems.yaml');
    expect(problems).toEqual([
      expect.stringContaining('FIXTURE_UNSET_FREQUENCY'),
      expect.stringMatching(/initial_delay: got "soon"/),
    ]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('invalid document shapes', () => {
  const failureOf = async (config: Record<string, unknown>) => {
    const { phase, error } = await startupFailure(
      fixtureApp({ jobsModule: CoreLibJobsModule.forRoot({ config }), providers: [UpdateCache] }),
    );
    expect(phase).toBe('init');
    expect(error).toBeInstanceOf(InvalidJobsConfigError);
    return error.message;
  };

  it('a job list that is not a list', async () => {
    expect(await failureOf({ core_lib: { jobs: { initial_delay: 'boot' } } })).toMatch(
      /<inline config>.*core_lib\.jobs: expected a list of jobs, found a mapping/,
    );
  });

  it('a cyclic object: names the path, no stack overflow', async () => {
    const jobs: unknown[] = [];
    jobs.push({ initial_delay: 'boot', handler: { class: 'UpdateCache', params: { jobs } } });
    expect(await failureOf({ core_lib: { jobs } })).toMatch(
      /<inline config> core_lib\.jobs\.0\.handler\.params\.jobs: contains itself/,
    );
  });

  it('a bad core_lib.jobs_shutdown_timeout', async () => {
    expect(await failureOf({ core_lib: { jobs_shutdown_timeout: 'soon', jobs: [] } })).toMatch(
      /jobs_shutdown_timeout.*"soon"/,
    );
  });
});
