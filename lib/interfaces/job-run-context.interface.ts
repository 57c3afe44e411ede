/** Second argument of `run(params, context)`. */
export interface JobRunContext {
  /** The job's schedule name. */
  readonly name: string;
  /** Aborted on timeout or when shutdown gives up waiting. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt, 2 for the first retry, and so on. */
  readonly attempt: number;
  /** When the run was due (epoch ms); for a manual `trigger()`, when it was called. */
  readonly scheduledAt: number;
  /** `schedule` for a timed run, `trigger` for a manual one. */
  readonly reason: 'schedule' | 'trigger';
}
