import { describe, expect, it, jest } from '@jest/globals';
import { Inject, Injectable, Module, Scope } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import {
  BaseJob,
  CoreLibJobsModule,
  InvalidJobsConfigError,
  Job,
  JobScheduler,
  JobsSetupError,
  MissingScheduleModuleError,
} from '../../lib/index.js';
import {
  appYaml,
  useFixtureApps,
  fixtureApp,
  startApp,
  startupFailure,
} from '../fixtures/fixture-app.js';
import {
  BadCodeScheduleJob,
  FixtureCoreLib,
  HeartbeatJob,
  MillisecondBeatJob,
  NoRunJob,
  PerRequestJob,
  PlainJob,
  SendReport,
  UpdateCache,
  UsersModule,
  WarmUsers,
  runLog,
  runsOf,
} from '../fixtures/fixture-jobs.js';

const logs = useFixtureApps();

const yamlJobs = (...jobs: object[]) => ({ core_lib: { jobs } });

describe('finding jobs', () => {
  it('finds @Job() providers declared in any module of the app (discovery)', async () => {
    class FeatureModule {}
    Module({ providers: [UpdateCache, PlainJob] })(FeatureModule);
    await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: yamlJobs(
            {
              initial_delay: 'boot',
              handler: { class: 'UpdateCache', params: { key: 'feature' } },
            },
            { initial_delay: 'boot', handler: { class: 'PlainJob', params: { plain: true } } },
          ),
          coreLib: FixtureCoreLib,
        }),
        imports: [FeatureModule],
      }),
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(runLog.map((r) => [r.job, r.params])).toEqual([
      ['UpdateCache', { key: 'feature' }],
      ['PlainJob', { plain: true }],
    ]);
  });

  it('registers the classes of the jobs option, with the modules of the imports option', async () => {
    // WarmUsers is declared nowhere else, and injects UsersService from `imports`.
    const mod = await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: yamlJobs({
            initial_delay: 'boot',
            handler: { class: 'warm-users', params: { n: 1 } },
          }),
          coreLib: FixtureCoreLib,
          jobs: [WarmUsers],
          imports: [UsersModule],
        }),
      }),
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(runLog.map((r) => [r.job, r.params])).toEqual([
      ['warm-users', { users: ['ada', 'grace'], params: { n: 1 } }],
    ]);
    expect(mod.get(WarmUsers, { strict: false })).toBeInstanceOf(WarmUsers);
  });

  it("YAML's handler.class refers to @Job({ name }), not to the class name", async () => {
    await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: yamlJobs({
            initial_delay: 'boot',
            handler: { class: 'send-report', params: { to: 'ops' } },
          }),
        }),
        providers: [SendReport],
      }),
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(runLog.map((r) => [r.job, r.params])).toEqual([['send-report', { to: 'ops' }]]);
  });

  it('runs one class in several entries, each with its own params and its own registry name', async () => {
    const mod = await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: appYaml('same-class.yaml'),
          coreLib: FixtureCoreLib,
        }),
        providers: [UpdateCache],
      }),
    );
    await jest.advanceTimersByTimeAsync(25_000);
    // users: 0, 10s, 20s; orders: 5s, 25s.
    expect(runsOf('UpdateCache').map((r) => [r.at, (r.params as { key: string }).key])).toEqual([
      [expect.any(Number), 'users'],
      [expect.any(Number), 'orders'],
      [expect.any(Number), 'users'],
      [expect.any(Number), 'users'],
      [expect.any(Number), 'orders'],
    ]);
    const names = mod.get(SchedulerRegistry).getIntervals();
    expect(names).toHaveLength(2);
    expect(new Set(runsOf('UpdateCache').map((r) => r.name))).toEqual(new Set(names));
  });

  it('accepts a python-style dotted class name (some_package.UpdateCache)', async () => {
    await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: yamlJobs({
            initial_delay: 'boot',
            handler: { class: 'some_package.jobs.UpdateCache', params: { key: 'dotted' } },
          }),
          coreLib: FixtureCoreLib,
        }),
        providers: [UpdateCache],
      }),
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(runLog.map((r) => [r.job, r.params])).toEqual([['UpdateCache', { key: 'dotted' }]]);
  });
});

describe('@Job() schedules from code alone', () => {
  it('runs a job whose @Job() carries initialDelay, frequency and params, with no YAML entry', async () => {
    const mod = await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({ config: {} }),
        providers: [HeartbeatJob],
      }),
    );
    await jest.advanceTimersByTimeAsync(999);
    expect(runsOf('heartbeat')).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(runsOf('heartbeat')).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(runsOf('heartbeat').map((r) => r.params)).toEqual([
      { beat: true },
      { beat: true },
      { beat: true },
    ]);
    expect(mod.get(SchedulerRegistry).getIntervals()).toEqual(['heartbeat']);
  });

  it('reads @Job() numbers as milliseconds', async () => {
    await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({ config: {} }),
        providers: [MillisecondBeatJob],
      }),
    );
    await jest.advanceTimersByTimeAsync(499);
    expect(runsOf('ms-beat')).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(501);
    expect(runsOf('ms-beat')).toHaveLength(3); // 500, 750, 1000
  });

  it('refuses to start on bad @Job() schedule options, naming the class, each field and value', async () => {
    const { phase, error } = await startupFailure(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({ config: {} }),
        providers: [BadCodeScheduleJob, HeartbeatJob],
      }),
    );
    expect(phase).toBe('init');
    expect(error).toBeInstanceOf(InvalidJobsConfigError);
    const problems = (error as InvalidJobsConfigError).problems;
    expect(problems).toHaveLength(2);
    expect(problems.find((p) => p.includes('initialDelay'))).toMatch(
      /BadCodeScheduleJob.*initialDelay.*"soon"/,
    );
    expect(problems.find((p) => p.includes('frequency'))).toMatch(
      /BadCodeScheduleJob.*frequency.*"-5s".*negative/,
    );
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runLog).toEqual([]); // not even the good code job
  });
});

describe('startup checks', () => {
  it('explains a missing ScheduleModule.forRoot()', async () => {
    const { error } = await startupFailure(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({ config: {} }),
        providers: [UpdateCache],
        withoutScheduleModule: true,
      }),
    );
    expect(error).toBeInstanceOf(MissingScheduleModuleError);
    expect(error.message).toContain('ScheduleModule.forRoot()');
  });

  it('warns about a request-scoped @Job() provider and does not schedule it', async () => {
    const mod = await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({ config: {} }),
        providers: [
          { provide: PerRequestJob, useClass: PerRequestJob, scope: Scope.REQUEST },
          HeartbeatJob,
        ],
      }),
    );
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runsOf('per-request')).toEqual([]);
    expect(runsOf('heartbeat').length).toBeGreaterThan(0);
    expect(
      mod
        .get(JobScheduler)
        .list()
        .map((j) => j.name),
    ).toEqual(['heartbeat']);
    const warning = logs.find((l) => l.level === 'warn' && l.message.includes('PerRequestJob'));
    expect(warning?.message).toMatch(/request-scoped/);
  });

  it('refuses to start when two job classes share a job name', async () => {
    @Job({ name: 'UpdateCache' })
    class ImpostorCache extends BaseJob {
      run(): void {
        runLog.push({
          job: 'impostor',
          params: undefined,
          at: Date.now(),
          coreLib: undefined,
          name: undefined,
        });
      }
    }
    const { error } = await startupFailure(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: yamlJobs({ initial_delay: 'boot', handler: { class: 'UpdateCache' } }),
        }),
        providers: [UpdateCache, ImpostorCache],
      }),
    );
    expect(error).toBeInstanceOf(JobsSetupError);
    expect(error.message).toMatch(/'UpdateCache'.*UpdateCache.*ImpostorCache/);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runLog).toEqual([]);
  });

  it('refuses to start when a YAML entry takes the name of a code-scheduled job', async () => {
    const { error } = await startupFailure(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: yamlJobs({
            name: 'heartbeat',
            initial_delay: 'boot',
            handler: { class: 'UpdateCache' },
          }),
        }),
        providers: [UpdateCache, HeartbeatJob],
      }),
    );
    expect(error).toBeInstanceOf(InvalidJobsConfigError);
    expect(error.message).toMatch(/core_lib\.jobs\[0\].*'heartbeat'.*HeartbeatJob/);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runLog).toEqual([]);
  });

  it('refuses to start when a @Job() class has no run() method', async () => {
    const { error } = await startupFailure(
      fixtureApp({ jobsModule: CoreLibJobsModule.forRoot({ config: {} }), providers: [NoRunJob] }),
    );
    expect(error).toBeInstanceOf(JobsSetupError);
    expect(error.message).toMatch(/NoRunJob.*run\(\)/);
  });

  it('refuses to start when the coreLib token is not a provider', async () => {
    class MissingCoreLib {}
    const { error } = await startupFailure(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({ config: {}, coreLib: MissingCoreLib }),
        providers: [UpdateCache],
      }),
    );
    expect(error).toBeInstanceOf(JobsSetupError);
    expect(error.message).toContain('MissingCoreLib');
    expect(error.message).toMatch(/not a provider/);
  });

  it('accepts a string token as coreLib', async () => {
    const coreLib = { kind: 'token-provided' };
    await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: yamlJobs({ initial_delay: 'boot', handler: { class: 'PlainJob' } }),
          coreLib: 'CORE_LIB_SERVICE',
        }),
        providers: [PlainJob, { provide: 'CORE_LIB_SERVICE', useValue: coreLib }],
      }),
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(runsOf('PlainJob').map((r) => r.coreLib)).toEqual([coreLib]);
  });
});

describe('a global module', () => {
  it('lets a feature module inject JobScheduler without importing CoreLibJobsModule', async () => {
    @Injectable()
    class ReportsService {
      constructor(@Inject(JobScheduler) readonly scheduler: JobScheduler) {}
    }
    class ReportsModule {}
    Module({ providers: [ReportsService], exports: [ReportsService] })(ReportsModule);
    const mod = await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({ config: {} }),
        imports: [ReportsModule],
      }),
    );
    expect(mod.get(ReportsService, { strict: false }).scheduler).toBe(mod.get(JobScheduler));
  });
});

describe('importing the module twice', () => {
  it('forRoot() in two modules refuses to start instead of running every job twice', async () => {
    const config = yamlJobs({
      initial_delay: 'boot',
      frequency: '10s',
      handler: { class: 'UpdateCache' },
    });
    class FeatureModule {}
    Module({ imports: [CoreLibJobsModule.forRoot({ config, coreLib: FixtureCoreLib })] })(
      FeatureModule,
    );
    const { phase, error } = await startupFailure(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({ config, coreLib: FixtureCoreLib }),
        imports: [FeatureModule],
        providers: [UpdateCache],
      }),
    );
    expect(phase).toBe('init');
    expect(error).toBeInstanceOf(JobsSetupError);
    expect(error.message).toMatch(/imported more than once/);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runLog).toEqual([]);
  });

  it('the same forRoot() module imported from two places runs each job once', async () => {
    const shared = CoreLibJobsModule.forRoot({
      config: yamlJobs({
        initial_delay: 'boot',
        frequency: '10s',
        handler: { class: 'UpdateCache' },
      }),
      coreLib: FixtureCoreLib,
    });
    class FeatureModule {}
    Module({ imports: [shared] })(FeatureModule);
    await startApp(
      fixtureApp({ jobsModule: shared, imports: [FeatureModule], providers: [UpdateCache] }),
    );
    await jest.advanceTimersByTimeAsync(20_000);
    expect(runsOf('UpdateCache')).toHaveLength(3); // 0, 10s, 20s
  });
});
