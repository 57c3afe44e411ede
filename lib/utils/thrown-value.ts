import { inspect, types } from 'node:util';
import {
  CLIPPED,
  UNDESCRIBABLE,
  UNREADABLE_MESSAGE,
  UNREADABLE_PROXY,
} from './thrown-value.messages.js';

/** Longest description of a thrown value, and longest stack, that a log line carries. */
export const MAX_DESCRIPTION = 1_000;
export const MAX_STACK = 8_000;

/** `util.inspect` without running the value's own code (custom inspectors, getters). */
const INSPECT = {
  customInspect: false,
  getters: false,
  depth: 2,
  breakLength: Infinity,
  maxArrayLength: 10,
  maxStringLength: MAX_DESCRIPTION,
} as const;

/** Each way of describing a value, in order of preference; one that throws or gives up passes. */
const DESCRIBERS: ReadonlyArray<(value: unknown) => string | undefined> = [
  (value) => (typeof value === 'string' ? value : undefined),
  (value) => (isErrorLike(value) && typeof value.message === 'string' ? value.message : undefined),
  // Its own text (a primitive, or a `toString()` of its own), but not the useless '[object X]'.
  (value) => {
    const text = String(value);
    return /^\[object [^\]]*\]$/.test(text) ? undefined : text;
  },
  (value) => inspect(value, INSPECT),
  (value) => (isErrorLike(value) ? UNREADABLE_MESSAGE(nameOf(value)) : undefined),
];

/**
 * What can be said of a value a job threw or rejected with, as text. Never throws, whatever the
 * value (no prototype, a throwing `toString` or `message` getter, a revoked proxy), and is at
 * most about `MAX_DESCRIPTION` characters long. An `Error` is described by its message.
 */
export function describeThrown(value: unknown): string {
  for (const describe of DESCRIBERS) {
    try {
      const text = describe(value);
      if (typeof text === 'string') return clip(text, MAX_DESCRIPTION);
    } catch {
      // This way of describing it ran the value's own code, which threw: try the next one.
    }
  }
  return types.isProxy(value) ? UNREADABLE_PROXY() : UNDESCRIBABLE();
}

/** The stack of an `Error` (clipped), or undefined: never throws, even if the getter does. */
export function stackOf(value: unknown): string | undefined {
  try {
    const stack = isErrorLike(value) ? value.stack : undefined;
    return typeof stack === 'string' ? clip(stack, MAX_STACK) : undefined;
  } catch {
    return undefined;
  }
}

/** An `Error` of this realm or another (vm, worker); may throw for a revoked proxy. */
function isErrorLike(value: unknown): value is Error {
  return types.isNativeError(value) || value instanceof Error;
}

/** The class name of an error (may throw: the caller catches). */
function nameOf(value: object): string {
  const name: unknown = value.constructor?.name;
  return typeof name === 'string' && name ? name : 'Error';
}

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) + CLIPPED(text.length - max) : text;
}
