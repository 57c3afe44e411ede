import type { JobRunContext } from './interfaces/job-run-context.interface.js';

/** Jobs whose `initialized()` was called. A set, not a mark on the job: a frozen job can run. */
const initialized = new WeakSet<object>();

/**
 * Base class of a job, as core-lib's `Job`: implement `run()`, optionally `initialized()`.
 * `coreLib` holds the app's CoreLib service once the module (or `setDataHandler`) set it.
 */
export abstract class BaseJob<TCoreLib = any, TParams = any> {
  /** The app's CoreLib service, injected by the module before the first run. */
  coreLib?: TCoreLib;

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

/** Whether `value` has a `run()` method. @internal */
export function isJobLike(value: unknown): value is JobLike {
  return (
    typeof value === 'object' && value !== null && typeof (value as JobLike).run === 'function'
  );
}

/**
 * Calls `initialized(coreLib)` at most once per job instance, first setting `job.coreLib` when
 * unset (a frozen job keeps what it has). @internal
 */
export function initializeJob(job: JobLike, coreLib: unknown): unknown {
  if (initialized.has(job)) return undefined;
  initialized.add(job);
  // Reflect.set: a frozen job refuses the field quietly instead of throwing.
  if (coreLib !== undefined && job.coreLib === undefined) Reflect.set(job, 'coreLib', coreLib);
  return job.initialized?.(job.coreLib);
}
