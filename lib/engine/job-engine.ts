import { Logger } from '@nestjs/common';
import type { ClusterCoordinator } from '../interfaces/cluster-coordinator.interface.js';
import type { JobEvent, JobListener, RunOutcome, SkipReason } from '../interfaces/job-event.interface.js';
import { JobHandle } from './job-handle.js';
import { JobRunner } from './job-runner.js';
import type { CronTimeLike } from './job-spec.js';
import { ANCHOR_FAILED, DRAIN_ABORT_REASON, DRAIN_TIMEOUT, LISTENER_THREW, MISFIRED, SKIPPING_OVERLAP } from './job-engine.messages.js';
import { TimerQueue } from './timer-queue.js';
import { describeThrown, stackOf } from '../utils/thrown-value.js';

/** A once job's claim lasts this long: replicas booting within it run the job once. */
const ONCE_CLAIM_MS = 10 * 60_000;
const MIN_CLAIM_MS = 60_000;

/**
 * The scheduling core: puts each job's next tick on the timer queue, fires it, and keeps the
 * fixed-rate grid (`anchor + k × frequency`) so lateness never adds up.
 */
export class JobEngine {
  readonly logger = new Logger('JobScheduler');
  readonly listeners = new Set<JobListener>();
  readonly runner: JobRunner;
  readonly queue: TimerQueue<JobHandle>;
  /** Runs whose promise is still pending, for the shutdown drain. */
  readonly pending = new Set<Promise<RunOutcome>>();
  cluster: ClusterCoordinator | undefined;
  draining = false;

  constructor(
    private readonly localNow: () => number,
    coreLib: () => unknown,
    /** Whether the handle is still registered (a user may delete it through SchedulerRegistry). */
    private readonly isRegistered: (h: JobHandle) => boolean,
    private readonly onFinished: (h: JobHandle) => void,
  ) {
    this.runner = new JobRunner(this.logger, undefined, () => this.now(), coreLib);
    this.queue = new TimerQueue<JobHandle>((h, now) => this.fire(h, now), () => this.now());
  }

  /** Adds a listener of run events; returns the function that removes it. */
  subscribe(listener: JobListener): () => void {
    this.listeners.add(listener);
    this.runner.emit = this.emit;
    return () => {
      this.listeners.delete(listener);
      if (!this.listeners.size) this.runner.emit = undefined;
    };
  }

  private readonly emit = (event: JobEvent): void => {
    for (const listener of this.listeners) {
      try {
        const result: unknown = listener(event);
        // An async listener's rejection would be unhandled (the end of the process): catch it.
        // `Promise.prototype.then` itself, in case the promise's own `then` was replaced.
        if (result instanceof Promise) {
          const onRejected = (error: unknown) => this.listenerThrew(event, error);
          Promise.prototype.then.call(result, undefined, onRejected);
        }
      } catch (error) {
        this.listenerThrew(event, error);
      }
    }
  };

  /** Logs what a listener threw, whatever it is (see `describeThrown`). */
  private listenerThrew(event: JobEvent, error: unknown): void {
    const what = describeThrown(error);
    this.logger.error(LISTENER_THREW(event.type, event.name, what), stackOf(error));
  }

  now(): number {
    return this.cluster ? this.cluster.now() : this.localNow();
  }

  usesCluster(h: JobHandle): boolean {
    return this.cluster !== undefined && h.policy.cluster && h.policy.mode === 'fixed-rate';
  }

  /** Puts a new job on the queue; the first run is `initialDelay` from now. */
  start(h: JobHandle): void {
    const first = this.now() + h.trigger.initialDelayMs;
    if (h.trigger.kind === 'cron') return this.enqueue(h, this.nextCron(h, first - 1));
    if (!this.usesCluster(h)) {
      h.anchor = first;
      return this.enqueue(h, first);
    }
    // Replicas agree on the grid through an anchor stored in the backend.
    const ttl = h.trigger.kind === 'once' ? h.trigger.initialDelayMs + ONCE_CLAIM_MS : undefined;
    this.cluster!.anchor(h.name, first, ttl).then(
      (anchor) => {
        if (h.state !== 'scheduled') return;
        h.anchor = anchor;
        // Our own anchor: the first tick is the anchor itself. Another replica's: the next grid point.
        const due = h.trigger.kind === 'once' || anchor === first ? anchor : this.nextOnGrid(h, this.now() - 1);
        this.enqueue(h, due);
      },
      (error) => this.logger.error(ANCHOR_FAILED(h.name), error?.stack),
    );
  }

  /** Queues tick `due`, delayed by up to `jitter`. */
  enqueue(h: JobHandle, due: number): void {
    h.jitterOffset = h.policy.jitterMs ? Math.floor(Math.random() * h.policy.jitterMs) : 0;
    this.queue.add(h, due + h.jitterOffset);
  }

  pause(h: JobHandle): void {
    h.state = 'paused';
    this.queue.remove(h);
  }

  resume(h: JobHandle): void {
    h.state = 'scheduled';
    const now = this.now();
    if (h.trigger.kind === 'once') return this.enqueue(h, Math.max(h.nextDue, now));
    if (h.trigger.kind === 'cron') return this.enqueue(h, this.nextCron(h, now));
    this.enqueue(h, h.policy.mode === 'fixed-delay' ? now + h.trigger.frequencyMs : this.nextOnGrid(h, now));
  }

  /** `now`: the clock as this run would start (the queue reads it per job, after earlier runs). */
  private fire(h: JobHandle, now: number): void {
    if (h.state !== 'scheduled') return;
    // Deleted through SchedulerRegistry (deleteInterval, deleteTimeout, deleteCronJob): stop it.
    if (!this.isRegistered(h)) return this.onFinished(h);
    const due = h.nextDue;
    const trigger = h.trigger;
    let next = Infinity;
    if (trigger.kind === 'cron' || (trigger.kind === 'interval' && h.policy.mode === 'fixed-rate')) {
      // The next tick is set before this one runs, so a late or slow run never pushes it. A tick
      // late by less than the misfire threshold keeps its successors (they catch up); past the
      // threshold the missed ticks are coalesced into this one run and the grid realigns.
      const misfire = now - due > h.policy.misfireThresholdMs;
      if (trigger.kind === 'cron') next = this.nextCron(h, misfire ? now : due);
      else next = misfire || due < h.anchor ? this.nextOnGrid(h, misfire ? now : due) : due + trigger.frequencyMs;
      this.enqueue(h, next);
      if (misfire) this.misfired(h, due, now);
    }
    this.run(h, due, next, now);
  }

  private run(h: JobHandle, due: number, retryDeadline: number, now: number): void {
    if (this.draining) return void this.skip(h, due, 'shutdown');
    if (h.running > 0 && h.policy.overlap === 'skip') return void this.skip(h, due, 'overlap');
    if (h.stats) h.stats.skipping = false;
    const outcome = this.usesCluster(h)
      ? this.cluster!.runTick(
          h.name, due, this.claimKeepMs(h),
          () => this.runClaimed(h, due, retryDeadline),
          (by) => (h.statsOrNew.lastRunBy = by),
        )
      : this.runner.run(h, due, 'schedule', h.params, retryDeadline, now);
    if (!(outcome instanceof Promise)) return this.afterRun(h);
    this.track(outcome).then((o) => {
      // A tick another replica ran, or one the backend could not arbitrate, is a skip for listeners too.
      if (o.skipReason && this.listeners.size) this.emit({ type: 'skipped', name: h.name, scheduledAt: due, reason: o.skipReason });
      this.afterRun(h);
    });
  }

  /** Runs a job now, outside its schedule (`trigger()`), respecting its overlap policy. */
  runNow(h: JobHandle, params: unknown): Promise<RunOutcome> {
    const now = this.now();
    if (this.draining) return Promise.resolve(this.skip(h, now, 'shutdown'));
    if (h.running > 0 && h.policy.overlap === 'skip') return Promise.resolve(this.skip(h, now, 'overlap'));
    return this.track(Promise.resolve(this.runner.run(h, now, 'trigger', params, Infinity, now)));
  }

  private afterRun(h: JobHandle): void {
    if (h.state !== 'scheduled') return;
    if (h.trigger.kind === 'once') return this.onFinished(h);
    if (h.trigger.kind === 'interval' && h.policy.mode === 'fixed-delay' && h.heapIndex === -1) {
      this.enqueue(h, this.now() + h.trigger.frequencyMs);
    }
  }

  /** Cluster mode: runs tick `due`, which this replica won (a `claimed` event for listeners). */
  private runClaimed(
    h: JobHandle,
    due: number,
    deadline: number,
  ): RunOutcome | Promise<RunOutcome> {
    if (this.listeners.size) this.emit({ type: 'claimed', name: h.name, scheduledAt: due });
    return this.runner.run(h, due, 'schedule', h.params, deadline, this.now());
  }

  private skip(h: JobHandle, due: number, reason: SkipReason): RunOutcome {
    if (reason === 'overlap' && !h.statsOrNew.skipping) {
      h.statsOrNew.skipping = true;
      this.logger.warn(SKIPPING_OVERLAP(h.name));
    }
    if (this.listeners.size) this.emit({ type: 'skipped', name: h.name, scheduledAt: due, reason });
    return { status: 'skipped', attempts: 0, durationMs: 0, skipReason: reason };
  }

  private misfired(h: JobHandle, due: number, now: number): void {
    const missed = h.trigger.kind === 'interval' ? Math.floor((now - due) / h.trigger.frequencyMs) : 0;
    this.logger.warn(MISFIRED(h.name, now - due, missed));
  }

  /** How long a tick claim is kept: long enough for every replica, skewed or late, to reach that tick. */
  private claimKeepMs(h: JobHandle): number {
    if (h.trigger.kind === 'once') return h.trigger.initialDelayMs + ONCE_CLAIM_MS;
    return Math.max(MIN_CLAIM_MS, h.trigger.kind === 'interval' ? 2 * h.trigger.frequencyMs : 0);
  }

  /** First grid point strictly after `t`. */
  nextOnGrid(h: JobHandle, t: number): number {
    const period = (h.trigger as { frequencyMs: number }).frequencyMs;
    if (t < h.anchor) return h.anchor;
    return h.anchor + (Math.floor((t - h.anchor) / period) + 1) * period;
  }

  nextCron(h: JobHandle, t: number): number {
    // Without the zone, cron computes in the zone of the Date (UTC), ignoring the job's time zone.
    const cronTime = (h.trigger as { cronTime?: CronTimeLike }).cronTime!;
    return cronTime.getNextDateFrom(new Date(t), cronTime.timeZone).toMillis();
  }

  private track(outcome: Promise<RunOutcome>): Promise<RunOutcome> {
    this.pending.add(outcome);
    outcome.then(() => this.pending.delete(outcome));
    return outcome;
  }

  /** Stops every timer, then waits for runs in progress up to `timeoutMs`; past that aborts them. */
  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    this.runner.stopping = true;
    this.queue.clear();
    this.runner.wakeSleepers();
    if (!this.pending.size) return;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)));
    const done = await Promise.race([Promise.allSettled([...this.pending]).then(() => false), gaveUp]);
    clearTimeout(timer);
    if (!done) return;
    const names = [...new Set([...this.runner.active].map((ctx) => ctx.name))];
    this.logger.warn(DRAIN_TIMEOUT(timeoutMs, names));
    const error = new Error(DRAIN_ABORT_REASON(timeoutMs));
    for (const ctx of this.runner.active) ctx.abort(error);
  }
}
