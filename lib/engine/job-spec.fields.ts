import { InvalidDurationError } from '../errors/invalid-duration.error.js';
import type { JobMode, OverlapPolicy } from '../interfaces/job-options.interface.js';
import { parseDuration } from '../utils/duration.parser.js';
import type { FieldIssue, JobSpecInput } from './job-spec.js';
import { bareNumber, DURATION_EXPECTED, wholeMs } from './job-spec.messages.js';

export { DURATION_EXPECTED };

/** Field checks shared by the spec resolver. */
export const START_NOW = new Set(['boot', 'startup']);
const ONCE = new Set(['', 'none', 'null']);
export const MODES: readonly JobMode[] = ['fixed-rate', 'fixed-delay'];
export const OVERLAPS: readonly OverlapPolicy[] = ['skip', 'allow'];

/** Absent, null, empty or `None` (core-lib's YAML) means "runs once". */
export function isOnce(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && ONCE.has(value.trim().toLowerCase()));
}

/** Durations already parsed: YAML with many entries repeats the same few strings. */
const parsed = new Map<string, number>();

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
  const known = typeof value === 'string' ? parsed.get(value) : undefined;
  if (known !== undefined) return known;
  try {
    const ms = parseDuration(value as string);
    if (parsed.size < 1_000) parsed.set(value as string, ms);
    return ms;
  } catch (error) {
    if (!(error instanceof InvalidDurationError)) throw error;
    return error.hint ? `${DURATION_EXPECTED} (${error.hint})` : DURATION_EXPECTED;
  }
}

export function oneOf<T extends string>(
  input: JobSpecInput, field: keyof JobSpecInput, allowed: readonly T[], fallback: T, issues: FieldIssue[],
): T {
  const value = input[field];
  if (value === undefined || value === null) return fallback;
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  issues.push({ field, value, expected: `one of ${allowed.map((a) => `'${a}'`).join(', ')}` });
  return fallback;
}

export function count(input: JobSpecInput, field: 'retries', issues: FieldIssue[]): number {
  const value = input[field];
  if (value === undefined || value === null) return 0;
  if (Number.isInteger(value) && value >= 0) return value;
  issues.push({ field, value, expected: 'a whole number, zero or more' });
  return 0;
}

export function flag(input: JobSpecInput, field: 'enabled' | 'cluster', fallback: boolean, issues: FieldIssue[]): boolean {
  const value = input[field] as unknown;
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  // Interpolated env values arrive as text: accept the usual spellings.
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  issues.push({ field, value, expected: 'true or false' });
  return fallback;
}
