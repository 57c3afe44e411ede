import { checkCron } from './cron-check.js';
import { count, DURATION_EXPECTED, flag, isOnce, MODES, oneOf, OVERLAPS, START_NOW, toMs } from './job-spec.fields.js';
import { DEFAULT_MISFIRE_THRESHOLD_MS, MAX_TIMER_DELAY_MS } from '../core-lib-jobs.constants.js';
import { atLeast, atMost, FREQUENCY_FLOOR, TIMER_CEILING } from './job-spec.messages.js';
import type { Duration, JobMode, JobPolicyOptions, OverlapPolicy } from '../interfaces/job-options.interface.js';

/** When a job runs, resolved to milliseconds. */
export type JobTrigger =
  | { kind: 'once'; initialDelayMs: number }
  | { kind: 'interval'; initialDelayMs: number; frequencyMs: number }
  | { kind: 'cron'; initialDelayMs: number; cron: string; timeZone?: string; cronTime?: CronTimeLike };

/** The part of `cron`'s CronTime the engine uses. */
export interface CronTimeLike {
  timeZone?: string;
  getNextDateFrom(date: Date, zone?: string): { toMillis(): number };
}

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

/** The shortest period the engine keeps: Node timers count whole milliseconds. */
export const MIN_FREQUENCY_MS = 1;

/** The policy of a job that sets none of the run options: shared, so 100k such jobs hold one. */
const DEFAULT_POLICY: RunPolicy = Object.freeze({
  mode: 'fixed-rate', overlap: 'skip', misfireThresholdMs: DEFAULT_MISFIRE_THRESHOLD_MS, jitterMs: 0,
  timeoutMs: 0, retries: 0, retryDelayMs: 1_000, cluster: true, enabled: true,
});
const NO_ISSUES: FieldIssue[] = [];
/** Interned interval/once triggers (immutable) by delay then frequency, bounded so odd inputs cannot grow it forever. */
const triggers = new Map<number, Map<number, JobTrigger>>();
let internedTriggers = 0;

/**
 * Validates and resolves a job's schedule and policy, collecting every problem. `initialDelay`
 * and `frequency` may be given apart from `input`, so a caller need not copy its options.
 */
export function resolveJobSpec(
  input: JobSpecInput,
  opts: ResolveOptions,
  initialDelay: JobSpecInput['initialDelay'] = input.initialDelay,
  frequency: JobSpecInput['frequency'] = input.frequency,
): { trigger?: JobTrigger; policy?: RunPolicy; issues: FieldIssue[] } {
  return resolveCommon(input, opts, initialDelay, frequency)
    ?? resolveFull(initialDelay === input.initialDelay && frequency === input.frequency ? input : { ...input, initialDelay, frequency }, opts);
}

/** The common case (a delay, maybe a frequency, no run options), without allocating per job. */
function resolveCommon(
  input: JobSpecInput, opts: ResolveOptions, delay: JobSpecInput['initialDelay'], frequency: JobSpecInput['frequency'],
): { trigger: JobTrigger; policy: RunPolicy; issues: FieldIssue[] } | undefined {
  if (input.mode !== undefined || input.overlap !== undefined || input.misfireThreshold !== undefined || input.jitter !== undefined
    || input.cron != null || input.timeZone !== undefined || input.timeout !== undefined || input.retries !== undefined
    || input.retryDelay !== undefined || input.enabled !== undefined || input.cluster !== undefined) return undefined;
  if (delay == null || delay === '') return undefined; // required: the full path says so
  const initialDelayMs = typeof delay === 'string' && START_NOW.has(delay.trim().toLowerCase()) ? 0 : toMs(delay, opts.numbersAreMs);
  const once = isOnce(frequency);
  const frequencyMs = once ? 0 : toMs(frequency, opts.numbersAreMs);
  if (typeof initialDelayMs !== 'number' || typeof frequencyMs !== 'number') return undefined;
  if (!once && frequencyMs < MIN_FREQUENCY_MS) return undefined;
  let byFrequency = triggers.get(initialDelayMs);
  let trigger = byFrequency?.get(frequencyMs);
  if (!trigger) {
    trigger = Object.freeze(once ? { kind: 'once', initialDelayMs } : { kind: 'interval', initialDelayMs, frequencyMs });
    if (internedTriggers++ < 1_000) {
      if (!byFrequency) triggers.set(initialDelayMs, (byFrequency = new Map()));
      byFrequency.set(frequencyMs, trigger);
    }
  }
  // Read at once by every caller: one shared result instead of one per job.
  COMMON_RESULT.trigger = trigger;
  return COMMON_RESULT;
}

const COMMON_RESULT: { trigger: JobTrigger; policy: RunPolicy; issues: FieldIssue[] } = {
  trigger: { kind: 'once', initialDelayMs: 0 }, policy: DEFAULT_POLICY, issues: NO_ISSUES,
};

function resolveFull(input: JobSpecInput, opts: ResolveOptions): { trigger?: JobTrigger; policy?: RunPolicy; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  /** `max` where the value goes to one Node timer as is (a timeout, a retry's sleep). */
  const duration = (field: keyof JobSpecInput, fallback: number, max = Infinity): number => {
    const value = input[field];
    if (value === undefined || value === null) return fallback;
    const ms = toMs(value, opts.numbersAreMs);
    const expected = typeof ms === 'string' ? ms : ms > max ? atMost(max, TIMER_CEILING) : undefined;
    if (expected === undefined) return ms as number;
    issues.push({ field, value, expected });
    return fallback;
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
    if (frequencyMs! < MIN_FREQUENCY_MS) {
      issues.push({ field: 'frequency', value: input.frequency, expected: atLeast(MIN_FREQUENCY_MS, FREQUENCY_FLOOR) });
    }
    trigger = { kind: 'interval', initialDelayMs, frequencyMs: frequencyMs! };
  } else {
    trigger = { kind: 'once', initialDelayMs };
  }

  const policy: RunPolicy = {
    mode: oneOf(input, 'mode', MODES, 'fixed-rate', issues),
    overlap: oneOf(input, 'overlap', OVERLAPS, 'skip', issues),
    misfireThresholdMs: duration('misfireThreshold', DEFAULT_MISFIRE_THRESHOLD_MS),
    jitterMs: duration('jitter', 0),
    timeoutMs: duration('timeout', 0, MAX_TIMER_DELAY_MS),
    retries: count(input, 'retries', issues),
    retryDelayMs: duration('retryDelay', 1_000, MAX_TIMER_DELAY_MS),
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
