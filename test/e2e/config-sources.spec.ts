import { describe, expect, it, jest } from '@jest/globals';
import { Inject, Injectable, Module, type Type } from '@nestjs/common';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CoreLibJobsModule,
  InvalidJobsConfigError,
  type CoreLibJobsModuleOptions,
  type CoreLibJobsOptionsFactory,
} from '../../lib/index.js';
import {
  appYaml,
  useFixtureApps,
  fixtureApp,
  startApp,
  startupFailure,
} from '../fixtures/fixture-app.js';
import {
  FixtureCoreLib,
  HeartbeatJob,
  SendReport,
  UpdateCache,
  runLog,
  runsOf,
} from '../fixtures/fixture-jobs.js';

/** Where a fixture "config service" keeps the path, as an app's ConfigService would. */
const JOBS_CONFIG_PATH = Symbol('JOBS_CONFIG_PATH');

@Injectable()
class FixtureConfigService {
  constructor(@Inject(JOBS_CONFIG_PATH) private readonly path: string) {}
  get(key: 'jobsConfig'): string {
    return key === 'jobsConfig' ? this.path : '';
  }
}

/** A config module whose service the async factory injects. */
function configModule(path: string): Type {
  class FixtureConfigModule {}
  Module({
    providers: [{ provide: JOBS_CONFIG_PATH, useValue: path }, FixtureConfigService],
    exports: [FixtureConfigService],
  })(FixtureConfigModule);
  return FixtureConfigModule;
}

/** The same options, given through `forRootAsync()` with an injected config service. */
function asyncJobsModule(path: string, extra: Omit<CoreLibJobsModuleOptions, 'config'> = {}) {
  return CoreLibJobsModule.forRootAsync({
    imports: [configModule(path)],
    inject: [FixtureConfigService],
    useFactory: async (config: FixtureConfigService) => ({
      config: config.get('jobsConfig'),
      coreLib: FixtureCoreLib,
      ...extra,
    }),
  });
}

/** An options class, for `forRootAsync({ useClass })` and `({ useExisting })`. */
@Injectable()
class JobsOptionsService implements CoreLibJobsOptionsFactory {
  constructor(private readonly config: FixtureConfigService) {}
  createCoreLibJobsOptions(): CoreLibJobsModuleOptions {
    return { config: this.config.get('jobsConfig'), coreLib: FixtureCoreLib };
  }
}

/** A module that provides (and exports) the options class, for `useExisting`. */
function optionsModule(path: string): Type {
  class OptionsModule {}
  Module({
    imports: [configModule(path)],
    providers: [JobsOptionsService],
    exports: [JobsOptionsService],
  })(OptionsModule);
  return OptionsModule;
}

/** The same options again, made by a class (`useClass`) or an existing provider (`useExisting`). */
const classJobsModule = {
  useClass: (path: string) =>
    CoreLibJobsModule.forRootAsync({ imports: [configModule(path)], useClass: JobsOptionsService }),
  useExisting: (path: string) =>
    CoreLibJobsModule.forRootAsync({
      imports: [optionsModule(path)],
      useExisting: JobsOptionsService,
    }),
};

const logs = useFixtureApps();

/** Starts the fixture app with `basic.yaml` semantics and checks them: boot job every 30s, a once job after 1m. */
async function expectBasicSchedule(): Promise<void> {
  await jest.advanceTimersByTimeAsync(0);
  expect(runsOf('UpdateCache').map((r) => r.params)).toEqual([{ key: 'users' }]);
  await jest.advanceTimersByTimeAsync(60_000);
  expect(runsOf('UpdateCache')).toHaveLength(3);
  expect(runsOf('send-report').map((r) => r.params)).toEqual([{ to: 'ops' }]);
}

describe('config sources', () => {
  it('forRoot reads a YAML file given by path', async () => {
    await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: appYaml('basic.yaml'),
          coreLib: FixtureCoreLib,
        }),
        providers: [UpdateCache, SendReport],
      }),
    );
    await expectBasicSchedule();
  });

  it('forRoot takes an already-parsed object', async () => {
    const config = {
      core_lib: {
        jobs: [
          {
            initial_delay: 'boot',
            frequency: '30s',
            handler: { class: 'UpdateCache', params: { key: 'inline' } },
          },
        ],
      },
    };
    await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({ config, coreLib: FixtureCoreLib }),
        providers: [UpdateCache],
      }),
    );
    await jest.advanceTimersByTimeAsync(30_000);
    expect(runsOf('UpdateCache').map((r) => r.params)).toEqual([
      { key: 'inline' },
      { key: 'inline' },
    ]);
  });

  it('without config, reads core_lib.yaml from the working directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-lib-jobs-e2e-'));
    const cwd = process.cwd();
    writeFileSync(
      join(dir, 'core_lib.yaml'),
      [
        'core_lib:',
        '  jobs:',
        '    - initial_delay: boot',
        '      handler: { class: UpdateCache, params: { key: from-cwd } }',
        '',
      ].join('\n'),
    );
    try {
      process.chdir(dir);
      await startApp(
        fixtureApp({
          jobsModule: CoreLibJobsModule.forRoot({ coreLib: FixtureCoreLib }),
          providers: [UpdateCache],
        }),
      );
      await jest.advanceTimersByTimeAsync(0);
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
    expect(runsOf('UpdateCache').map((r) => r.params)).toEqual([{ key: 'from-cwd' }]);
  });

  it('without config and without core_lib.yaml in the working directory, runs code jobs and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-lib-jobs-e2e-'));
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      await startApp(
        fixtureApp({
          jobsModule: CoreLibJobsModule.forRoot({ coreLib: FixtureCoreLib }),
          providers: [HeartbeatJob],
        }),
      );
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runsOf('heartbeat')).toHaveLength(1);
    expect(
      logs.some(
        (l) => l.level === 'warn' && l.message.includes('core_lib.yaml') && l.message.includes(dir),
      ),
    ).toBe(true);
  });

  it('resolves a relative config path against the working directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-lib-jobs-e2e-'));
    const cwd = process.cwd();
    mkdirSync(join(dir, 'config'));
    writeFileSync(
      join(dir, 'config', 'jobs.yaml'),
      'core_lib:\n  jobs:\n    - { initial_delay: boot, handler: { class: UpdateCache, params: { key: relative } } }\n',
    );
    try {
      process.chdir(dir);
      await startApp(
        fixtureApp({
          jobsModule: CoreLibJobsModule.forRoot({
            config: 'config/jobs.yaml',
            coreLib: FixtureCoreLib,
          }),
          providers: [UpdateCache],
        }),
      );
      await jest.advanceTimersByTimeAsync(0);
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
    expect(runsOf('UpdateCache').map((r) => r.params)).toEqual([{ key: 'relative' }]);
  });

  it('jobsPath reads the job list from another place in the document', async () => {
    await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: appYaml('nested-path.yaml'),
          jobsPath: 'my_app.scheduled',
          coreLib: FixtureCoreLib,
        }),
        providers: [UpdateCache, SendReport],
      }),
    );
    await jest.advanceTimersByTimeAsync(0);
    // Only the list at `my_app.scheduled` runs; the one at the default path is ignored.
    expect(runLog.map((r) => [r.job, r.params])).toEqual([
      ['UpdateCache', { key: 'from-jobs-path' }],
    ]);
  });
});

describe('forRootAsync', () => {
  it('behaves like forRoot: same jobs, same schedule, same coreLib', async () => {
    const mod = await startApp(
      fixtureApp({
        jobsModule: asyncJobsModule(appYaml('basic.yaml')),
        providers: [UpdateCache, SendReport],
      }),
    );
    await expectBasicSchedule();
    expect(runLog.every((r) => r.coreLib === mod.get(FixtureCoreLib))).toBe(true);
  });

  it('registers the classes in its jobs option, as forRoot does', async () => {
    await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRootAsync({
          jobs: [UpdateCache],
          useFactory: () => ({
            config: {
              core_lib: { jobs: [{ initial_delay: 'boot', handler: { class: 'UpdateCache' } }] },
            },
            coreLib: FixtureCoreLib,
          }),
        }),
      }),
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(runsOf('UpdateCache')).toHaveLength(1);
  });

  it('takes the jobs option from the factory too, as forRoot takes it', async () => {
    // forRoot({ config, jobs: [UpdateCache] }) runs UpdateCache; the same options from the factory must too.
    const config = {
      core_lib: { jobs: [{ initial_delay: 'boot', handler: { class: 'UpdateCache' } }] },
    };
    await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRootAsync({
          useFactory: () => ({ config, coreLib: FixtureCoreLib, jobs: [UpdateCache] }),
        }),
      }),
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(runsOf('UpdateCache')).toHaveLength(1);
  });

  it('fails startup exactly as forRoot does on a bad config file', async () => {
    const path = appYaml('invalid/many-problems.yaml');
    const sync = await startupFailure(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({ config: path, coreLib: FixtureCoreLib }),
        providers: [UpdateCache, SendReport],
      }),
    );
    const async = await startupFailure(
      fixtureApp({ jobsModule: asyncJobsModule(path), providers: [UpdateCache, SendReport] }),
    );
    expect(sync.error).toBeInstanceOf(InvalidJobsConfigError);
    expect(async.error).toBeInstanceOf(InvalidJobsConfigError);
    expect(async.phase).toBe(sync.phase);
    expect(async.error.message).toBe(sync.error.message);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runLog).toEqual([]);
  });

  describe.each(Object.keys(classJobsModule) as Array<keyof typeof classJobsModule>)(
    '%s',
    (kind) => {
      it('behaves like forRoot: same jobs, same schedule, same coreLib', async () => {
        const jobsModule = classJobsModule[kind](appYaml('basic.yaml'));
        const mod = await startApp(
          fixtureApp({ jobsModule, providers: [UpdateCache, SendReport] }),
        );
        await expectBasicSchedule();
        expect(runLog.every((r) => r.coreLib === mod.get(FixtureCoreLib))).toBe(true);
      });

      it('fails startup exactly as forRoot does on a bad config file', async () => {
        const path = appYaml('invalid/many-problems.yaml');
        const providers = [UpdateCache, SendReport];
        const sync = await startupFailure(
          fixtureApp({
            jobsModule: CoreLibJobsModule.forRoot({ config: path, coreLib: FixtureCoreLib }),
            providers,
          }),
        );
        const other = await startupFailure(
          fixtureApp({ jobsModule: classJobsModule[kind](path), providers }),
        );
        expect(other.error).toBeInstanceOf(InvalidJobsConfigError);
        expect(other.phase).toBe(sync.phase);
        expect(other.error.message).toBe(sync.error.message);
        await jest.advanceTimersByTimeAsync(60_000);
        expect(runLog).toEqual([]);
      });
    },
  );

  it('refuses imports returned by the factory: modules are wired before it runs', async () => {
    const useFactory = () => ({ config: {}, imports: [class Late {}] }) as CoreLibJobsModuleOptions;
    const { error } = await startupFailure(
      fixtureApp({ jobsModule: CoreLibJobsModule.forRootAsync({ useFactory }) }),
    );
    expect(error).toBeInstanceOf(InvalidJobsConfigError);
    expect((error as InvalidJobsConfigError).problems).toEqual([
      expect.stringMatching(
        /useFactory returned `imports`.*pass forRootAsync\(\{ imports \}\) instead/,
      ),
    ]);
  });

  it('fails startup exactly as forRoot does on bad module options', async () => {
    const bad = { config: {}, jobsPath: 'core_lib..jobs', shutdownTimeout: 'soon' } as const;
    const sync = await startupFailure(fixtureApp({ jobsModule: CoreLibJobsModule.forRoot(bad) }));
    const async = await startupFailure(
      fixtureApp({ jobsModule: CoreLibJobsModule.forRootAsync({ useFactory: async () => bad }) }),
    );
    expect(sync.error).toBeInstanceOf(InvalidJobsConfigError);
    expect(async.error).toBeInstanceOf(InvalidJobsConfigError);
    expect(async.phase).toBe(sync.phase);
    expect(async.error.message).toBe(sync.error.message);
    expect(sync.error.message).toContain('jobsPath');
    expect(sync.error.message).toContain('shutdownTimeout');
  });
});
