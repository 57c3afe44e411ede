/** A duration: a pytimeparse string (`'30s'`, `'2h32m'`, `'16:00'`) or a number of milliseconds. */
export type Duration = string | number;

/** `fixed-rate` keeps runs on a grid (`first + k × frequency`); `fixed-delay` waits `frequency` after each run ends. */
export type JobMode = 'fixed-rate' | 'fixed-delay';

/** `skip` skips a tick while the previous run is still going; `allow` lets runs overlap. */
export type OverlapPolicy = 'skip' | 'allow';

/** Run policy shared by YAML entries, `@Job()` and `JobScheduler` (camelCase here, snake_case in YAML). */
export interface JobPolicyOptions {
  /** Passed to every run as `run(params, context)`. */
  params?: unknown;
  /** `fixed-rate` (default) or `fixed-delay`. */
  mode?: JobMode;
  /** `skip` (default) or `allow`. */
  overlap?: OverlapPolicy;
  /** A tick later than this is a misfire: missed ticks are coalesced into one late run (default 1s). */
  misfireThreshold?: Duration;
  /** Adds a random delay of up to this much to each run. */
  jitter?: Duration;
  /** Cron expression (5 or 6 fields); exclusive with `frequency`. */
  cron?: string;
  /** IANA time zone for `cron`, e.g. `Europe/Paris`. */
  timeZone?: string;
  /** Aborts the run's `context.signal` and fails the run after this long. */
  timeout?: Duration;
  /** Extra attempts after a failure (default 0). */
  retries?: number;
  /** Base delay of the exponential backoff between attempts (default 1s). */
  retryDelay?: Duration;
  /** `false` turns the job off. */
  enabled?: boolean;
  /** In cluster mode, `false` runs this job on every replica. */
  cluster?: boolean;
}

/** Options of `JobScheduler.schedule()` / `scheduleOnce()`. */
export interface ScheduleOptions extends JobPolicyOptions {
  /** Name in `SchedulerRegistry` and `list()`; defaults to the job's name. */
  name?: string;
  /** `false` cancels the schedules of other instances of the same job class (core-lib's `is_run_in_parallel`). */
  runInParallel?: boolean;
}

/** Options of `@Job()`. A schedule (`initialDelay` with `frequency` or `cron`) makes the job run from code alone. */
export interface JobOptions extends JobPolicyOptions {
  /** Name that YAML's `handler.class` refers to; defaults to the class name. */
  name?: string;
  /** Delay before the first run: a duration, or `boot`/`startup` for "at once". */
  initialDelay?: Duration;
  /** Time between runs; absent means the job runs once. */
  frequency?: Duration | null;
}
