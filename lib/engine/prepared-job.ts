import type { JobLike } from '../base-job.js';
import { BAD_OPTION } from '../errors/job-scheduler.messages.js';
import {
  resolveJobSpec,
  type JobSpecInput,
  type JobTrigger,
  type ResolveOptions,
  type RunPolicy,
} from './job-spec.js';

/** How a spec from code (`JobScheduler`, `@Job()`) is read: numbers are milliseconds. */
export const FROM_CODE: ResolveOptions = Object.freeze({
  numbersAreMs: true,
  requireInitialDelay: true,
});
/** How a YAML entry is read: a bare number is an error (it needs a unit). */
export const FROM_YAML: ResolveOptions = Object.freeze({
  numbersAreMs: false,
  requireInitialDelay: true,
});

/** A job's schedule, resolved once, ready for the engine. */
export interface PreparedJob {
  job: JobLike;
  params: unknown;
  trigger: JobTrigger;
  policy: RunPolicy;
}

/**
 * The one resolution every front door goes through (`JobScheduler`, `@Job()`, YAML): the spec
 * becomes a trigger and a run policy, or the list of its problems (`field: ... expected ...`).
 * `initialDelay` and `frequency` may be given apart from `input`, so a caller need not copy it.
 */
export function prepareJob(
  job: JobLike,
  input: JobSpecInput,
  from: ResolveOptions,
  initialDelay = input.initialDelay,
  frequency = input.frequency,
): PreparedJob | string[] {
  const { trigger, policy, issues } = resolveJobSpec(input, from, initialDelay, frequency);
  if (!trigger || !policy) return issues.map((i) => BAD_OPTION(i.field, i.value, i.expected));
  return { job, params: input.params, trigger, policy };
}

/** A schedule name must be a non-empty string: the problem, or undefined. */
export function nameProblem(name: unknown): string | undefined {
  return typeof name === 'string' && name !== ''
    ? undefined
    : BAD_OPTION('name', name, 'a non-empty string');
}
