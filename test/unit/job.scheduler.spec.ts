import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import {
  BaseJob,
  JobScheduler,
  JobSchedulerError,
  type JobEvent,
  type JobRunContext,
} from '../../lib/index.js';
import type { JobEngine } from '../../lib/engine/job-engine.js';
import { JobsTestClock } from '../../lib/testing.js';
import { standaloneScheduler } from '../fixtures/standalone-scheduler.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

/** Records when (in ms since T0) and with what each run started. */
class Recorder extends BaseJob {
  starts: number[] = [];
  params: unknown[] = [];
  run(params: unknown): void {
    this.starts.push(scheduler.now() - T0);
    this.params.push(params);
  }
}

/** An async job that takes `ms` of (fake) time. */
class Slow extends BaseJob {
  starts: number[] = [];
  ends: number[] = [];
  constructor(private readonly ms: number) {
    super();
  }
  async run(): Promise<void> {
    this.starts.push(scheduler.now() - T0);
    await clock.sleep(this.ms);
    this.ends.push(scheduler.now() - T0);
  }
}

/** A job's failure. */
function fail(): never {
  throw new Error('down');
}

let clock: JobsTestClock;
let registry: SchedulerRegistry;
let scheduler: JobScheduler;
let engine: JobEngine;
let errors: jest.SpiedFunction<Logger['error']>;
let warns: jest.SpiedFunction<Logger['warn']>;

/** The scheduler on virtual time from `at` (its jobs do no real I/O: a short settle wait). */
function startAt(at: Date | number): void {
  scheduler?.stopAll();
  clock = new JobsTestClock({ now: at, settleTimeout: 20 });
  registry = new SchedulerRegistry();
  ({ scheduler, engine } = standaloneScheduler(registry, { clock }));
}

/** For a stalled event loop (a run that moves the system clock): Jest's fake timers instead. */
function useJestFakeTimers(): void {
  scheduler.stopAll();
  jest.useFakeTimers({ now: T0 });
  registry = new SchedulerRegistry();
  ({ scheduler, engine } = standaloneScheduler(registry));
}

beforeEach(() => {
  startAt(T0);
  errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  warns = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  scheduler.stopAll();
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('JobScheduler: core-lib semantics', () => {
  it('scheduleOnce runs once after the delay with params, then leaves the registry', async () => {
    const job = new Recorder();
    scheduler.scheduleOnce('1s', job, { params: { key: 'users' } });
    expect(registry.getTimeouts()).toEqual(['Recorder']);
    await clock.advance(999);
    expect(job.starts).toEqual([]);
    await clock.advance(1);
    expect(job.starts).toEqual([1000]);
    expect(job.params).toEqual([{ key: 'users' }]);
    await clock.advance(10_000);
    expect(job.starts).toHaveLength(1);
    expect(registry.getTimeouts()).toEqual([]);
    expect(scheduler.list()).toEqual([]);
  });

  it('schedule runs after the initial delay, then every frequency, with params', async () => {
    const job = new Recorder();
    scheduler.schedule('2s', '30m', job, { params: { n: 1 } });
    expect(registry.getIntervals()).toEqual(['Recorder']);
    await clock.advance(2_000 + 3 * 30 * 60_000);
    expect(job.starts).toEqual([2_000, 1_802_000, 3_602_000, 5_402_000]);
    expect(job.params).toEqual(Array(4).fill({ n: 1 }));
  });

  it('reads pytimeparse clock forms: 16:00 is 16 minutes', async () => {
    const job = new Recorder();
    scheduler.schedule('startup', '16:00', job);
    await clock.advance(32 * 60_000);
    expect(job.starts).toEqual([0, 960_000, 1_920_000]);
  });

  it('stop cancels future runs, and a run in progress does not reschedule after stop', async () => {
    const job = new Slow(500);
    scheduler.schedule('0s', '1s', job, { mode: 'fixed-delay' });
    await clock.advance(100);
    expect(job.starts).toEqual([0]);
    expect(scheduler.stop(job)).toBe(true);
    await clock.advance(10_000);
    expect(job.ends).toEqual([500]);
    expect(job.starts).toEqual([0]);
    expect(registry.getIntervals()).toEqual([]);
  });

  it('runInParallel: false cancels the earlier instance of the same class', async () => {
    const a = new Recorder();
    const b = new Recorder();
    scheduler.schedule('1s', '1s', a);
    scheduler.schedule('1s', '1s', b, { runInParallel: false });
    await clock.advance(3_000);
    expect(a.starts).toEqual([]);
    expect(b.starts).toEqual([1_000, 2_000, 3_000]);
  });

  it('with runInParallel (default) both instances run, under distinct names', async () => {
    const a = new Recorder();
    const b = new Recorder();
    expect(scheduler.schedule('1s', '1s', a)).toBe('Recorder');
    expect(scheduler.schedule('1s', '1s', b)).toBe('Recorder#2');
    await clock.advance(2_000);
    expect([a.starts, b.starts]).toEqual([
      [1_000, 2_000],
      [1_000, 2_000],
    ]);
  });

  it('logs a throwing or rejecting run as "Error while running job <name>"', async () => {
    let calls = 0;
    scheduler.schedule(
      '0s',
      '1s',
      {
        run: () => {
          calls++;
          throw new Error('sync boom');
        },
      },
      { name: 'sync' },
    );
    scheduler.schedule(
      '0s',
      '1s',
      {
        run: async () => {
          calls++;
          throw new Error('async boom');
        },
      },
      { name: 'async' },
    );
    await clock.advance(2_000);
    expect(calls).toBe(6);
    const lines = errors.mock.calls.map((c) => String(c[0]));
    expect(
      lines.filter((l) => l.startsWith('Error while running job sync: sync boom')),
    ).toHaveLength(3);
    expect(
      lines.filter((l) => l.startsWith('Error while running job async: async boom')),
    ).toHaveLength(3);
    expect(String(errors.mock.calls[0][1])).toContain('at ');
    expect(scheduler.get('async')).toMatchObject({ runs: 3, failures: 3, lastError: 'async boom' });
  });

  it('waits delays past the 24.8-day timer limit: 30 days means 30 days', async () => {
    useJestFakeTimers(); // Node's limit: a virtual clock has none
    const job = new Recorder();
    scheduler.scheduleOnce('30 days', job);
    await jest.advanceTimersByTimeAsync(25 * 86_400_000);
    expect(job.starts).toEqual([]);
    await jest.advanceTimersByTimeAsync(5 * 86_400_000 - 1);
    expect(job.starts).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(job.starts).toEqual([30 * 86_400_000]);
  });

  it.each([
    [
      'a bad duration',
      () => scheduler.schedule('1h foo', '1s', new Recorder()),
      /initialDelay: "1h foo" is invalid/,
    ],
    ['a bare number string', () => scheduler.schedule('0s', '30', new Recorder()), /add a unit/],
    [
      'a negative duration',
      () => scheduler.schedule('-5s', '1s', new Recorder()),
      /initialDelay: "-5s"/,
    ],
    [
      'a missing job',
      () => scheduler.schedule('0s', '1s', undefined as never),
      /Cannot schedule undefined/,
    ],
    [
      'something that is not a job',
      () => scheduler.scheduleOnce('0s', { go: 1 } as never),
      /expected a job/,
    ],
    [
      'frequency and cron together',
      () => scheduler.schedule('0s', '1m', new Recorder(), { cron: '* * * * *' }),
      /either 'frequency' or 'cron'/,
    ],
    [
      'no frequency (scheduleOnce runs once)',
      () => scheduler.schedule('1s', null as never, new Recorder()),
      /frequency: null is invalid.*scheduleOnce\(\) runs it once/,
    ],
    [
      "frequency 'None' (only YAML reads it as once)",
      () => scheduler.schedule('1s', 'None', new Recorder()),
      /'Recorder': frequency: "None"/,
    ],
  ])('throws at once on %s', (_what, call, message) => {
    expect(call).toThrow(JobSchedulerError);
    expect(call).toThrow(message);
    expect(scheduler.list()).toEqual([]);
  });

  it('refuses a duplicate explicit name', () => {
    scheduler.schedule('0s', '1s', new Recorder(), { name: 'x' });
    expect(() => scheduler.schedule('0s', '1s', new Recorder(), { name: 'x' })).toThrow(
      /already scheduled/,
    );
  });

  it('calls initialized(coreLib) once, before the first run', async () => {
    const order: string[] = [];
    class Init extends BaseJob {
      override async initialized(coreLib: unknown): Promise<void> {
        order.push(`init:${String(coreLib)}`);
      }
      run(): void {
        order.push(`run:${String(this.coreLib)}`);
      }
    }
    scheduler = standaloneScheduler(registry, { clock, coreLib: 'CORE' }).scheduler;
    scheduler.schedule('0s', '1s', new Init());
    await clock.advance(1_000);
    expect(order).toEqual(['init:CORE', 'run:CORE', 'run:CORE']);
  });

  it('runs a frozen job: whether it was initialized is not marked on it', async () => {
    let inits = 0;
    const job = Object.freeze({ initialized: () => void inits++, run: () => undefined });
    scheduler = standaloneScheduler(registry, { clock, coreLib: 'CORE' }).scheduler;
    scheduler.schedule('0s', '1s', job, { name: 'frozen' });
    await clock.advance(2_000);
    expect(scheduler.get('frozen')).toMatchObject({ runs: 3, failures: 0, lastError: null });
    expect(inits).toBe(1);
  });
});

describe('JobScheduler: timing engine', () => {
  it('fixed rate: run k starts at first + k × frequency, even when runs take time', async () => {
    const job = new Slow(30);
    scheduler.schedule('100ms', '100ms', job);
    await clock.advance(1_000);
    expect(job.starts).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it('fixed delay: the next run is frequency after the previous one ends', async () => {
    const job = new Slow(30);
    scheduler.schedule('100ms', '100ms', job, { mode: 'fixed-delay' });
    await clock.advance(500);
    expect(job.starts).toEqual([100, 230, 360, 490]);
  });

  it('after a short stall (under misfire_threshold), late ticks catch up: none is lost', () => {
    useJestFakeTimers();
    const starts: number[] = [];
    scheduler.schedule('100ms', '100ms', {
      run: () => {
        starts.push(Date.now() - T0);
        // The event loop is stuck for 350 ms.
        if (starts.length === 1) jest.setSystemTime(Date.now() + 350);
      },
    });
    jest.advanceTimersByTime(700);
    // (fake timers shift the clock and the timers together, so the window ends at 700 + 350)
    expect(starts).toEqual([100, 451, 451, 451, 500, 600, 700, 800, 900, 1000]);
  });

  it('after a long stall (past misfire_threshold), runs once late and realigns (no burst)', () => {
    useJestFakeTimers();
    const starts: number[] = [];
    scheduler.schedule(
      '100ms',
      '100ms',
      {
        run: () => {
          starts.push(Date.now() - T0);
          if (starts.length === 1) jest.setSystemTime(Date.now() + 350);
        },
      },
      { misfireThreshold: '200ms' },
    );
    jest.advanceTimersByTime(700);
    expect(starts).toEqual([100, 451, 500, 600, 700, 800, 900, 1000]);
  });

  it('logs a misfire past misfire_threshold, coalescing the missed ticks', () => {
    useJestFakeTimers();
    scheduler.schedule(
      '100ms',
      '100ms',
      {
        run: () => {
          if (Date.now() - T0 === 100) jest.setSystemTime(Date.now() + 2_500);
        },
      },
      { name: 'm', misfireThreshold: '1s' },
    );
    jest.advanceTimersByTime(10);
    jest.advanceTimersByTime(100);
    expect(warns.mock.calls.map((c) => c[0])).toContainEqual(
      expect.stringMatching(/^Job m fired 2\.40\d?s late; 24 missed tick\(s\) coalesced/),
    );
  });

  it('skips ticks while a run is in progress (overlap: skip), logging once per burst', async () => {
    const job = new Slow(250);
    const events: JobEvent[] = [];
    scheduler.subscribe((e) => events.push(e));
    scheduler.schedule('0s', '100ms', job, { name: 'slow' });
    await clock.advance(650);
    expect(job.starts).toEqual([0, 300, 600]);
    expect(
      events
        .filter((e) => e.type === 'skipped')
        .map((e) => (e as { scheduledAt: number }).scheduledAt - T0),
    ).toEqual([100, 200, 400, 500]);
    expect(warns.mock.calls.filter((c) => String(c[0]).includes('still running'))).toHaveLength(2);
  });

  it('overlap: allow lets runs overlap', async () => {
    const job = new Slow(250);
    scheduler.schedule('0s', '100ms', job, { overlap: 'allow' });
    await clock.advance(300);
    expect(job.starts).toEqual([0, 100, 200, 300]);
  });

  it('timeout aborts the signal and fails the run with a clear log line', async () => {
    let signal: AbortSignal | undefined;
    scheduler.scheduleOnce(
      '0s',
      {
        run: (_p: unknown, ctx: JobRunContext) => {
          signal = ctx.signal;
          return new Promise(() => undefined);
        },
      },
      { name: 'hang', timeout: '5s' },
    );
    await clock.advance(4_999);
    expect(signal?.aborted).toBe(false);
    await clock.advance(1);
    expect(signal?.aborted).toBe(true);
    expect(errors.mock.calls.map((c) => c[0])).toContain(
      'Error while running job hang: Job hang timed out after 5s',
    );
  });

  it('retries with exponential backoff and reports the attempts', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(1);
    const attempts: number[] = [];
    const events: string[] = [];
    scheduler.subscribe((e) => events.push(`${e.type}${'attempt' in e ? e.attempt : ''}`));
    scheduler.scheduleOnce(
      '0s',
      {
        run: (_p: unknown, ctx: JobRunContext) => {
          attempts.push(scheduler.now() - T0);
          if (ctx.attempt < 3) throw new Error('flaky');
        },
      },
      { retries: 3, retryDelay: '10s' },
    );
    await clock.advance(60_000);
    expect(attempts).toEqual([0, 10_000, 30_000]);
    expect(events).toEqual([
      'started1',
      'failed1',
      'retried2',
      'started2',
      'failed2',
      'retried3',
      'started3',
      'succeeded3',
    ]);
  });

  it('waits a backoff past the 2^31-1 ms timer limit in full (40 days, not at once)', async () => {
    useJestFakeTimers(); // Node's limit: a virtual clock has none
    jest.spyOn(Math, 'random').mockReturnValue(1); // backoff: 20 days, then 40 days
    const attempts: number[] = [];
    const failing = {
      run: () => {
        attempts.push(scheduler.now() - T0);
        fail();
      },
    };
    scheduler.scheduleOnce('0s', failing, { retries: 2, retryDelay: '20d' });
    const DAY = 86_400_000;
    await jest.advanceTimersByTimeAsync(20 * DAY);
    expect(attempts).toEqual([0, 20 * DAY]);
    await jest.advanceTimersByTimeAsync(39 * DAY);
    expect(attempts).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(DAY);
    expect(attempts).toEqual([0, 20 * DAY, 60 * DAY]);
  });

  it('a retry cancelled in its backoff by shutdown: one `failed` per attempt', async () => {
    const seen: string[] = [];
    scheduler.subscribe((e) => {
      if (e.type === 'failed') seen.push(`failed ${e.attempt} final:${e.final}`);
      else seen.push(`${e.type}${'attempt' in e ? ` ${e.attempt}` : ''}`);
    });
    scheduler.scheduleOnce('0s', { run: () => fail() }, { retries: 3, retryDelay: '10s' });
    await clock.advance(1_000);
    await engine.shutdown(1_000);
    expect(seen).toEqual(['started 1', 'failed 1 final:false', 'retried 2', 'failed 2 final:true']);
    expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringMatching(/^Error while running job \S+: down$/),
    ]);
  });

  it('gives up retrying when a retry would meet the next tick, logging the attempts', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(1);
    let calls = 0;
    scheduler.schedule(
      '0s',
      '1m',
      {
        run: () => {
          calls++;
          throw new Error('down');
        },
      },
      { name: 'r', retries: 5, retryDelay: '20s' },
    );
    await clock.advance(59_000);
    expect(calls).toBe(2); // 0s, 20s; the next retry (at 60s) would meet the next tick
    expect(errors.mock.calls.map((c) => c[0])).toContain(
      'Error while running job r (failed after 2 attempts): down',
    );
  });

  it('jitter delays each run by up to the jitter', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const job = new Recorder();
    scheduler.schedule('0s', '1m', job, { jitter: '10s' });
    await clock.advance(2 * 60_000 + 5_000);
    expect(job.starts).toEqual([5_000, 65_000, 125_000]);
  });

  it('enabled: false schedules nothing', async () => {
    const job = new Recorder();
    scheduler.schedule('0s', '1s', job, { enabled: false });
    await clock.advance(5_000);
    expect(job.starts).toEqual([]);
    expect(registry.getIntervals()).toEqual([]);
  });
});

describe('JobScheduler: cron', () => {
  it('registers a cron job in SchedulerRegistry and runs it in its time zone', async () => {
    startAt(new Date('2026-06-01T13:59:00Z')); // 15:59 in Paris (UTC+2)
    const job = new Recorder();
    scheduler.scheduleCron('0 16 * * *', job, { name: 'daily', timeZone: 'Europe/Paris' });
    expect([...registry.getCronJobs().keys()]).toEqual(['daily']);
    await clock.advance(60_000);
    expect(job.starts.map((s) => new Date(T0 + s).toISOString())).toEqual([
      '2026-06-01T14:00:00.000Z',
    ]);
  });

  it.each([
    ['spring forward', '2026-03-28T12:00:00Z', '30 2 * * *'],
    ['fall back', '2026-10-24T12:00:00Z', '30 2 * * *'],
    ['fall back, hourly', '2026-10-24T22:00:00Z', '0 * * * *'],
  ])('neither skips nor doubles a run on a DST change (%s)', async (_what, start, cron) => {
    startAt(new Date(start));
    const runs: string[] = [];
    scheduler.scheduleCron(
      cron,
      { run: () => runs.push(new Date(clock.now()).toISOString()) },
      { timeZone: 'Europe/Paris' },
    );
    await clock.advance(3 * 86_400_000);
    const perDay = new Map<string, number>();
    for (const r of runs) {
      const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(
        new Date(r),
      );
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    if (cron.startsWith('30 2')) {
      expect([...perDay.values()]).toEqual([1, 1, 1]);
    } else {
      // Hourly: one run per real hour, including both occurrences of the repeated 02:00 hour.
      const gaps = runs.slice(1).map((r, i) => Date.parse(r) - Date.parse(runs[i]));
      expect(runs).toHaveLength(73);
      expect(new Set(gaps)).toEqual(new Set([3_600_000]));
    }
  });
});

describe('JobScheduler: control and introspection', () => {
  it('list() and get() show schedule, timing and counters', async () => {
    scheduler.schedule('1s', '30s', new Recorder(), { name: 'a' });
    await clock.advance(1_000);
    expect(scheduler.get('a')).toMatchObject({
      name: 'a',
      schedule: 'every 30s (fixed-rate), first after 1s',
      state: 'scheduled',
      nextRunAt: new Date(T0 + 31_000),
      lastRunAt: new Date(T0 + 1_000),
      runs: 1,
      failures: 0,
      running: false,
      lastError: null,
    });
    expect(scheduler.list().map((j) => j.name)).toEqual(['a']);
    expect(scheduler.get('nope')).toBeUndefined();
  });

  it('trigger() runs now, resolves with the outcome, and respects the overlap policy', async () => {
    const job = new Slow(100);
    scheduler.schedule('1h', '1h', job, { name: 's' });
    const first = scheduler.trigger('s');
    const second = await scheduler.trigger('s');
    expect(second).toMatchObject({ status: 'skipped', skipReason: 'overlap' });
    await clock.advance(100);
    await expect(first).resolves.toMatchObject({ status: 'succeeded', attempts: 1 });
    await expect(scheduler.trigger('missing')).rejects.toThrow(/No job named 'missing'/);
  });

  it('pause() stops the ticks and resume() puts the job back on its grid', async () => {
    const job = new Recorder();
    scheduler.schedule('0s', '1s', job, { name: 'p' });
    await clock.advance(1_000);
    scheduler.pause('p');
    expect(scheduler.get('p')).toMatchObject({ state: 'paused', nextRunAt: null });
    await clock.advance(2_500);
    scheduler.resume('p');
    await clock.advance(1_000);
    expect(job.starts).toEqual([0, 1_000, 4_000]);
  });

  it('deleting the job from SchedulerRegistry stops it', async () => {
    const job = new Recorder();
    scheduler.schedule('0s', '1s', job, { name: 'd' });
    await clock.advance(1_000);
    registry.deleteInterval('d');
    await clock.advance(5_000);
    expect(job.starts).toEqual([0, 1_000]);
    expect(scheduler.get('d')).toBeUndefined();
  });

  it('a throwing listener is logged and does not break runs', async () => {
    const job = new Recorder();
    scheduler.subscribe(() => {
      throw new Error('listener bug');
    });
    scheduler.schedule('0s', '1s', job);
    await clock.advance(1_000);
    expect(job.starts).toEqual([0, 1_000]);
    expect(errors.mock.calls.some((c) => String(c[0]).includes('listener threw'))).toBe(true);
  });
});

describe('JobScheduler: graceful drain', () => {
  it('waits for runs in progress, starts nothing, aborts what outlives the timeout', async () => {
    const done: string[] = [];
    let signal: AbortSignal | undefined;
    scheduler.scheduleOnce(
      '0s',
      {
        run: async () => {
          await clock.sleep(300);
          done.push('short');
        },
      },
      { name: 'short' },
    );
    scheduler.scheduleOnce(
      '0s',
      {
        run: (_p: unknown, ctx: JobRunContext) => {
          signal = ctx.signal;
          return new Promise(() => undefined);
        },
      },
      { name: 'stuck' },
    );
    const later = new Recorder();
    scheduler.schedule('500ms', '1s', later);
    await clock.advance(10);
    const closing = engine.shutdown(1_000);
    await clock.advance(1_000);
    await closing;
    expect(done).toEqual(['short']);
    expect(later.starts).toEqual([]);
    expect(signal?.aborted).toBe(true);
    expect(warns.mock.calls.map((c) => c[0])).toContainEqual(
      expect.stringMatching(/aborting runs still in progress: stuck$/),
    );
  });
});
