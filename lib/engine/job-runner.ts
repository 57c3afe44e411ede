import type { Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { JobTimeoutError } from '../errors/job-timeout.error.js';
import type { RunOutcome } from '../interfaces/job-event.interface.js';
import { noop } from '../utils/noop.js';
import { describeThrown, stackOf } from '../utils/thrown-value.js';
import type { JobClock } from './job-clock.js';
import { RETRYING, RUN_FAILED, WRAPPER_SKIPPED_CALL } from './job-engine.messages.js';
import type { JobEvents } from './job-events.js';
import type { RunWrapper } from '../interfaces/run-wrapper.interface.js';
import { RunContext, type JobHandle } from './job-handle.js';
import { RetrySleeps } from './retry-sleeps.js';
import type { RunWrappers } from './run-wrappers.js';
import {
  backoff,
  deadline,
  startAttempt,
  SETTLED_OK,
  type Attempt,
  type Settled,
} from './run-attempt.js';

/** What a runner is given. @internal */
export interface JobRunnerOptions {
  logger: Logger;
  events: JobEvents;
  /** Timers of timeouts and retry backoff. */
  clock: JobClock;
  /** The scheduler's time (the backend's in cluster mode). */
  now: () => number;
  coreLib: () => unknown;
  /** `JobScheduler.wrapRuns()`: around every attempt. */
  wrappers: RunWrappers;
}

/**
 * Runs one run of a job: every attempt, the timeout and the retries. A job that returns without a
 * promise and does not throw is finished synchronously, with no promise allocated.
 * Nothing a job does escapes: every error is caught, logged and counted here. @internal
 */
export class JobRunner {
  /** Contexts of async attempts in progress, for the shutdown drain. */
  private readonly active = new Set<RunContext>();
  private readonly sleeps: RetrySleeps;
  /** Runs are numbered so listeners can pair a run's events. */
  private lastRunId = 0;
  private stopping = false;

  constructor(private readonly options: JobRunnerOptions) {
    this.sleeps = new RetrySleeps(options.clock);
  }

  /** Retries waiting for their backoff. */
  get sleeping(): number {
    return this.sleeps.size;
  }

  /** Async attempts in progress. */
  get attempts(): number {
    return this.active.size;
  }

  /** `retryDeadline`: retries must start before it (the next tick), so they never overlap it. */
  run(
    h: JobHandle,
    scheduledAt: number,
    reason: 'schedule' | 'catch-up' | 'trigger',
    params: unknown,
    retryDeadline: number,
    now: number,
    /** Cluster mode: aborted when the run's lease is lost; every attempt's signal follows it. */
    lease?: AbortSignal,
  ): RunOutcome | Promise<RunOutcome> {
    h.running++;
    h.statsOrNew.lastRunAt = now;
    const ctx = new RunContext(h.name, 1, scheduledAt, reason, ++this.lastRunId, lease);
    const first = this.attempt(h, ctx, params);
    if ('ok' in first && first.ok) return this.succeeded(h, ctx, first.t0);
    return this.finish(h, first, params, retryDeadline);
  }

  /** Shutdown: no retry starts from now on, and the retries waiting for their backoff end now. */
  stopRetries(): void {
    this.stopping = true;
    this.sleeps.wakeAll();
  }

  /** Shutdown gave up waiting: aborts every attempt in progress; returns their jobs' names. */
  abortAll(error: Error): string[] {
    const names = new Set<string>();
    for (const ctx of this.active) {
      names.add(ctx.name);
      ctx.abort(error);
    }
    return [...names];
  }

  private attempt(h: JobHandle, ctx: RunContext, params: unknown): Attempt {
    const { events } = this.options;
    if (events.listening) {
      const { name, runId, attempt, scheduledAt, reason } = ctx;
      const startedAt = this.options.now();
      events.emit({ type: 'started', name, runId, attempt, scheduledAt, startedAt, reason });
    }
    const wrap = this.options.wrappers.composed;
    if (!wrap) return startAttempt(h.job, ctx, params, this.options.coreLib);
    return this.wrapped(wrap, h, ctx, params);
  }

  /**
   * An attempt inside the wrappers. The attempt is what `startAttempt` made, whatever a wrapper
   * returns; a wrapper that throws, or never calls, fails the attempt (nothing escapes).
   */
  private wrapped(wrap: RunWrapper, h: JobHandle, ctx: RunContext, params: unknown): Attempt {
    let made: Attempt | undefined;
    try {
      wrap(ctx, () => (made = startAttempt(h.job, ctx, params, this.options.coreLib)));
    } catch (error) {
      made ??= { ctx, t0: performance.now(), ok: false, error };
    }
    return (
      made ?? { ctx, t0: performance.now(), ok: false, error: new Error(WRAPPER_SKIPPED_CALL) }
    );
  }

  /** Awaits an attempt that did not succeed at once, retrying it as the policy says. */
  private async finish(
    h: JobHandle,
    pending: Attempt,
    params: unknown,
    retryDeadline: number,
  ): Promise<RunOutcome> {
    for (let n = 1; ; n++) {
      const { ctx, t0 } = pending;
      const settled = 'promise' in pending ? await this.settle(h, ctx, pending.promise) : pending;
      if (settled.ok) return this.succeeded(h, ctx, t0);
      const { error } = settled;
      const durationMs = performance.now() - t0;
      const delay = backoff(h.policy.retryDelayMs, n);
      const inTime = this.options.now() + delay < retryDeadline;
      const retry = n <= h.policy.retries && this.mayRetry(h) && inTime;
      this.emitFailed(h, ctx.runId, n, durationMs, error, !retry);
      if (retry) {
        this.retrying(h, ctx.runId, n, delay, error);
        await this.sleeps.sleep(delay);
        if (this.mayRetry(h)) {
          const { scheduledAt, reason, runId, lease } = ctx;
          const next = new RunContext(h.name, n + 1, scheduledAt, reason, runId, lease);
          pending = this.attempt(h, next, params);
          continue;
        }
        // Cancelled in its backoff (shutdown, stop): the announced attempt ends the run, unrun.
        this.emitFailed(h, ctx.runId, n + 1, 0, error, true);
      }
      this.count(h, n, durationMs, error);
      return { status: 'failed', attempts: n, durationMs, error };
    }
  }

  private mayRetry(h: JobHandle): boolean {
    return !this.stopping && h.state !== 'stopped';
  }

  private retrying(h: JobHandle, runId: number, n: number, delayMs: number, error: unknown): void {
    const { events, logger } = this.options;
    const attempt = n + 1;
    if (events.listening)
      events.emit({ type: 'retried', name: h.name, runId, attempt, delayMs, error });
    logger.warn(RETRYING(h.name, n, h.policy.retries + 1, delayMs, describeThrown(error)));
  }

  /** Awaits an attempt, failing it at the timeout; tracked so shutdown can abort it. */
  private async settle(
    h: JobHandle,
    ctx: RunContext,
    promise: PromiseLike<unknown>,
  ): Promise<Settled> {
    const settled = Promise.resolve(promise);
    settled.then(noop, noop); // a run that rejects after its timeout must not go unhandled
    this.active.add(ctx);
    const { timeoutMs } = h.policy;
    const limit = timeoutMs
      ? deadline(this.options.clock, timeoutMs, () => {
          const error = new JobTimeoutError(h.name, timeoutMs);
          ctx.abort(error);
          return error;
        })
      : undefined;
    try {
      await (limit ? Promise.race([settled, limit.expired]) : settled);
      return SETTLED_OK;
    } catch (error) {
      return { ok: false, error };
    } finally {
      limit?.cancel();
      this.active.delete(ctx);
    }
  }

  private succeeded(h: JobHandle, ctx: RunContext, t0: number): RunOutcome {
    const durationMs = performance.now() - t0;
    h.running--;
    h.stats!.ended(durationMs, undefined);
    const { runId, attempt } = ctx;
    const { events } = this.options;
    if (events.listening) {
      events.emit({ type: 'succeeded', name: h.name, runId, attempt, durationMs });
    }
    return { status: 'succeeded', attempts: attempt, durationMs };
  }

  private emitFailed(
    h: JobHandle,
    runId: number,
    attempt: number,
    durationMs: number,
    error: unknown,
    final: boolean,
  ): void {
    const { events } = this.options;
    if (events.listening) {
      events.emit({ type: 'failed', name: h.name, runId, attempt, durationMs, error, final });
    }
  }

  /** A run failed after `attempts` attempts: counted and logged. */
  private count(h: JobHandle, attempts: number, durationMs: number, error: unknown): void {
    // Whatever was thrown (no prototype, throwing getters, a revoked proxy), this cannot throw.
    const message = describeThrown(error);
    h.running--;
    h.stats!.ended(durationMs, message);
    this.options.logger.error(RUN_FAILED(h.name, attempts, message), stackOf(error));
  }
}
