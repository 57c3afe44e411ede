import { MAX_TIMER_DELAY_MS } from '../core-lib-jobs.constants.js';

/**
 * The time source of the engine and the runner: the time of day and every timer they set (the
 * queue's timer, run timeouts, retry backoff, the shutdown drain). The module uses the system's;
 * `JobsTestClock` (from `nestjs-core-lib-jobs/testing`) replaces it with virtual time.
 */
export interface JobClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `callback` once after `delayMs`; returns a handle for `clearTimer()`. */
  setTimer(callback: () => void, delayMs: number): unknown;
  /** Cancels a timer set by `setTimer()` (a handle already fired or cleared is ignored). */
  clearTimer(handle: unknown): void;
  /** Called once by each scheduler that uses the clock: what a test clock waits on. */
  attach?(scheduler: ClockUser): void;
}

/** What a clock may see of a scheduler that uses it. */
export interface ClockUser {
  /** Runs in progress that wait for something other than this clock (a retry's backoff). */
  busyRuns(): number;
  /** The jobs' next ticks, by name and time (epoch ms). */
  nextTicks(): Array<{ name: string; at: number }>;
}

/**
 * Token of a clock that replaces the module's own (`JobsTestingModule` provides it globally).
 * @internal
 */
export const TEST_CLOCK = Symbol('core-lib-jobs:test-clock');

/** `Date.now()` and Node's timers, looked up on each call so fake timers installed later apply. */
export const SYSTEM_CLOCK: JobClock = Object.freeze({
  now: () => Date.now(),
  setTimer: (callback: () => void, delayMs: number): unknown => setTimeout(callback, delayMs),
  clearTimer: (handle: unknown): void => clearTimeout(handle as NodeJS.Timeout),
});

/** The system's timers with another time of day (`forRoot({ clock })`). @internal */
export function clockWithNow(now: () => number): JobClock {
  return { now, setTimer: SYSTEM_CLOCK.setTimer, clearTimer: SYSTEM_CLOCK.clearTimer };
}

/**
 * Calls `callback` after `delayMs` on `clock`, however long: past Node's 2^31-1 ms limit (which
 * would fire at once) the wait is made of steps of at most that limit. Returns the cancel function.
 * @internal
 */
export function after(clock: JobClock, delayMs: number, callback: () => void): () => void {
  let handle: unknown;
  let left = Math.max(0, delayMs);
  const step = (): void => {
    const wait = Math.min(left, MAX_TIMER_DELAY_MS);
    left -= wait;
    handle = clock.setTimer(left > 0 ? step : callback, wait);
  };
  step();
  return () => clock.clearTimer(handle);
}
