import type { ClusterStatus } from './cluster-status.interface.js';
import type { RunOutcome } from './job-event.interface.js';

/**
 * What the engine needs from cluster mode: a shared clock, a shared schedule anchor, and
 * "run this tick only if no other replica does". Implemented on top of a `JobLock` backend.
 * @internal
 */
export interface ClusterCoordinator {
  /** This replica's id (`host:pid`). */
  readonly replicaId: string;
  /** The backend's clock, in epoch ms (local clock corrected by the measured offset). */
  now(): number;
  /** Measures the clock offset and checks the backend; called once before jobs start. */
  start(): Promise<void>;
  /**
   * The shared grid origin of job `name`, set to `proposed` by whichever replica asks first.
   * With `ttlMs` the anchor is forgotten after that long (once jobs: a later deploy runs them
   * again).
   */
  anchor(name: string, proposed: number, ttlMs?: number): Promise<number>;
  /**
   * Runs tick `due` of job `name` if this replica wins it; otherwise resolves with a skip.
   * The claim on the tick is kept `keepMs`, so a replica that reaches the same tick later skips it.
   */
  runTick(
    name: string,
    due: number,
    keepMs: number,
    /** `lease`: aborted with a `LeaseLostError` when the run's lease cannot be extended. */
    run: (lease: AbortSignal) => RunOutcome | Promise<RunOutcome>,
    onOutcome: (ranBy: string | undefined) => void,
  ): Promise<RunOutcome>;
  /** Calls `listener` each time the backend is back after an outage (clock re-measured). */
  onRecovered(listener: () => void): void;
  /** Job `name` stopped: its anchor is no longer kept (nor written back after an outage). */
  forget(name: string): void;
  /** The backend and whether its last call succeeded (no call is made). */
  status(): ClusterStatus;
  /** Releases connections it opened. */
  close(): Promise<void>;
}
