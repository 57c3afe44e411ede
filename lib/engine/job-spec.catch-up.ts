import type { CatchUpPolicy } from '../interfaces/job-options.interface.js';
import { own } from '../utils/own.js';
import type { FieldIssue, JobSpecInput, JobTrigger, ResolveOptions } from './job-spec.js';
import { duration, oneOf } from './job-spec.fields.js';
import { atLeast, CATCH_UP_LIMIT_EXPECTED, CATCH_UP_NEEDS_REPEAT } from './job-spec.messages.js';

export const CATCH_UPS: readonly CatchUpPolicy[] = ['none', 'last', 'all'];
export const DEFAULT_CATCH_UP_WINDOW_MS = 24 * 60 * 60 * 1_000;
export const DEFAULT_CATCH_UP_LIMIT = 10;
export const CATCH_UP_FIELDS = ['catchUp', 'catchUpWindow', 'catchUpLimit'];

/** The catch-up part of a run policy (see `RunPolicy`). */
export interface CatchUpSettings {
  catchUp: CatchUpPolicy;
  catchUpWindowMs: number;
  catchUpLimit: number;
}

/** `catchUp`, `catchUpWindow` and `catchUpLimit`, resolved, or their problems collected. */
export function resolveCatchUp(
  input: JobSpecInput,
  opts: ResolveOptions,
  issues: FieldIssue[],
): CatchUpSettings {
  const catchUp = oneOf(input, 'catchUp', CATCH_UPS, 'none', issues);
  const window = own(input, 'catchUpWindow');
  const catchUpWindowMs = duration(
    'catchUpWindow',
    window,
    DEFAULT_CATCH_UP_WINDOW_MS,
    opts,
    issues,
  );
  if (catchUpWindowMs < 1) {
    issues.push({ field: 'catchUpWindow', value: window, expected: atLeast(1, 'a window') });
  }
  const limit = own(input, 'catchUpLimit');
  let catchUpLimit = DEFAULT_CATCH_UP_LIMIT;
  if (limit !== undefined && limit !== null) {
    const ok = Number.isSafeInteger(limit) && (limit as number) >= 1;
    if (ok) catchUpLimit = limit as number;
    else issues.push({ field: 'catchUpLimit', value: limit, expected: CATCH_UP_LIMIT_EXPECTED });
  }
  return { catchUp, catchUpWindowMs, catchUpLimit };
}

/** A job that runs once has no ticks to miss: catch-up other than `none` is a mistake there. */
export function catchUpTriggerIssue(
  input: JobSpecInput,
  trigger: JobTrigger | undefined,
): FieldIssue | undefined {
  const catchUp = own(input, 'catchUp');
  if (trigger?.kind !== 'once' || catchUp == null || catchUp === 'none') return undefined;
  return { field: 'catchUp', value: catchUp, expected: CATCH_UP_NEEDS_REPEAT };
}
