import type { JobStore } from './job-store.interface.js';

/** Settings common to the stores that keep a history. */
export interface JobStoreHistoryOptions {
  /** Runs kept per job, newest first; `0` keeps none. Default: 50. */
  history?: number;
}

/**
 * Where job state lives: from `forRoot({ store })` or YAML `core_lib.jobs_store` (snake_case:
 * `backend`, `path`, `url`, `key_prefix`, `table`, `history`). Redis and PostgreSQL take the
 * same connection options as cluster mode.
 */
export type JobStoreOptions =
  | ({ backend: 'memory' } & JobStoreHistoryOptions)
  | ({
      backend: 'file';
      /** The JSON file, relative to the working directory. Default: `.core-lib-jobs/state.json`. */
      path?: string;
    } & JobStoreHistoryOptions)
  | ({
      backend: 'redis';
      /** Default: 127.0.0.1:6379. */
      url?: string;
      /** An ioredis client to use instead of `url` (left open on close). */
      client?: unknown;
      /** Prefix of every key. Default: `core-lib-jobs`. */
      keyPrefix?: string;
    } & JobStoreHistoryOptions)
  | ({
      backend: 'postgres';
      /** Default: the PG* environment variables. */
      url?: string;
      /** A `pg` Pool to use instead of `url` (left open on close). */
      pool?: unknown;
      /** Scope of this app's rows, so apps can share the tables. Default: `core-lib-jobs`. */
      keyPrefix?: string;
      /** Prefix of the tables (`<table>_state`, `<table>_history`). Default: `core_lib_jobs`. */
      table?: string;
    } & JobStoreHistoryOptions)
  | { backend: 'custom'; store: JobStore };
