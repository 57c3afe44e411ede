import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CoreLibJobsExplorer } from './core-lib-jobs.explorer.js';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
} from './core-lib-jobs.module-definition.js';
import { CoreLibJobsOrchestrator } from './core-lib-jobs.orchestrator.js';
import { CORE_LIB_JOBS_PROVIDERS } from './core-lib-jobs.providers.js';
import { JobMetadataAccessor } from './job-metadata.accessor.js';
import { JobScheduler } from './job.scheduler.js';
import { JOB_STORE } from './store/store.constants.js';

/**
 * core-lib's job system for NestJS: reads the YAML `jobs:` list, registers `@Job()` providers,
 * hands each job the app's CoreLib service and schedules them on application bootstrap.
 * Global: import it once, in the root module, next to `ScheduleModule.forRoot()`.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    ...CORE_LIB_JOBS_PROVIDERS,
    JobMetadataAccessor,
    CoreLibJobsExplorer,
    CoreLibJobsOrchestrator,
    JobScheduler,
  ],
  exports: [JobScheduler, JOB_STORE],
})
export class CoreLibJobsModule extends ConfigurableModuleClass {
  /** The module with options given in code. */
  static override forRoot(options: typeof OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }

  /** The module with options made by `useFactory`, `useClass` or `useExisting`. */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}
