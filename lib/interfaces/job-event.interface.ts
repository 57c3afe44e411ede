/**
 * Why a due run did not start. `overlap`: a run of the job is still going in this process;
 * `cluster-held`: another replica claimed this tick; `cluster-busy`: another replica still runs
 * the job (its run lease is held), so nobody runs this tick; `cluster-unavailable`: the cluster
 * backend could not be reached; `shutdown`: the app is stopping.
 */
export type SkipReason =
  'overlap' | 'cluster-held' | 'cluster-busy' | 'cluster-unavailable' | 'shutdown';

/**
 * One moment in a run's life, as seen by `JobScheduler.subscribe()` listeners. `runId` is shared
 * by every event of one run (all its attempts) and unique within the process, so a listener can
 * pair a start with its end even when runs of a job overlap. Times are epoch ms on the
 * scheduler's clock (the backend's in cluster mode); `startedAt - scheduledAt` is the lateness.
 */
export type JobEvent =
  | {
      type: 'started';
      name: string;
      runId: number;
      attempt: number;
      scheduledAt: number;
      startedAt: number;
      reason: 'schedule' | 'catch-up' | 'trigger';
    }
  | { type: 'succeeded'; name: string; runId: number; attempt: number; durationMs: number }
  | {
      type: 'failed';
      name: string;
      runId: number;
      attempt: number;
      durationMs: number;
      error: unknown;
      final: boolean;
    }
  | {
      type: 'retried';
      name: string;
      runId: number;
      attempt: number;
      delayMs: number;
      error: unknown;
    }
  | { type: 'skipped'; name: string; scheduledAt: number; reason: SkipReason }
  /** Cluster mode: this replica won tick `scheduledAt` (one another replica won is `skipped`). */
  | { type: 'claimed'; name: string; scheduledAt: number };

export type JobListener = (event: JobEvent) => void;

/** How one run ended; `trigger()` resolves with it. */
export interface RunOutcome {
  status: 'succeeded' | 'failed' | 'skipped';
  attempts: number;
  durationMs: number;
  error?: unknown;
  skipReason?: SkipReason;
  /** `cluster-held` and `cluster-busy`: the replica that holds the tick or runs the job. */
  heldBy?: string;
}
