import { describe, expect, it, jest } from '@jest/globals';
import { CoreLibJobsModule, JobScheduler, JobTimeoutError, type JobEvent } from '../../lib/index.js';
import { useFixtureApps, fixtureApp, startApp } from '../fixtures/fixture-app.js';
import {
  CodeRetryJob, DisabledCodeJob, FixtureCoreLib, FlakyJob, SleepyJob, SlowJob, UpdateCache, events, runsOf,
} from '../fixtures/fixture-jobs.js';

const logs = useFixtureApps();

/** Starts the fixture app with these YAML entries (inline) and every policy fixture job. */
const startWith = (...jobs: object[]) =>
  startApp(fixtureApp({
    jobsModule: CoreLibJobsModule.forRoot({ config: { core_lib: { jobs } }, coreLib: FixtureCoreLib, shutdownTimeout: '1s' }),
    providers: [SlowJob, FlakyJob, SleepyJob, UpdateCache],
  }));

const relative = (t0: number) => (name: string) => runsOf(name).map((r) => r.at - t0);

describe('run policy from YAML (snake_case)', () => {
  it('timeout aborts the run signal and fails the run with a clear log line', async () => {
    const mod = await startWith({ name: 'bounded', initial_delay: 'boot', timeout: '5s', handler: { class: 'SlowJob' } });
    await jest.advanceTimersByTimeAsync(4_999);
    expect(mod.get(SlowJob).aborted).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(mod.get(SlowJob).aborted).toEqual([expect.any(JobTimeoutError)]);
    const error = logs.find((l) => l.level === 'error' && l.message.startsWith('Error while running job bounded'));
    expect(error?.message).toMatch(/timed out after 5s/);
  });

  it('retries with retry_delay, then succeeds', async () => {
    const mod = await startWith({ name: 'retried', initial_delay: 'boot', retries: 2, retry_delay: '1s', handler: { class: 'flaky', params: { failures: 2 } } });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runsOf('flaky').map((r) => (r.params as { attempt: number }).attempt)).toEqual([1, 2, 3]);
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
    expect(logs.filter((l) => l.level === 'warn' && l.message.includes('retrying'))).toHaveLength(2);
    expect(mod.get(JobScheduler).list()).toEqual([]); // a once job leaves the list after its run
  });

  it('logs the final failure with the attempt count', async () => {
    await startWith({ name: 'hopeless', initial_delay: 'boot', retries: 2, retry_delay: '1s', handler: { class: 'flaky', params: { failures: 99 } } });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runsOf('flaky')).toHaveLength(3);
    const errors = logs.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/^Error while running job hopeless.*3 attempts/);
  });

  it('skips the ticks of a job still running by default, logging the skip once per burst', async () => {
    const mod = await startWith({ name: 'slow-tick', initial_delay: 'boot', frequency: '1s', handler: { class: 'SlowJob' } });
    const t0 = Date.now();
    await jest.advanceTimersByTimeAsync(5_500);
    expect(runsOf('SlowJob')).toHaveLength(1);
    expect(logs.filter((l) => l.level === 'warn' && l.message.includes('slow-tick'))).toHaveLength(1);
    mod.get(SlowJob).release();
    await jest.advanceTimersByTimeAsync(500);
    expect(relative(t0)('SlowJob')).toEqual([0, 6_000]);
  });

  it('overlap: allow lets runs overlap', async () => {
    const mod = await startWith({ name: 'slow-tick', initial_delay: 'boot', frequency: '1s', overlap: 'allow', handler: { class: 'SlowJob' } });
    await jest.advanceTimersByTimeAsync(5_000);
    expect(runsOf('SlowJob')).toHaveLength(6);
    mod.get(SlowJob).release();
  });

  it('mode: fixed-delay waits frequency after each run ends; the default fixed rate does not', async () => {
    await startWith(
      { name: 'delay', initial_delay: 'boot', frequency: '10s', mode: 'fixed-delay', handler: { class: 'sleepy', params: { ms: 3_000 } } },
      { name: 'rate', initial_delay: 'boot', frequency: '10s', handler: { class: 'UpdateCache' } },
    );
    const t0 = Date.now();
    await jest.advanceTimersByTimeAsync(30_000);
    expect(relative(t0)('sleepy')).toEqual([0, 13_000, 26_000]);
    expect(relative(t0)('UpdateCache')).toEqual([0, 10_000, 20_000, 30_000]);
  });

  it('jitter adds a random delay of up to that much to each run', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    await startWith({ name: 'spread', initial_delay: '10s', frequency: '1m', jitter: '5s', handler: { class: 'UpdateCache' } });
    const t0 = Date.now();
    await jest.advanceTimersByTimeAsync(75_000);
    expect(relative(t0)('UpdateCache')).toEqual([12_500, 72_500]);
  });

  it('listeners see the life of YAML jobs: started, succeeded, failed', async () => {
    const mod = await startApp(fixtureApp({
      jobsModule: CoreLibJobsModule.forRoot({
        config: {
          core_lib: {
            jobs: [
              { name: 'ok', initial_delay: '1s', handler: { class: 'UpdateCache' } },
              { name: 'ko', initial_delay: '2s', handler: { class: 'flaky', params: { failures: 1 } } },
            ],
          },
        },
        coreLib: FixtureCoreLib,
      }),
      providers: [UpdateCache, FlakyJob],
    }));
    const seen: JobEvent[] = [];
    mod.get(JobScheduler).subscribe((e) => seen.push(e));
    await jest.advanceTimersByTimeAsync(2_000);
    expect(seen.map((e) => `${e.type}:${e.name}`)).toEqual(['started:ok', 'succeeded:ok', 'started:ko', 'failed:ko']);
    expect(seen[0]).toMatchObject({ reason: 'schedule', attempt: 1 });
  });
});

describe('run policy from @Job() (camelCase)', () => {
  it('retries and retryDelay work from the decorator', async () => {
    await startApp(fixtureApp({ jobsModule: CoreLibJobsModule.forRoot({ config: {} }), providers: [CodeRetryJob] }));
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runsOf('code-retry').map((r) => (r.params as { attempt: number }).attempt)).toEqual([1, 2, 3]);
    expect(logs.find((l) => l.level === 'error')?.message).toMatch(/^Error while running job code-retry.*3 attempts/);
  });

  it('enabled: false turns a code-scheduled job off', async () => {
    const mod = await startApp(fixtureApp({ jobsModule: CoreLibJobsModule.forRoot({ config: {} }), providers: [DisabledCodeJob] }));
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runsOf('disabled-in-code')).toEqual([]);
    expect(mod.get(JobScheduler).list()).toEqual([]);
    expect(events).toEqual([]);
  });
});
