/** One tick to claim in `JobLock.claim()`. */
export interface TickClaim {
  name: string;
  /** The tick's due time, epoch ms on the backend's clock. */
  due: number;
  /** Who claims it (the replica id); losers are told this name. */
  holder: string;
  /** The run lease, which expires unless extended. */
  leaseMs: number;
  /** How long the claim on the tick itself is kept (a replica reaching it later skips it). */
  tickTtlMs: number;
}

/** A run lease held by `token`, as `claim()` handed it out. */
export interface HeldLease {
  name: string;
  token: string;
}

/**
 * Result of one claim. A lost claim says why: `taken`, another replica claimed this very tick
 * (its `holder`); `busy`, the tick is free but a run of the job holds the run lease (`holder`
 * runs it), so the tick may be claimed once that run ends.
 */
export type LockResult =
  | { acquired: true; token: string }
  | { acquired: false; reason: 'taken' | 'busy'; holder: string | undefined };

/**
 * A distributed lock backend for cluster mode (Redis and PostgreSQL ship with the module).
 * Every method works on a batch, in one backend round trip, so K jobs due at one instant cost
 * one call per replica, not K. All methods throw when the backend is unreachable; the
 * coordinator then runs nothing. A batch never holds two claims of one job.
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
   * Atomically, for each claim: takes tick `due` of job `name` and the job's run lease, both
   * or neither. It succeeds only if nobody claimed that tick and no run of the job holds the
   * run lease. Results are in the order of `claims`.
   */
  claim(claims: readonly TickClaim[]): Promise<LockResult[]>;
  /** Extends each lease whose token still holds it; false for one that was lost. */
  extend(leases: readonly HeldLease[], leaseMs: number): Promise<boolean[]>;
  /** Releases each lease whose token still holds it. */
  release(leases: readonly HeldLease[]): Promise<void>;
  /** Closes connections the lock opened itself (not a client the user passed in). */
  close(): Promise<void>;
}
