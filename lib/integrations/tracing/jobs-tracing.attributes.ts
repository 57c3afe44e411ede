import type { Attributes, Exception } from '@opentelemetry/api';
import type { JobEvent } from '../../interfaces/job-event.interface.js';
import { describeThrown, stackOf } from '../../utils/thrown-value.js';

/** Attribute names of a run's span. `faas.*` are OpenTelemetry's FaaS conventions. */
export const ATTR = {
  name: 'core_lib.job.name',
  dueTime: 'core_lib.job.due_time',
  attempt: 'core_lib.job.attempt',
  reason: 'core_lib.job.reason',
  retryDelay: 'core_lib.job.retry_delay_ms',
  trigger: 'faas.trigger',
  cron: 'faas.cron',
  errorType: 'error.type',
} as const;

/** Attributes of a run's span, from its first `started` event. */
export function runAttributes(
  e: Extract<JobEvent, { type: 'started' }>,
  cron: string | null | undefined,
): Attributes {
  const attributes: Attributes = {
    [ATTR.name]: e.name,
    [ATTR.dueTime]: new Date(e.scheduledAt).toISOString(),
    [ATTR.attempt]: e.attempt,
    [ATTR.reason]: e.reason,
    // A run of `trigger()` is not a timer's: the convention's value for it is 'other'.
    [ATTR.trigger]: e.reason === 'schedule' ? 'timer' : 'other',
  };
  if (cron) attributes[ATTR.cron] = cron;
  return attributes;
}

/**
 * What `recordException` takes, read without trusting the thrown value: its getters may throw,
 * and it may not be an Error at all.
 */
export function asException(error: unknown): Exception {
  return { name: errorType(error), message: describeThrown(error), stack: stackOf(error) };
}

/** The error's class name (`JobTimeoutError`), or the type of a non-Error thrown value. */
export function errorType(error: unknown): string {
  try {
    const name = error instanceof Error ? error.name : undefined;
    return typeof name === 'string' && name ? name : typeof error;
  } catch {
    return typeof error;
  }
}
