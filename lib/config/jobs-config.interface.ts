import type { ClusterOptions } from '../interfaces/cluster-options.interface.js';
import type { JobStoreOptions } from '../interfaces/job-store-options.interface.js';
import type { LoadedConfig } from './config.loader.js';

/**
 * The module's settings after merging the options and the YAML (code wins), computed once at
 * startup (the `JOBS_CONFIG` provider). The job entries are loaded but not yet checked against
 * the app's classes: the orchestrator does that at onModuleInit, with the `@Job()` schedules.
 */
export interface JobsConfig {
  /**
   * Hands over the YAML document (interpolated, with line numbers), or undefined when there is
   * none, once: the plan takes it at onModuleInit, so the document is not held for the app's
   * life (10,000 entries held that way cost 2.6 KB per job in the scale benchmark).
   */
  takeYaml(): LoadedConfig | undefined;
  /** Dotted path of the job list in `yaml`. */
  jobsPath: string;
  /** How long shutdown waits for runs in progress, in ms. */
  shutdownTimeoutMs: number;
  /** Cluster mode's options, or undefined when it is off. */
  cluster: ClusterOptions | undefined;
  /** The time of day, when `forRoot({ clock })` replaces the system's. */
  clock: (() => number) | undefined;
  /**
   * The job store's options: `forRoot({ store })`, else YAML `core_lib.jobs_store`, else cluster
   * mode's backend, else memory (`storeOptionsFor`).
   */
  store: JobStoreOptions;
  /**
   * Whether a store was named (or cluster mode gave one). Without one, runs are not recorded:
   * the default memory store stays empty, and runs cost what they did before there was a store.
   */
  storeConfigured: boolean;
  /**
   * Problems of the module-level settings (cluster section, shutdown timeout, `${...}` outside
   * the entries): reported at onModuleInit together with the job problems, in one error.
   */
  problems: readonly string[];
}
