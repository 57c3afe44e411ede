import type { JobLike } from '../base-job.js';

/** Something `stop()` accepts: a schedule name, a job instance, or a job class. */
export type JobRef = string | JobLike | (abstract new (...args: any[]) => unknown);
