import type { JobLike } from '../base-job.js';
import type { JobOptions } from './job-options.interface.js';

/** A job instance the explorer found (an `@Job()` provider or a class listed in `jobs`). */
export interface DiscoveredJob {
  job: JobLike;
  className: string;
  /** Its `@Job()` options ({} for a listed class without `@Job()`). */
  options: JobOptions;
}
