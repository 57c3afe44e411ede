import { performance } from 'node:perf_hooks';
import type { ClockUser, JobClock } from '../engine/job-clock.js';
import type { Duration } from '../interfaces/job-options.interface.js';
import { parseDuration } from '../utils/duration.parser.js';
import { eventLoopTurn } from './event-loop-turn.js';
import { BAD_DURATION } from './testing.messages.js';

/** Options of `JobsTestClock` (and of `JobsTestingModule.forRoot()`). */
export interface JobsTestClockOptions {
  /** Where virtual time starts. Default: `Date.now()` when the clock is made. */
  now?: Date | number;
  /**
   * How long (real milliseconds) the clock waits for runs in progress after each timer before
   * virtual time moves on anyway: a run that never ends on its own can then meet its timeout.
   * Default: 1000.
   */
  settleTimeout?: number;
}

/** A job's next tick, as `pending()` lists it. */
export interface PendingTick {
  name: string;
  at: Date;
}

interface VirtualTimer {
  at: number;
  seq: number;
  callback: () => void;
}

/** A backstop for the settle wait, should `performance.now()` itself be faked and frozen. */
const MAX_SETTLE_TURNS = 200_000;

/**
 * Virtual time for the scheduler, in place of the system clock: nothing runs until the test moves
 * time with `advance()` or `runNext()`, which fire every timer the scheduler set (ticks, run
 * timeouts, retry backoffs, the shutdown wait) in time order and wait for the runs they start.
 * It owns its time: it works with real timers and under Jest's or Vitest's fake timers alike.
 */
export class JobsTestClock implements JobClock {
  private time: number;
  private seq = 0;
  private readonly timers = new Set<VirtualTimer>();
  private readonly users = new Set<ClockUser>();
  private readonly settleMs: number;
  /** Runs still going when a settle wait gave up: not waited for again, until they end. */
  private givenUp = 0;
  /** Waits of `sleep()` in progress: a run in one waits for this clock, not for real work. */
  private sleeping = 0;

  constructor(options: JobsTestClockOptions = {}) {
    this.time = options.now === undefined ? Date.now() : new Date(options.now).getTime();
    this.settleMs = options.settleTimeout ?? 1_000;
  }

  /** Virtual time, epoch ms. */
  now(): number {
    return this.time;
  }

  /** Sets a timer on virtual time (the scheduler calls it). */
  setTimer(callback: () => void, delayMs: number): unknown {
    const timer = { at: this.time + Math.max(0, delayMs), seq: ++this.seq, callback };
    this.timers.add(timer);
    return timer;
  }

  /** Cancels a timer of `setTimer()`. */
  clearTimer(handle: unknown): void {
    this.timers.delete(handle as VirtualTimer);
  }

  /** @internal */
  attach(user: ClockUser): void {
    this.users.add(user);
  }

  /**
   * Moves time forward by `duration` (`'1h'`, or milliseconds): every tick due on the way runs,
   * in order, and each run is awaited (its retries and timeout included) before time goes on.
   * `advance(0)` runs what is due now, such as jobs with no initial delay.
   */
  async advance(duration: Duration): Promise<void> {
    const target = this.time + toMs(duration);
    await this.settle();
    for (let timer = this.due(target); timer; timer = this.due(target)) await this.fire(timer);
    this.time = target;
  }

  /**
   * Moves time to the next job's tick, whatever its time, and runs everything due until then
   * (with no tick ahead: to the next retry or timeout). Resolves false when nothing waits.
   */
  async runNext(): Promise<boolean> {
    await this.settle();
    const tick = this.pending()[0]?.at.getTime();
    const at = tick ?? this.due(Infinity)?.at;
    if (at === undefined) return false;
    await this.advance(Math.max(0, at - this.time));
    return true;
  }

  /**
   * Resolves once `duration` of virtual time has passed: for a job in a test that stands for
   * slow work (`await clock.sleep('3s')`). The clock does not wait for a run in a sleep.
   */
  sleep(duration: Duration): Promise<void> {
    this.sleeping++;
    return new Promise((resolve) => {
      this.setTimer(() => {
        this.sleeping--;
        resolve();
      }, toMs(duration));
    });
  }

  /** The jobs' next ticks, soonest first. */
  pending(): PendingTick[] {
    const ticks = [...this.users].flatMap((user) => user.nextTicks());
    ticks.sort((a, b) => a.at - b.at || a.name.localeCompare(b.name));
    return ticks.map(({ name, at }) => ({ name, at: new Date(at) }));
  }

  /** The earliest timer due at or before `limit` (the first set, among equals). */
  private due(limit: number): VirtualTimer | undefined {
    let first: VirtualTimer | undefined;
    for (const timer of this.timers) {
      if (timer.at > limit) continue;
      if (!first || timer.at < first.at || (timer.at === first.at && timer.seq < first.seq)) {
        first = timer;
      }
    }
    return first;
  }

  private async fire(timer: VirtualTimer): Promise<void> {
    this.timers.delete(timer);
    this.time = Math.max(this.time, timer.at);
    timer.callback();
    await this.settle();
  }

  /**
   * Waits until no run is in progress but those waiting for this clock (a retry's backoff), for
   * at most `settleTimeout` of real time: a run still going then waits for virtual time too (its
   * timeout), and is not waited for again.
   */
  private async settle(): Promise<void> {
    const start = performance.now();
    for (let turn = 0; turn < MAX_SETTLE_TURNS; turn++) {
      await eventLoopTurn();
      const busy = this.busyRuns() - this.sleeping;
      this.givenUp = Math.min(this.givenUp, busy);
      if (busy <= this.givenUp) return;
      if (performance.now() - start > this.settleMs) break;
    }
    this.givenUp = this.busyRuns() - this.sleeping;
  }

  private busyRuns(): number {
    let busy = 0;
    for (const user of this.users) busy += user.busyRuns();
    return busy;
  }
}

/** `'1h'` or milliseconds, as milliseconds; a negative or unreadable duration throws. */
function toMs(duration: Duration): number {
  const ms = typeof duration === 'number' ? duration : parseDuration(duration);
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(BAD_DURATION(duration));
  return ms;
}
