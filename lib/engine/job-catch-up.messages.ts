/** Log lines of catch-up (missed ticks run after a restart or an outage). */

const iso = (t: number): string => new Date(t).toISOString();

/** @internal */
export const CATCHING_UP = (name: string, due: number[], older: boolean): string =>
  `Job ${name}: running ${due.length} missed tick(s) (catch-up), ` +
  `${due.length > 1 ? `from ${iso(due[0])} to ` : ''}${iso(due[due.length - 1])}` +
  `${older ? '; older ones are not run (catch_up_window, catch_up_limit)' : ''}`;

/** @internal */
export const CATCH_UP_ONLY_OLDER = (name: string, lastTick: number): string =>
  `Job ${name}: ticks were missed since ${iso(lastTick)}, all older than catch_up_window; ` +
  'none is run';

/** @internal */
export const CATCH_UP_UNREADABLE = (name: string, message: string): string =>
  `Job ${name}: could not read its last tick from the job store (${message}); ` +
  'missed ticks are not caught up this time';

/** @internal */
export const NO_ANSWER = (ms: number): string => `no answer within ${ms / 1000}s`;
