import type {
  HeldLease,
  JobLock,
  LockResult,
  TickClaim,
} from '../interfaces/job-lock.interface.js';

/** Most claims (or leases) in one backend call: a bigger batch is sent as several calls. */
export const MAX_BATCH = 500;

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects the calls made in one turn of the event loop and sends them as batches: when the
 * engine's timer fires with K jobs due, their claims leave in one backend call (`MAX_BATCH` at a
 * time), not K. `key` keeps two items of one job out of one batch (a claim's rows may be written
 * once per statement): the second waits for the next batch. @internal
 */
class Batch<I, O> {
  private pending: Array<Pending<I, O>> = [];

  constructor(
    private readonly send: (items: I[]) => Promise<O[]>,
    private readonly key: (item: I) => string,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      if (!this.pending.length) queueMicrotask(() => this.flush());
      this.pending.push({ item, resolve, reject });
    });
  }

  private flush(): void {
    let rest = this.pending;
    this.pending = [];
    while (rest.length) {
      const batch: Array<Pending<I, O>> = [];
      const later: Array<Pending<I, O>> = [];
      const keys = new Set<string>();
      for (const entry of rest) {
        const key = this.key(entry.item);
        if (batch.length >= MAX_BATCH || keys.has(key)) later.push(entry);
        else {
          keys.add(key);
          batch.push(entry);
        }
      }
      this.dispatch(batch);
      rest = later;
    }
  }

  private dispatch(batch: Array<Pending<I, O>>): void {
    this.send(batch.map((entry) => entry.item)).then(
      (results) => batch.forEach((entry, i) => entry.resolve(results[i])),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  }
}

/**
 * A `JobLock` seen one call at a time, sent in batches: claims, extensions (per lease length)
 * and releases made in the same turn share one backend call each. @internal
 */
export class LockBatcher {
  private readonly claims: Batch<TickClaim, LockResult>;
  private readonly releases: Batch<HeldLease, undefined>;
  private readonly extensions = new Map<number, Batch<HeldLease, boolean>>();

  constructor(private readonly lock: JobLock) {
    this.claims = new Batch(
      (items) => lock.claim(items),
      (c) => c.name,
    );
    this.releases = new Batch(
      async (items) => {
        await lock.release(items);
        return items.map(() => undefined);
      },
      (l) => l.token,
    );
  }

  claim(claim: TickClaim): Promise<LockResult> {
    return this.claims.add(claim);
  }

  extend(lease: HeldLease, leaseMs: number): Promise<boolean> {
    let batch = this.extensions.get(leaseMs);
    if (!batch) {
      batch = new Batch(
        (items) => this.lock.extend(items, leaseMs),
        (l) => l.token,
      );
      this.extensions.set(leaseMs, batch);
    }
    return batch.add(lease);
  }

  async release(lease: HeldLease): Promise<void> {
    await this.releases.add(lease);
  }
}
