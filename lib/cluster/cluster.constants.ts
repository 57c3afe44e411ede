/** Defaults of cluster mode. @internal */
export const DEFAULT_KEY_PREFIX = 'core-lib-jobs';
/** @internal */
export const DEFAULT_LEASE_MS = 30_000;
/**
 * A lease is extended every third of it: much shorter and one slow round trip loses it.
 * @internal
 */
export const MIN_LEASE_MS = 1_000;
/** @internal */
export const DEFAULT_LOCK_TABLE = 'core_lib_job_locks';
/** How often a coordinator measures the backend's clock offset again. @internal */
export const CLOCK_RESYNC_MS = 60_000;
/** How often an anchor is asked again while the backend is down. @internal */
export const ANCHOR_RETRY_MS = 1_000;
