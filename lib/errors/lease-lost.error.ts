import { LEASE_LOST_ABORT } from './lease-lost.messages.js';

/**
 * Cluster mode: a running job's lease could not be extended (another replica holds the tick, or
 * the backend says the lease expired). The run's `context.signal` is aborted with this error: the
 * run no longer holds its lock, and another replica may start the job.
 */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';

  constructor(
    readonly jobName: string,
    /** The cluster backend, e.g. `redis (127.0.0.1:6379)`. */
    readonly backend: string,
  ) {
    super(LEASE_LOST_ABORT(jobName, backend));
  }
}
