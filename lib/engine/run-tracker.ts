import type { RunOutcome } from '../interfaces/job-event.interface.js';
import { after, type JobClock } from './job-clock.js';

/** The runs whose promise is still pending, for the shutdown drain. @internal */
export class RunTracker {
  private readonly runs = new Set<Promise<RunOutcome>>();

  constructor(private readonly clock: JobClock) {}

  get size(): number {
    return this.runs.size;
  }

  /** Tracks `outcome` until it settles; returns it. */
  track(outcome: Promise<RunOutcome>): Promise<RunOutcome> {
    this.runs.add(outcome);
    outcome.then(() => this.runs.delete(outcome));
    return outcome;
  }

  /** Waits for every tracked run up to `timeoutMs` on the clock; true when they all ended. */
  async settled(timeoutMs: number): Promise<boolean> {
    if (!this.runs.size) return true;
    let cancel = (): void => undefined;
    const gaveUp = new Promise<boolean>((resolve) => {
      cancel = after(this.clock, timeoutMs, () => resolve(false));
    });
    const ended = Promise.allSettled([...this.runs]).then(() => true);
    const inTime = await Promise.race([ended, gaveUp]);
    cancel();
    return inTime;
  }
}
