/** Second argument of `run(params, context)`. */
export interface JobRunContext {
  /** The job's schedule name. */
  readonly name: string;
  /** Aborted on timeout or when shutdown gives up waiting. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt, 2 for the first retry, and so on. */
  readonly attempt: number;
  /**
   * When the run was due (epoch ms): for a catch-up run, the missed tick; for a manual
   * `trigger()`, when it was called.
   */
  readonly scheduledAt: number;
  /**
   * `schedule` for a timed run, `trigger` for a manual one, `catch-up` for a tick missed while
   * no replica ran the job (`catch_up: last | all`), run after a restart or a backend outage.
   */
  readonly reason: 'schedule' | 'catch-up' | 'trigger';
}
