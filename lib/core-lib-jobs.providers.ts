import type { Provider } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { createJobsConfig } from './config/jobs-config.factory.js';
import type { JobsConfig } from './config/jobs-config.interface.js';
import {
  CORE_LIB_JOBS_OPTIONS,
  CORE_LIB_JOBS_RAW_OPTIONS,
  JOB_CLOCK,
  JOBS_CONFIG,
  LISTED_JOBS,
} from './core-lib-jobs.constants.js';
import { resolveModuleOptions } from './core-lib-jobs.options.js';
import { CoreLibResolver } from './core-lib.resolver.js';
import { clockWithNow, SYSTEM_CLOCK, TEST_CLOCK, type JobClock } from './engine/job-clock.js';
import { JobEngine } from './engine/job-engine.js';
import { MissingScheduleModuleError } from './errors/missing-schedule-module.error.js';
import type { JobStore } from './interfaces/job-store.interface.js';
import { JobStoreRuntime } from './store/runtime/job-store.runtime.js';
import { JOB_STORE } from './store/store.constants.js';
import { createJobStore } from './store/store.factory.js';
import { ControlPlane } from './control/control-plane.js';
import { createControlStore } from './control/control-store.factory.js';

/**
 * The module's internal providers, each made once from the one before: raw options → validated
 * options → settings merged with the YAML → clock → engine; the job store (built here, opened
 * by the orchestrator once the config is checked) and its runtime (recorder, reaper, view); the
 * control plane (stored schedules, pauses, audit) on the cluster's or the store's backend.
 */
export const CORE_LIB_JOBS_PROVIDERS: Provider[] = [
  {
    provide: CORE_LIB_JOBS_OPTIONS,
    useFactory: resolveModuleOptions,
    inject: [CORE_LIB_JOBS_RAW_OPTIONS, LISTED_JOBS],
  },
  { provide: JOBS_CONFIG, useFactory: createJobsConfig, inject: [CORE_LIB_JOBS_OPTIONS] },
  {
    provide: JOB_CLOCK,
    // A test clock (JobsTestingModule, from nestjs-core-lib-jobs/testing) replaces any other.
    useFactory: (config: JobsConfig, testClock?: JobClock): JobClock =>
      testClock ?? (config.clock ? clockWithNow(config.clock) : SYSTEM_CLOCK),
    inject: [JOBS_CONFIG, { token: TEST_CLOCK, optional: true }],
  },
  CoreLibResolver,
  {
    provide: JobEngine,
    useFactory: (
      registry: SchedulerRegistry | undefined,
      clock: JobClock,
      coreLib: CoreLibResolver,
    ) => {
      if (!registry) throw new MissingScheduleModuleError();
      return new JobEngine({ registry, clock, coreLib: () => coreLib.get() });
    },
    inject: [{ token: SchedulerRegistry, optional: true }, JOB_CLOCK, CoreLibResolver],
  },
  {
    provide: JOB_STORE,
    useFactory: (config: JobsConfig): Promise<JobStore> => createJobStore(config.store),
    inject: [JOBS_CONFIG],
  },
  {
    provide: JobStoreRuntime,
    useFactory: (store: JobStore, config: JobsConfig) =>
      new JobStoreRuntime(store, config.store, config.storeConfigured),
    inject: [JOB_STORE, JOBS_CONFIG],
  },
  {
    provide: ControlPlane,
    useFactory: async (config: JobsConfig, engine: JobEngine) =>
      new ControlPlane({
        store: await createControlStore(config),
        engine,
        cluster: config.cluster,
      }),
    inject: [JOBS_CONFIG, JobEngine],
  },
];
