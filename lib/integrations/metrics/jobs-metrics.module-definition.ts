import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { JobsMetricsOptions } from './jobs-metrics.options.js';

/** `forRoot()` / `forRootAsync()` of `CoreLibJobsMetricsModule`, and its options token. */
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<JobsMetricsOptions>()
    .setClassMethodName('forRoot')
    .setFactoryMethodName('create')
    .build();
