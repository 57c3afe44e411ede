import { describe, expect, it, jest } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { TestingModule } from '@nestjs/testing';
import { CoreLibJobsModule, JobScheduler, type CoreLibJobsModuleOptions } from '../../lib/index.js';
import {
  appYaml,
  closeApp,
  fixtureApp,
  startApp,
  useFixtureApps,
} from '../fixtures/fixture-app.js';
import {
  FixtureCoreLib,
  SlowJob,
  StuckJob,
  UpdateCache,
  events,
  runsOf,
} from '../fixtures/fixture-jobs.js';

const logs = useFixtureApps();

/** A slow job that starts at boot, and UpdateCache every second. */
const slowAndFast = {
  core_lib: {
    jobs: [
      { name: 'slow', initial_delay: 'boot', handler: { class: 'SlowJob' } },
      { name: 'cache', initial_delay: 'boot', frequency: '1s', handler: { class: 'UpdateCache' } },
    ],
  },
};

const start = (options: CoreLibJobsModuleOptions) =>
  startApp(
    fixtureApp({
      jobsModule: CoreLibJobsModule.forRoot({ coreLib: FixtureCoreLib, ...options }),
      providers: [SlowJob, StuckJob, UpdateCache],
    }),
  );

/** Starts `app.close()` and records when it resolves. */
function beginClose(mod: TestingModule): { closed: () => boolean; promise: Promise<void> } {
  let closed = false;
  const promise = closeApp(mod).then(() => {
    closed = true;
    events.push('closed');
  });
  return { closed: () => closed, promise };
}

describe('graceful shutdown', () => {
  it('waits for a run in progress: it ends before app.close() resolves', async () => {
    const mod = await start({ config: slowAndFast });
    await jest.advanceTimersByTimeAsync(0);
    expect(runsOf('SlowJob')).toHaveLength(1);
    const closing = beginClose(mod);
    await jest.advanceTimersByTimeAsync(10_000); // well inside the default 30s
    expect(closing.closed()).toBe(false);
    mod.get(SlowJob).release();
    await jest.advanceTimersByTimeAsync(0);
    await closing.promise;
    expect(events.slice(-2)).toEqual(['end:SlowJob', 'closed']);
    expect(mod.get(SlowJob).aborted).toEqual([]);
  });

  it('starts no new run once close has begun, and stops every timer', async () => {
    const mod = await start({ config: slowAndFast });
    const registry = mod.get(SchedulerRegistry);
    const scheduler = mod.get(JobScheduler);
    await jest.advanceTimersByTimeAsync(0);
    expect(runsOf('UpdateCache')).toHaveLength(1);
    const closing = beginClose(mod);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runsOf('UpdateCache')).toHaveLength(1);
    await expect(scheduler.trigger('cache')).resolves.toMatchObject({
      status: 'skipped',
      skipReason: 'shutdown',
    });
    expect(runsOf('UpdateCache')).toHaveLength(1);
    mod.get(SlowJob).release();
    await jest.advanceTimersByTimeAsync(0);
    await closing.promise;
    expect(registry.getIntervals()).toEqual([]);
    expect(registry.getTimeouts()).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(3600_000);
    expect(runsOf('UpdateCache')).toHaveLength(1);
    expect(runsOf('SlowJob')).toHaveLength(1);
  });

  it('with no run in progress, close stops every timer at once', async () => {
    const mod = await start({
      config: {
        core_lib: {
          jobs: [{ initial_delay: '1m', frequency: '1m', handler: { class: 'UpdateCache' } }],
        },
      },
    });
    await jest.advanceTimersByTimeAsync(90_000);
    expect(runsOf('UpdateCache')).toHaveLength(1);
    const closing = beginClose(mod);
    await jest.advanceTimersByTimeAsync(0);
    expect(closing.closed()).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(3600_000);
    expect(runsOf('UpdateCache')).toHaveLength(1);
  });

  it('aborts a run that never ends after shutdownTimeout, and names it in the log', async () => {
    const mod = await start({
      config: {
        core_lib: {
          jobs: [{ name: 'stuck-forever', initial_delay: 'boot', handler: { class: 'StuckJob' } }],
        },
      },
      shutdownTimeout: '5s',
    });
    await jest.advanceTimersByTimeAsync(0);
    expect(runsOf('StuckJob')).toHaveLength(1);
    const closing = beginClose(mod);
    await jest.advanceTimersByTimeAsync(4_999);
    expect(closing.closed()).toBe(false);
    expect(mod.get(StuckJob).sawAbort).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await closing.promise;
    expect(mod.get(StuckJob).sawAbort).toBe(true);
    const warning = logs.find((l) => l.level === 'warn' && /shutdown/i.test(l.message));
    expect(warning?.message).toMatch(/5s/);
    expect(warning?.message).toMatch(/stuck-forever/);
  });

  it('reads the shutdown timeout from YAML core_lib.jobs_shutdown_timeout', async () => {
    const mod = await start({ config: appYaml('shutdown.yaml') });
    await jest.advanceTimersByTimeAsync(0);
    expect(runsOf('StuckJob')).toHaveLength(1);
    const closing = beginClose(mod);
    await jest.advanceTimersByTimeAsync(1_999);
    expect(closing.closed()).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await closing.promise;
    expect(mod.get(StuckJob).sawAbort).toBe(true);
    expect(logs.find((l) => l.level === 'warn' && /shutdown/i.test(l.message))?.message).toMatch(
      /2s.*StuckJob/,
    );
  });

  it('a slow run that listens to its signal sees it aborted at the timeout', async () => {
    const mod = await start({ config: slowAndFast, shutdownTimeout: '3s' });
    await jest.advanceTimersByTimeAsync(0);
    const closing = beginClose(mod);
    await jest.advanceTimersByTimeAsync(3_000);
    await closing.promise;
    expect(mod.get(SlowJob).aborted).toHaveLength(1);
    expect(String(mod.get(SlowJob).aborted[0])).toMatch(/shutdown/i);
  });
});
