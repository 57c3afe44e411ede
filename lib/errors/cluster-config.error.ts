/**
 * The cluster backend answers but cannot be used as configured: a wrong password, a lock table
 * of another shape, a missing permission. Unlike an outage it does not pass on its own, so it is
 * logged once, and at startup the app refuses to start. A custom `JobLock` may throw it too.
 */
export class ClusterConfigError extends Error {
  override readonly name = 'ClusterConfigError';
}
