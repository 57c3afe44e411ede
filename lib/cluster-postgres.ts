/**
 * `nestjs-core-lib-jobs/postgres`: the PostgreSQL `JobLock`, for `cluster: { backend: 'custom', lock }`
 * or your own use. Needs the optional peer dependency `pg`.
 */
export { PostgresJobLock, LOCK_POOL_OPTIONS, type PostgresJobLockOptions } from './cluster/postgres/postgres-job-lock.js';
