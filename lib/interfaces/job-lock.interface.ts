/** Result of `JobLock.acquire()`. */
export type LockResult =
  { acquired: true; token: string } | { acquired: false; holder: string | undefined };

/**
 * A distributed lock backend for cluster mode (Redis and PostgreSQL ship with the module).
 * All methods throw when the backend is unreachable; the coordinator then runs nothing.
 */
export interface JobLock {
  /** The backend's clock, in epoch ms. */
  time(): Promise<number>;
  /**
   * Stores `proposed` as job `name`'s schedule anchor unless one exists (kept `ttlMs`, or for
   * good); returns the stored anchor.
   */
  anchor(name: string, proposed: number, ttlMs?: number): Promise<number>;
  /**
   * Atomically claims tick `due` of job `name` for `holder`: succeeds only if nobody claimed that
   * tick and no run of the job holds the run lease. The tick claim is kept for `tickTtlMs`; the
   * run lease expires after `leaseMs` unless extended.
   */
  acquire(
    name: string,
    due: number,
    holder: string,
    leaseMs: number,
    tickTtlMs: number,
  ): Promise<LockResult>;
  /** Extends the run lease if `token` still holds it; false if it was lost. */
  extend(name: string, token: string, leaseMs: number): Promise<boolean>;
  /** Releases the run lease if `token` still holds it. */
  release(name: string, token: string): Promise<void>;
  /** Closes connections the lock opened itself (not a client the user passed in). */
  close(): Promise<void>;
}
