/** Token of the `JobStore` (inject it with `@InjectJobStore()`). */
export const JOB_STORE = Symbol('JOB_STORE');

/** Where YAML configures the store. */
export const STORE_CONFIG_PATH = 'core_lib.jobs_store';

/** Runs kept per job unless `history` says otherwise. */
export const DEFAULT_HISTORY = 50;
/** Highest `history` accepted: every write of the file store rewrites all of it. */
export const MAX_HISTORY = 10_000;
export const DEFAULT_STATE_FILE = '.core-lib-jobs/state.json';
export const DEFAULT_STORE_KEY_PREFIX = 'core-lib-jobs';
/** Prefix of the PostgreSQL tables: `core_lib_jobs_state`, `core_lib_jobs_history`. */
export const DEFAULT_STORE_TABLE = 'core_lib_jobs';

/** What a stored error keeps: a record stays small whatever a job throws. */
export const STORE_LIMITS = {
  messageChars: 1_000,
  stackLines: 10,
  stackChars: 2_000,
};

/** Expired runs one `reapAbandoned()` call closes at most (the next call takes the rest). */
export const REAP_BATCH = 100;
/** Version of the state file's layout. */
export const STATE_FILE_VERSION = 1;
/** How long a lock file takeover waits for another process's takeover, in all. */
export const LOCK_TAKEOVER_WAIT_MS = 2_000;
