import { describe } from '../errors/job-scheduler.messages.js';

/** Message text of the testing helpers. */
export const BAD_DURATION = (duration: unknown): string =>
  `JobsTestClock: ${describe(duration)} is not a duration; expected zero or more, ` +
  "such as '1h' or 3600000 (ms)";
