import type { PauseInfo } from './job-control.interface.js';

/** A job as `JobScheduler.list()` / `get()` show it. */
export interface JobInfo {
  name: string;
  /**
   * The schedule as text, e.g. `every 30s (fixed-rate)`, `cron 0 16 * * * (Europe/Paris)`,
   * `once after 1m`.
   */
  schedule: string;
  /** How the job is triggered: `interval` (every `frequencyMs`), `once` or `cron`. */
  kind: 'interval' | 'once' | 'cron';
  /** The cron expression as written (cron jobs), else null. */
  cron: string | null;
  /** The cron job's IANA time zone as written; null for the machine's zone and for other jobs. */
  timeZone: string | null;
  /** Time between runs (interval jobs), else null. */
  frequencyMs: number | null;
  /** Delay before the first run (0: at startup). */
  initialDelayMs: number;
  /**
   * `scheduled`, `paused` or `stopped` (a stopped job leaves the list; a stored definition this
   * replica cannot schedule is listed as `stopped`, with its `problem`).
   */
  state: 'scheduled' | 'paused' | 'stopped';
  nextRunAt: Date | null;
  lastRunAt: Date | null;
  lastDurationMs: number | null;
  lastError: string | null;
  runs: number;
  failures: number;
  running: boolean;
  /** In cluster mode, the replica (`host:pid`) that ran the last tick. */
  lastRunBy: string | null;
  /** Paused through `JobScheduler.pause()` (on every replica): by whom, why and when. */
  pause?: PauseInfo | null;
  /** Whether the schedule is a stored definition (`JobScheduler.upsert()`). */
  stored?: boolean;
  /** Why a stored definition is not scheduled on this replica (state `skipped`). */
  problem?: string | null;
}
