import type { Duration } from './job-options.interface.js';
import type { JobLock } from './job-lock.interface.js';

/** Settings common to every cluster backend. */
export interface ClusterCommonOptions {
  /** Prefix of every key or row the lock writes. Default: `core-lib-jobs`. */
  keyPrefix?: string;
  /** Run lease; a live run extends it every third of it. Default: 30s. */
  lease?: Duration;
  /** This replica's id in `list().lastRunBy`. Default: `host:pid`. */
  replicaId?: string;
}

/**
 * Cluster mode: each tick of a cluster job runs on one replica only. From `forRoot({ cluster })`
 * or YAML `core_lib.jobs_cluster` (snake_case: `backend`, `url`, `key_prefix`, `lease`).
 */
export type ClusterOptions = ClusterCommonOptions &
  (
    | {
        backend: 'redis';
        url?: string;
        /** An ioredis client to use instead of `url`. */ client?: unknown;
      }
    | {
        backend: 'postgres';
        url?: string;
        /** A `pg` Pool to use instead of `url`. */ pool?: unknown;
        /** Lock table. Default: `core_lib_job_locks`. */ table?: string;
      }
    | { backend: 'custom'; lock: JobLock }
  );
