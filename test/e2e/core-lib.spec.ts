import { describe, expect, it, jest } from '@jest/globals';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CoreLibJobsModule, JobScheduler } from '../../lib/index.js';
import { JobsTestClock, JobsTestingModule } from '../../lib/testing.js';
import {
  fixtureApp,
  startApp,
  useFixtureApps,
  type FixtureAppOptions,
} from '../fixtures/fixture-app.js';
import {
  FixtureCoreLib,
  PlainJob,
  UpdateCache,
  events,
  runLog,
  runsOf,
} from '../fixtures/fixture-jobs.js';

useFixtureApps();

/** Starts the app with the scheduler on a JobsTestClock (imported next to the app's module). */
async function startOnTestClock(
  options: FixtureAppOptions,
): Promise<{ mod: TestingModule; clock: JobsTestClock }> {
  const mod = await startApp(fixtureApp({ ...options, imports: [JobsTestingModule.forRoot()] }));
  return { mod, clock: mod.get(JobsTestClock) };
}

/** UpdateCache in two entries, both at boot, every 10s. */
const twoEntries = {
  core_lib: {
    jobs: [
      {
        name: 'users',
        initial_delay: 'boot',
        frequency: '10s',
        handler: { class: 'UpdateCache', params: { key: 'users' } },
      },
      {
        name: 'orders',
        initial_delay: 'boot',
        frequency: '10s',
        handler: { class: 'UpdateCache', params: { key: 'orders' } },
      },
    ],
  },
};

describe('jobs receive coreLib', () => {
  it("sets job.coreLib to the app's CoreLib instance, which the job uses", async () => {
    const { mod, clock } = await startOnTestClock({
      jobsModule: CoreLibJobsModule.forRoot({ config: twoEntries, coreLib: FixtureCoreLib }),
      providers: [UpdateCache],
    });
    await clock.advance(0);
    const coreLib = mod.get(FixtureCoreLib);
    expect(mod.get(UpdateCache).coreLib).toBe(coreLib);
    expect(runLog.map((r) => r.coreLib)).toEqual([coreLib, coreLib]);
    expect([...coreLib.cache.keys()].sort()).toEqual(['orders', 'users']);
  });

  it('calls initialized(coreLib) once, before the first run, though in two entries', async () => {
    const { mod, clock } = await startOnTestClock({
      jobsModule: CoreLibJobsModule.forRoot({ config: twoEntries, coreLib: FixtureCoreLib }),
      providers: [UpdateCache],
    });
    await clock.advance(30_000);
    expect(runsOf('UpdateCache')).toHaveLength(8);
    expect(mod.get(UpdateCache).initializedWith).toEqual([mod.get(FixtureCoreLib)]);
    expect(events[0]).toBe('initialized:UpdateCache');
    expect(events.filter((e) => e === 'initialized:UpdateCache')).toHaveLength(1);
  });

  it('gives coreLib to a job that does not extend BaseJob', async () => {
    const { mod, clock } = await startOnTestClock({
      jobsModule: CoreLibJobsModule.forRoot({
        config: {
          core_lib: { jobs: [{ initial_delay: 'boot', handler: { class: 'PlainJob' } }] },
        },
        coreLib: FixtureCoreLib,
      }),
      providers: [PlainJob],
    });
    await clock.advance(0);
    expect(runsOf('PlainJob').map((r) => r.coreLib)).toEqual([mod.get(FixtureCoreLib)]);
  });

  it('setDataHandler(coreLib) sets coreLib and calls initialized once (core-lib)', async () => {
    const { mod, clock } = await startOnTestClock({
      jobsModule: CoreLibJobsModule.forRoot({ config: {}, coreLib: FixtureCoreLib }),
    });
    const own = new FixtureCoreLib({ users: ['someone else'] });
    const job = new UpdateCache();
    job.setDataHandler(own);
    expect(job.coreLib).toBe(own);
    expect(job.initializedWith).toEqual([own]);
    mod.get(JobScheduler).schedule('1s', '1s', job, { name: 'manual', params: { key: 'manual' } });
    await clock.advance(2_000);
    // The module neither calls initialized() again nor replaces the coreLib the job was given.
    expect(job.initializedWith).toEqual([own]);
    expect(runsOf('UpdateCache').map((r) => r.coreLib)).toEqual([own, own]);
    expect(own.cache.has('manual')).toBe(true);
  });

  it('hands the app coreLib to a job scheduled by hand through JobScheduler', async () => {
    const { mod, clock } = await startOnTestClock({
      jobsModule: CoreLibJobsModule.forRoot({ config: {}, coreLib: FixtureCoreLib }),
    });
    const job = new UpdateCache();
    mod.get(JobScheduler).scheduleOnce('1s', job, { params: { key: 'by-hand' } });
    await clock.advance(1_000);
    expect(job.coreLib).toBe(mod.get(FixtureCoreLib));
    expect(job.initializedWith).toEqual([mod.get(FixtureCoreLib)]);
    expect(runsOf('UpdateCache').map((r) => r.params)).toEqual([{ key: 'by-hand' }]);
  });
});

/** What the app looked like between module init and bootstrap. */
const seenAtModuleInit: {
  coreLibSet?: boolean;
  runs?: number;
  initialized?: number;
  registered?: string[];
} = {};

/**
 * Lives in the app module, so its hooks run after the jobs module's: its onModuleInit sees the
 * state after the jobs module's onModuleInit, and lets a minute of time pass there.
 */
@Injectable()
class LifecycleProbe implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(SchedulerRegistry) private readonly registry: SchedulerRegistry,
    @Inject(UpdateCache) private readonly job: UpdateCache,
  ) {}

  async onModuleInit(): Promise<void> {
    await jest.advanceTimersByTimeAsync(60_000);
    seenAtModuleInit.coreLibSet = this.job.coreLib !== undefined;
    seenAtModuleInit.runs = runLog.length;
    seenAtModuleInit.initialized = this.job.initializedWith.length;
    seenAtModuleInit.registered = [...this.registry.getIntervals(), ...this.registry.getTimeouts()];
    events.push('probe:module-init');
  }

  onApplicationBootstrap(): void {
    events.push('probe:bootstrap');
  }
}

describe('first run', () => {
  it('comes on application bootstrap, not at module init', async () => {
    await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({ config: twoEntries, coreLib: FixtureCoreLib }),
        providers: [UpdateCache, LifecycleProbe],
      }),
    );
    // The jobs module's onModuleInit had run (coreLib set) but, a minute later, nothing was
    // scheduled or run.
    expect(seenAtModuleInit).toEqual({ coreLibSet: true, runs: 0, initialized: 0, registered: [] });
    await jest.advanceTimersByTimeAsync(0);
    expect(runsOf('UpdateCache')).toHaveLength(2);
    expect(events.slice(0, 3)).toEqual([
      'probe:module-init',
      'probe:bootstrap',
      'initialized:UpdateCache',
    ]);
  });
});
