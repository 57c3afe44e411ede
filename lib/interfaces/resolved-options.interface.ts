import type { InjectionToken, Type } from '@nestjs/common';
import type { ClusterOptions } from './cluster-options.interface.js';
import type { JobStoreOptions } from './job-store-options.interface.js';

/** The module options after validation (internal). */
export interface ResolvedModuleOptions {
  config: string | Record<string, unknown> | undefined;
  jobsPath: string;
  coreLib: InjectionToken | undefined;
  jobs: Type<unknown>[];
  /** undefined: not given in code (YAML's `core_lib.jobs_shutdown_timeout`, else 30s, applies). */
  shutdownTimeoutMs: number | undefined;
  clock: (() => number) | undefined;
  cluster: ClusterOptions | false | undefined;
  /** undefined: not given in code (YAML's `core_lib.jobs_store`, else the default, applies). */
  store: JobStoreOptions | undefined;
}
