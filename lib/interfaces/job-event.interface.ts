/** Why a due run did not start. */
export type SkipReason = 'overlap' | 'cluster-held' | 'cluster-unavailable' | 'shutdown';

/** One moment in a run's life, as seen by `JobScheduler.subscribe()` listeners. */
export type JobEvent =
  | { type: 'started'; name: string; attempt: number; scheduledAt: number; reason: 'schedule' | 'trigger' }
  | { type: 'succeeded'; name: string; attempt: number; durationMs: number }
  | { type: 'failed'; name: string; attempt: number; durationMs: number; error: unknown; final: boolean }
  | { type: 'retried'; name: string; attempt: number; delayMs: number; error: unknown }
  | { type: 'skipped'; name: string; scheduledAt: number; reason: SkipReason };

export type JobListener = (event: JobEvent) => void;

/** How one run ended; `trigger()` resolves with it. */
export interface RunOutcome {
  status: 'succeeded' | 'failed' | 'skipped';
  attempts: number;
  durationMs: number;
  error?: unknown;
  skipReason?: SkipReason;
}
