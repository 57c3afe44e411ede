import type { Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { initializeJob, isInitialized } from '../base-job.js';
import { JobTimeoutError } from '../errors/job-timeout.error.js';
import type { JobEvent, RunOutcome } from '../interfaces/job-event.interface.js';
import { RETRYING, RUN_FAILED } from './job-engine.messages.js';
import { describeThrown, stackOf } from '../utils/thrown-value.js';
import { JobHandle, RunContext } from './job-handle.js';

type Attempt =
  | { ctx: RunContext; t0: number; ok: true }
  | { ctx: RunContext; t0: number; ok: false; error: unknown }
  | { ctx: RunContext; t0: number; promise: PromiseLike<unknown> };

const noop = (): void => undefined;
const SCHEDULED_SUCCESS: RunOutcome = Object.freeze({ status: 'succeeded', attempts: 1, durationMs: 0 });

/**
 * Runs one run of a job: every attempt, the timeout and the retries. A job that returns without a
 * promise and does not throw is finished synchronously, with no promise allocated.
 * Nothing a job does escapes: every error is caught, logged and counted here.
 */
export class JobRunner {
  /** Contexts of async attempts in progress, for the shutdown drain. */
  readonly active = new Set<RunContext>();
  private readonly sleepers = new Set<() => void>();
  /** The last run's id: runs are numbered so listeners can pair a run's events. */
  private lastRunId = 0;
  stopping = false;

  constructor(
    private readonly logger: Logger,
    /** Set only while someone listens, so no event object is built otherwise. */
    public emit: ((event: JobEvent) => void) | undefined,
    private readonly now: () => number,
    private readonly coreLib: () => unknown,
  ) {}

  /** `retryDeadline`: retries must start before this (the next tick), so they never overlap it. */
  run(
    h: JobHandle, scheduledAt: number, reason: 'schedule' | 'trigger', params: unknown, retryDeadline: number, now: number,
  ): RunOutcome | Promise<RunOutcome> {
    h.running++;
    h.statsOrNew.lastRunAt = now;
    const runId = ++this.lastRunId;
    // The common case, inlined: a sync run that returns. No promise, no intermediate objects.
    if (this.emit === undefined && isInitialized(h.job)) {
      const ctx = new RunContext(h.name, 1, scheduledAt, reason, runId);
      const t0 = performance.now();
      let pending: Attempt;
      try {
        // Reading `then` runs the result's own code (a getter may throw): inside the try.
        const result = h.job.run(params, ctx);
        if (!isThenable(result)) return this.succeeded(h, ctx, t0);
        pending = { ctx, t0, promise: result };
      } catch (error) {
        pending = { ctx, t0, ok: false, error };
      }
      return this.continue(h, pending, scheduledAt, reason, params, retryDeadline);
    }
    const first = this.attempt(h, 1, scheduledAt, reason, params, runId);
    if ('ok' in first && first.ok) return this.succeeded(h, first.ctx, first.t0);
    return this.continue(h, first, scheduledAt, reason, params, retryDeadline);
  }

  private attempt(
    h: JobHandle,
    n: number,
    scheduledAt: number,
    reason: 'schedule' | 'trigger',
    params: unknown,
    runId: number,
  ): Attempt {
    const ctx = new RunContext(h.name, n, scheduledAt, reason, runId);
    this.emit?.({
      type: 'started',
      name: h.name,
      runId,
      attempt: n,
      scheduledAt,
      startedAt: this.now(),
      reason,
    });
    const t0 = performance.now();
    try {
      const init = initializeJob(h.job, this.coreLib());
      // A thenable of the job's own making is adopted by a real promise before it is chained.
      const result = isThenable(init)
        ? Promise.resolve(init).then(() => h.job.run(params, ctx))
        : h.job.run(params, ctx);
      return isThenable(result) ? { ctx, t0, promise: result } : { ctx, t0, ok: true };
    } catch (error) {
      return { ctx, t0, ok: false, error };
    }
  }

  private async continue(
    h: JobHandle, pending: Attempt, scheduledAt: number, reason: 'schedule' | 'trigger', params: unknown, retryDeadline: number,
  ): Promise<RunOutcome> {
    for (let n = 1; ; n++) {
      let error: unknown;
      if ('promise' in pending) {
        try {
          await this.settle(h, pending.ctx, pending.promise);
          return this.succeeded(h, pending.ctx, pending.t0);
        } catch (e) {
          error = e;
        }
      } else if (pending.ok) {
        return this.succeeded(h, pending.ctx, pending.t0);
      } else {
        error = pending.error;
      }
      const durationMs = performance.now() - pending.t0;
      const delay = backoff(h.policy.retryDelayMs, n);
      const retry = n <= h.policy.retries && this.mayRetry(h) && this.now() + delay < retryDeadline;
      const runId = pending.ctx.runId;
      this.failed(h, runId, n, durationMs, error, !retry);
      if (!retry) return { status: 'failed', attempts: n, durationMs, error };
      this.emit?.({ type: 'retried', name: h.name, runId, attempt: n + 1, delayMs: delay, error });
      this.logger.warn(RETRYING(h.name, n, h.policy.retries + 1, delay, describeThrown(error)));
      await this.sleep(delay);
      if (!this.mayRetry(h)) {
        this.failed(h, runId, n, durationMs, error, true);
        return { status: 'failed', attempts: n, durationMs, error };
      }
      pending = this.attempt(h, n + 1, scheduledAt, reason, params, runId);
    }
  }

  private mayRetry(h: JobHandle): boolean {
    return !this.stopping && h.state !== 'stopped';
  }

  /** Wakes every retry that is waiting for its backoff: used at shutdown. */
  wakeSleepers(): void {
    for (const wake of this.sleepers) wake();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /** Awaits an attempt, failing it at the timeout; tracked so shutdown can wait for it. */
  private async settle(h: JobHandle, ctx: RunContext, promise: PromiseLike<unknown>): Promise<void> {
    const settled = Promise.resolve(promise);
    settled.then(noop, noop); // a run that rejects after its timeout must not go unhandled
    this.active.add(ctx);
    let timer: NodeJS.Timeout | undefined;
    try {
      if (!h.policy.timeoutMs) return void (await settled);
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new JobTimeoutError(h.name, h.policy.timeoutMs);
          ctx.abort(error);
          reject(error);
        }, h.policy.timeoutMs);
      });
      await Promise.race([settled, timedOut]);
    } finally {
      if (timer) clearTimeout(timer);
      this.active.delete(ctx);
    }
  }

  private succeeded(h: JobHandle, ctx: RunContext, t0: number): RunOutcome {
    const durationMs = performance.now() - t0;
    const stats = h.stats!;
    h.running--;
    stats.runs++;
    stats.lastDurationMs = durationMs;
    stats.lastError = undefined;
    const { runId, attempt } = ctx;
    this.emit?.({ type: 'succeeded', name: h.name, runId, attempt, durationMs });
    // A timed run's outcome is not read by anyone: share one object rather than allocate per run.
    return ctx.reason === 'schedule' && ctx.attempt === 1 ? SCHEDULED_SUCCESS : { status: 'succeeded', attempts: ctx.attempt, durationMs };
  }

  private failed(
    h: JobHandle,
    runId: number,
    attempt: number,
    durationMs: number,
    error: unknown,
    final: boolean,
  ): void {
    this.emit?.({ type: 'failed', name: h.name, runId, attempt, durationMs, error, final });
    if (!final) return;
    const stats = h.stats!;
    h.running--;
    stats.runs++;
    stats.failures++;
    stats.lastDurationMs = durationMs;
    // Whatever was thrown (no prototype, throwing getters, a revoked proxy), this cannot throw.
    stats.lastError = describeThrown(error);
    this.logger.error(RUN_FAILED(h.name, attempt, stats.lastError), stackOf(error));
  }
}

/** Exponential backoff with "equal jitter": between half and all of `base × 2^(n-1)`. */
export function backoff(baseMs: number, n: number): number {
  const full = baseMs * 2 ** (n - 1);
  return Math.round(full / 2 + (Math.random() * full) / 2);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
