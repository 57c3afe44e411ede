import { Module, type DynamicModule } from '@nestjs/common';
import { ASYNC_OPTIONS_TYPE, ConfigurableModuleClass } from './jobs-metrics.module-definition.js';
import type { JobsMetricsOptions } from './jobs-metrics.options.js';
import { JobsMetrics } from './jobs-metrics.service.js';

/**
 * Prometheus metrics of the jobs (`prom-client`), on the app's registry or one given:
 * `CoreLibJobsMetricsModule.forRoot()` next to `CoreLibJobsModule.forRoot()`. Serve the
 * registry's `metrics()` at `/metrics` from a controller of the app.
 */
@Module({ providers: [JobsMetrics], exports: [JobsMetrics] })
export class CoreLibJobsMetricsModule extends ConfigurableModuleClass {
  static override forRoot(options: JobsMetricsOptions = {}): DynamicModule {
    return super.forRoot(options);
  }

  /** Options from a factory, e.g. a `Registry` another module provides. */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}
