import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CoreLibJobsModule, JobScheduler, JobSchedulerError } from '../../lib/index.js';
import { appYaml, captureLogs, closeApps, fixtureApp, startApp } from '../fixtures/fixture-app.js';
import {
  AsyncFailingJob,
  FixtureCoreLib,
  PlainJob,
  SendReport,
  UpdateCache,
  resetLogs,
  runLog,
  runsOf,
} from '../fixtures/fixture-jobs.js';

beforeEach(() => {
  resetLogs();
  captureLogs();
  jest.useFakeTimers({ now: new Date('2025-01-15T12:00:00.000Z') });
});

afterEach(async () => {
  await closeApps();
  jest.useRealTimers();
  jest.restoreAllMocks();
});

const startKinds = () =>
  startApp(
    fixtureApp({
      jobsModule: CoreLibJobsModule.forRoot({
        config: appYaml('kinds.yaml'),
        coreLib: FixtureCoreLib,
      }),
      providers: [UpdateCache, SendReport, PlainJob],
    }),
  );

describe('SchedulerRegistry', () => {
  it('holds every job under its name, as an interval, a timeout or a cron job', async () => {
    const registry = (await startKinds()).get(SchedulerRegistry);
    expect(registry.getIntervals()).toEqual(['every-minute']);
    expect(registry.getTimeouts()).toEqual(['later']);
    expect([...registry.getCronJobs().keys()]).toEqual(['nightly']);
  });

  it('registry.deleteInterval(name) stops the job', async () => {
    const registry = (await startKinds()).get(SchedulerRegistry);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runsOf('UpdateCache')).toHaveLength(2);
    registry.deleteInterval('every-minute');
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(runsOf('UpdateCache')).toHaveLength(2);
    expect(runsOf('send-report')).toHaveLength(0); // 'later' is still due at 1h: untouched
    await jest.advanceTimersByTimeAsync(50 * 60_000);
    expect(runsOf('send-report')).toHaveLength(1);
  });

  it('registry.deleteTimeout(name) and deleteCronJob(name) stop those jobs', async () => {
    const mod = await startKinds();
    const registry = mod.get(SchedulerRegistry);
    registry.deleteTimeout('later');
    registry.deleteCronJob('nightly');
    await jest.advanceTimersByTimeAsync(2 * 24 * 3600_000);
    expect(runsOf('send-report')).toEqual([]);
    expect(runsOf('PlainJob')).toEqual([]);
    expect(
      mod
        .get(JobScheduler)
        .list()
        .map((j) => j.name),
    ).toEqual(['every-minute']);
  });

  it('JobScheduler.stop(name) removes the job from the registry', async () => {
    const mod = await startKinds();
    mod.get(JobScheduler).stop('every-minute');
    expect(mod.get(SchedulerRegistry).getIntervals()).toEqual([]);
    await jest.advanceTimersByTimeAsync(5 * 60_000);
    expect(runsOf('UpdateCache')).toEqual([]);
  });
});

describe('JobScheduler through DI', () => {
  it('list() shows each job: name, schedule, nextRunAt, runs, failures, lastError', async () => {
    const mod = await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: {
            core_lib: {
              jobs: [
                {
                  name: 'cache',
                  initial_delay: 'boot',
                  frequency: '30s',
                  handler: { class: 'UpdateCache', params: { key: 'k' } },
                },
                {
                  name: 'flaky',
                  initial_delay: '10s',
                  frequency: '1m',
                  handler: { class: 'async-failing' },
                },
              ],
            },
          },
          coreLib: FixtureCoreLib,
        }),
        providers: [UpdateCache, AsyncFailingJob],
      }),
    );
    const scheduler = mod.get(JobScheduler);
    const t0 = Date.now();
    await jest.advanceTimersByTimeAsync(45_000);
    const byName = Object.fromEntries(scheduler.list().map((j) => [j.name, j]));
    expect(Object.keys(byName).sort()).toEqual(['cache', 'flaky']);
    expect(byName.cache).toMatchObject({
      state: 'scheduled',
      nextRunAt: new Date(t0 + 60_000),
      lastRunAt: new Date(t0 + 30_000),
      runs: 2,
      failures: 0,
      lastError: null,
      running: false,
    });
    expect(byName.cache.schedule).toMatch(/30s/);
    expect(byName.flaky).toMatchObject({
      nextRunAt: new Date(t0 + 70_000),
      lastRunAt: new Date(t0 + 10_000),
      runs: 1,
      failures: 1,
      lastError: 'async boom',
    });
    expect(byName.flaky.schedule).toMatch(/1m/);
    expect(scheduler.get('cache')).toEqual(byName.cache);
  });

  it('trigger(name) runs the job now, with its params, and resolves with the outcome', async () => {
    const mod = await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: {
            core_lib: {
              jobs: [
                {
                  name: 'cache',
                  initial_delay: '1h',
                  frequency: '1h',
                  handler: { class: 'UpdateCache', params: { key: 'k' } },
                },
                { name: 'flaky', initial_delay: '1h', handler: { class: 'async-failing' } },
              ],
            },
          },
          coreLib: FixtureCoreLib,
        }),
        providers: [UpdateCache, AsyncFailingJob],
      }),
    );
    const scheduler = mod.get(JobScheduler);
    await expect(scheduler.trigger('cache')).resolves.toMatchObject({
      status: 'succeeded',
      attempts: 1,
    });
    expect(runsOf('UpdateCache').map((r) => r.params)).toEqual([{ key: 'k' }]);
    await expect(scheduler.trigger('cache', { key: 'override' })).resolves.toMatchObject({
      status: 'succeeded',
    });
    expect(runsOf('UpdateCache').map((r) => r.params)).toEqual([{ key: 'k' }, { key: 'override' }]);
    const failed = await scheduler.trigger('flaky');
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect((failed.error as Error).message).toBe('async boom');
    expect(scheduler.get('flaky')).toMatchObject({ failures: 1, lastError: 'async boom' });
    // The schedule is untouched: the next timed run is still at 1h.
    expect(scheduler.get('cache')?.nextRunAt).toEqual(new Date(Date.now() + 3600_000));
    await expect((async () => scheduler.trigger('nope'))()).rejects.toThrow(JobSchedulerError);
  });

  it('schedule() refuses bad arguments at once, with a clear message', async () => {
    const mod = await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({ config: {}, coreLib: FixtureCoreLib }),
      }),
    );
    const scheduler = mod.get(JobScheduler);
    expect(() => scheduler.schedule('soon', '1s', new UpdateCache())).toThrow(
      /initialDelay.*"soon"/,
    );
    expect(() => scheduler.schedule('1s', '30', new UpdateCache())).toThrow(
      /frequency.*"30".*unit/,
    );
    expect(() => scheduler.scheduleOnce('1s', {} as never)).toThrow(JobSchedulerError);
    expect(mod.get(SchedulerRegistry).getIntervals()).toEqual([]);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runLog).toEqual([]);
  });
});
