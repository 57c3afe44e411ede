import type { Logger } from '@nestjs/common';
import { JobTimeoutError } from '../../errors/job-timeout.error.js';
import type { JobEvent } from '../../interfaces/job-event.interface.js';
import type {
  JobStore,
  RunReason,
  RunRecord,
  RunStart,
  RunStatus,
} from '../../interfaces/job-store.interface.js';
import { newRunId, toRunError } from '../run-record.js';
import { RUN_CLOSED_ELSEWHERE, SKIPPED } from './store-runtime.messages.js';
import type { StoreWatch } from './store-watch.js';

/** What the recorder is given. @internal */
export interface RunRecorderOptions {
  store: JobStore;
  watch: StoreWatch;
  logger: Logger;
  /** The scheduler's clock (the backend's in cluster mode). */
  now: () => number;
  /** Who runs: cluster mode's replica id, else `host:pid`. */
  replica: () => string;
  /** A run's lease in the store, extended every third of it while it runs. */
  leaseMs: number;
  /** A run's end was written (the cached view refreshes). */
  onEnded?: (name: string) => void;
}

/**
 * Writes each run to the store from the scheduler's events: `runStarted` at its first attempt,
 * `runEnded` after its last, skips as `skipped` records. The run never waits: every write is a
 * promise left to the store (which applies one job's writes in call order), its error logged
 * once per outage. @internal
 */
export class RunRecorder {
  /** Runs in progress, by the engine's run id. */
  private readonly open = new Map<number, RunStart>();

  constructor(private readonly o: RunRecorderOptions) {}

  get inProgress(): number {
    return this.open.size;
  }

  /** A `subscribe()` listener. */
  readonly listener = (event: JobEvent): void => {
    switch (event.type) {
      case 'started':
        if (event.attempt === 1) this.started(event);
        return;
      case 'succeeded':
        return this.ended(event.runId, 'succeeded', event.attempt, null);
      case 'failed':
        if (!event.final) return;
        return this.ended(event.runId, statusOf(event.error), event.attempt, event.error);
      case 'skipped':
        return this.skipped(event);
    }
  };

  /** Extends the lease of every run in progress (a timer calls it every third of the lease). */
  heartbeat(): void {
    const leaseUntil = this.o.now() + this.o.leaseMs;
    for (const [id, start] of this.open) {
      const { name, runId } = start;
      void this.o.watch
        .call(() => this.o.store.heartbeat(name, runId, leaseUntil))
        .then((held) => {
          if (held !== false || !this.open.has(id)) return;
          this.open.delete(id); // recorded as abandoned by a reaper: its end would be dropped
          this.o.logger.warn(RUN_CLOSED_ELSEWHERE(name, runId));
        });
    }
  }

  private started(event: Extract<JobEvent, { type: 'started' }>): void {
    const start: RunStart = {
      name: event.name,
      runId: newRunId(),
      due: event.scheduledAt,
      reason: event.reason as RunReason,
      startedAt: event.startedAt,
      replica: this.o.replica(),
      leaseUntil: event.startedAt + this.o.leaseMs,
    };
    this.open.set(event.runId, start);
    void this.o.watch.call(() => this.o.store.runStarted(start));
  }

  private ended(id: number, status: RunStatus, attempts: number, error: unknown): void {
    const start = this.open.get(id);
    if (!start) return; // started before the recorder listened, or closed by a reaper
    this.open.delete(id);
    const { name, runId, due, reason, startedAt, replica } = start;
    const endedAt = this.o.now();
    const stored = status === 'succeeded' ? null : toRunError(error);
    this.end({
      name,
      runId,
      due,
      reason,
      startedAt,
      endedAt,
      status,
      attempts,
      error: stored,
      replica,
    });
  }

  /**
   * A tick not run. Another replica's tick (`cluster-held`, or `cluster-busy`: the replica that
   * runs the job skips it for overlap) is that replica's to record, but is
   * marked as handled here too (a store of this replica's own must not catch it up later), as
   * is a tick skipped for overlap; one missed at shutdown or in an outage is not, so catch-up
   * may still run it.
   */
  private skipped(event: Extract<JobEvent, { type: 'skipped' }>): void {
    const { name, scheduledAt: due, reason } = event;
    const { store, watch } = this.o;
    const elsewhere = reason === 'cluster-held' || reason === 'cluster-busy';
    if (reason === 'overlap' || elsewhere) {
      void watch.call(() => store.markTick(name, due));
    }
    if (elsewhere) return;
    const now = this.o.now();
    this.end({
      name,
      runId: newRunId(),
      due,
      reason: 'schedule',
      startedAt: now,
      endedAt: now,
      status: 'skipped',
      attempts: 0,
      error: { message: SKIPPED(reason) },
      replica: this.o.replica(),
    });
  }

  private end(record: RunRecord): void {
    void this.o.watch
      .call(() => this.o.store.runEnded(record))
      .then(() => {
        this.o.onEnded?.(record.name);
      });
  }
}

/** How a failed run is stored: a timeout is `timed-out`, anything else `failed`. */
const statusOf = (error: unknown): RunStatus =>
  error instanceof JobTimeoutError ? 'timed-out' : 'failed';
