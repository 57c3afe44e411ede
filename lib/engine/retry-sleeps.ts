import { after, type JobClock } from './job-clock.js';

/**
 * The backoff waits of retries, on the clock. Shutdown ends them all at once (`wakeAll()`), so a
 * drain never waits for a backoff. @internal
 */
export class RetrySleeps {
  private readonly sleepers = new Set<() => void>();

  constructor(private readonly clock: JobClock) {}

  /** Retries waiting for their backoff. */
  get size(): number {
    return this.sleepers.size;
  }

  /** Resolves after `ms` on the clock (past 2^31-1 ms, in steps), or at `wakeAll()`. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        cancel();
        this.sleepers.delete(wake);
        resolve();
      };
      const cancel = after(this.clock, ms, wake);
      this.sleepers.add(wake);
    });
  }

  wakeAll(): void {
    for (const wake of this.sleepers) wake();
  }
}
