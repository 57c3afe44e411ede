import { Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import type { JobListener } from '../../interfaces/job-event.interface.js';
import type { JobInfo } from '../../interfaces/job-info.interface.js';
import type { JobStoreOptions } from '../../interfaces/job-store-options.interface.js';
import type { JobStore, RunRecord } from '../../interfaces/job-store.interface.js';
import { AbandonedReaper } from './abandoned-reaper.js';
import { RunRecorder } from './run-recorder.js';
import { StoreView } from './store-view.js';
import { StoreWatch } from './store-watch.js';

/** What the store is wired to once the scheduler is up. @internal */
export interface StoreLink {
  subscribe: (listener: JobListener) => () => void;
  /** The scheduler's clock (the backend's in cluster mode). */
  now: () => number;
  /** Cluster mode's replica id, when it is on. */
  replicaId: string | undefined;
  /** Lease of a run in the store: cluster mode's lease, else the default. */
  leaseMs: number;
}

/**
 * The job store at work: opened at startup, then a recorder writes each run from the
 * scheduler's events, a reaper records the runs of dead replicas as abandoned, and (for a store
 * that persists) a cached view serves `list()` and `get()`. Closed at shutdown, after the
 * drain. @internal
 */
export class JobStoreRuntime {
  private readonly logger = new Logger('JobScheduler');
  private readonly watch: StoreWatch;
  private readonly reaper: AbandonedReaper;
  /** Only for a store that persists: the memory store says nothing `list()` does not. */
  readonly view: StoreView | undefined;
  /** Without a store configured, nothing is recorded (runs cost what they did without one). */
  private readonly records: boolean;
  private recorder: RunRecorder | undefined;
  private unsubscribe: (() => void) | undefined;
  private heartbeats: NodeJS.Timeout | undefined;
  private now: () => number = Date.now;

  constructor(
    readonly store: JobStore,
    options: JobStoreOptions,
    configured: boolean,
  ) {
    this.records = configured;
    this.watch = new StoreWatch(options.backend, this.logger);
    const view = options.backend === 'memory' ? undefined : new StoreView(store, this.watch);
    this.view = view;
    const now = (): number => this.now();
    this.reaper = new AbandonedReaper(store, this.watch, this.logger, now, () => view?.touched());
  }

  /** Opens the store: a file store held by another process refuses startup here. */
  open(): Promise<void> {
    return this.store.open();
  }

  /** Records from now on (call before the first job is scheduled). */
  start(link: StoreLink): void {
    if (!this.records) return;
    this.now = link.now;
    const replica = link.replicaId ?? `${hostname()}:${process.pid}`;
    const view = this.view;
    this.recorder = new RunRecorder({
      store: this.store,
      watch: this.watch,
      logger: this.logger,
      now: link.now,
      replica: () => replica,
      leaseMs: link.leaseMs,
      onEnded: view && (() => view.touched()),
    });
    this.unsubscribe = link.subscribe(this.recorder.listener);
    const recorder = this.recorder;
    this.heartbeats = setInterval(() => recorder.heartbeat(), link.leaseMs / 3);
    this.heartbeats.unref();
    this.reaper.start(link.leaseMs / 3);
    void view?.start(); // a server down at startup must not hold the app up
  }

  /** `info` with the store's view merged in (the whole cluster's, across restarts). */
  merge(info: JobInfo): JobInfo {
    return this.view ? this.view.merge(info) : info;
  }

  /** The due time of `name`'s last tick claimed or run; undefined for a job never seen. */
  lastTick(name: string): Promise<number | undefined> {
    return this.store.lastTick(name);
  }

  /** Stored runs of `name`, newest first. */
  history(name: string, query?: { limit?: number }): Promise<RunRecord[]> {
    return this.store.history(name, query);
  }

  /** After the drain: stops the timers, then closes the store (it waits for its writes). */
  async close(): Promise<void> {
    this.unsubscribe?.();
    clearInterval(this.heartbeats);
    this.view?.stop();
    await this.reaper.stop();
    this.watch.closed = true;
    await this.store.close();
  }
}
