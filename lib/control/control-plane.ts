import { Logger } from '@nestjs/common';
import { hostname } from 'node:os';
// Node's own timers: the reconcile paces a backend, on real time even under a test clock.
import { clearInterval as nodeClearInterval, setInterval as nodeSetInterval } from 'node:timers';
import type { JobEngine } from '../engine/job-engine.js';
import { JobSchedulerError } from '../errors/job-scheduler.error.js';
import { UNKNOWN_JOB } from '../errors/job-scheduler.messages.js';
import type { ClusterOptions } from '../interfaces/cluster-options.interface.js';
import type { DiscoveredJob } from '../interfaces/discovered-job.interface.js';
import type {
  AuditEntry,
  AuditQuery,
  ControlAction,
  ControlActor,
  JobDefinition,
  PauseInfo,
  StoredDefinitionInfo,
} from '../interfaces/job-control.interface.js';
import { describeThrown } from '../utils/thrown-value.js';
import {
  emptySnapshot,
  type ControlChange,
  type ControlSnapshot,
  type ControlStore,
  type StoredAudit,
  type StoredStamp,
} from './control-store.interface.js';
import { ControlStoreError } from './control-store.error.js';
import {
  BAD_DEFINITION_NAME,
  NAME_OWNED,
  NAME_TAKEN_HERE,
  NO_DEFINITION,
  RECONCILE_FAILED,
  RECONCILE_RECOVERED,
  SHADOWED,
  SHADOWED_WARNING,
  SKIPPED,
  STORE_UNREACHABLE,
  TRIGGER_AUDIT_FAILED,
  WATCH_FAILED,
  WHERE_STORED,
  WHERE_UPSERT,
} from './control.messages.js';
import { checkDefinition, storedCopy } from './job-definition.js';
import { InvalidJobDefinitionError } from './invalid-job-definition.error.js';

/** What the control plane is given. @internal */
export interface ControlPlaneOptions {
  store: ControlStore;
  engine: JobEngine;
  cluster: ClusterOptions | undefined;
  /** How often the stored state is read again, besides the backend's push. Default: 5 s. */
  reconcileMs?: number;
}

/** What a replica made of one stored definition. */
interface DefinitionView {
  state: StoredDefinitionInfo['state'];
  problem: string | null;
}

/**
 * Runtime schedules, pauses and the audit, kept in a `ControlStore` and applied to this
 * replica's engine. A change is stored first (with its audit entry, in one write), then applied
 * here from the stored state; the other replicas read that state when the backend tells them
 * (pub/sub, LISTEN/NOTIFY) and at every reconcile. A replica applies a whole snapshot at once,
 * synchronously, so no timer runs between its parts: a change is never half-applied. @internal
 */
export class ControlPlane {
  private readonly logger = new Logger('JobControl');
  private readonly store: ControlStore;
  private readonly engine: JobEngine;
  private readonly cluster: ClusterOptions | undefined;
  private readonly reconcileMs: number;
  private jobs: ReadonlyMap<string, DiscoveredJob> = new Map();
  /** Names of YAML entries and `@Job()` schedules: they win over a stored definition. */
  private own: ReadonlySet<string> = new Set();
  private snapshot: ControlSnapshot = emptySnapshot();
  /** Stored definitions scheduled here, with the JSON they were scheduled from. */
  private readonly applied = new Map<string, string>();
  private readonly views = new Map<string, DefinitionView>();
  /** Names this plane paused, so it resumes only those. */
  private readonly pausedHere = new Set<string>();
  /** `name + definition JSON` warned about, so each problem is logged once per replica. */
  private readonly warned = new Set<string>();
  private started = false;
  private timer: ReturnType<typeof nodeSetInterval> | undefined;
  private reconciling: Promise<void> | undefined;
  private again = false;
  private unreachable = false;
  private replicaId = `${hostname()}:${process.pid}`;

  constructor(options: ControlPlaneOptions) {
    this.store = options.store;
    this.engine = options.engine;
    this.cluster = options.cluster;
    this.reconcileMs = options.reconcileMs ?? 5_000;
  }

  get replica(): string {
    return this.replicaId;
  }

  /** Connects the store (a backend that is down is not an error here). */
  open(): Promise<void> {
    return this.store.open();
  }

  /** The app's jobs (what a definition may name) and the names YAML and `@Job()` schedule. */
  useJobs(jobs: ReadonlyMap<string, DiscoveredJob>, own: Iterable<string>): void {
    this.jobs = jobs;
    this.own = new Set(own);
  }

  /** Reads the stored state, before the plan is scheduled (applied by `start()`). */
  load(): Promise<void> {
    return this.reconcile();
  }

  /**
   * Applies the state read by `load()`, synchronously, right after the plan is scheduled and
   * before any timer fires (a paused job never runs), then listens for changes and reconciles
   * every `reconcileMs`.
   */
  start(replicaId: string | undefined): void {
    if (replicaId) this.replicaId = replicaId;
    this.started = true;
    this.apply(this.snapshot);
    // A store this process alone writes has nothing to hear from others.
    if (this.store.current) return;
    this.store
      .watch(() => this.reconcileSoon())
      .catch((error: unknown) => {
        this.logger.warn(WATCH_FAILED(this.store.label, describeThrown(error)));
      });
    this.timer = nodeSetInterval(() => this.reconcileSoon(), this.reconcileMs).unref();
  }

  async close(): Promise<void> {
    this.started = false;
    if (this.timer) nodeClearInterval(this.timer);
    await this.reconciling;
    await this.store.close();
  }

  upsert(name: string, definition: JobDefinition, actor: ControlActor = {}): Promise<void> {
    if (typeof name !== 'string' || !name) throw new JobSchedulerError(BAD_DEFINITION_NAME(name));
    if (this.own.has(name) || (this.engine.get(name) && !this.applied.has(name))) {
      throw new InvalidJobDefinitionError([NAME_OWNED(name)]);
    }
    const checked = checkDefinition(name, definition, this.jobs, this.cluster, WHERE_UPSERT(name));
    if (Array.isArray(checked)) throw new InvalidJobDefinitionError(checked);
    const copy = storedCopy(definition);
    const before = this.snapshot.definitions[name]?.definition ?? null;
    const stamp = this.stamp(actor);
    const change: ControlChange = {
      kind: 'definition',
      name,
      value: { ...stamp, definition: copy },
    };
    return this.commit(change, this.entry(name, 'upsert', stamp, { before, after: copy }));
  }

  /** Removes a stored definition: it stops on every replica. False when there was none. */
  remove(name: string, actor: ControlActor = {}): Promise<boolean> {
    const stored = this.snapshot.definitions[name];
    if (!stored) {
      const known = Object.keys(this.snapshot.definitions);
      return Promise.reject(new JobSchedulerError(NO_DEFINITION(name, known)));
    }
    const stamp = this.stamp(actor);
    const change: ControlChange = { kind: 'definition', name, value: null };
    const audit = this.entry(name, 'remove', stamp, { before: stored.definition, after: null });
    return this.commit(change, audit).then(() => true);
  }

  pause(name: string, actor: ControlActor = {}): Promise<void> {
    this.requireKnown(name);
    const stamp = this.stamp(actor);
    const change: ControlChange = { kind: 'pause', name, value: stamp };
    return this.commit(change, this.entry(name, 'pause', stamp, {}));
  }

  resume(name: string, actor: ControlActor = {}): Promise<void> {
    this.requireKnown(name);
    const stamp = this.stamp(actor);
    const change: ControlChange = { kind: 'pause', name, value: null };
    return this.commit(change, this.entry(name, 'resume', stamp, {})).then(() => {
      // A pause of this replica alone (a registry entry's stop()) is lifted too, as before.
      if (this.engine.get(name)?.state === 'paused' && !this.snapshot.pauses[name]) {
        this.engine.resume(name);
      }
    });
  }

  /** Records a manual run in the audit; the run does not wait for the write. */
  recordTrigger(name: string, params: unknown, actor: ControlActor = {}): void {
    const stamp = this.stamp(actor);
    const change = { params: params === undefined ? null : params };
    this.store.commit({ kind: 'none' }, this.entry(name, 'trigger', stamp, change)).catch((e) => {
      this.logger.warn(TRIGGER_AUDIT_FAILED(name, this.store.label, describeThrown(e)));
    });
  }

  /** The stored definitions, with what this replica made of each. */
  definitions(): StoredDefinitionInfo[] {
    return Object.entries(this.snapshot.definitions).map(([name, stored]) => {
      const view = this.views.get(name) ?? { state: 'skipped', problem: null };
      return {
        name,
        definition: stored.definition,
        by: stored.by,
        reason: stored.reason,
        at: new Date(stored.at),
        replica: stored.replica,
        state: view.state,
        problem: view.problem,
      };
    });
  }

  /** The stored pause of a job, if any. */
  pauseOf(name: string): PauseInfo | null {
    const stamp = this.snapshot.pauses[name];
    return stamp ? { ...stamp, at: new Date(stamp.at) } : null;
  }

  /** Whether `name` is a stored definition (scheduled here or not). */
  isStored(name: string): boolean {
    return Object.hasOwn(this.snapshot.definitions, name);
  }

  async audit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const entries = await this.store.audit(query.name, query.limit);
    return entries.map((e) => ({ ...e, at: new Date(e.at) }));
  }

  /** A job scheduled from code after boot: a stored pause of that name holds on it too. */
  scheduled(name: string): void {
    if (this.snapshot.pauses[name]) this.applyPause(name);
  }

  /**
   * Stores the change; then applies the stored state here. A store this process alone writes
   * (memory, file) has applied it before the promise is made, so the change holds at once.
   */
  private commit(change: ControlChange, audit: StoredAudit): Promise<void> {
    const { store } = this;
    if (store.current) {
      const written = store.commit(change, audit);
      this.apply(store.current());
      return written.catch((error: unknown) => {
        throw new ControlStoreError(
          STORE_UNREACHABLE(
            store.label,
            `the ${audit.action} of '${audit.name}'`,
            describeThrown(error),
          ),
          error,
        );
      });
    }
    return store.commit(change, audit).then(
      () => this.reconcile(),
      (error: unknown) => {
        throw new ControlStoreError(
          STORE_UNREACHABLE(
            store.label,
            `the ${audit.action} of '${audit.name}'`,
            describeThrown(error),
          ),
          error,
        );
      },
    );
  }

  private reconcileSoon(): void {
    this.reconcile().catch(() => undefined);
  }

  /** Reads the stored state and applies it; runs coalesce (one in flight, one more queued). */
  private reconcile(): Promise<void> {
    if (this.reconciling) {
      this.again = true;
      return this.reconciling;
    }
    this.reconciling = (async () => {
      do {
        this.again = false;
        await this.readAndApply();
      } while (this.again && this.started);
    })().finally(() => (this.reconciling = undefined));
    return this.reconciling;
  }

  private async readAndApply(): Promise<void> {
    let snapshot: ControlSnapshot;
    try {
      snapshot = this.store.current?.() ?? (await this.store.load());
    } catch (error) {
      if (!this.unreachable)
        this.logger.warn(RECONCILE_FAILED(this.store.label, describeThrown(error)));
      this.unreachable = true;
      return;
    }
    if (this.unreachable) this.logger.log(RECONCILE_RECOVERED(this.store.label));
    this.unreachable = false;
    this.apply(snapshot);
  }

  /** Applies a whole snapshot, synchronously: definitions first, then pauses. */
  private apply(snapshot: ControlSnapshot): void {
    this.snapshot = snapshot;
    if (!this.started) return;
    for (const name of [...this.applied.keys()]) {
      if (!Object.hasOwn(snapshot.definitions, name)) this.unschedule(name);
    }
    this.views.clear();
    for (const [name, stored] of Object.entries(snapshot.definitions)) {
      this.applyDefinition(name, stored.definition);
    }
    for (const name of [...this.pausedHere]) {
      if (Object.hasOwn(snapshot.pauses, name)) continue;
      this.pausedHere.delete(name);
      if (this.engine.get(name)?.state === 'paused') this.engine.resume(name);
    }
    for (const name of Object.keys(snapshot.pauses)) this.applyPause(name);
  }

  private applyDefinition(name: string, definition: JobDefinition): void {
    const json = JSON.stringify(definition);
    if (this.own.has(name)) {
      this.views.set(name, { state: 'shadowed', problem: SHADOWED(name) });
      this.warnOnce(name, json, SHADOWED_WARNING(name));
      return;
    }
    if (this.applied.get(name) === json) {
      this.views.set(name, { state: 'scheduled', problem: null });
      return;
    }
    const checked = checkDefinition(name, definition, this.jobs, this.cluster, WHERE_STORED(name));
    if (Array.isArray(checked)) return this.skip(name, json, checked.join('; '));
    if (this.applied.has(name)) this.unschedule(name);
    else if (this.engine.get(name)) return this.skip(name, json, NAME_TAKEN_HERE(name));
    try {
      this.engine.schedule(checked.prepared, name, true);
    } catch (error) {
      return this.skip(name, json, describeThrown(error));
    }
    this.applied.set(name, json);
    this.views.set(name, { state: 'scheduled', problem: null });
  }

  private skip(name: string, json: string, problem: string): void {
    if (this.applied.has(name)) this.unschedule(name);
    this.views.set(name, { state: 'skipped', problem });
    this.warnOnce(name, json, SKIPPED(name, problem));
  }

  private unschedule(name: string): void {
    this.applied.delete(name);
    this.engine.stop(name);
  }

  private applyPause(name: string): void {
    const state = this.engine.get(name)?.state;
    if (state === undefined) return;
    this.pausedHere.add(name);
    if (state === 'scheduled') this.engine.pause(name);
  }

  private warnOnce(name: string, json: string, message: string): void {
    const key = `${name}\0${json}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.logger.warn(message);
  }

  private requireKnown(name: string): void {
    if (this.engine.get(name) || this.isStored(name)) return;
    throw new JobSchedulerError(
      UNKNOWN_JOB(
        name,
        this.engine.list().map((j) => j.name),
      ),
    );
  }

  private stamp(actor: ControlActor): StoredStamp {
    return {
      by: typeof actor.by === 'string' ? actor.by : null,
      reason: typeof actor.reason === 'string' ? actor.reason : null,
      at: this.engine.now(),
      replica: this.replicaId,
    };
  }

  private entry(
    name: string,
    action: ControlAction,
    stamp: StoredStamp,
    change: Record<string, unknown>,
  ): StoredAudit {
    return { ...stamp, name, action, change };
  }
}
