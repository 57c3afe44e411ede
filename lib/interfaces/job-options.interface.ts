/**
 * A duration: a pytimeparse string (`'30s'`, `'2h32m'`, `'16:00'` is 16 minutes) or a whole
 * number of milliseconds.
 */
export type Duration = string | number;

/**
 * `fixed-rate` keeps runs on a grid (`first + k × frequency`); `fixed-delay` waits `frequency`
 * after each run ends.
 */
export type JobMode = 'fixed-rate' | 'fixed-delay';

/** `skip` skips a tick while the previous run is still going; `allow` lets runs overlap. */
export type OverlapPolicy = 'skip' | 'allow';

/**
 * What a restart does with the ticks missed while no replica ran (needs a job store that keeps
 * the last tick): `none` runs none of them, `last` the latest one, `all` each one, oldest first.
 */
export type CatchUpPolicy = 'none' | 'last' | 'all';

/**
 * Run policy shared by YAML entries, `@Job()` and `JobScheduler` (camelCase here, snake_case in
 * YAML).
 */
export interface JobPolicyOptions {
  /** Passed to every run as `run(params, context)`. */
  params?: unknown;
  /** `fixed-rate` (default) or `fixed-delay`. */
  mode?: JobMode;
  /** `skip` (default) or `allow`. */
  overlap?: OverlapPolicy;
  /**
   * A tick later than this is a misfire: missed ticks are coalesced into one late run (default 1s).
   */
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
  /** Ticks missed while the app was down: `none` (default), `last` or `all` (repeating jobs). */
  catchUp?: CatchUpPolicy;
  /** Missed ticks older than this are never run (default 1d). */
  catchUpWindow?: Duration;
  /** With `catchUp: 'all'`, at most this many missed ticks run (default 10). */
  catchUpLimit?: number;
}

/** Options of `JobScheduler.schedule()` / `scheduleOnce()`. */
export interface ScheduleOptions extends JobPolicyOptions {
  /** Name in `SchedulerRegistry` and `list()`; defaults to the job's name. */
  name?: string;
  /**
   * `false` cancels the schedules of other instances of the same job class (core-lib's
   * `is_run_in_parallel`).
   */
  runInParallel?: boolean;
}

/** `@Job()`'s name: what YAML's `handler.class` refers to; defaults to the class name. */
interface JobNameOption {
  /** Name that YAML's `handler.class` refers to; defaults to the class name. */
  name?: string;
}

/** The run options of a `@Job()` schedule (the policy, without the cron fields). */
type JobRunOptions = Omit<JobPolicyOptions, 'cron' | 'timeZone'>;

/** Each key of `T`, forbidden: a union member that must not set them. */
type Forbid<T> = { [K in keyof T]?: never };

/** `@Job()` without a schedule: the class runs from YAML entries (or `JobScheduler`) only. */
export type JobWithoutSchedule = JobNameOption &
  Forbid<JobPolicyOptions> & { initialDelay?: never; frequency?: never };

/** `@Job()` with a delay, then every `frequency` (or once, without one). */
export type JobOnInterval = JobNameOption &
  JobRunOptions & {
    /** Delay before the first run: a duration, or `boot`/`startup` for "at once". */
    initialDelay: Duration;
    /** Time between runs; absent (or null) means the job runs once. */
    frequency?: Duration | null;
    cron?: never;
    timeZone?: never;
  };

/** `@Job()` on a cron expression. */
export type JobOnCron = JobNameOption &
  JobRunOptions & {
    /** Cron expression (5 fields, or 6 with seconds first). */
    cron: string;
    /** IANA time zone of `cron`, e.g. `Europe/Paris`. */
    timeZone?: string;
    /** Delay before the cron schedule starts (a duration). */
    initialDelay?: Duration;
    frequency?: never;
  };

/**
 * Options of `@Job()`: a name only, or a schedule (`initialDelay` with an optional `frequency`,
 * or `cron`) with its run options. `frequency` with `cron`, `frequency` without `initialDelay`
 * and run options without a schedule do not compile.
 */
export type JobOptions = JobWithoutSchedule | JobOnInterval | JobOnCron;
