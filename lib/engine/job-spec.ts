import { CronTime } from 'cron';
import { DEFAULT_MISFIRE_THRESHOLD_MS } from '../core-lib-jobs.constants.js';
import { InvalidDurationError } from '../errors/invalid-duration.error.js';
import type { Duration, JobMode, JobPolicyOptions, OverlapPolicy } from '../interfaces/job-options.interface.js';
import { parseDuration } from '../utils/duration.parser.js';

/** When a job runs, resolved to milliseconds. */
export type JobTrigger =
  | { kind: 'once'; initialDelayMs: number }
  | { kind: 'interval'; initialDelayMs: number; frequencyMs: number }
  | { kind: 'cron'; initialDelayMs: number; cron: string; timeZone?: string };

/** How a job runs, resolved to milliseconds. */
export interface RunPolicy {
  mode: JobMode;
  overlap: OverlapPolicy;
  misfireThresholdMs: number;
  jitterMs: number;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  cluster: boolean;
  enabled: boolean;
}

/** One problem with one field: the caller adds where it came from. */
export interface FieldIssue {
  field: string;
  value: unknown;
  expected: string;
}

/** What the three front doors (YAML, `@Job()`, `JobScheduler`) hand to the engine, camelCase. */
export interface JobSpecInput extends JobPolicyOptions {
  initialDelay?: Duration | null;
  frequency?: Duration | null;
}

export interface ResolveOptions {
  /** YAML has no "milliseconds" numbers: a bare number there is an error. */
  numbersAreMs: boolean;
  /** Whether `initialDelay` must be given (YAML: yes, unless `cron` is set). */
  requireInitialDelay: boolean;
}

const START_NOW = new Set(['boot', 'startup']);
const ONCE = new Set(['', 'none', 'null']);
const MODES: readonly JobMode[] = ['fixed-rate', 'fixed-delay'];
const OVERLAPS: readonly OverlapPolicy[] = ['skip', 'allow'];

const DURATION_EXPECTED = "a duration such as '30s', '2h32m', '1.5 hours' or '16:00' (16 minutes)";

/** Validates and resolves a job's schedule and policy, collecting every problem. */
export function resolveJobSpec(
  input: JobSpecInput,
  opts: ResolveOptions,
): { trigger?: JobTrigger; policy?: RunPolicy; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const duration = (field: keyof JobSpecInput, fallback: number): number => {
    const value = input[field];
    if (value === undefined || value === null) return fallback;
    const ms = toMs(value, opts.numbersAreMs);
    if (typeof ms === 'string') {
      issues.push({ field, value, expected: ms });
      return fallback;
    }
    return ms;
  };

  const initialDelayMs = resolveInitialDelay(input, opts, issues);
  const frequencyMs = isOnce(input.frequency) ? undefined : duration('frequency', NaN);
  const hasFrequency = frequencyMs !== undefined;

  let trigger: JobTrigger | undefined;
  if (input.cron !== undefined && input.cron !== null) {
    if (hasFrequency) {
      issues.push({ field: 'cron', value: input.cron, expected: "either 'frequency' or 'cron', not both" });
    }
    const cronIssue = checkCron(input.cron, input.timeZone);
    if (cronIssue) issues.push(cronIssue);
    trigger = { kind: 'cron', initialDelayMs, cron: String(input.cron), timeZone: input.timeZone };
  } else if (input.timeZone !== undefined) {
    issues.push({ field: 'timeZone', value: input.timeZone, expected: "to be used with 'cron'" });
  } else if (hasFrequency) {
    if (frequencyMs === 0) issues.push({ field: 'frequency', value: input.frequency, expected: 'a duration above zero' });
    trigger = { kind: 'interval', initialDelayMs, frequencyMs: frequencyMs! };
  } else {
    trigger = { kind: 'once', initialDelayMs };
  }

  const policy: RunPolicy = {
    mode: oneOf(input, 'mode', MODES, 'fixed-rate', issues),
    overlap: oneOf(input, 'overlap', OVERLAPS, 'skip', issues),
    misfireThresholdMs: duration('misfireThreshold', DEFAULT_MISFIRE_THRESHOLD_MS),
    jitterMs: duration('jitter', 0),
    timeoutMs: duration('timeout', 0),
    retries: count(input, 'retries', issues),
    retryDelayMs: duration('retryDelay', 1_000),
    cluster: flag(input, 'cluster', true, issues),
    enabled: flag(input, 'enabled', true, issues),
  };
  if (policy.mode === 'fixed-delay' && trigger?.kind === 'cron') {
    issues.push({ field: 'mode', value: input.mode, expected: "'fixed-rate' for a cron job (cron has no delay)" });
  }
  return issues.length ? { issues } : { trigger, policy, issues };
}

function resolveInitialDelay(input: JobSpecInput, opts: ResolveOptions, issues: FieldIssue[]): number {
  const value = input.initialDelay;
  if (value === undefined || value === null || value === '') {
    if (opts.requireInitialDelay && input.cron == null) {
      issues.push({ field: 'initialDelay', value, expected: `'boot', 'startup' or ${DURATION_EXPECTED}` });
    }
    return 0;
  }
  if (typeof value === 'string' && START_NOW.has(value.trim().toLowerCase())) return 0;
  const ms = toMs(value, opts.numbersAreMs);
  if (typeof ms === 'string') {
    issues.push({ field: 'initialDelay', value, expected: `'boot', 'startup' or ${ms}` });
    return 0;
  }
  return ms;
}

/** Absent, null, empty or `None` (core-lib's YAML) means "runs once". */
function isOnce(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && ONCE.has(value.trim().toLowerCase()));
}

/** Milliseconds, or the text of what was expected. */
function toMs(value: unknown, numbersAreMs: boolean): number | string {
  if (typeof value === 'number') {
    if (!numbersAreMs) return `${DURATION_EXPECTED}; a bare number needs a unit, e.g. '${value}s' or '${value}m'`;
    return Number.isFinite(value) && value >= 0 ? value : 'a number of milliseconds, zero or more';
  }
  try {
    return parseDuration(value as string);
  } catch (error) {
    if (!(error instanceof InvalidDurationError)) throw error;
    return error.hint ? `${DURATION_EXPECTED} (${error.hint})` : DURATION_EXPECTED;
  }
}

function oneOf<T extends string>(
  input: JobSpecInput, field: keyof JobSpecInput, allowed: readonly T[], fallback: T, issues: FieldIssue[],
): T {
  const value = input[field];
  if (value === undefined || value === null) return fallback;
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  issues.push({ field, value, expected: `one of ${allowed.map((a) => `'${a}'`).join(', ')}` });
  return fallback;
}

function count(input: JobSpecInput, field: 'retries', issues: FieldIssue[]): number {
  const value = input[field];
  if (value === undefined || value === null) return 0;
  if (Number.isInteger(value) && value >= 0) return value;
  issues.push({ field, value, expected: 'a whole number, zero or more' });
  return 0;
}

function flag(input: JobSpecInput, field: 'enabled' | 'cluster', fallback: boolean, issues: FieldIssue[]): boolean {
  const value = input[field] as unknown;
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  // Interpolated env values arrive as text: accept the usual spellings.
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  issues.push({ field, value, expected: 'true or false' });
  return fallback;
}

function checkCron(cron: unknown, timeZone: string | undefined): FieldIssue | undefined {
  if (typeof cron !== 'string' || !cron.trim()) {
    return { field: 'cron', value: cron, expected: "a cron expression such as '0 16 * * *'" };
  }
  const fields = cron.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6) {
    return { field: 'cron', value: cron, expected: "a cron expression of 5 fields, or 6 with seconds first" };
  }
  if (timeZone !== undefined && (typeof timeZone !== 'string' || !isTimeZone(timeZone))) {
    return { field: 'timeZone', value: timeZone, expected: "an IANA time zone such as 'Europe/Paris'" };
  }
  try {
    new CronTime(cron, timeZone);
    return undefined;
  } catch (error) {
    return { field: 'cron', value: cron, expected: `a valid cron expression (${(error as Error).message})` };
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
