import { performance } from 'node:perf_hooks';
import { initializeJob, type JobLike } from '../base-job.js';
import { after, type JobClock } from './job-clock.js';
import type { RunContext } from './job-handle.js';

/** One attempt as it left the job: done, thrown, or a promise still to settle. @internal */
export type Attempt =
  | { ctx: RunContext; t0: number; ok: true }
  | { ctx: RunContext; t0: number; ok: false; error: unknown }
  | { ctx: RunContext; t0: number; promise: PromiseLike<unknown> };

/** How an awaited attempt settled. @internal */
export type Settled = { ok: true } | { ok: false; error: unknown };

/**
 * Calls `initialized()` (once per job), then `run()`: what they return or throw, caught.
 * @internal
 */
export function startAttempt(
  job: JobLike,
  ctx: RunContext,
  params: unknown,
  coreLib: () => unknown,
): Attempt {
  const t0 = performance.now();
  try {
    const init = initializeJob(job, coreLib());
    // A thenable of the job's own making is adopted by a real promise before it is chained.
    // Reading `then` runs the result's own code (a getter may throw): inside the try.
    const result = isThenable(init)
      ? Promise.resolve(init).then(() => job.run(params, ctx))
      : job.run(params, ctx);
    return isThenable(result) ? { ctx, t0, promise: result } : { ctx, t0, ok: true };
  } catch (error) {
    return { ctx, t0, ok: false, error };
  }
}

/** @internal */
export const SETTLED_OK: Settled = Object.freeze({ ok: true });

/**
 * Exponential backoff with "equal jitter": between half and all of `base × 2^(n-1)`.
 * @internal
 */
export function backoff(baseMs: number, n: number): number {
  const full = baseMs * 2 ** (n - 1);
  return Math.round(full / 2 + (Math.random() * full) / 2);
}

/** Whether `value` has a `then` method (reading it may run the value's own getter). @internal */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/**
 * A promise that rejects with `error()` once `ms` have passed on the clock, unless cancelled.
 * @internal
 */
export function deadline(
  clock: JobClock,
  ms: number,
  error: () => Error,
): { expired: Promise<never>; cancel: () => void } {
  let cancel = (): void => undefined;
  const expired = new Promise<never>((_, reject) => {
    cancel = after(clock, ms, () => reject(error()));
  });
  return { expired, cancel };
}
