import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { JobScheduler, JobTimeoutError } from 'nestjs-core-lib-jobs';
import { JobsTestClock, JobsTestingModule } from 'nestjs-core-lib-jobs/testing';
import { DailyReport, Mailer, ReportAppModule, StuckExport } from './report-app.js';

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const HOUR = 3_600_000;

/** The app's real module, jobs and DI, with the scheduler on a JobsTestClock. */
async function start(): Promise<{ app: INestApplication; clock: JobsTestClock }> {
  const moduleRef = await Test.createTestingModule({
    imports: [ReportAppModule, JobsTestingModule.forRoot({ now: T0 })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return { app, clock: app.get(JobsTestClock) };
}

/** The same scenarios with real timers and under Jest's fake timers: the clock owns its time. */
describe.each([
  ['real timers', () => jest.useRealTimers()],
  ['Jest fake timers', () => jest.useFakeTimers({ now: T0 + 42 * HOUR })],
])('JobsTestClock with %s', (_label, setUpTimers) => {
  let app: INestApplication;
  let clock: JobsTestClock;
  beforeEach(async () => {
    setUpTimers();
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    ({ app, clock } = await start());
  });
  afterEach(async () => {
    const closing = app.close();
    await clock.advance('1m'); // past the shutdown wait, should a run still be in progress
    await closing;
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('runs nothing until time moves; pending() says what is due next', async () => {
    expect(app.get(Mailer).sent).toEqual([]);
    expect(clock.pending()).toEqual([
      { name: 'stuck-export', at: new Date(T0 + HOUR / 2) },
      { name: 'daily-report', at: new Date(T0 + HOUR) },
    ]);
    expect(app.get(JobScheduler).now()).toBe(T0);
  });

  it('advance() runs every tick due, in order, awaiting each async run', async () => {
    await clock.advance('3h');
    expect(app.get(Mailer).sent).toEqual(['report', 'report', 'report']);
    expect(app.get(JobScheduler).get('daily-report')).toMatchObject({
      runs: 3,
      lastRunAt: new Date(T0 + 3 * HOUR),
      nextRunAt: new Date(T0 + 4 * HOUR),
    });
    expect(clock.now()).toBe(T0 + 3 * HOUR);
  });

  it('waits out retries on virtual time: backoff included', async () => {
    app.get(Mailer).failuresLeft = 2;
    await clock.advance('1h');
    expect(app.get(Mailer).sent).toEqual([]); // first attempt failed; a retry waits ~1m
    await clock.advance('5m');
    expect(app.get(Mailer).sent).toEqual(['report']);
    expect(app.get(JobScheduler).get('daily-report')).toMatchObject({ runs: 1, failures: 0 });
  });

  it('fails a run that never ends at its timeout, on virtual time', async () => {
    await clock.advance('34m');
    expect(app.get(StuckExport).aborted).toEqual([]);
    expect(app.get(JobScheduler).get('stuck-export')?.running).toBe(true);
    await clock.advance('1m');
    expect(app.get(StuckExport).aborted).toEqual([expect.any(JobTimeoutError)]);
    expect(app.get(JobScheduler).get('stuck-export')).toMatchObject({
      running: false,
      failures: 1,
      lastError: 'Job stuck-export timed out after 5m',
    });
  });

  it('runNext() runs the next due tick, whatever its time', async () => {
    app.get(JobScheduler).stop('stuck-export');
    await clock.runNext();
    expect(clock.now()).toBe(T0 + HOUR);
    expect(app.get(Mailer).sent).toEqual(['report']);
    expect(app.get(DailyReport).coreLib).toBeUndefined();
    expect(clock.pending()).toEqual([{ name: 'daily-report', at: new Date(T0 + 2 * HOUR) }]);
  });
});

describe('JobsTestClock.advance()', () => {
  it('refuses a negative or unreadable duration, naming it', async () => {
    const clock = new JobsTestClock({ now: 0 });
    await expect(clock.advance(-1)).rejects.toThrow(/-1 is not a duration; expected zero or more/);
    await expect(clock.advance('soon')).rejects.toThrow(/soon/);
  });
});
