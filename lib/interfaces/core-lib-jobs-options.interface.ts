import type {
  ConfigurableModuleAsyncOptions,
  InjectionToken,
  ModuleMetadata,
  Type,
} from '@nestjs/common';
import type { ClusterOptions } from './cluster-options.interface.js';
import type { Duration } from './job-options.interface.js';
import type { JobStoreOptions } from './job-store-options.interface.js';

/** Options of `CoreLibJobsModule.forRoot()`, and what `forRootAsync()`'s factory returns. */
export interface CoreLibJobsModuleOptions {
  /**
   * Path of the YAML file, or an already-parsed document. Default: `core_lib.yaml` in the
   * working directory.
   */
  config?: string | Record<string, unknown>;
  /** Dotted path of the job list in that document. Default: `core_lib.jobs`. */
  jobsPath?: string;
  /** Class or token of the app's CoreLib service, which every job receives as `coreLib`. */
  coreLib?: InjectionToken;
  /**
   * Job classes YAML entries may name. Given to `forRoot()` (or to `forRootAsync()` itself) they
   * become providers; returned by an async factory they are created with DI at startup.
   */
  jobs?: Type<unknown>[];
  /**
   * How long shutdown waits for runs in progress before aborting them: a pytimeparse string or
   * a whole number of milliseconds. Default: 30s (YAML: `core_lib.jobs_shutdown_timeout`).
   */
  shutdownTimeout?: Duration;
  /**
   * Cluster mode: one run per tick across replicas, on Redis or PostgreSQL. Overrides YAML
   * `core_lib.jobs_cluster`; `false` turns it off.
   */
  cluster?: ClusterOptions | false;
  /**
   * Where run history and catch-up state live. Overrides YAML `core_lib.jobs_store`. Default:
   * cluster mode's backend when it is on, else memory (nothing persists).
   */
  store?: JobStoreOptions;
  /** Clock used for scheduling, in epoch ms. Default: `Date.now`. Meant for tests. */
  clock?: () => number;
}

/** What `forRoot()` and `forRootAsync()` take besides the options: they shape the module. */
export interface CoreLibJobsModuleExtras {
  /** Job classes to register as providers, so YAML entries can name them. */
  jobs?: Type<unknown>[];
  /** Modules whose exports the classes in `jobs` inject. */
  imports?: ModuleMetadata['imports'];
}

/** A class that makes the options, for `forRootAsync({ useClass })` / `({ useExisting })`. */
export interface CoreLibJobsOptionsFactory {
  createCoreLibJobsOptions(): CoreLibJobsModuleOptions | Promise<CoreLibJobsModuleOptions>;
}

/**
 * Options of `CoreLibJobsModule.forRootAsync()`: `useFactory` (with `inject`), `useClass` or
 * `useExisting` makes the options; `imports` and `jobs` shape the module, as in `forRoot()`.
 */
export type CoreLibJobsModuleAsyncOptions = ConfigurableModuleAsyncOptions<
  CoreLibJobsModuleOptions,
  'createCoreLibJobsOptions'
> &
  CoreLibJobsModuleExtras;
