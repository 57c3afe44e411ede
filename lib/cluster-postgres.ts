/**
 * `nestjs-core-lib-jobs/postgres`: the PostgreSQL `JobLock` (for `cluster: { backend: 'custom',
 * lock }`) and `JobStore`, or your own use. Needs the optional peer dependency `pg`.
 */
export {
  PostgresJobLock,
  LOCK_POOL_OPTIONS,
  type PostgresJobLockOptions,
} from './cluster/postgres/postgres-job-lock.js';
/** The PostgreSQL `JobStore`, for `store: { backend: 'custom', store }` or your own use. */
export {
  PostgresJobStore,
  type PostgresJobStoreOptions,
} from './store/postgres/postgres-job-store.js';
