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
import { ControlPlane } from './control/control-plane.js';
import { NOT_SCHEDULED_TEXT } from './control/control.messages.js';
import { MemoryControlStore } from './control/memory-control-store.js';
import type {
  AuditEntry,
  AuditQuery,
  ControlActor,
  JobDefinition,
  StoredDefinitionInfo,
} from './interfaces/job-control.interface.js';

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
    @Optional() control?: ControlPlane,
  ) {
    this.control = control ?? standaloneControl(engine);
  }

  private readonly control: ControlPlane;

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
    const jobs = this.engine.list().map((info) => this.withControl(this.withStore(info)));
    const stored = this.control.definitions();
    if (!stored.length) return jobs;
    const listed = new Set(jobs.map((info) => info.name));
    return [...jobs, ...stored.filter((d) => !listed.has(d.name)).map(notScheduledInfo)];
  }

  /** One job, or undefined (merged with the store's view, as in `list()`). */
  get(name: string): JobInfo | undefined {
    const info = this.engine.get(name);
    if (info) return this.withControl(this.withStore(info));
    const stored = this.control.definitions().find((d) => d.name === name);
    return stored && notScheduledInfo(stored);
  }

  /** The stored runs of a job, newest first (`[]` when no job store is configured). */
  history(name: string, query?: { limit?: number }): Promise<RunRecord[]> {
    return this.store ? this.store.history(name, query) : Promise.resolve([]);
  }

  /**
   * Runs a job now, outside its schedule; resolves with the outcome. Respects `overlap`. The
   * trigger is recorded in the audit, with `by` and `reason`.
   */
  trigger(name: string, params?: unknown, actor?: ControlActor): Promise<RunOutcome> {
    const run = this.engine.trigger(name, params);
    this.control.recordTrigger(name, params, actor);
    return run;
  }

  /**
   * Pauses a job on every replica, and across restarts, until `resume()`; a run in progress goes
   * on. Resolves once the pause is stored (with its audit entry); rejects with a
   * `ControlStoreError` when the store is unreachable, and then nothing was paused anywhere.
   * Without a shared store the job is paused here before this returns.
   */
  pause(name: string, actor?: ControlActor): Promise<void> {
    return quiet(this.control.pause(name, actor));
  }

  /** Puts a paused job back on its schedule (on its grid, for fixed-rate jobs) on every replica. */
  resume(name: string, actor?: ControlActor): Promise<void> {
    return quiet(this.control.resume(name, actor));
  }

  /**
   * Creates or changes a stored schedule of a registered job class: a YAML job entry as an
   * object (`{ handler: { class, params }, initial_delay, frequency | cron, ... }`), checked by
   * the YAML rules (`InvalidJobDefinitionError`, one line per problem). With a shared store
   * every replica schedules it (each tick once, in cluster mode) and it survives restarts.
   */
  upsert(name: string, definition: JobDefinition, actor?: ControlActor): Promise<void> {
    return quiet(this.control.upsert(name, definition, actor));
  }

  /** Removes a stored schedule; it stops on every replica. Rejects when there is none. */
  remove(name: string, actor?: ControlActor): Promise<boolean> {
    return quiet(this.control.remove(name, actor));
  }

  /** The stored schedules, each with what this replica made of it (scheduled, shadowed, skipped). */
  definitions(): StoredDefinitionInfo[] {
    return this.control.definitions();
  }

  /** The control actions (upsert, remove, pause, resume, trigger), newest first. */
  audit(query?: AuditQuery): Promise<AuditEntry[]> {
    return this.control.audit(query);
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
    const name = this.engine.schedule(prepared, input.name, runInParallel);
    this.control.scheduled(name);
    return name;
  }

  private withStore(info: JobInfo): JobInfo {
    return this.store ? this.store.merge(info) : info;
  }

  /** Adds the stored pause and the stored-definition mark, only where there is one. */
  private withControl(info: JobInfo): JobInfo {
    const pause = this.control.pauseOf(info.name);
    const stored = this.control.isStored(info.name);
    if (!pause && !stored) return info;
    return { ...info, ...(pause && { pause }), ...(stored && { stored }) };
  }
}

/** A scheduler made without the module (unit tests): its control plane is this process's. */
function standaloneControl(engine: JobEngine): ControlPlane {
  const plane = new ControlPlane({ store: new MemoryControlStore(), engine, cluster: undefined });
  plane.start(undefined);
  return plane;
}

/**
 * The promise, handled: a caller that does not await a pause still sees no unhandled rejection
 * (the process must not die of a backend outage); one that awaits gets the error.
 */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** A stored definition this replica does not schedule, as `list()` shows it. */
function notScheduledInfo(stored: StoredDefinitionInfo): JobInfo {
  const { definition } = stored;
  const kind = definition.cron ? 'cron' : definition.frequency ? 'interval' : 'once';
  return {
    name: stored.name,
    schedule: `${NOT_SCHEDULED_TEXT} (${stored.state})`,
    kind,
    cron: definition.cron ?? null,
    timeZone: definition.time_zone ?? null,
    frequencyMs: null,
    initialDelayMs: 0,
    state: 'stopped',
    nextRunAt: null,
    lastRunAt: null,
    lastDurationMs: null,
    lastError: null,
    runs: 0,
    failures: 0,
    running: false,
    lastRunBy: null,
    pause: null,
    stored: true,
    problem: stored.problem,
  };
}
