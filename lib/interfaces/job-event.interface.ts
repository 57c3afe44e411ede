/** Why a due run did not start. */
export type SkipReason = 'overlap' | 'cluster-held' | 'cluster-unavailable' | 'shutdown';

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
}
