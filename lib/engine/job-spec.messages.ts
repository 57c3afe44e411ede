/** What a job spec field should have been ("got X, expected <this>"), one small function each. */
import { formatDuration } from '../utils/duration.parser.js';

export const DURATION_EXPECTED =
  "a duration such as '30s', '2h32m', '1.5 hours' or '16:00' (16 minutes)";

/** YAML durations are text: a bare number needs a unit (a hint only where adding one helps). */
export const bareNumber = (value: number): string =>
  Number.isFinite(value) && value >= 0
    ? `${DURATION_EXPECTED}; a bare number needs a unit, e.g. '${value}s' or '${value}m'`
    : DURATION_EXPECTED;

/** In code a number is milliseconds: whole, finite, zero or more. */
export const wholeMs = (value: number): string => {
  let why = "the scheduler's step is 1 ms";
  if (!Number.isFinite(value)) why = `${value} is not a duration`;
  else if (value < 0) why = 'durations cannot be negative';
  else if (Number.isInteger(value)) why = `at most ${Number.MAX_SAFE_INTEGER}`;
  return `a whole number of milliseconds, zero or more (${why}), or ${DURATION_EXPECTED}`;
};

export const atLeast = (ms: number, why: string): string =>
  `a duration of at least ${formatDuration(ms)} (${why})`;

export const atMost = (ms: number, why: string): string =>
  `a duration of at most ${formatDuration(ms)} (${why})`;

export const FREQUENCY_FLOOR = "the scheduler's step; a shorter period cannot be kept";
export const TIMER_CEILING = 'the longest delay of a Node timer, about 24.8 days';

export const START_NOW_EXPECTED = (duration: string): string => `'boot', 'startup' or ${duration}`;
export const EITHER_OR = "either 'frequency' or 'cron', not both";
export const ONLY_WITH_CRON = "to be used with 'cron'";
export const CRON_NOT_FIXED_DELAY = "'fixed-rate' for a cron job (cron has no delay)";
export const CATCH_UP_LIMIT_EXPECTED = 'a whole number, 1 or more';
export const CATCH_UP_NEEDS_REPEAT =
  "'none' for a job that runs once (catch-up needs a repeating schedule: frequency or cron)";
