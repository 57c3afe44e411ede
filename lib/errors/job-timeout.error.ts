import { formatDuration } from '../utils/duration.parser.js';

/** A run exceeded its `timeout`; its `context.signal` is aborted with this error. */
export class JobTimeoutError extends Error {
  override readonly name = 'JobTimeoutError';

  constructor(
    readonly jobName: string,
    readonly timeoutMs: number,
  ) {
    super(`Job ${jobName} timed out after ${formatDuration(timeoutMs)}`);
  }
}
