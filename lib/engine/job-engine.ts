import { Logger } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import { JobSchedulerError } from '../errors/job-scheduler.error.js';
import { UNKNOWN_JOB } from '../errors/job-scheduler.messages.js';
import { MissingScheduleModuleError } from '../errors/missing-schedule-module.error.js';
import type { ClusterCoordinator } from '../interfaces/cluster-coordinator.interface.js';
import type { ClusterStatus } from '../interfaces/cluster-status.interface.js';
import type { JobListener, RunOutcome } from '../interfaces/job-event.interface.js';
import type { JobInfo } from '../interfaces/job-info.interface.js';
import type { JobRef } from '../interfaces/job-ref.interface.js';
import type { RunWrapper } from '../interfaces/run-wrapper.interface.js';
import type { LastTickSource } from './job-catch-up.js';
import type { JobClock } from './job-clock.js';
import { jobInfo } from './job-describe.js';
import { DRAIN_ABORT_REASON, DRAIN_TIMEOUT, STOPPED } from './job-engine.messages.js';
import { JobEvents } from './job-events.js';
import { JobHandle } from './job-handle.js';
import { nameFor } from './job-names.js';
import { JobRegistration } from './job-registration.js';
import { JobRunner } from './job-runner.js';
import { JobTicks } from './job-ticks.js';
import { RunWrappers } from './run-wrappers.js';
import type { PreparedJob } from './prepared-job.js';
import type { QueueFootprint } from './timer-queue.js';

/** What the engine is given. @internal */
export interface JobEngineOptions {
  /** Where jobs are registered; undefined (ScheduleModule not imported) is an error. */
  registry: SchedulerRegistry | undefined;
  /** Time of day and timers: the system's, or a test clock. */
  clock: JobClock;
  /** The app's CoreLib service, looked up on first use. */
  coreLib: () => unknown;
}

/** What the engine holds, for tests and diagnostics. @internal */
export interface EngineFootprint {
  queue: QueueFootprint;
  runsInProgress: number;
  attemptsInProgress: number;
  listeners: number;
}

/**
 * The scheduling core behind `JobScheduler`: takes resolved jobs, registers each one in
 * `SchedulerRegistry`, keeps their ticks on its clock and runs them. @internal
 */
export class JobEngine {
  private readonly logger = new Logger('JobScheduler');
  private readonly events = new JobEvents(this.logger);
  private readonly wrappers = new RunWrappers();
  private readonly registration: JobRegistration;
  private readonly runner: JobRunner;
  private readonly ticks: JobTicks;
  private readonly clock: JobClock;
  private cluster: ClusterCoordinator | undefined;

  constructor({ registry, clock, coreLib }: JobEngineOptions) {
    if (!registry) throw new MissingScheduleModuleError();
    this.clock = clock;
    const { logger, events } = this;
    const now = (): number => this.now();
    const { wrappers } = this;
    const runner = (this.runner = new JobRunner({ logger, events, clock, now, coreLib, wrappers }));
    this.ticks = new JobTicks({
      logger,
      events,
      runner,
      clock,
      now,
      isRegistered: (h) => this.registration.has(h),
      onFinished: (h) => this.remove(h),
    });
    // What the registry's entries do to a job (CronJob.start(), stop(), fireOnTick()).
    this.registration = new JobRegistration(registry, {
      pause: (h) => this.ticks.pause(h),
      resume: (h) => this.ticks.resume(h),
      runNow: (h) => this.ticks.runNow(h, h.params),
    });
    clock.attach?.({
      busyRuns: () => this.ticks.inProgress - this.runner.sleeping,
      nextTicks: () => this.nextTicks(),
    });
  }

  /**
   * Registers a resolved job and puts it on its schedule; returns its name. `name` undefined: the
   * engine derives one (`@Job()` name or class, `#2`...). `runInParallel` false: the other
   * schedules of the same job class stop first (core-lib's `is_run_in_parallel`).
   */
  // Three arguments, not one merged object: copying the prepared job ({ ...prepared, name })
  // cost 3.5 µs a job (bench scale, 100,000 jobs from code: 716 ms, 366 ms without it).
  schedule(prepared: PreparedJob, name: string | undefined, runInParallel: boolean): string {
    const { job, params, trigger, policy } = prepared;
    const chosen = nameFor(this.registration, job, name, trigger.kind);
    if (!runInParallel) this.stop(job.constructor as new () => unknown);
    if (!policy.enabled) return chosen;
    const h = new JobHandle(chosen, job, params, trigger, policy);
    this.registration.add(h);
    this.ticks.start(h);
    return chosen;
  }

  /** Cluster mode from now on: jobs scheduled after this run once per tick across replicas. */
  async useCluster(coordinator: ClusterCoordinator): Promise<void> {
    await coordinator.start();
    this.cluster = coordinator;
    this.ticks.useCluster(coordinator);
    // Back after an outage: the ticks missed meanwhile are caught up.
    coordinator.onRecovered(() => this.ticks.recover(this.registration.all()));
  }

  /**
   * Jobs with `catchUp` (`last`, `all`) scheduled from now on first run the ticks they missed
   * since their last tick stored in `lastTick` (the job store), then their live ticks.
   */
  useCatchUp(lastTick: LastTickSource): void {
    this.ticks.useCatchUp(lastTick);
  }

  /** Starts nothing new, waits for runs in progress up to `timeoutMs` (then aborts), stops all. */
  async shutdown(timeoutMs: number): Promise<void> {
    const jobs = this.registration.all().length;
    const running = this.ticks.inProgress;
    if (!(await this.ticks.drain(timeoutMs))) {
      const error = new Error(DRAIN_ABORT_REASON(timeoutMs));
      this.logger.warn(DRAIN_TIMEOUT(timeoutMs, this.runner.abortAll(error)));
    }
    this.stopAll();
    this.registration.close();
    if (jobs) this.logger.log(STOPPED(jobs, running));
  }

  /** Cancels the future runs of a name, a job instance or a job class; false if none matched. */
  stop(ref: JobRef): boolean {
    const matches = this.find(ref);
    matches.forEach((h) => this.remove(h));
    return matches.length > 0;
  }

  stopAll(): void {
    this.registration.all().forEach((h) => this.remove(h));
  }

  async trigger(name: string, params?: unknown): Promise<RunOutcome> {
    const h = this.require(name);
    return this.ticks.runNow(h, params === undefined ? h.params : params);
  }

  pause(name: string): void {
    const h = this.require(name);
    if (h.state === 'scheduled') this.ticks.pause(h);
  }

  resume(name: string): void {
    const h = this.require(name);
    if (h.state === 'paused') this.ticks.resume(h);
  }

  list(): JobInfo[] {
    return this.registration.all().map(jobInfo);
  }

  get(name: string): JobInfo | undefined {
    const h = this.registration.lookup(name);
    return h && jobInfo(h);
  }

  subscribe(listener: JobListener): () => void {
    return this.events.subscribe(listener);
  }

  wrapRuns(wrapper: RunWrapper): () => void {
    return this.wrappers.add(wrapper);
  }

  clusterStatus(): ClusterStatus | undefined {
    return this.cluster?.status();
  }

  /** Epoch ms on the scheduler's clock: the backend's in cluster mode. */
  now(): number {
    return this.cluster ? this.cluster.now() : this.clock.now();
  }

  /** What the engine holds (queue, runs, listeners): for tests and diagnostics. */
  footprint(): EngineFootprint {
    return {
      queue: this.ticks.footprint(),
      runsInProgress: this.ticks.inProgress,
      attemptsInProgress: this.runner.attempts,
      listeners: this.events.count,
    };
  }

  private nextTicks(): Array<{ name: string; at: number }> {
    const ticks = this.list().filter((info) => info.nextRunAt !== null);
    return ticks.map((info) => ({ name: info.name, at: info.nextRunAt!.getTime() }));
  }

  private find(ref: JobRef): JobHandle[] {
    if (typeof ref === 'string') {
      const h = this.registration.lookup(ref);
      return h ? [h] : [];
    }
    const all = this.registration.all();
    if (typeof ref === 'function') return all.filter((h) => h.job instanceof ref);
    return all.filter((h) => h.job === ref);
  }

  private require(name: string): JobHandle {
    const h = this.registration.lookup(name);
    if (h) return h;
    const known = this.registration.all().map((j) => j.name);
    throw new JobSchedulerError(UNKNOWN_JOB(name, known));
  }

  private remove(h: JobHandle): void {
    this.ticks.stop(h);
    this.registration.delete(h);
  }
}
