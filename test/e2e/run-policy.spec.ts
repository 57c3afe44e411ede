import { describe, expect, it } from '@jest/globals';
import type { DynamicModule, Provider } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { CoreLibJobsModule, JobScheduler, type JobEvent } from '../../lib/index.js';
import { JobsTestClock, JobsTestingModule } from '../../lib/testing.js';
import { fixtureApp, startApp, useFixtureApps } from '../fixtures/fixture-app.js';
import {
  CodeRetryJob,
  DisabledCodeJob,
  FixtureCoreLib,
  FlakyJob,
  UpdateCache,
  events,
  runsOf,
} from '../fixtures/fixture-jobs.js';

/**
 * That the policy fields of both front doors reach the engine, on virtual time (JobsTestClock).
 * What each policy does (timeout, retries, overlap, modes, jitter, pause) is tested once, on the
 * engine: test/unit/job.scheduler.spec.ts.
 */
const logs = useFixtureApps();

/** Starts the fixture app on a JobsTestClock. */
async function start(
  jobsModule: DynamicModule,
  providers: Provider[],
): Promise<{ mod: TestingModule; clock: JobsTestClock }> {
  const imports = [JobsTestingModule.forRoot()];
  const mod = await startApp(fixtureApp({ jobsModule, providers, imports }));
  return { mod, clock: mod.get(JobsTestClock) };
}

/** These YAML entries (inline) with the policy fixture jobs. */
const fromYaml = (...jobs: object[]) =>
  start(CoreLibJobsModule.forRoot({ config: { core_lib: { jobs } }, coreLib: FixtureCoreLib }), [
    FlakyJob,
    UpdateCache,
  ]);

const attempts = (name: string): number[] =>
  runsOf(name).map((r) => (r.params as { attempt: number }).attempt);

describe('run policy from YAML (snake_case)', () => {
  it('retries with retry_delay, then succeeds', async () => {
    const flaky = { class: 'flaky', params: { failures: 2 } };
    const entry = { name: 'retried', initial_delay: 'boot', retries: 2, retry_delay: '1s' };
    const { mod, clock } = await fromYaml({ ...entry, handler: flaky });
    await clock.advance('10s');
    expect(attempts('flaky')).toEqual([1, 2, 3]);
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
    const retrying = logs.filter((l) => l.level === 'warn' && l.message.includes('retrying'));
    expect(retrying).toHaveLength(2);
    expect(mod.get(JobScheduler).list()).toEqual([]); // a once job leaves the list after its run
  });

  it('listeners see the life of YAML jobs: started, succeeded, failed', async () => {
    const { mod, clock } = await fromYaml(
      { name: 'ok', initial_delay: '1s', handler: { class: 'UpdateCache' } },
      { name: 'ko', initial_delay: '2s', handler: { class: 'flaky', params: { failures: 1 } } },
    );
    const seen: JobEvent[] = [];
    mod.get(JobScheduler).subscribe((e) => seen.push(e));
    await clock.advance('2s');
    expect(seen.map((e) => `${e.type}:${e.name}`)).toEqual([
      'started:ok',
      'succeeded:ok',
      'started:ko',
      'failed:ko',
    ]);
    expect(seen[0]).toMatchObject({ reason: 'schedule', attempt: 1 });
  });
});

describe('run policy from @Job() (camelCase)', () => {
  it('retries and retryDelay work from the decorator', async () => {
    const { clock } = await start(CoreLibJobsModule.forRoot({ config: {} }), [CodeRetryJob]);
    await clock.advance('10s');
    expect(attempts('code-retry')).toEqual([1, 2, 3]);
    expect(logs.find((l) => l.level === 'error')?.message).toMatch(
      /^Error while running job code-retry.*3 attempts/,
    );
  });

  it('enabled: false turns a code-scheduled job off', async () => {
    const jobsModule = CoreLibJobsModule.forRoot({ config: {} });
    const { mod, clock } = await start(jobsModule, [DisabledCodeJob]);
    await clock.advance('10s');
    expect(runsOf('disabled-in-code')).toEqual([]);
    expect(mod.get(JobScheduler).list()).toEqual([]);
    expect(events).toEqual([]);
  });
});
