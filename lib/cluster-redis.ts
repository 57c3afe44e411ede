/**
 * `nestjs-core-lib-jobs/redis`: the Redis `JobLock`, for `cluster: { backend: 'custom', lock }`
 * or your own use. Needs the optional peer dependency `ioredis`.
 */
export { RedisJobLock, LOCK_CLIENT_OPTIONS, type RedisJobLockOptions } from './cluster/redis/redis-job-lock.js';
