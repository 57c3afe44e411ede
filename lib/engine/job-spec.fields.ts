import { InvalidDurationError } from '../errors/invalid-duration.error.js';
import type { JobMode, OverlapPolicy } from '../interfaces/job-options.interface.js';
import { parseBoolean } from '../utils/boolean.js';
import { parseDuration } from '../utils/duration.parser.js';
import { own } from '../utils/own.js';
import type { FieldIssue, JobSpecInput, ResolveOptions } from './job-spec.js';
import {
  atMost,
  bareNumber,
  DURATION_EXPECTED,
  START_NOW_EXPECTED,
  TIMER_CEILING,
  wholeMs,
} from './job-spec.messages.js';

export { DURATION_EXPECTED };

/** Field checks of the spec resolver. */
export const START_NOW = new Set(['boot', 'startup']);
const ONCE = new Set(['', 'none', 'null']);
export const MODES: readonly JobMode[] = ['fixed-rate', 'fixed-delay'];
export const OVERLAPS: readonly OverlapPolicy[] = ['skip', 'allow'];

/** Absent, null, empty or `None` (core-lib's YAML) means "runs once". */
export function isOnce(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return typeof value === 'string' && ONCE.has(value.trim().toLowerCase());
}

/**
 * Whole milliseconds, or the text of what was expected: the one rule for every duration, from
 * YAML or code. Text is rounded to whole ms by the parser; a number (code only) must already be
 * whole, finite and zero or more, so the engine never sees a fraction, NaN or Infinity.
 */
export function toMs(value: unknown, numbersAreMs: boolean): number | string {
  if (typeof value === 'number') {
    if (!numbersAreMs) return bareNumber(value);
    return Number.isSafeInteger(value) && value >= 0 ? value : wholeMs(value);
  }
  try {
    return parseDuration(value as string);
  } catch (error) {
    if (!(error instanceof InvalidDurationError)) throw error;
    return error.hint ? `${DURATION_EXPECTED} (${error.hint})` : DURATION_EXPECTED;
  }
}

/**
 * A duration field in ms, `fallback` when absent; a problem (and `fallback`) when it is not a
 * duration or passes `max` (where the value goes to one Node timer as is).
 */
export function duration(
  field: string,
  value: unknown,
  fallback: number,
  opts: ResolveOptions,
  issues: FieldIssue[],
  max = Infinity,
): number {
  if (value === undefined || value === null) return fallback;
  const ms = toMs(value, opts.numbersAreMs);
  const expected = typeof ms === 'string' ? ms : ms > max ? atMost(max, TIMER_CEILING) : undefined;
  if (expected === undefined) return ms as number;
  issues.push({ field, value, expected });
  return fallback;
}

/** `boot`/`startup` (at once) or a duration; required unless the job has a cron. */
export function resolveInitialDelay(
  value: unknown,
  hasCron: boolean,
  opts: ResolveOptions,
  issues: FieldIssue[],
): number {
  if (value === undefined || value === null || value === '') {
    if (opts.requireInitialDelay && !hasCron) {
      issues.push({
        field: 'initialDelay',
        value,
        expected: START_NOW_EXPECTED(DURATION_EXPECTED),
      });
    }
    return 0;
  }
  if (typeof value === 'string' && START_NOW.has(value.trim().toLowerCase())) return 0;
  const ms = toMs(value, opts.numbersAreMs);
  if (typeof ms === 'number') return ms;
  issues.push({ field: 'initialDelay', value, expected: START_NOW_EXPECTED(ms) });
  return 0;
}

export function oneOf<T extends string>(
  input: JobSpecInput,
  field: keyof JobSpecInput,
  allowed: readonly T[],
  fallback: T,
  issues: FieldIssue[],
): T {
  const value = own(input, field);
  if (value === undefined || value === null) return fallback;
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  issues.push({ field, value, expected: `one of ${allowed.map((a) => `'${a}'`).join(', ')}` });
  return fallback;
}

export function count(input: JobSpecInput, field: 'retries', issues: FieldIssue[]): number {
  const value = own(input, field);
  if (value === undefined || value === null) return 0;
  if (Number.isInteger(value) && (value as number) >= 0) return value as number;
  issues.push({ field, value, expected: 'a whole number, zero or more' });
  return 0;
}

export function flag(
  input: JobSpecInput,
  field: 'enabled' | 'cluster',
  fallback: boolean,
  issues: FieldIssue[],
): boolean {
  const value = own(input, field);
  if (value === undefined || value === null) return fallback;
  const parsed = parseBoolean(value);
  if (parsed !== undefined) return parsed;
  issues.push({ field, value, expected: 'true or false' });
  return fallback;
}
