import { describe, expect, it, jest } from '@jest/globals';
import { ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, TerminusModule } from '@nestjs/terminus';
import type { TestingModule } from '@nestjs/testing';
import { CoreLibJobsModule, InvalidJobsConfigError, JobScheduler } from 'nestjs-core-lib-jobs';
import { JobsHealthIndicator } from 'nestjs-core-lib-jobs/terminus';
import { fixtureApp, startApp, useFixtureApps } from '../fixtures/fixture-app.js';

useFixtureApps();

const start = (): Promise<TestingModule> =>
  startApp(
    fixtureApp({
      jobsModule: CoreLibJobsModule.forRoot({ config: {} }),
      imports: [TerminusModule.forRoot({ logger: false })],
      providers: [JobsHealthIndicator],
    }),
  );
const noop = { run: () => undefined };

/** A job that fails until told to succeed. */
function switchableJob(): { run: () => void; fail: boolean } {
  const job = {
    fail: true,
    run: () => {
      if (job.fail) throw new Error('boom');
    },
  };
  return job;
}

describe('JobsHealthIndicator', () => {
  it('is up while the jobs run on time and succeed', async () => {
    const mod = await start();
    const scheduler = mod.get(JobScheduler);
    scheduler.schedule('1s', '10s', noop, { name: 'a' });
    scheduler.schedule('1s', '1m', noop, { name: 'b' });
    await jest.advanceTimersByTimeAsync(30_000);
    const health = mod.get(JobsHealthIndicator);
    expect(health.isHealthy('jobs')).toEqual({ jobs: { status: 'up', checked: 2 } });
  });

  it('is down after maxConsecutiveFailures failed runs in a row, up after a success', async () => {
    const mod = await start();
    const job = switchableJob();
    mod.get(JobScheduler).schedule('0s', '10s', job, { name: 'flaky' });
    const health = mod.get(JobsHealthIndicator);
    const check = () => health.isHealthy('jobs', { maxConsecutiveFailures: 3 });
    await jest.advanceTimersByTimeAsync(10_000); // two failures
    expect(check().jobs.status).toBe('up');
    await jest.advanceTimersByTimeAsync(10_000); // three
    expect(check()).toEqual({
      jobs: {
        status: 'down',
        message: 'job flaky failed 3 times in a row',
        problems: { flaky: { consecutiveFailures: 3, lastError: 'boom' } },
      },
    });
    expect(health.isHealthy('jobs', { maxConsecutiveFailures: 4 }).jobs.status).toBe('up');
    job.fail = false;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(check().jobs.status).toBe('up');
    job.fail = true;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(check().jobs.status).toBe('up'); // the count starts again from the success
  });

  it('counts failed runs, not failed attempts', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(1);
    const mod = await start();
    const job = switchableJob();
    mod
      .get(JobScheduler)
      .schedule('0s', '1m', job, { name: 'retried', retries: 2, retryDelay: '1s' });
    await jest.advanceTimersByTimeAsync(10_000); // one run: three attempts, all failed
    const health = mod.get(JobsHealthIndicator);
    expect(health.isHealthy('jobs', { maxConsecutiveFailures: 2 }).jobs.status).toBe('up');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(health.isHealthy('jobs', { maxConsecutiveFailures: 2 }).jobs).toMatchObject({
      status: 'down',
      problems: { retried: { consecutiveFailures: 2 } },
    });
  });

  it('is down when a job is overdue by more than maxLateness', async () => {
    const mod = await start();
    const scheduler = mod.get(JobScheduler);
    scheduler.schedule('10s', '1h', noop, { name: 'stuck' });
    scheduler.schedule('10s', '1h', noop, { name: 'paused' });
    scheduler.pause('paused');
    const due = scheduler.get('stuck')!.nextRunAt!;
    // The clock moves on, but no timer fires: what a blocked event loop or a lost timer looks like.
    jest.setSystemTime(due.getTime() + 90_000);
    const health = mod.get(JobsHealthIndicator);
    expect(health.isHealthy('jobs', { maxLateness: '2m' }).jobs.status).toBe('up');
    expect(health.isHealthy('jobs', { maxLateness: '1m' })).toEqual({
      jobs: {
        status: 'down',
        message: 'job stuck is 1m30s overdue',
        problems: { stuck: { overdueBy: '1m30s', nextRunAt: due.toISOString() } },
      },
    });
    // Fake timers keep their delays across a clock change: it fires 10s after it was set.
    await jest.advanceTimersByTimeAsync(10_000);
    expect(scheduler.get('stuck')!.runs).toBe(1);
    expect(health.isHealthy('jobs', { maxLateness: '1m' }).jobs.status).toBe('up');
  });

  it('forgets the failures of a job that is stopped', async () => {
    const mod = await start();
    const scheduler = mod.get(JobScheduler);
    scheduler.schedule('0s', '1s', switchableJob(), { name: 'gone' });
    await jest.advanceTimersByTimeAsync(5_000);
    const health = mod.get(JobsHealthIndicator);
    expect(health.isHealthy('jobs').jobs.status).toBe('down');
    scheduler.stop('gone');
    expect(health.isHealthy('jobs')).toEqual({ jobs: { status: 'up', checked: 0 } });
  });

  it('refuses bad options, naming each field, value and what was expected', async () => {
    const health = (await start()).get(JobsHealthIndicator);
    const check = () =>
      health.isHealthy('jobs', { maxConsecutiveFailures: 0, maxLateness: 'soon' });
    expect(check).toThrow(InvalidJobsConfigError);
    expect(check).toThrow(
      /isHealthy\('jobs'\) options: maxConsecutiveFailures: 0 is invalid, expected a whole number/,
    );
    expect(check).toThrow(
      /isHealthy\('jobs'\) options: maxLateness: "soon" is invalid, expected a duration/,
    );
  });

  it("makes terminus's health check fail with 503 and the details of each job down", async () => {
    const mod = await start();
    mod.get(JobScheduler).schedule('0s', '1s', switchableJob(), { name: 'broken' });
    await jest.advanceTimersByTimeAsync(2_000);
    const health = mod.get(JobsHealthIndicator);
    const check = mod.get(HealthCheckService).check([() => health.isHealthy('jobs')]);
    const error = await check.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableException);
    expect((error as ServiceUnavailableException).getResponse()).toMatchObject({
      status: 'error',
      error: { jobs: { status: 'down', problems: { broken: { consecutiveFailures: 3 } } } },
    });
  });
});
