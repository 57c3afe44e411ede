/**
 * `JobStore`: what the scheduler remembers about each job, across restarts and, on Redis or
 * PostgreSQL, across replicas. Backends: `MemoryJobStore` (default: nothing persists),
 * `FileJobStore` (one instance), `RedisJobStore` and `PostgresJobStore` (subpaths `/redis` and
 * `/postgres`). Inject it with `@InjectJobStore()` (token `JOB_STORE`).
 *
 * Who calls what, when:
 * - `open()`: once at startup, before any other call. The file store takes its lock file and
 *   loads the file here, and throws a `JobStoreError` when another process holds it or the file
 *   is corrupt: the app must not start. Redis and PostgreSQL never throw here for a server that
 *   is down: their calls fail until it is back, as cluster mode's do.
 * - `lastTick(name)`: at startup (and when a cluster backend is back) for catch-up: ticks due
 *   after it and before now were missed. `undefined`: a job never seen, never backfilled.
 * - `runStarted(start)`: when a run starts (after its cluster claim). Opens the run with a lease
 *   and, for `schedule` and `catch-up` runs, moves the job's last tick to `due`.
 * - `markTick(name, due)`: for a tick claimed but not run (a skip, say); a run's `runStarted`
 *   marks its own. Monotonic: an older `due` never moves the last tick back.
 * - `heartbeat(name, runId, leaseUntil)`: with each lease extension while the run goes on.
 *   `false` once the run is no longer open (another replica recorded it as abandoned).
 * - `runEnded(record)`: when a run ends (after its last attempt), and for a skip (no
 *   `runStarted` then). Closes the run and updates the last run, the counters and the history.
 *   `false` when the run was already recorded (as abandoned by a reaper, say): each run is
 *   recorded once. A run never opened (its `runStarted` write was lost) is still recorded.
 * - `reapAbandoned(now)`: at startup and then every so often (a third of the lease, say), on
 *   any replica: closes as `abandoned` each open run whose lease ended before `now`, and returns
 *   those records (to log). Concurrent reapers close each run once. The file store also closes,
 *   at its first call, every run a previous process left open (its lock proves that one dead).
 * - `state(name)`, `states()`, `history(name, { limit })`: for `list()`, `get()`, `history()`.
 * - `close()`: at shutdown, after the last write; waits for writes in flight.
 *
 * Writes are meant to run off the run's path: do not await them in a run, catch and log their
 * errors. Redis: one script each. PostgreSQL: a read and one statement (a locked transaction
 * when another replica saved the job in between). File: in memory at once, then a coalesced
 * write. The writes of one job from one process apply in call order. Times are epoch ms on the
 * caller's clock (the cluster clock in cluster mode): a store never reads a clock.
 * Errors are cut to `STORE_LIMITS` (message length, first stack lines) before they are written.
 *
 * Wiring (lib/store): `resolveStoreConfig(section, where)` (YAML) and `storeOptionProblems()`
 * (module option `store`) validate; `storeOptionsFor(named, cluster)` picks the store (named,
 * else cluster mode's backend, else memory); `createJobStore(options)` builds it; `newRunId()`
 * makes run ids and `toRunError(error)` the stored error. In a shared store, a `cluster: false`
 * job's runs from every replica land on one name: key such a job by `name@replica` if each
 * replica should keep its own last tick.
 */

/** How a run ended. `abandoned`: its replica died (its lease ran out with no end recorded). */
export type RunStatus = 'succeeded' | 'failed' | 'timed-out' | 'skipped' | 'abandoned';

/** Why a run happened: its tick, a missed tick run after a restart, or a manual `trigger()`. */
export type RunReason = 'schedule' | 'catch-up' | 'trigger';

/** A run's error, as stored: its message and the first lines of its stack. */
export interface RunError {
  message: string;
  stack?: string;
}

/** A run in progress, as `runStarted()` opens it. */
export interface RunStart {
  name: string;
  /** Unique across replicas and restarts (`newRunId()`). */
  runId: string;
  /** When the run was due (its tick), epoch ms. */
  due: number;
  reason: RunReason;
  startedAt: number;
  /** Who runs it: `host:pid` or the configured replica id. */
  replica: string;
  /** Past this with no `heartbeat()`, the run is abandoned. */
  leaseUntil: number;
}

/** One finished run (or skip), as `runEnded()` records it and `history()` returns it. */
export interface RunRecord {
  name: string;
  runId: string;
  due: number;
  reason: RunReason;
  /** For a skip, when it was skipped. */
  startedAt: number;
  /** For an abandoned run, when a reaper noticed it. */
  endedAt: number;
  status: RunStatus;
  /** Attempts made; 0 when unknown (an abandoned run). */
  attempts: number;
  error: RunError | null;
  replica: string;
}

/** What a store knows about one job. */
export interface JobState {
  name: string;
  /** Due time of the last tick claimed or run: where catch-up starts. */
  lastTick: number | null;
  lastRun: RunRecord | null;
  /** Runs that ended (skips excluded). */
  runs: number;
  /** Runs that `failed`, `timed-out` or were `abandoned`. */
  failures: number;
  /** Failures since the last success. */
  consecutiveFailures: number;
  /** Runs started and not yet ended, oldest first. */
  running: RunStart[];
}

/** Extension point for run history and catch-up state; see the note at the top of this file. */
export interface JobStore {
  open(): Promise<void>;
  runStarted(start: RunStart): Promise<void>;
  heartbeat(name: string, runId: string, leaseUntil: number): Promise<boolean>;
  runEnded(record: RunRecord): Promise<boolean>;
  markTick(name: string, due: number): Promise<void>;
  lastTick(name: string): Promise<number | undefined>;
  /** `undefined` for a job the store has never seen. */
  state(name: string): Promise<JobState | undefined>;
  /** Every job the store knows, by name. */
  states(): Promise<JobState[]>;
  /** Stored runs, newest first; `limit` defaults to all kept (`history` option). */
  history(name: string, query?: { limit?: number }): Promise<RunRecord[]>;
  reapAbandoned(now: number): Promise<RunRecord[]>;
  close(): Promise<void>;
}
