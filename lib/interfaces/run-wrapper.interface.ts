/** The attempt a `RunWrapper` is called for. */
export interface RunInfo {
  /** The job's schedule name. */
  readonly name: string;
  /** Shared by every attempt of one run, as in the run events. */
  readonly runId: number;
  /** 1 for the first attempt, 2 for the first retry... */
  readonly attempt: number;
  readonly scheduledAt: number;
  readonly reason: 'schedule' | 'catch-up' | 'trigger';
}

/**
 * Runs each attempt of every job inside a context of yours (`JobScheduler.wrapRuns()`): it must
 * call `call()` once, synchronously, and return what it returns, as `AsyncLocalStorage.run()` and
 * OpenTelemetry's `context.with()` do. The job's `initialized()` and `run()`, and everything they
 * start, then see your context.
 */
export type RunWrapper = <T>(run: RunInfo, call: () => T) => T;
