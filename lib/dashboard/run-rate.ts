import type { RateMinute } from './interfaces/dashboard-api.interface.js';

const MINUTE = 60_000;
/** Minutes the list page's chart covers. */
export const RATE_MINUTES = 60;

/**
 * Runs and failures per minute, from samples of the store's counters (the whole cluster's):
 * each sample adds what the totals grew by since the last one to the minute it falls in. The
 * first sample only sets the baseline, so the chart starts when this process does.
 */
export class RunRate {
  private last: { runs: number; failures: number } | undefined;
  private readonly minutes = new Map<number, { runs: number; failures: number }>();

  sample(runs: number, failures: number, now: number): void {
    const last = this.last;
    this.last = { runs, failures };
    if (!last) return;
    const minute = Math.floor(now / MINUTE) * MINUTE;
    const entry = this.minutes.get(minute) ?? { runs: 0, failures: 0 };
    // A counter that went down (a job gone from the store) adds nothing.
    entry.runs += Math.max(0, runs - last.runs);
    entry.failures += Math.max(0, failures - last.failures);
    this.minutes.set(minute, entry);
    for (const key of this.minutes.keys()) {
      if (key <= minute - RATE_MINUTES * MINUTE) this.minutes.delete(key);
    }
  }

  /** The last `RATE_MINUTES` minutes up to `now`, oldest first, zeros included. */
  lastHour(now: number): RateMinute[] {
    const current = Math.floor(now / MINUTE) * MINUTE;
    const out: RateMinute[] = [];
    for (let i = RATE_MINUTES - 1; i >= 0; i--) {
      const minute = current - i * MINUTE;
      const entry = this.minutes.get(minute) ?? { runs: 0, failures: 0 };
      out.push({ minute: new Date(minute).toISOString(), ...entry });
    }
    return out;
  }
}
