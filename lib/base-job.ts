import type { JobRunContext } from './interfaces/job-run-context.interface.js';

const INITIALIZED = Symbol('core-lib-jobs:initialized');

/**
 * Base class of a job, as core-lib's `Job`: implement `run()`, optionally `initialized()`.
 * `coreLib` holds the app's CoreLib service once the module (or `setDataHandler`) set it.
 */
export abstract class BaseJob<TCoreLib = any, TParams = any> {
  /** The app's CoreLib service, injected by the module before the first run. */
  coreLib?: TCoreLib;
  [INITIALIZED]?: boolean;

  /** The job's work; may return a promise. `params` are passed to every run. */
  abstract run(params: TParams, context: JobRunContext): unknown;

  /** Called once, before the first run, with the CoreLib service. */
  initialized?(coreLib: TCoreLib): unknown;

  /** core-lib compatibility: sets `coreLib` and calls `initialized()` once. */
  setDataHandler(coreLib: TCoreLib): unknown {
    this.coreLib = coreLib;
    return initializeJob(this, coreLib);
  }
}

/** Something that can be scheduled: a `BaseJob` or any object with a `run()` method. */
export interface JobLike {
  run(params?: any, context?: JobRunContext): unknown;
  initialized?(coreLib: any): unknown;
  coreLib?: unknown;
}

export function isJobLike(value: unknown): value is JobLike {
  return typeof value === 'object' && value !== null && typeof (value as JobLike).run === 'function';
}

/** Whether `initializeJob` already ran for this job. */
export function isInitialized(job: JobLike): boolean {
  return (job as JobLike & { [INITIALIZED]?: boolean })[INITIALIZED] === true;
}

/** Calls `initialized(coreLib)` at most once per job instance. */
export function initializeJob(job: JobLike, coreLib: unknown): unknown {
  const flagged = job as JobLike & { [INITIALIZED]?: boolean };
  if (flagged[INITIALIZED]) return undefined;
  flagged[INITIALIZED] = true;
  if (coreLib !== undefined && job.coreLib === undefined) job.coreLib = coreLib;
  return job.initialized?.(job.coreLib);
}
