import { Module, type DynamicModule } from '@nestjs/common';
import { ASYNC_OPTIONS_TYPE, ConfigurableModuleClass } from './jobs-tracing.module-definition.js';
import type { JobsTracingOptions } from './jobs-tracing.options.js';
import { JobsTracing } from './jobs-tracing.service.js';

/**
 * OpenTelemetry spans of the jobs (`@opentelemetry/api`): one root span per run.
 * `CoreLibJobsTracingModule.forRoot()` next to `CoreLibJobsModule.forRoot()`; without an SDK
 * registered, the spans cost next to nothing and go nowhere.
 */
@Module({ providers: [JobsTracing], exports: [JobsTracing] })
export class CoreLibJobsTracingModule extends ConfigurableModuleClass {
  static override forRoot(options: JobsTracingOptions = {}): DynamicModule {
    return super.forRoot(options);
  }

  /** Options from a factory, e.g. a `TracerProvider` another module provides. */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}
