/**
 * `nestjs-core-lib-jobs/redis`: the Redis `JobLock` (for `cluster: { backend: 'custom', lock }`)
 * and `JobStore`, or your own use. Needs the optional peer dependency `ioredis`.
 */
export {
  RedisJobLock,
  LOCK_CLIENT_OPTIONS,
  type RedisJobLockOptions,
} from './cluster/redis/redis-job-lock.js';
/** The Redis `JobStore`, for `store: { backend: 'custom', store }` or your own use. */
export { RedisJobStore, type RedisJobStoreOptions } from './store/redis/redis-job-store.js';
