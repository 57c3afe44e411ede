import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { JobsTracingOptions } from './jobs-tracing.options.js';

/** `forRoot()` / `forRootAsync()` of `CoreLibJobsTracingModule`, and its options token. */
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<JobsTracingOptions>()
    .setClassMethodName('forRoot')
    .setFactoryMethodName('create')
    .build();
