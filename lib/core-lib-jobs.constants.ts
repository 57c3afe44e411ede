/** Metadata key set by `@Job()`. */
export const JOB_METADATA = 'core-lib-jobs:job';
/** Token of the validated module options. @internal */
export const CORE_LIB_JOBS_OPTIONS = Symbol('core-lib-jobs:options');
/** Token of the raw options given to `forRoot()` / made by `forRootAsync()`. @internal */
export const CORE_LIB_JOBS_RAW_OPTIONS = Symbol('core-lib-jobs:raw-options');
/** Token of the settings merged from the options and the YAML (`JobsConfig`). @internal */
export const JOBS_CONFIG = Symbol('core-lib-jobs:config');
/** Token of the job classes listed in `forRoot({ jobs })` / `forRootAsync({ jobs })`. @internal */
export const LISTED_JOBS = Symbol('core-lib-jobs:listed-jobs');
/** Token of the engine's clock (`JobClock`): a testing module overrides it. */
export const JOB_CLOCK = Symbol('core-lib-jobs:clock');

export const DEFAULT_CONFIG_FILE = 'core_lib.yaml';
export const DEFAULT_JOBS_PATH = 'core_lib.jobs';
export const DEFAULT_CLUSTER_PATH = 'core_lib.jobs_cluster';
export const SHUTDOWN_TIMEOUT_PATH = 'core_lib.jobs_shutdown_timeout';
export const DEFAULT_MISFIRE_THRESHOLD_MS = 1_000;
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;
/** Node's setTimeout limit (2^31 - 1 ms, about 24.8 days). */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;
