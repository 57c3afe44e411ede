import type { FactoryProvider, InjectionToken, ModuleMetadata, Type } from '@nestjs/common';
import type { ClusterOptions } from './cluster-options.interface.js';
import type { Duration } from './job-options.interface.js';

/** Options of `CoreLibJobsModule.forRoot()`. */
export interface CoreLibJobsModuleOptions {
  /** Path of the YAML file, or an already-parsed document. Default: `core_lib.yaml` in the working directory. */
  config?: string | Record<string, unknown>;
  /** Dotted path of the job list in that document. Default: `core_lib.jobs`. */
  jobsPath?: string;
  /** Class or token of the app's CoreLib service, which every job receives as `coreLib`. */
  coreLib?: InjectionToken;
  /** Job classes to register as providers, so YAML entries can name them. */
  jobs?: Type<unknown>[];
  /** Modules whose exports the classes in `jobs` inject. */
  imports?: ModuleMetadata['imports'];
  /** How long shutdown waits for runs in progress before aborting them. Default: 30s (YAML: `core_lib.jobs_shutdown_timeout`). */
  shutdownTimeout?: Duration;
  /** Cluster mode: one run per tick across replicas, on Redis or PostgreSQL. Overrides YAML `core_lib.jobs_cluster`. */
  cluster?: ClusterOptions | false;
  /** Clock used for scheduling, in epoch ms. Default: `Date.now`. Meant for tests. */
  clock?: () => number;
}

/** Options of `CoreLibJobsModule.forRootAsync()`: the factory returns the same options as `forRoot()`. */
export interface CoreLibJobsModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: FactoryProvider['inject'];
  useFactory: (...args: any[]) => CoreLibJobsModuleOptions | Promise<CoreLibJobsModuleOptions>;
  /** Job classes to register as providers (they must be known before the factory runs). */
  jobs?: Type<unknown>[];
}
