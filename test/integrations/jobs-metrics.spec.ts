import { describe, expect, it, jest } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { Registry } from 'prom-client';
import {
  CoreLibJobsModule,
  InvalidJobsConfigError,
  JobScheduler,
  JobsSetupError,
} from 'nestjs-core-lib-jobs';
import { CoreLibJobsMetricsModule } from 'nestjs-core-lib-jobs/prometheus';
import type { TestingModule } from '@nestjs/testing';
import {
  closeApp,
  fixtureApp,
  startApp,
  startupFailure,
  useFixtureApps,
} from '../fixtures/fixture-app.js';
import { parseExposition, samplesOf, valueOf, type Sample } from './helpers/prometheus-text.js';

useFixtureApps();

const P = 'core_lib_jobs_';
const start = (...imports: object[]): Promise<TestingModule> =>
  startApp(
    fixtureApp({
      jobsModule: CoreLibJobsModule.forRoot({ config: {} }),
      imports: imports as never[],
    }),
  );
const scrape = async (registry: Registry): Promise<Sample[]> =>
  parseExposition(await registry.metrics());

/** Keeps the CPU busy for `ms` of real time (fake timers do not fake perf_hooks). */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** A job that waits until released: runs in progress, and skipped ticks. */
function blockingJob(): { run: () => Promise<void>; release: () => void } {
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { run: () => gate, release: () => release() };
}

describe('CoreLibJobsMetricsModule', () => {
  it('counts runs, failures, retries, skips and lateness from the run events', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5); // jitter '2s' → every start 1s late
    const registry = new Registry();
    const mod = await start(CoreLibJobsMetricsModule.forRoot({ registry }));
    const scheduler = mod.get(JobScheduler);
    const t0 = Date.now();
    const slow = blockingJob();
    scheduler.schedule('0s', '10s', { run: () => undefined }, { name: 'ok' });
    scheduler.schedule('0s', '10s', { run: () => undefined }, { name: 'late', jitter: '2s' });
    const boom = { run: () => Promise.reject(new Error('boom')) };
    scheduler.schedule('0s', '10s', boom, { name: 'bad', retries: 1, retryDelay: '1s' });
    scheduler.schedule('0s', '5s', slow, { name: 'slow' });
    await jest.advanceTimersByTimeAsync(25_000);
    await scheduler.trigger('ok');

    let m = await scrape(registry);
    expect(valueOf(m, `${P}runs_total`, { job: 'ok', outcome: 'succeeded' })).toBe(4);
    expect(valueOf(m, `${P}runs_total`, { job: 'late', outcome: 'succeeded' })).toBe(3);
    expect(valueOf(m, `${P}runs_total`, { job: 'bad', outcome: 'failed' })).toBe(3);
    expect(valueOf(m, `${P}runs_total`, { job: 'bad', outcome: 'succeeded' })).toBeUndefined();
    expect(valueOf(m, `${P}retries_total`, { job: 'bad' })).toBe(3);
    expect(valueOf(m, `${P}skipped_total`, { job: 'slow', reason: 'overlap' })).toBe(5);
    expect(valueOf(m, `${P}running`, { job: 'slow' })).toBe(1);
    expect(valueOf(m, `${P}running`, { job: 'ok' })).toBe(0);
    // Lateness: scheduled runs only (not the trigger()), start minus due time.
    expect(valueOf(m, `${P}lateness_seconds_count`, { job: 'ok' })).toBe(3);
    expect(valueOf(m, `${P}lateness_seconds_sum`, { job: 'ok' })).toBe(0);
    expect(valueOf(m, `${P}lateness_seconds_sum`, { job: 'late' })).toBe(3);
    expect(valueOf(m, `${P}lateness_seconds_bucket`, { job: 'late', le: '0.5' })).toBe(0);
    expect(valueOf(m, `${P}lateness_seconds_bucket`, { job: 'late', le: '1' })).toBe(3);
    expect(valueOf(m, `${P}last_success_timestamp_seconds`, { job: 'ok' })).toBe(
      (t0 + 25_000) / 1000,
    );
    const next = scheduler.get('ok')!.nextRunAt!.getTime() / 1000;
    expect(valueOf(m, `${P}next_run_timestamp_seconds`, { job: 'ok' })).toBe(next);
    expect(next).toBe((t0 + 30_000) / 1000);

    slow.release();
    await jest.advanceTimersByTimeAsync(0);
    m = await scrape(registry);
    expect(valueOf(m, `${P}running`, { job: 'slow' })).toBe(0);
    expect(valueOf(m, `${P}run_duration_seconds_count`, { job: 'slow' })).toBe(1);
    expect(valueOf(m, `${P}runs_total`, { job: 'slow', outcome: 'succeeded' })).toBe(1);
    // Not in cluster mode: no claims, no backend state, no errors.
    expect(samplesOf(m, `${P}cluster_claims_total`)).toEqual([]);
    expect(samplesOf(m, `${P}cluster_backend_up`)).toEqual([]);
    expect(valueOf(m, `${P}cluster_backend_errors_total`)).toBe(0);
  });

  it('observes run durations in seconds, in the buckets given', async () => {
    const registry = new Registry();
    const metrics = CoreLibJobsMetricsModule.forRoot({
      registry,
      durationBuckets: [0.01, 0.05, 1],
    });
    const scheduler = (await start(metrics)).get(JobScheduler);
    const busy = { run: () => spin(60) };
    await scheduler.trigger(scheduler.scheduleOnce('1h', busy, { name: 'busy' }));
    const m = await scrape(registry);
    expect(valueOf(m, `${P}run_duration_seconds_bucket`, { job: 'busy', le: '0.05' })).toBe(0);
    expect(valueOf(m, `${P}run_duration_seconds_bucket`, { job: 'busy', le: '+Inf' })).toBe(1);
    expect(valueOf(m, `${P}run_duration_seconds_sum`, { job: 'busy' })).toBeGreaterThanOrEqual(
      0.06,
    );
  });

  it("drops a job's next run time when the job is paused or stopped", async () => {
    const registry = new Registry();
    const scheduler = (await start(CoreLibJobsMetricsModule.forRoot({ registry }))).get(
      JobScheduler,
    );
    scheduler.schedule('1m', '1m', { run: () => undefined }, { name: 'a' });
    scheduler.schedule('1m', '1m', { run: () => undefined }, { name: 'b' });
    scheduler.pause('a');
    const m = await scrape(registry);
    expect(samplesOf(m, `${P}next_run_timestamp_seconds`).map((s) => s.labels.job)).toEqual(['b']);
    scheduler.stop('b');
    expect(samplesOf(await scrape(registry), `${P}next_run_timestamp_seconds`)).toEqual([]);
  });

  // Every label set was kept forever: an app that schedules once jobs under new names (one per
  // order, say) grew its metrics, and each scrape, without bound.
  it('forgets the series of a gone job after the two scrapes that find it gone', async () => {
    const registry = new Registry();
    const mod = await start(CoreLibJobsMetricsModule.forRoot({ registry }));
    const scheduler = mod.get(JobScheduler);
    const slow = blockingJob();
    scheduler.schedule('0s', '10s', { run: () => undefined }, { name: 'stays' });
    scheduler.schedule('0s', '10s', { run: () => undefined }, { name: 'stopped' });
    scheduler.schedule('0s', '10s', slow, { name: 'busy' });
    for (let i = 0; i < 500; i++) {
      scheduler.scheduleOnce('0s', { run: () => undefined }, { name: `order-${i}` });
    }
    await jest.advanceTimersByTimeAsync(1_000);
    scheduler.stop('stopped');
    scheduler.stop('busy'); // its run goes on
    const jobsIn = (m: Sample[], name: string) =>
      new Set(samplesOf(m, `${P}${name}`).map((s) => s.labels.job)).size;

    // The two scrapes after they ended: every series is there, with its last values.
    for (const scrapeNo of [1, 2]) {
      const m = await scrape(registry);
      expect([
        scrapeNo,
        valueOf(m, `${P}runs_total`, { job: 'order-499', outcome: 'succeeded' }),
      ]).toEqual([scrapeNo, 1]);
      expect(valueOf(m, `${P}runs_total`, { job: 'stopped', outcome: 'succeeded' })).toBe(1);
      expect(valueOf(m, `${P}lateness_seconds_count`, { job: 'order-0' })).toBe(1);
      expect(jobsIn(m, 'runs_total')).toBe(502); // 500 orders, stays, stopped (busy still runs)
      expect(jobsIn(m, 'running')).toBe(503);
    }

    // The third: the gone jobs' series are gone; the live job and the busy run stay.
    let m = await scrape(registry);
    expect(
      valueOf(m, `${P}runs_total`, { job: 'order-499', outcome: 'succeeded' }),
    ).toBeUndefined();
    expect(valueOf(m, `${P}runs_total`, { job: 'stopped', outcome: 'succeeded' })).toBeUndefined();
    expect(
      samplesOf(m, `${P}lateness_seconds_count`)
        .map((s) => s.labels.job)
        .sort(),
    ).toEqual(['busy', 'stays']);
    expect(valueOf(m, `${P}runs_total`, { job: 'stays', outcome: 'succeeded' })).toBe(1);
    expect(valueOf(m, `${P}running`, { job: 'busy' })).toBe(1);

    // The busy run ends and counts; its job's series go too, after two more scrapes.
    slow.release();
    await jest.advanceTimersByTimeAsync(0);
    m = await scrape(registry);
    expect(valueOf(m, `${P}runs_total`, { job: 'busy', outcome: 'succeeded' })).toBe(1);
    expect(valueOf(m, `${P}running`, { job: 'busy' })).toBe(0);
    await scrape(registry);
    m = await scrape(registry);
    expect(valueOf(m, `${P}running`, { job: 'busy' })).toBeUndefined();
    expect(samplesOf(m, `${P}runs_total`).map((s) => s.labels.job)).toEqual(['stays']);

    // A name used again starts its series again.
    scheduler.scheduleOnce('0s', { run: () => undefined }, { name: 'order-7' });
    await jest.advanceTimersByTimeAsync(0);
    m = await scrape(registry);
    expect(valueOf(m, `${P}runs_total`, { job: 'order-7', outcome: 'succeeded' })).toBe(1);
  });

  it("uses prom-client's global registry by default, and the prefix given", async () => {
    const { register } = await import('prom-client');
    const mod = await start(CoreLibJobsMetricsModule.forRoot({ prefix: 'app_jobs_' }));
    await mod.get(JobScheduler).trigger(mod.get(JobScheduler).scheduleOnce('1h', { run: () => 1 }));
    const m = parseExposition(await register.metrics());
    expect(samplesOf(m, 'app_jobs_runs_total')).toHaveLength(1);
    expect(samplesOf(m, `${P}runs_total`)).toEqual([]);
    await closeApp(mod);
    expect(register.getSingleMetric('app_jobs_runs_total')).toBeUndefined();
  });

  it('takes its options from forRootAsync, as from forRoot', async () => {
    const registry = new Registry();
    const metrics = CoreLibJobsMetricsModule.forRootAsync({ useFactory: () => ({ registry }) });
    const scheduler = (await start(metrics)).get(JobScheduler);
    await scheduler.trigger(scheduler.scheduleOnce('1h', { run: () => 1 }, { name: 'once' }));
    const m = await scrape(registry);
    expect(valueOf(m, `${P}runs_total`, { job: 'once', outcome: 'succeeded' })).toBe(1);
  });

  it('leaves the registry at shutdown, so an app started again can register', async () => {
    const registry = new Registry();
    const first = await start(CoreLibJobsMetricsModule.forRoot({ registry }));
    await closeApp(first);
    expect(registry.getMetricsAsArray()).toEqual([]);
    const second = await start(CoreLibJobsMetricsModule.forRoot({ registry }));
    const scheduler = second.get(JobScheduler);
    await scheduler.trigger(scheduler.scheduleOnce('1h', { run: () => 1 }, { name: 'again' }));
    const m = await scrape(registry);
    expect(valueOf(m, `${P}runs_total`, { job: 'again', outcome: 'succeeded' })).toBe(1);
  });

  it('refuses bad options at startup, naming each field, value and what was expected', async () => {
    const bad = CoreLibJobsMetricsModule.forRoot({
      registry: {} as Registry,
      prefix: '9 jobs',
      durationBuckets: [1, 1],
      latenessBuckets: 'fast' as never,
    });
    const jobsModule = CoreLibJobsModule.forRoot({ config: {} });
    const { error } = await startupFailure(fixtureApp({ jobsModule, imports: [bad] }));
    expect(error).toBeInstanceOf(InvalidJobsConfigError);
    expect((error as InvalidJobsConfigError).problems).toEqual([
      expect.stringMatching(/^CoreLibJobsMetricsModule options: registry: \{\} is invalid, exp/),
      expect.stringMatching(/prefix: "9 jobs" is invalid, expected a metric name prefix/),
      expect.stringMatching(/durationBuckets: \[1,1\] is invalid, expected an increasing array/),
      expect.stringMatching(/latenessBuckets: "fast" is invalid, expected an increasing array/),
    ]);
  });

  it('refuses a second set of the same metrics on one registry, saying what to do', async () => {
    const registry = new Registry();
    const twice = [
      CoreLibJobsMetricsModule.forRoot({ registry }),
      CoreLibJobsMetricsModule.forRoot({ registry }),
    ];
    const app = fixtureApp({
      jobsModule: CoreLibJobsModule.forRoot({ config: {} }),
      imports: twice,
    });
    const { error } = await startupFailure(app);
    expect(error).toBeInstanceOf(JobsSetupError);
    expect(error.message).toMatch(
      /^Metric core_lib_jobs_runs_total is already registered on this registry: .*another regis/,
    );
  });
});
