/** Message text of `JobScheduler`'s argument errors. */
export const NOT_A_JOB = (what: unknown): string =>
  `Cannot schedule ${describe(what)}: expected a job ` +
  '(an object with a run() method, e.g. a BaseJob or an @Job() provider)';
export const DUPLICATE_JOB_NAME = (name: string): string =>
  `A job named '${name}' is already scheduled; pass another { name } or stop it first`;
export const UNKNOWN_JOB = (name: string, known: string[]): string =>
  `No job named '${name}' is scheduled (scheduled: ${known.length ? known.join(', ') : 'none'})`;
export const INVALID_SCHEDULE = (name: string, problems: string[]): string =>
  `Invalid schedule for job '${name}': ${problems.join('; ')}`;
export const FREQUENCY_REQUIRED =
  "a duration above zero, such as '30s' or 60000 (ms): " +
  'schedule() repeats a job; scheduleOnce() runs it once';
export const CRON_DATE_NOT_SUPPORTED = (name: string): string =>
  `Cannot setTime() of cron job '${name}' to a date: ` +
  'give a cron expression, or scheduleOnce() the job';
export const BAD_OPTION = (field: string, value: unknown, expected: string): string =>
  `${field}: ${describe(value)} is invalid, expected ${expected}`;

export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  // JSON would print NaN and Infinity as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
