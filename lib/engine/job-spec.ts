import { DEFAULT_MISFIRE_THRESHOLD_MS, MAX_TIMER_DELAY_MS } from '../core-lib-jobs.constants.js';
import type {
  CatchUpPolicy,
  Duration,
  JobMode,
  JobPolicyOptions,
  OverlapPolicy,
} from '../interfaces/job-options.interface.js';
import { own } from '../utils/own.js';
import { checkCron } from './cron-check.js';
import {
  CATCH_UP_FIELDS,
  catchUpTriggerIssue,
  DEFAULT_CATCH_UP_LIMIT,
  DEFAULT_CATCH_UP_WINDOW_MS,
  resolveCatchUp,
} from './job-spec.catch-up.js';
import {
  count,
  duration,
  flag,
  isOnce,
  MODES,
  oneOf,
  OVERLAPS,
  resolveInitialDelay,
} from './job-spec.fields.js';
import {
  atLeast,
  CRON_NOT_FIXED_DELAY,
  EITHER_OR,
  FREQUENCY_FLOOR,
  ONLY_WITH_CRON,
} from './job-spec.messages.js';

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
  /** Ticks missed while no replica ran: none, the latest one, or each one (up to the limit). */
  catchUp: CatchUpPolicy;
  /** Missed ticks older than this (before now) are never run. */
  catchUpWindowMs: number;
  /** `catchUp: 'all'`: at most this many missed ticks run. */
  catchUpLimit: number;
}

/** One problem with one field: the caller adds where it came from. */
export interface FieldIssue {
  field: string;
  value: unknown;
  expected: string;
}

/** What the three front doors (YAML, `@Job()`, `JobScheduler`) hand to the resolver, camelCase. */
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

/** A resolved spec, or (trigger and policy absent) every problem found. */
export interface SpecResult {
  trigger?: JobTrigger;
  policy?: RunPolicy;
  issues: FieldIssue[];
}

/** The shortest period the engine keeps: Node timers count whole milliseconds. */
export const MIN_FREQUENCY_MS = 1;

/**
 * Validates and resolves a job's schedule and policy, collecting every problem. Fields are read
 * from `input`'s own properties only. `initialDelay` and `frequency` may be given apart from
 * `input` (JobScheduler's positional arguments), so a caller need not copy its options.
 */
export function resolveJobSpec(
  input: JobSpecInput,
  opts: ResolveOptions,
  initialDelay: unknown = own(input, 'initialDelay'),
  frequency: unknown = own(input, 'frequency'),
): SpecResult {
  const issues: FieldIssue[] = [];
  const cron = own(input, 'cron');
  const initialDelayMs = resolveInitialDelay(initialDelay, cron != null, opts, issues);
  const trigger = resolveTrigger(input, opts, initialDelayMs, frequency, issues);
  const policy = resolvePolicy(input, opts, issues);
  if (policy.mode === 'fixed-delay' && trigger?.kind === 'cron') {
    issues.push({ field: 'mode', value: own(input, 'mode'), expected: CRON_NOT_FIXED_DELAY });
  }
  const catchUpIssue = catchUpTriggerIssue(input, trigger);
  if (catchUpIssue) issues.push(catchUpIssue);
  return issues.length ? { issues } : { trigger, policy, issues };
}

function resolveTrigger(
  input: JobSpecInput,
  opts: ResolveOptions,
  initialDelayMs: number,
  frequency: unknown,
  issues: FieldIssue[],
): JobTrigger | undefined {
  const cron = own(input, 'cron');
  const timeZone = own(input, 'timeZone') as string | undefined;
  const frequencyMs = isOnce(frequency)
    ? undefined
    : duration('frequency', frequency, NaN, opts, issues);
  if (cron !== undefined && cron !== null) {
    if (frequencyMs !== undefined) issues.push({ field: 'cron', value: cron, expected: EITHER_OR });
    const cronIssue = checkCron(cron, timeZone);
    if (cronIssue) issues.push(cronIssue);
    return { kind: 'cron', initialDelayMs, cron: String(cron), timeZone };
  }
  if (timeZone !== undefined) {
    issues.push({ field: 'timeZone', value: timeZone, expected: ONLY_WITH_CRON });
    return undefined;
  }
  if (frequencyMs === undefined) return { kind: 'once', initialDelayMs };
  if (frequencyMs < MIN_FREQUENCY_MS) {
    issues.push({
      field: 'frequency',
      value: frequency,
      expected: atLeast(MIN_FREQUENCY_MS, FREQUENCY_FLOOR),
    });
  }
  return intervalTrigger(initialDelayMs, frequencyMs);
}

/** The last interval trigger made: frozen, shared with the next job of the same schedule. */
let lastInterval: Extract<JobTrigger, { kind: 'interval' }> | undefined;

/**
 * An interval trigger, shared by consecutive jobs of one schedule, as `DEFAULT_POLICY` is: a
 * trigger is replaced, never changed in place. 100,000 jobs of one schedule hold one trigger.
 */
function intervalTrigger(initialDelayMs: number, frequencyMs: number): JobTrigger {
  const last = lastInterval;
  if (last?.initialDelayMs === initialDelayMs && last.frequencyMs === frequencyMs) return last;
  return (lastInterval = Object.freeze({ kind: 'interval', initialDelayMs, frequencyMs }));
}

/** The policy of a job that sets no run option, frozen and shared by all such jobs. */
// Shared: 452 vs 536 B heap per job at 10,000 jobs (bench scale, JobScheduler.schedule).
const DEFAULT_POLICY: RunPolicy = Object.freeze({
  mode: 'fixed-rate',
  overlap: 'skip',
  misfireThresholdMs: DEFAULT_MISFIRE_THRESHOLD_MS,
  jitterMs: 0,
  timeoutMs: 0,
  retries: 0,
  retryDelayMs: 1_000,
  cluster: true,
  enabled: true,
  catchUp: 'none',
  catchUpWindowMs: DEFAULT_CATCH_UP_WINDOW_MS,
  catchUpLimit: DEFAULT_CATCH_UP_LIMIT,
});
const POLICY_FIELDS = [
  'mode',
  'overlap',
  'misfireThreshold',
  'jitter',
  'timeout',
  'retries',
  'retryDelay',
  'cluster',
  'enabled',
  ...CATCH_UP_FIELDS,
];

function resolvePolicy(input: JobSpecInput, opts: ResolveOptions, issues: FieldIssue[]): RunPolicy {
  if (!setsAny(input, POLICY_FIELDS)) return DEFAULT_POLICY;
  const ms = (field: keyof JobSpecInput, fallback: number, max = Infinity): number =>
    duration(field, own(input, field), fallback, opts, issues, max);
  return {
    mode: oneOf(input, 'mode', MODES, 'fixed-rate', issues),
    overlap: oneOf(input, 'overlap', OVERLAPS, 'skip', issues),
    misfireThresholdMs: ms('misfireThreshold', DEFAULT_MISFIRE_THRESHOLD_MS),
    jitterMs: ms('jitter', 0),
    timeoutMs: ms('timeout', 0, MAX_TIMER_DELAY_MS),
    retries: count(input, 'retries', issues),
    retryDelayMs: ms('retryDelay', 1_000, MAX_TIMER_DELAY_MS),
    cluster: flag(input, 'cluster', true, issues),
    enabled: flag(input, 'enabled', true, issues),
    ...resolveCatchUp(input, opts, issues),
  };
}

/** Whether `input` sets any of `fields` (a loop: no closure made per job). */
function setsAny(input: JobSpecInput, fields: readonly string[]): boolean {
  for (const field of fields) if (own(input, field) != null) return true;
  return false;
}
