import { describe, expect, it, jest } from '@jest/globals';
import { CoreLibJobsModule, JobScheduler, type JobEvent } from '../../lib/index.js';
import { useFixtureApps, fixtureApp, startApp } from '../fixtures/fixture-app.js';
import {
  CodeRetryJob, DisabledCodeJob, FixtureCoreLib, FlakyJob, UpdateCache, events, runsOf,
} from '../fixtures/fixture-jobs.js';

const logs = useFixtureApps();

/** Starts the fixture app with these YAML entries (inline) and every policy fixture job. */
const startWith = (...jobs: object[]) =>
  startApp(fixtureApp({
    jobsModule: CoreLibJobsModule.forRoot({ config: { core_lib: { jobs } }, coreLib: FixtureCoreLib, shutdownTimeout: '1s' }),
    providers: [FlakyJob, UpdateCache],
  }));

/**
 * That the policy fields of both front doors reach the engine. What each policy does (timeout,
 * retries, overlap, modes, jitter, pause) is tested once, on the engine: test/unit/job.scheduler.spec.ts.
 */
describe('run policy from YAML (snake_case)', () => {
  it('retries with retry_delay, then succeeds', async () => {
    const mod = await startWith({ name: 'retried', initial_delay: 'boot', retries: 2, retry_delay: '1s', handler: { class: 'flaky', params: { failures: 2 } } });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runsOf('flaky').map((r) => (r.params as { attempt: number }).attempt)).toEqual([1, 2, 3]);
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
    expect(logs.filter((l) => l.level === 'warn' && l.message.includes('retrying'))).toHaveLength(2);
    expect(mod.get(JobScheduler).list()).toEqual([]); // a once job leaves the list after its run
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
