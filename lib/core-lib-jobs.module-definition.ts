import { ConfigurableModuleBuilder } from '@nestjs/common';
import { CORE_LIB_JOBS_RAW_OPTIONS, LISTED_JOBS } from './core-lib-jobs.constants.js';
import type {
  CoreLibJobsModuleExtras,
  CoreLibJobsModuleOptions,
} from './interfaces/core-lib-jobs-options.interface.js';

/**
 * `forRoot()` and `forRootAsync()` (`useFactory`, `useClass`, `useExisting`) from Nest's
 * builder. The extras `jobs` and `imports` shape the module: the classes become providers (and
 * are listed for the explorer), the modules are imported. The module is global.
 */
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<CoreLibJobsModuleOptions>({
    optionsInjectionToken: CORE_LIB_JOBS_RAW_OPTIONS,
  })
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createCoreLibJobsOptions')
    .setExtras<CoreLibJobsModuleExtras>({ jobs: [], imports: [] }, (definition, extras) => {
      // The options' validation reports a `jobs` that is not a list of classes.
      const jobs = Array.isArray(extras.jobs)
        ? extras.jobs.filter((j) => typeof j === 'function')
        : [];
      return {
        ...definition,
        global: true,
        imports: [...(definition.imports ?? []), ...(extras.imports ?? [])],
        providers: [
          ...(definition.providers ?? []),
          ...jobs,
          { provide: LISTED_JOBS, useValue: extras.jobs },
        ],
      };
    })
    .build();
