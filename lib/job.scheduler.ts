import { Injectable, Optional } from '@nestjs/common';
import { isJobLike, type JobLike } from './base-job.js';
import { JobEngine } from './engine/job-engine.js';
import { defaultName } from './engine/job-names.js';
import type { JobSpecInput } from './engine/job-spec.js';
import { isOnce } from './engine/job-spec.fields.js';
import { FROM_CODE, prepareJob } from './engine/prepared-job.js';
import { JobSchedulerError } from './errors/job-scheduler.error.js';
import {
  BAD_OPTION,
  FREQUENCY_REQUIRED,
  INVALID_SCHEDULE,
  NOT_A_JOB,
} from './errors/job-scheduler.messages.js';
import type { ClusterStatus } from './interfaces/cluster-status.interface.js';
import type { JobListener, RunOutcome } from './interfaces/job-event.interface.js';
import type { JobInfo } from './interfaces/job-info.interface.js';
import type { Duration, ScheduleOptions } from './interfaces/job-options.interface.js';
import type { JobRef } from './interfaces/job-ref.interface.js';
import type { RunWrapper } from './interfaces/run-wrapper.interface.js';
import type { RunRecord } from './interfaces/job-store.interface.js';
import { JobStoreRuntime } from './store/runtime/job-store.runtime.js';

export type { JobRef } from './interfaces/job-ref.interface.js';

/**
 * Schedules jobs, as core-lib's `JobScheduler`, and registers each one in `SchedulerRegistry`
 * under its name. Durations are pytimeparse strings (`'1s'`, `'2h32m'`, `'16:00'`) or whole
 * milliseconds.
 */
@Injectable()
export class JobScheduler {
  /** @internal Made by the module (inject `JobScheduler`); the engine is internal. */
  constructor(
    private readonly engine: JobEngine,
    @Optional() private readonly store?: JobStoreRuntime,
  ) {}

  /**
   * Runs `job` after `initialDelay`, then every `frequency` until stopped. `params` go to every
   * run. A frequency is required, as in core-lib: `scheduleOnce()` runs a job once.
   */
  schedule(
    initialDelay: Duration,
    frequency: Duration,
    job: JobLike,
    options: ScheduleOptions = {},
  ): string {
    if (isJobLike(job) && isOnce(frequency)) {
      const problem = BAD_OPTION('frequency', frequency, FREQUENCY_REQUIRED);
      throw new JobSchedulerError(INVALID_SCHEDULE(options.name ?? defaultName(job), [problem]));
    }
    return this.scheduleSpec(job, options, initialDelay, frequency);
  }

  /** Runs `job` once, after `initialDelay`. */
  scheduleOnce(initialDelay: Duration, job: JobLike, options: ScheduleOptions = {}): string {
    return this.scheduleSpec(job, options, initialDelay, null);
  }

  /** Runs `job` on a cron expression (`'0 16 * * *'`, six fields for seconds), in `timeZone`. */
  scheduleCron(cron: string, job: JobLike, options: ScheduleOptions = {}): string {
    return this.scheduleSpec(job, { ...options, cron, initialDelay: 0 });
  }

  /**
   * Cancels all future runs of a name, a job instance, or a job class. A run in progress
   * finishes but never reschedules.
   */
  stop(ref: JobRef): boolean {
    return this.engine.stop(ref);
  }

  /** Cancels every job. */
  stopAll(): void {
    this.engine.stopAll();
  }

  /**
   * Every scheduled job, with its schedule, timing and counters. With a job store that persists,
   * the last run and counters are the store's (the whole cluster's), from a copy refreshed every
   * few seconds.
   */
  list(): JobInfo[] {
    const jobs = this.engine.list();
    return this.store ? jobs.map((info) => this.store!.merge(info)) : jobs;
  }

  /** One job, or undefined (merged with the store's view, as in `list()`). */
  get(name: string): JobInfo | undefined {
    const info = this.engine.get(name);
    return info && this.store ? this.store.merge(info) : info;
  }

  /** The stored runs of a job, newest first (`[]` when no job store is configured). */
  history(name: string, query?: { limit?: number }): Promise<RunRecord[]> {
    return this.store ? this.store.history(name, query) : Promise.resolve([]);
  }

  /** Runs a job now, outside its schedule; resolves with the outcome. Respects `overlap`. */
  trigger(name: string, params?: unknown): Promise<RunOutcome> {
    return this.engine.trigger(name, params);
  }

  /** Stops a job's ticks until `resume()`; a run in progress goes on. */
  pause(name: string): void {
    this.engine.pause(name);
  }

  /** Puts a paused job back on its schedule (on its grid, for fixed-rate jobs). */
  resume(name: string): void {
    this.engine.resume(name);
  }

  /**
   * Listens to every run's life (started, succeeded, failed, retried, skipped, claimed);
   * returns the function that unsubscribes.
   */
  subscribe(listener: JobListener): () => void {
    return this.engine.subscribe(listener);
  }

  /**
   * Runs every attempt of every job inside `wrapper` (an `AsyncLocalStorage` of yours, a CLS
   * context, OpenTelemetry's active span): it gets the run (`name`, `runId`, `attempt`...) and
   * must call `call()` once, synchronously, returning what it returns. Wrappers added first are
   * outermost. A wrapper that throws, or returns without calling, fails the attempt. Returns the
   * function that removes it.
   */
  wrapRuns(wrapper: RunWrapper): () => void {
    return this.engine.wrapRuns(wrapper);
  }

  /** Cluster mode's backend and whether it is reachable; undefined when cluster mode is off. */
  clusterStatus(): ClusterStatus | undefined {
    return this.engine.clusterStatus();
  }

  /** The scheduler's clock (epoch ms): the backend's clock in cluster mode, as `nextRunAt` is. */
  now(): number {
    return this.engine.now();
  }

  /** Resolves the public methods' arguments as every spec is (`prepareJob`), then schedules. */
  private scheduleSpec(
    job: JobLike,
    input: JobSpecInput & ScheduleOptions,
    initialDelay = input.initialDelay,
    frequency = input.frequency,
  ): string {
    if (!isJobLike(job)) throw new JobSchedulerError(NOT_A_JOB(job));
    const prepared = prepareJob(job, input, FROM_CODE, initialDelay, frequency);
    if (Array.isArray(prepared)) {
      const name = typeof input.name === 'string' ? input.name : defaultName(job);
      throw new JobSchedulerError(INVALID_SCHEDULE(name, prepared));
    }
    const runInParallel = input.runInParallel !== false;
    return this.engine.schedule(prepared, input.name, runInParallel);
  }
}
