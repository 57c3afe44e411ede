import { toMs } from '../../engine/job-spec.fields.js';
import { InvalidJobsConfigError } from '../../errors/invalid-jobs-config.error.js';
import { BAD_OPTION } from '../../errors/job-scheduler.messages.js';
import type { Duration } from '../../interfaces/job-options.interface.js';
import { EXPECTED_HEALTH, HEALTH_WHERE } from '../integrations.messages.js';

/** Options of `JobsHealthIndicator.isHealthy()`. */
export interface JobsHealthOptions {
  /** Down when a job's last runs failed this many times in a row. Default: 3. */
  maxConsecutiveFailures?: number;
  /**
   * Down when a job's due time passed this long ago and it has not started (a stuck scheduler
   * or a blocked event loop): `'1m'`, `'30s'`, or milliseconds. Default: `'1m'`. Keep it above
   * the jobs' `jitter`, which delays a start on purpose.
   */
  maxLateness?: Duration;
}

export interface HealthLimits {
  maxConsecutiveFailures: number;
  maxLatenessMs: number;
}

const DEFAULTS = { failures: 3, lateness: '1m' } as const;

/** Validates the options of one check, reporting every problem in one error. */
export function resolveHealthOptions(key: string, raw?: JobsHealthOptions): HealthLimits {
  const options = raw ?? {};
  const { maxConsecutiveFailures = DEFAULTS.failures, maxLateness = DEFAULTS.lateness } = options;
  const problems: string[] = [];
  const bad = (field: string, value: unknown, expected: string): void => {
    problems.push(`${HEALTH_WHERE(key)}: ${BAD_OPTION(field, value, expected)}`);
  };
  if (!Number.isInteger(maxConsecutiveFailures) || maxConsecutiveFailures < 1) {
    bad('maxConsecutiveFailures', maxConsecutiveFailures, EXPECTED_HEALTH.failures);
  }
  const maxLatenessMs = toMs(maxLateness, true);
  if (typeof maxLatenessMs === 'string') bad('maxLateness', maxLateness, maxLatenessMs);
  if (problems.length) throw new InvalidJobsConfigError(problems);
  return { maxConsecutiveFailures, maxLatenessMs: maxLatenessMs as number };
}
