/** A job as `JobScheduler.list()` / `get()` show it. */
export interface JobInfo {
  name: string;
  /** The schedule as text, e.g. `every 30s (fixed-rate)`, `cron 0 16 * * * (Europe/Paris)`, `once after 1m`. */
  schedule: string;
  /** `scheduled`, `paused` or `stopped` (a stopped job leaves the list). */
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
}
