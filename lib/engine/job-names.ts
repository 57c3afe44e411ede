import type { JobLike } from '../base-job.js';
import { JOB_METADATA } from '../core-lib-jobs.constants.js';
import { JobSchedulerError } from '../errors/job-scheduler.error.js';
import { DUPLICATE_JOB_NAME } from '../errors/job-scheduler.messages.js';
import type { JobRegistration } from './job-registration.js';
import type { JobTrigger } from './job-spec.js';
import { nameProblem } from './prepared-job.js';

/** `@Job({ name })`, else the class name. @internal */
export function defaultName(job: JobLike): string {
  const ctor = job.constructor as Function;
  const meta = Reflect.getMetadata(JOB_METADATA, ctor) as { name?: string } | undefined;
  return meta?.name ?? (ctor.name || 'job');
}

/**
 * The name a new schedule takes: the explicit one (checked), else the job's default name, made
 * unique with `#2`, `#3`... @internal
 */
export function nameFor(
  registration: JobRegistration,
  job: JobLike,
  explicit: string | undefined,
  kind: JobTrigger['kind'],
): string {
  if (explicit !== undefined) {
    const problem = nameProblem(explicit);
    if (problem) throw new JobSchedulerError(problem);
    // A clash with the same kind is caught when the registry refuses the name (one lookup less).
    if (registration.takenByOtherKind(explicit, kind)) {
      throw new JobSchedulerError(DUPLICATE_JOB_NAME(explicit));
    }
    return explicit;
  }
  const base = defaultName(job);
  let name = base;
  for (let i = 2; registration.taken(name); i++) name = `${base}#${i}`;
  return name;
}
