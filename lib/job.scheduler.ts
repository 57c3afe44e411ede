import { BeforeApplicationShutdown, Inject, Injectable, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { isJobLike, type JobLike } from './base-job.js';
import { CORE_LIB_JOBS_OPTIONS, DEFAULT_SHUTDOWN_TIMEOUT_MS, JOB_METADATA } from './core-lib-jobs.constants.js';
import type { ClusterCoordinator } from './interfaces/cluster-coordinator.interface.js';
import type { ClusterStatus } from './interfaces/cluster-status.interface.js';
import { MissingScheduleModuleError } from './errors/missing-schedule-module.error.js';
import { JobEngine } from './engine/job-engine.js';
import { JobHandle } from './engine/job-handle.js';
import { JobRegistration } from './engine/job-registration.js';
import type { JobSpecInput, JobTrigger, ResolveOptions } from './engine/job-spec.js';
import { isOnce } from './engine/job-spec.fields.js';
import { FROM_CODE, nameProblem, prepareJob, type PreparedJob } from './engine/prepared-job.js';
import { describeTrigger } from './engine/job-describe.js';
import { JobSchedulerError } from './errors/job-scheduler.error.js';
import {
  BAD_OPTION, DUPLICATE_JOB_NAME, FREQUENCY_REQUIRED, INVALID_SCHEDULE, NOT_A_JOB, UNKNOWN_JOB,
} from './errors/job-scheduler.messages.js';
import type { ResolvedModuleOptions } from './interfaces/resolved-options.interface.js';
import type { JobInfo } from './interfaces/job-info.interface.js';
import type { JobListener, RunOutcome } from './interfaces/job-event.interface.js';
import { STOPPED } from './engine/job-engine.messages.js';
import type { Duration, ScheduleOptions } from './interfaces/job-options.interface.js';

/** `@Job({ name })`, else the class name. */
function defaultName(job: JobLike): string {
  const ctor = job.constructor as Function;
  return (Reflect.getMetadata(JOB_METADATA, ctor) as { name?: string } | undefined)?.name ?? (ctor.name || 'job');
}

/** Something `stop()` accepts: a schedule name, a job instance, or a job class. */
export type JobRef = string | JobLike | (abstract new (...args: any[]) => unknown);

/**
 * Schedules jobs, as core-lib's `JobScheduler`, and registers each one in `SchedulerRegistry`
 * under its name. Durations are pytimeparse strings (`'1s'`, `'2h32m'`, `'16:00'`) or milliseconds.
 */
@Injectable()
export class JobScheduler implements BeforeApplicationShutdown {
  /** @internal The app's CoreLib service, set by the module once providers exist. */
  coreLib: unknown;
  /** @internal How long shutdown waits for runs in progress. */
  shutdownTimeoutMs: number;
  private readonly engine: JobEngine;
  private readonly registration: JobRegistration;

  constructor(
    @Optional() registry: SchedulerRegistry,
    @Optional() @Inject(CORE_LIB_JOBS_OPTIONS) options?: ResolvedModuleOptions,
  ) {
    if (!registry) throw new MissingScheduleModuleError();
    // What the registry's entries do to a job (CronJob.start(), stop(), fireOnTick()).
    this.registration = new JobRegistration(registry, {
      pause: (h) => this.engine.pause(h),
      resume: (h) => this.engine.resume(h),
      runNow: (h) => this.engine.runNow(h, h.params),
    });
    this.shutdownTimeoutMs = options?.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    this.engine = new JobEngine(
      options?.clock ?? Date.now,
      () => this.coreLib,
      (h) => this.registration.has(h),
      (h) => this.remove(h),
    );
  }

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
    return this.add(job, options, FROM_CODE, initialDelay, frequency);
  }

  /** Runs `job` once, after `initialDelay`. */
  scheduleOnce(initialDelay: Duration, job: JobLike, options: ScheduleOptions = {}): string {
    return this.add(job, options, FROM_CODE, initialDelay, null);
  }

  /** Runs `job` on a cron expression (`'0 16 * * *'`, six fields for seconds), in `options.timeZone`. */
  scheduleCron(cron: string, job: JobLike, options: ScheduleOptions = {}): string {
    return this.add(job, { ...options, cron, initialDelay: 0 }, FROM_CODE);
  }

  /** Cancels all future runs of a name, a job instance, or a job class. A run in progress finishes but never reschedules. */
  stop(ref: JobRef): boolean {
    const matches = this.find(ref);
    matches.forEach((h) => this.remove(h));
    return matches.length > 0;
  }

  /** Cancels every job. */
  stopAll(): void {
    this.registration.all().forEach((h) => this.remove(h));
  }

  /** Every scheduled job, with its schedule, timing and counters. */
  list(): JobInfo[] {
    return this.registration.all().map((h) => this.info(h));
  }

  /** One job, or undefined. */
  get(name: string): JobInfo | undefined {
    const h = this.registration.lookup(name);
    return h && this.info(h);
  }

  /** Runs a job now, outside its schedule; resolves with the run's outcome. Respects the overlap policy. */
  async trigger(name: string, params?: unknown): Promise<RunOutcome> {
    const h = this.require(name);
    return this.engine.runNow(h, params === undefined ? h.params : params);
  }

  /** Stops a job's ticks until `resume()`; a run in progress goes on. */
  pause(name: string): void {
    const h = this.require(name);
    if (h.state === 'scheduled') this.engine.pause(h);
  }

  /** Puts a paused job back on its schedule (on its grid, for fixed-rate jobs). */
  resume(name: string): void {
    const h = this.require(name);
    if (h.state === 'paused') this.engine.resume(h);
  }

  /** Listens to every run's life (started, succeeded, failed, retried, skipped); returns an unsubscribe function. */
  subscribe(listener: JobListener): () => void {
    return this.engine.subscribe(listener);
  }

  /** Cluster mode's backend and whether it is reachable; undefined when cluster mode is off. */
  clusterStatus(): ClusterStatus | undefined {
    return this.engine.cluster?.status();
  }

  /** The scheduler's clock (epoch ms): the backend's clock in cluster mode, as `nextRunAt` is. */
  now(): number {
    return this.engine.now();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const jobs = this.registration.all().length;
    const running = this.engine.pending.size;
    await this.engine.drain(this.shutdownTimeoutMs);
    this.stopAll();
    if (jobs) this.engine.logger.log(STOPPED(jobs, running));
    await this.engine.cluster?.close();
  }

  /** @internal Switches to cluster mode; jobs scheduled from now on run once per tick across replicas. */
  async useCluster(coordinator: ClusterCoordinator): Promise<void> {
    await coordinator.start();
    this.engine.cluster = coordinator;
  }

  /** Schedules from the public methods' arguments, resolved as every spec is (`prepareJob`). */
  private add(
    job: JobLike,
    input: JobSpecInput & ScheduleOptions,
    from: ResolveOptions,
    initialDelay = input.initialDelay,
    frequency = input.frequency,
  ): string {
    if (!isJobLike(job)) throw new JobSchedulerError(NOT_A_JOB(job));
    const prepared = prepareJob(job, input, from, initialDelay, frequency);
    if (Array.isArray(prepared)) {
      const name = typeof input.name === 'string' ? input.name : defaultName(job);
      throw new JobSchedulerError(INVALID_SCHEDULE(name, prepared));
    }
    const name = this.nameFor(job, input.name, prepared.trigger.kind);
    if (input.runInParallel === false) this.stop(job.constructor as new () => unknown);
    return this.start(name, prepared);
  }

  /** @internal Schedules a job the module resolved at startup (`@Job()` or YAML), under `name`. */
  addPrepared(name: string, prepared: PreparedJob): string {
    return this.start(this.nameFor(prepared.job, name, prepared.trigger.kind), prepared);
  }

  private start(name: string, { job, params, trigger, policy }: PreparedJob): string {
    if (!policy.enabled) return name;
    const h = new JobHandle(name, job, params, trigger, policy);
    this.registration.add(h);
    this.engine.start(h);
    return name;
  }

  /** @internal */
  get jobEngine(): JobEngine {
    return this.engine;
  }

  private nameFor(job: JobLike, explicit: string | undefined, kind: JobTrigger['kind']): string {
    if (explicit !== undefined) {
      const problem = nameProblem(explicit);
      if (problem) throw new JobSchedulerError(problem);
      // A clash with the same kind is caught when the registry refuses the name (one lookup less).
      if (this.registration.takenByOtherKind(explicit, kind)) throw new JobSchedulerError(DUPLICATE_JOB_NAME(explicit));
      return explicit;
    }
    const base = defaultName(job);
    let name = base;
    for (let i = 2; this.registration.taken(name); i++) name = `${base}#${i}`;
    return name;
  }

  private find(ref: JobRef): JobHandle[] {
    if (typeof ref === 'string') {
      const h = this.registration.lookup(ref);
      return h ? [h] : [];
    }
    const all = this.registration.all();
    return typeof ref === 'function' ? all.filter((h) => h.job instanceof ref) : all.filter((h) => h.job === ref);
  }

  private require(name: string): JobHandle {
    const h = this.registration.lookup(name);
    if (!h) throw new JobSchedulerError(UNKNOWN_JOB(name, this.registration.all().map((j) => j.name)));
    return h;
  }

  private remove(h: JobHandle): void {
    h.state = 'stopped';
    this.engine.queue.remove(h);
    this.registration.delete(h);
  }

  private info(h: JobHandle): JobInfo {
    const s = h.stats;
    const t = h.trigger;
    return {
      name: h.name,
      schedule: describeTrigger(h.trigger, h.policy),
      kind: t.kind,
      cron: t.kind === 'cron' ? t.cron : null,
      timeZone: (t.kind === 'cron' && t.timeZone) || null,
      frequencyMs: t.kind === 'interval' ? t.frequencyMs : null,
      initialDelayMs: t.initialDelayMs,
      state: h.state,
      nextRunAt: h.state === 'scheduled' && h.heapIndex !== -1 ? new Date(h.nextDue) : null,
      lastRunAt: s?.lastRunAt ? new Date(s.lastRunAt) : null,
      lastDurationMs: s && s.lastDurationMs >= 0 ? s.lastDurationMs : null,
      lastError: s?.lastError ?? null,
      runs: s?.runs ?? 0,
      failures: s?.failures ?? 0,
      running: h.running > 0,
      lastRunBy: s?.lastRunBy ?? null,
    };
  }
}
