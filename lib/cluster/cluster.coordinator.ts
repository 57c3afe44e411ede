import { Logger } from '@nestjs/common';
import type { ClusterCoordinator } from '../interfaces/cluster-coordinator.interface.js';
import type { ClusterStatus } from '../interfaces/cluster-status.interface.js';
import type { RunOutcome, SkipReason } from '../interfaces/job-event.interface.js';
import type { JobLock, LockResult } from '../interfaces/job-lock.interface.js';
import { LockBatcher } from './lock-batcher.js';
import { ClusterConfigError } from '../errors/cluster-config.error.js';
import { LeaseLostError } from '../errors/lease-lost.error.js';
import { BackendWatch } from './backend-watch.js';
import { measureOffset } from './cluster-clock.js';
import { retryLater } from './retry-later.js';
import { noop } from '../utils/noop.js';
import { ANCHOR_RETRY_MS, CLOCK_RESYNC_MS } from './cluster.constants.js';
import { ANCHOR_CHANGED, BACKEND_MISCONFIGURED, LEASE_LOST } from './cluster.messages.js';
import type { CoordinatorSettings } from './coordinator-settings.interface.js';

export type { CoordinatorSettings } from './coordinator-settings.interface.js';

const skipped = (skipReason: SkipReason, heldBy?: string): RunOutcome => ({
  status: 'skipped',
  attempts: 0,
  durationMs: 0,
  skipReason,
  ...(heldBy === undefined ? {} : { heldBy }),
});

/** A run of this replica holding its lease. */
interface HeldRun {
  name: string;
  token: string;
  lease: AbortController;
  /** When the lease was taken or last extended (local clock). */
  extendedAt: number;
  extending?: boolean;
}

/**
 * Cluster mode over any `JobLock`. Due times are on the backend's clock (local clock + measured
 * offset), so replicas with skewed clocks fire a tick together; the lock key `name + due` does
 * the rest. Claims, extensions and releases made in one turn go to the backend as one batch. Any backend error means "do not run": never risk a duplicate. An outage is logged
 * once when it starts and once when it ends. A configuration problem (`ClusterConfigError`) is
 * not an outage: it stops the app's start, and met later it is logged once, as what it is.
 * @internal
 */
export class LockClusterCoordinator implements ClusterCoordinator {
  readonly replicaId: string;
  private readonly logger = new Logger('JobScheduler');
  private offset = 0;
  private readonly watch: BackendWatch;
  private readonly batch: LockBatcher;
  private closed = false;
  private resyncTimer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;
  /** Anchors kept for good, written again after an outage (a restarted Redis lost them). */
  private readonly anchors = new Map<string, number>();
  private readonly recoveredListeners: Array<() => void> = [];
  /** The runs of this replica holding a lease, and the one timer that extends them. */
  private readonly held = new Set<HeldRun>();
  private leaseTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly lock: JobLock,
    private readonly settings: CoordinatorSettings,
  ) {
    this.replicaId = settings.replicaId;
    this.watch = new BackendWatch(settings.backend, this.logger);
    this.batch = new LockBatcher(lock);
  }

  async start(): Promise<void> {
    try {
      this.offset = await this.call(() => this.measure());
    } catch (error) {
      // A wrong password or table does not pass on its own: refuse to start, as a bad option does.
      if (error instanceof ClusterConfigError) {
        await this.lock.close().catch(noop);
        throw new ClusterConfigError(BACKEND_MISCONFIGURED(this.settings.backend, error.message), {
          cause: error,
        });
      }
      // An unreachable backend at boot is an outage like any other: logged, retried, app up.
    }
    this.watch.started = true;
    this.resyncTimer = setInterval(
      () => void this.sync(),
      this.settings.resyncMs ?? CLOCK_RESYNC_MS,
    );
    this.resyncTimer.unref();
  }

  now(): number {
    return this.settings.localNow() + this.offset;
  }

  async anchor(name: string, proposed: number, ttlMs?: number): Promise<number> {
    for (;;) {
      try {
        const anchor = await this.call(() => this.lock.anchor(name, proposed, ttlMs));
        if (ttlMs === undefined) this.anchors.set(name, anchor);
        await this.syncing; // after an outage, the grid is placed on the re-measured clock
        return anchor;
      } catch {
        // The job must not start on a grid of its own: wait for the backend (the engine drops
        // a stopped job).
        if (this.closed) return proposed;
        await new Promise((resolve) =>
          setTimeout(resolve, this.settings.retryMs ?? ANCHOR_RETRY_MS).unref(),
        );
      }
    }
  }

  async runTick(
    name: string,
    due: number,
    keepMs: number,
    run: (lease: AbortSignal) => RunOutcome | Promise<RunOutcome>,
    onOutcome: (ranBy: string | undefined) => void,
  ): Promise<RunOutcome> {
    let claim: LockResult;
    try {
      claim = await this.call(() =>
        this.batch.claim({
          name,
          due,
          holder: this.replicaId,
          leaseMs: this.settings.leaseMs,
          tickTtlMs: keepMs,
        }),
      );
    } catch {
      return skipped('cluster-unavailable');
    }
    this.watch.problem = undefined; // the backend answered a claim: usable as configured
    if (!claim.acquired) {
      // Another replica took this tick, or runs the job still: the tick may be free later.
      if (claim.reason === 'taken') onOutcome(claim.holder);
      return skipped(claim.reason === 'taken' ? 'cluster-held' : 'cluster-busy', claim.holder);
    }
    onOutcome(this.replicaId);
    const { token } = claim;
    const lease = new AbortController();
    const stopExtending = this.keepLease(name, token, lease);
    try {
      return await run(lease.signal);
    } finally {
      stopExtending();
      // A lease left behind blocks the job until it expires: a failed release is tried again.
      const release = (): Promise<void> => this.call(() => this.batch.release({ name, token }));
      await release().catch(() => retryLater(release));
    }
  }

  onRecovered(listener: () => void): void {
    this.recoveredListeners.push(listener);
  }

  forget(name: string): void {
    this.anchors.delete(name);
  }

  status(): ClusterStatus {
    const { backend } = this.settings;
    const { downSince, problem } = this.watch;
    return {
      backend,
      replicaId: this.replicaId,
      reachable: downSince === undefined,
      unreachableSince: downSince === undefined ? null : new Date(downSince),
      problem: problem ?? null,
    };
  }

  async close(): Promise<void> {
    this.closed = this.watch.closed = true;
    clearInterval(this.resyncTimer);
    clearInterval(this.leaseTimer);
    await this.lock.close();
  }

  /**
   * Keeps a run's lease while the run goes on; returns the stop function. One timer serves every
   * lease of this replica (not one per run: a thousand runs at once would be a thousand timers):
   * every ninth of the lease it extends, in one batch, the leases not extended for two ninths,
   * so each is extended before a third of it has passed, as a timer per run did.
   */
  private keepLease(name: string, token: string, lease: AbortController): () => void {
    const held: HeldRun = { name, token, lease, extendedAt: this.settings.localNow() };
    this.held.add(held);
    if (!this.leaseTimer) {
      this.leaseTimer = setInterval(() => this.extendLeases(), this.settings.leaseMs / 9);
      this.leaseTimer.unref();
    }
    return () => {
      this.held.delete(held);
      if (this.held.size || !this.leaseTimer) return;
      clearInterval(this.leaseTimer);
      this.leaseTimer = undefined;
    };
  }

  private extendLeases(): void {
    const { leaseMs, backend } = this.settings;
    const now = this.settings.localNow();
    for (const run of this.held) {
      if (now - run.extendedAt < (2 * leaseMs) / 9 || run.extending) continue;
      run.extending = true;
      const extend = () => this.batch.extend({ name: run.name, token: run.token }, leaseMs);
      this.call(extend)
        .then((stillHeld) => {
          if (stillHeld) run.extendedAt = now;
          if (stillHeld || this.closed || !this.held.has(run)) return;
          this.held.delete(run);
          // The run no longer holds its lock: it is told, through its signal, not left to race.
          run.lease.abort(new LeaseLostError(run.name, backend));
          this.logger.warn(LEASE_LOST(run.name, backend));
        }, noop) // an outage: logged by call(), and the next round tries again
        .finally(() => (run.extending = false));
    }
  }

  /** Measures the clock offset; keeps the previous one when the backend is down. */
  private sync(): Promise<void> {
    this.syncing ??= this.call(() => this.measure())
      .then((offset) => void (this.offset = offset), noop)
      .finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private measure(): Promise<number> {
    return measureOffset(() => this.lock.time(), this.settings.localNow);
  }

  /** Every backend call goes through here: an outage is seen (and logged) once, by whoever. */
  private async call<T>(operation: () => Promise<T>): Promise<T> {
    const seq = this.watch.begin();
    let result: T;
    try {
      result = await operation();
    } catch (error) {
      this.watch.failed(error);
      throw error;
    }
    if (this.watch.succeeded(seq)) this.recovered();
    return result;
  }

  /** Back after an outage: the clock is measured again, and the anchors written back. */
  private recovered(): void {
    // Catch-up (of the ticks missed meanwhile) reads the re-measured clock.
    void this.sync().then(() => this.recoveredListeners.forEach((listener) => listener()));
    for (const [name, mine] of this.anchors) {
      this.call(() => this.lock.anchor(name, mine)).then((stored) => {
        if (stored !== mine) this.logger.warn(ANCHOR_CHANGED(name, mine, stored));
      }, noop);
    }
  }
}
