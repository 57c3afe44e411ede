import { DynamicModule, Global, Module, type Provider, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CORE_LIB_JOBS_OPTIONS, CORE_LIB_JOBS_RAW_OPTIONS } from './core-lib-jobs.constants.js';
import { CoreLibJobsExplorer } from './core-lib-jobs.explorer.js';
import { resolveModuleOptions } from './core-lib-jobs.options.js';
import type { CoreLibJobsModuleAsyncOptions, CoreLibJobsModuleOptions } from './interfaces/core-lib-jobs-options.interface.js';
import { JobMetadataAccessor } from './job-metadata.accessor.js';
import { JobScheduler } from './job.scheduler.js';
import { InvalidJobsConfigError } from './errors/invalid-jobs-config.error.js';
import { FACTORY_IMPORTS } from './errors/jobs-setup.messages.js';

/** Modules are wired before the factory runs, so `imports` returned by it could not be honoured. */
function withoutImports(factory: CoreLibJobsModuleAsyncOptions['useFactory']) {
  return async (...args: unknown[]): Promise<CoreLibJobsModuleOptions> => {
    const options = await factory(...args);
    if (options?.imports?.length) throw new InvalidJobsConfigError([FACTORY_IMPORTS()]);
    return options;
  };
}

/**
 * core-lib's job system for NestJS: reads the YAML `jobs:` list, registers `@Job()` providers,
 * hands each job the app's CoreLib service and schedules them on application bootstrap.
 * Global: import it once, in the root module, next to `ScheduleModule.forRoot()`.
 */
@Global()
@Module({})
export class CoreLibJobsModule {
  static forRoot(options: CoreLibJobsModuleOptions = {}): DynamicModule {
    const module = CoreLibJobsModule.build({ provide: CORE_LIB_JOBS_RAW_OPTIONS, useValue: options }, options.jobs);
    return { ...module, imports: [...(options.imports ?? []), ...(module.imports ?? [])] };
  }

  static forRootAsync(options: CoreLibJobsModuleAsyncOptions): DynamicModule {
    const module = CoreLibJobsModule.build(
      { provide: CORE_LIB_JOBS_RAW_OPTIONS, useFactory: withoutImports(options.useFactory), inject: options.inject ?? [] },
      options.jobs,
    );
    return { ...module, imports: [...(options.imports ?? []), ...(module.imports ?? [])] };
  }

  private static build(rawOptions: Provider, jobs: Type<unknown>[] = []): DynamicModule {
    return {
      module: CoreLibJobsModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        rawOptions,
        { provide: CORE_LIB_JOBS_OPTIONS, useFactory: resolveModuleOptions, inject: [CORE_LIB_JOBS_RAW_OPTIONS] },
        JobMetadataAccessor,
        CoreLibJobsExplorer,
        JobScheduler,
        ...(Array.isArray(jobs) ? jobs : []),
      ],
      exports: [JobScheduler],
    };
  }
}
