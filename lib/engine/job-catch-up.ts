import type { Logger } from '@nestjs/common';
import type { RunOutcome } from '../interfaces/job-event.interface.js';
import { describeThrown } from '../utils/thrown-value.js';
import { nextOnGrid } from './fire-times.js';
import {
  CATCH_UP_ONLY_OLDER,
  CATCH_UP_UNREADABLE,
  CATCHING_UP,
  NO_ANSWER,
} from './job-catch-up.messages.js';
import type { JobHandle } from './job-handle.js';
import { missedTicks, type NextTick } from './missed-ticks.js';
import { nextCron } from './tick-math.js';

/** How long a job waits for its last tick from the store before it starts without catch-up. */
const READ_TIMEOUT_MS = 10_000;
/** A missed tick whose job another replica runs still is tried again this often. */
const BUSY_RETRY_MS = 100;

/** Missed ticks are after `last`, before `before` (default now), on the grid through `grid`. */
interface Span {
  last: number;
  before?: number;
  grid: number;
}

/** Where a job's last tick is read from (the job store). @internal */
export type LastTickSource = (name: string) => Promise<number | undefined>;

/** What catch-up is given. @internal */
export interface JobCatchUpOptions {
  logger: Logger;
  /** The scheduler's time (the backend's in cluster mode). */
  now: () => number;
  /** Runs missed tick `due` as a catch-up run (claimed like a live tick in cluster mode). */
  runTick: (h: JobHandle, due: number) => Promise<RunOutcome>;
  /** Resolves after `ms` on the scheduler's clock. */
  wait: (ms: number) => Promise<void>;
  /** Takes a live job off the timer queue (its ticks wait for the pass). */
  hold: (h: JobHandle) => void;
  /** Puts a live job back on its schedule, at its first tick at or after `from`. */
  requeue: (h: JobHandle, from: number) => void;
}

/**
 * Runs the ticks a job missed while no replica ran it (`catch_up: last | all`): reads its last
 * tick from the store, then runs the missed ticks one after another, oldest first. The caller
 * holds the job's live ticks until the pass ends, so nothing overlaps. @internal
 */
export class JobCatchUp {
  private lastTick: LastTickSource | undefined;
  private readonly passes = new Map<JobHandle, Promise<number>>();
  /** Jobs to catch up after an outage once their run in progress ends. */
  private readonly waiting = new Set<JobHandle>();
  /** The first and last tick of each job skipped while the cluster backend was down. */
  private readonly outages = new Map<JobHandle, { first: number; last: number }>();
  private stopped = false;

  constructor(private readonly o: JobCatchUpOptions) {}

  /** From now on, jobs with `catchUp` other than `none` catch up from this source. */
  use(lastTick: LastTickSource): void {
    this.lastTick = lastTick;
  }

  /** Whether `h` has missed ticks to look for. */
  wants(h: JobHandle): boolean {
    return this.lastTick !== undefined && h.policy.catchUp !== 'none' && h.trigger.kind !== 'once';
  }

  /** Runs `start(from)` at once, or after the job's catch-up pass (`from`: its cut-off). */
  afterPass(h: JobHandle, start: (from: number) => void): void {
    if (!this.wants(h)) return start(this.o.now());
    void this.pass(h).then((from) => {
      if (h.state === 'scheduled' && !this.stopped) start(from);
    });
  }

  /**
   * The cluster backend is back after an outage: each job that catches up runs the ticks missed
   * meanwhile (after its run in progress, if any: see `ran()`), its live ticks held until then.
   */
  recover(handles: JobHandle[]): void {
    for (const h of handles) {
      if (!this.outages.has(h) || this.passes.has(h)) continue;
      if (h.state === 'stopped') this.outages.delete(h);
      if (h.state !== 'scheduled') continue;
      if (h.running > 0) this.waiting.add(h);
      else this.catchUpLive(h);
    }
  }

  /** Tick `due` of `h` was skipped: the cluster backend could not be reached. */
  unavailable(h: JobHandle, due: number): void {
    if (!this.wants(h)) return;
    const outage = this.outages.get(h);
    if (outage) outage.last = Math.max(outage.last, due);
    else this.outages.set(h, { first: due, last: due });
  }

  /** A run of `h` ended: a catch-up waiting for it starts (true: it did). */
  ran(h: JobHandle): boolean {
    if (h.running > 0 || !this.waiting.has(h)) return false;
    this.catchUpLive(h);
    return true;
  }

  /** Shutdown: passes in progress stop after the run in progress. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Runs the missed ticks of `h`; resolves with the cut-off: every tick before it was missed
   * and handled here, so the live schedule starts at the first tick at or after it.
   */
  private pass(h: JobHandle): Promise<number> {
    let pass = this.passes.get(h);
    if (!pass) {
      pass = this.run(h).finally(() => this.passes.delete(h));
      this.passes.set(h, pass);
    }
    return pass;
  }

  private read(h: JobHandle): Promise<Span | undefined> {
    return readLastTick(this.lastTick!, h, this.o.logger);
  }

  private catchUpLive(h: JobHandle): void {
    this.waiting.delete(h);
    this.o.hold(h);
    this.afterPass(h, (from) => this.o.requeue(h, from));
  }

  private async run(h: JobHandle): Promise<number> {
    const outage = this.outages.get(h);
    this.outages.delete(h);
    // After an outage: the ticks skipped meanwhile. The store's last tick is no guide then: the
    // live run that found the backend back has already moved it past them.
    const span = outage
      ? { last: outage.first - 1, before: outage.last + 1, grid: outage.first }
      : await this.read(h);
    const now = this.o.now();
    if (!span || h.state !== 'scheduled') return now;
    const { last, before, grid } = span;
    const { due, older } = missedTicks(tickRule(h, grid), last, now, h.policy, before);
    if (!due.length) {
      if (older) this.o.logger.warn(CATCH_UP_ONLY_OLDER(h.name, last));
      return now;
    }
    this.o.logger.log(CATCHING_UP(h.name, due, older && h.policy.catchUp === 'all'));
    for (let i = 0; i < due.length; i++) {
      if (!this.going(h)) break;
      const { skipReason } = await this.runWhenFree(h, due[i]);
      if (skipReason === 'shutdown' || skipReason === 'cluster-unavailable') break;
      // Taken past the first tick: another replica is running this job's missed ticks, in
      // order, and goes on to the next one itself (the first may be taken by a replica that
      // died after claiming it, before its mark was stored).
      if (skipReason === 'cluster-held' && i > 0) break;
    }
    return now;
  }

  private going(h: JobHandle): boolean {
    return !this.stopped && h.state === 'scheduled';
  }

  /**
   * Runs missed tick `due`; while another replica runs the job (its lease is held, the tick is
   * nobody's yet), waits and tries again. Giving up there would lose the tick: that replica may
   * be running a live tick, not catching up.
   */
  private async runWhenFree(h: JobHandle, due: number): Promise<RunOutcome> {
    let outcome = await this.o.runTick(h, due);
    while (outcome.skipReason === 'cluster-busy' && this.going(h)) {
      await this.o.wait(BUSY_RETRY_MS);
      if (!this.going(h)) break;
      outcome = await this.o.runTick(h, due);
    }
    return outcome;
  }
}

/** The job's last tick as stored; undefined for a job never seen or a store that failed. */
async function readLastTick(
  source: LastTickSource,
  h: JobHandle,
  logger: Logger,
): Promise<Span | undefined> {
  let timer: NodeJS.Timeout | undefined;
  // A server that does not answer must not hold the job's live ticks back for long.
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(NO_ANSWER(READ_TIMEOUT_MS))), READ_TIMEOUT_MS);
    timer.unref();
  });
  try {
    const last = await Promise.race([source(h.name), late]);
    return last === undefined ? undefined : { last, grid: last };
  } catch (error) {
    logger.warn(CATCH_UP_UNREADABLE(h.name, describeThrown(error)));
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** The job's own tick rule: its cron (zone, DST), or its interval on the grid through `grid`. */
function tickRule(h: JobHandle, grid: number): NextTick {
  const { trigger } = h;
  if (trigger.kind === 'cron') return (t) => nextCron(h, t);
  const every = (trigger as { frequencyMs: number }).frequencyMs;
  return (t) => nextOnGrid(grid, every, t);
}
