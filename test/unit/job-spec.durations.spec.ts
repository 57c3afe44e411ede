import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { resolveModuleOptions } from '../../lib/core-lib-jobs.options.js';
import { resolveJobSpec, type JobSpecInput } from '../../lib/engine/job-spec.js';
import {
  BaseJob,
  InvalidJobsConfigError,
  JobScheduler,
  JobSchedulerError,
} from '../../lib/index.js';
import { standaloneScheduler } from '../fixtures/standalone-scheduler.js';

/** One rule for every duration, in the spec resolver: whole ms, finite, >= 0; frequency >= 1 ms. */

const IN_CODE = { numbersAreMs: true, requireInitialDelay: false };
const IN_YAML = { numbersAreMs: false, requireInitialDelay: false };
const MAX_TIMER = 2 ** 31 - 1;

class Counter extends BaseJob {
  runs = 0;
  run(): void {
    this.runs++;
  }
}

let scheduler: JobScheduler;

beforeEach(() => {
  jest.useFakeTimers({ now: Date.UTC(2026, 0, 5) });
  scheduler = standaloneScheduler().scheduler;
  jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  scheduler.stopAll();
  jest.useRealTimers();
  jest.restoreAllMocks();
});

/** The JobSchedulerError a call throws; fails the test if it throws nothing. */
function thrownBy(call: () => unknown): JobSchedulerError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(JobSchedulerError);
    return error as JobSchedulerError;
  }
  throw new Error('expected a JobSchedulerError, but nothing was thrown');
}

describe('a frequency below the scheduler step (1 ms) is refused, not run', () => {
  // Before: 1e-9 was accepted and the timer loop spun forever (due + 1e-9 === due at epoch
  // magnitudes); 0.5 ran the job twice per millisecond.
  it.each([1e-9, 0.5, 0.999, 1.5, 0])(
    'schedule(0, %p, job) throws a JobSchedulerError and arms nothing',
    (frequency) => {
      const job = new Counter();
      const error = thrownBy(() => scheduler.schedule(0, frequency, job));
      expect(error.message).toContain(`frequency: ${frequency} is invalid, expected a`);
      expect(error.message).toMatch(
        frequency === 0 ? /at least 1ms/ : /whole number of milliseconds/,
      );
      expect(scheduler.list()).toEqual([]);
      expect(jest.getTimerCount()).toBe(0);
      jest.advanceTimersByTime(10);
      expect(job.runs).toBe(0);
    },
  );

  it('keeps a 1 ms frequency, once per millisecond', () => {
    const job = new Counter();
    scheduler.schedule(1, 1, job);
    jest.advanceTimersByTime(10);
    expect(job.runs).toBe(10);
  });

  it.each(['0.4ms', '0.0001s', '0ms', '0s'])(
    'refuses the YAML text %j (whole ms after rounding: 0)',
    (text) => {
      const { trigger, issues } = resolveJobSpec({ initialDelay: '0s', frequency: text }, IN_YAML);
      expect(trigger).toBeUndefined();
      expect(issues).toEqual([
        { field: 'frequency', value: text, expected: expect.stringContaining('at least 1ms') },
      ]);
    },
  );

  it.each<[string, number]>([
    ['0.5ms', 1],
    ['1.5ms', 2],
    ['0.0015s', 2],
    ['1ms', 1],
  ])('rounds the YAML text %j to %d ms, as the README says', (text, ms) => {
    expect(resolveJobSpec({ initialDelay: '0s', frequency: text }, IN_YAML).trigger).toMatchObject({
      frequencyMs: ms,
    });
  });
});

describe('every duration field takes whole, finite milliseconds from code', () => {
  const fields: Array<keyof JobSpecInput> = [
    'initialDelay',
    'frequency',
    'misfireThreshold',
    'jitter',
    'timeout',
    'retryDelay',
  ];
  const bad: Array<[unknown, string]> = [
    [Number.NaN, 'NaN is not a duration'],
    [Infinity, 'Infinity is not a duration'],
    [-Infinity, '-Infinity is not a duration'],
    [-1, 'durations cannot be negative'],
    [0.5, "the scheduler's step is 1 ms"],
    [2 ** 53, `at most ${Number.MAX_SAFE_INTEGER}`],
  ];
  const cases = fields.flatMap((field) => bad.map(([value, why]) => [field, value, why] as const));

  it.each(cases)('%s: %p is refused (%s)', (field, value, why) => {
    const input: JobSpecInput = { initialDelay: 0, frequency: 1_000, [field]: value };
    const { trigger, policy, issues } = resolveJobSpec(input, IN_CODE);
    expect(trigger ?? policy).toBeUndefined();
    expect(issues).toEqual([{ field, value, expected: expect.stringContaining(`(${why})`) }]);
  });

  it('names the field and prints NaN and Infinity as such (JSON would say null)', () => {
    expect(
      thrownBy(() => scheduler.schedule(0, 1_000, new Counter(), { jitter: Number.NaN })).message,
    ).toContain('jitter: NaN is invalid, expected a whole number of milliseconds');
    expect(thrownBy(() => scheduler.scheduleOnce(Infinity, new Counter())).message).toContain(
      'initialDelay: Infinity is invalid',
    );
  });

  it('accepts long delays and periods (the engine re-arms in steps): a safe integer is enough', () => {
    const { trigger, policy } = resolveJobSpec(
      {
        initialDelay: 2 ** 40,
        frequency: '1000y',
        misfireThreshold: Number.MAX_SAFE_INTEGER,
        jitter: '10y',
      },
      IN_CODE,
    );
    expect(trigger).toEqual({
      kind: 'interval',
      initialDelayMs: 2 ** 40,
      frequencyMs: 31_557_600_000_000,
    });
    expect(policy).toMatchObject({
      misfireThresholdMs: Number.MAX_SAFE_INTEGER,
      jitterMs: 315_576_000_000,
    });
  });

  // A Node timer longer than 2^31 - 1 ms fires after 1 ms: a '30d' timeout would fail every run.
  it.each<[keyof JobSpecInput, unknown]>([
    ['timeout', MAX_TIMER + 1],
    ['retryDelay', '25d'],
    ['timeout', '1y'],
  ])('%s %p: refused, longer than a Node timer', (field, value) => {
    const { issues } = resolveJobSpec({ initialDelay: 0, [field]: value }, IN_CODE);
    expect(issues).toEqual([
      {
        field,
        value,
        expected: expect.stringMatching(/^a duration of at most 3w3d20h31m23\.647s \(the longest/),
      },
    ]);
  });

  it('accepts a timeout and a retryDelay of exactly 2^31 - 1 ms', () => {
    const { policy } = resolveJobSpec(
      { initialDelay: 0, timeout: MAX_TIMER, retryDelay: MAX_TIMER },
      IN_CODE,
    );
    expect(policy).toMatchObject({ timeoutMs: MAX_TIMER, retryDelayMs: MAX_TIMER });
  });

  it.each([0.5, Number.NaN, MAX_TIMER + 1])(
    'forRoot({ shutdownTimeout: %p }) fails startup with an InvalidJobsConfigError',
    (value) => {
      expect(() => resolveModuleOptions({ shutdownTimeout: value })).toThrow(
        InvalidJobsConfigError,
      );
      expect(() => resolveModuleOptions({ shutdownTimeout: value })).toThrow(
        `shutdownTimeout: ${value} is invalid`,
      );
    },
  );

  it('YAML numbers stay errors, with the add-a-unit hint only where a unit would help', () => {
    const expectedOf = (value: number) =>
      resolveJobSpec({ initialDelay: value }, IN_YAML).issues[0].expected;
    expect(expectedOf(30)).toMatch(/add a unit|needs a unit, e\.g\. '30s'/);
    for (const value of [Number.NaN, Infinity, -5]) expect(expectedOf(value)).not.toMatch(/unit/);
  });
});
