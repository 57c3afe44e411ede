import type { CronTime } from 'cron';
import type { JobLike } from '../base-job.js';
import type { JobRunContext } from '../interfaces/job-run-context.interface.js';
import type { JobTrigger, RunPolicy } from './job-spec.js';
import type { QueueItem } from './timer-queue.js';

/** What a job has done: created on its first run, so jobs that wait cost nothing here. @internal */
export class JobStats {
  runs = 0;
  failures = 0;
  lastRunAt = 0;
  lastDurationMs = -1;
  lastError: string | undefined = undefined;
  lastRunBy: string | undefined = undefined;
  /** True while ticks are being skipped for overlap, so the skip is logged once per burst. */
  skipping = false;

  /** A run ended: `error` is the failure's description, undefined for a success. */
  ended(durationMs: number, error: string | undefined): void {
    this.runs++;
    if (error !== undefined) this.failures++;
    this.lastDurationMs = durationMs;
    this.lastError = error;
  }
}

/** The live state of one scheduled job. Kept lean: 100k of these may be held at once. @internal */
export class JobHandle implements QueueItem {
  /** When the queue fires it: the nominal due time plus `jitterOffset`. */
  dueAt = 0;
  heapIndex = -1;
  gen = 0;
  /** Random delay (ms) added to the current tick. */
  jitterOffset = 0;
  /** Origin of the fixed-rate grid. */
  anchor = 0;
  state: 'scheduled' | 'paused' | 'stopped' = 'scheduled';
  /**
   * What `SchedulerRegistry` holds for this job under its name (a Node `Timeout` or a `CronJob`):
   * before each run the engine checks that the registry still holds it, so a job deleted through
   * the registry stops.
   */
  registryEntry: object | undefined = undefined;
  running = 0;
  stats: JobStats | undefined = undefined;
  /** A cron job's parsed expression: its registry entry's, so `setTime()` moves the ticks too. */
  cronTime: CronTime | undefined = undefined;

  constructor(
    readonly name: string,
    readonly job: JobLike,
    readonly params: unknown,
    /** Replaced (never changed in place) when a cron entry's `setTime()` moves the job. */
    public trigger: JobTrigger,
    readonly policy: RunPolicy,
  ) {}

  /** Nominal due time of the next tick (before jitter). */
  get nextDue(): number {
    return this.dueAt - this.jitterOffset;
  }

  /** Fixed-rate jobs without jitter share a FIFO lane per period in the timer queue. */
  get lane(): number {
    const { trigger, policy } = this;
    const fixedRate = trigger.kind === 'interval' && policy.mode === 'fixed-rate';
    return fixedRate && !policy.jitterMs ? trigger.frequencyMs : 0;
  }

  get statsOrNew(): JobStats {
    return (this.stats ??= new JobStats());
  }
}

/**
 * The `context` of one attempt; its AbortController is made only if the signal is read.
 * @internal
 */
export class RunContext implements JobRunContext {
  private controller: AbortController | undefined;
  private abortReason: unknown;

  constructor(
    readonly name: string,
    readonly attempt: number,
    readonly scheduledAt: number,
    readonly reason: 'schedule' | 'catch-up' | 'trigger',
    /** Shared by the attempts of one run: pairs a run's events for listeners. */
    readonly runId = 0,
    /** Cluster mode: the run's lease; its loss aborts this attempt's signal. */
    readonly lease?: AbortSignal,
  ) {
    if (!lease) return;
    if (lease.aborted) this.abortReason = lease.reason;
    else lease.addEventListener('abort', () => this.abort(lease.reason as Error), { once: true });
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason !== undefined) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  abort(reason: Error): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }
}
