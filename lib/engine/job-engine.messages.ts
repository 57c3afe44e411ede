import { formatDuration } from '../utils/duration.parser.js';

/** Log lines of the engine and the runner. @internal */
export const RUN_FAILED = (name: string, attempts: number, message: string): string =>
  `Error while running job ${name}` +
  `${attempts > 1 ? ` (failed after ${attempts} attempts)` : ''}: ${message}`;

/** @internal */
export const RETRYING = (
  name: string,
  attempt: number,
  of: number,
  delayMs: number,
  message: string,
): string =>
  `Job ${name} failed (attempt ${attempt} of ${of}), ` +
  `retrying in ${formatDuration(delayMs)}: ${message}`;

/** @internal */
export const SKIPPING_OVERLAP = (name: string): string =>
  `Job ${name} is still running; skipping its ticks until it ends`;

/** @internal */
export const MISFIRED = (name: string, lateMs: number, missed: number): string =>
  `Job ${name} fired ${formatDuration(lateMs)} late` +
  `${missed > 0 ? `; ${missed} missed tick(s) coalesced into this run` : ''}`;

/** Jobs named in one misfire line; the others are counted. @internal */
export const MISFIRES_NAMED = 5;

/**
 * Several jobs that misfired at one timer fire (a stall with many jobs due), as one line. @internal
 */
export const MISFIRED_MANY = (
  names: readonly string[],
  minLateMs: number,
  maxLateMs: number,
  missed: number,
): string => {
  const shown = names.slice(0, MISFIRES_NAMED).join(', ');
  const more = names.length > MISFIRES_NAMED ? ` and ${names.length - MISFIRES_NAMED} more` : '';
  const late =
    formatDuration(minLateMs) === formatDuration(maxLateMs)
      ? formatDuration(maxLateMs)
      : `${formatDuration(minLateMs)} to ${formatDuration(maxLateMs)}`;
  return (
    `${names.length} jobs fired ${late} late (${shown}${more})` +
    `${missed > 0 ? `; ${missed} missed tick(s) coalesced into their runs` : ''}`
  );
};

/** @internal */
export const LISTENER_THREW = (type: string, name: string, what: string): string =>
  `A job listener threw on '${type}' of ${name}: ${what}`;

/** @internal */
export const ANCHOR_FAILED = (name: string): string =>
  `Could not read the cluster anchor of job ${name}; it will not run`;

/** @internal */
export const DRAIN_TIMEOUT = (timeoutMs: number, names: string[]): string =>
  `Shutdown timeout (${formatDuration(timeoutMs)}) reached; ` +
  `aborting runs still in progress: ${names.join(', ')}`;

/** @internal */
export const DRAIN_ABORT_REASON = (timeoutMs: number): string =>
  `Aborted: application shutdown after ${formatDuration(timeoutMs)}`;

/** @internal */
export const STOPPED = (jobs: number, waitedFor: number): string =>
  `Stopped ${jobs} job(s)${waitedFor ? ` after waiting for ${waitedFor} run(s) in progress` : ''}`;

/** @internal */
export const WRAPPER_SKIPPED_CALL =
  'a wrapRuns() wrapper returned without calling call(): the attempt did not run';
