/** A write waiting for its batch: the batch settles it. */
export interface BatchedWrite {
  /** Writes with the same key go out one batch at a time, in call order; none: any time. */
  key: string | undefined;
  fail(error: unknown): void;
}

/** How writes are grouped. */
export interface WriteBatcherOptions<W extends BatchedWrite> {
  /** How long the first write of a batch waits for others, in ms. */
  windowMs: number;
  /** Writes in one batch at most. */
  maxBatch: number;
  /** Batches in flight at once. */
  maxInFlight: number;
  /**
   * Whether writes of one key may be in two batches in flight at once: yes when the backend
   * applies batches in the order they were sent (one Redis connection), no for a pool.
   */
  ordered: boolean;
  /** Sends one batch and settles each of its writes. */
  send(writes: W[]): Promise<void>;
}

/**
 * Groups the writes made within `windowMs` of each other into batches of at most `maxBatch`, so
 * that a thousand runs ending together cost a few round trips, not a thousand. The writes of one
 * key keep their call order: on a pool (`ordered: false`), a key in a batch in flight waits for
 * it before its next write goes out. @internal
 */
export class WriteBatcher<W extends BatchedWrite> {
  private pending: W[] = [];
  private readonly busyKeys = new Map<string, number>();
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private idle: (() => void)[] = [];

  constructor(private readonly o: WriteBatcherOptions<W>) {}

  add(write: W): void {
    this.pending.push(write);
    if (this.pending.length >= this.o.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.o.windowMs);
  }

  /** Resolves once every write added so far is settled. */
  drain(): Promise<void> {
    if (!this.pending.length && !this.inFlight) return Promise.resolve();
    this.flush();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Sends batches while there is room in flight and writes that may go. */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight < this.o.maxInFlight && this.pending.length) {
      const batch = this.take();
      if (!batch.length) break;
      void this.send(batch);
    }
  }

  /** The next batch: in call order, skipping (and keeping) writes whose key is in flight. */
  private take(): W[] {
    const batch: W[] = [];
    const kept: W[] = [];
    const blocked = this.o.ordered ? undefined : this.busyKeys;
    for (const write of this.pending) {
      const free = write.key === undefined || !blocked?.has(write.key);
      if (batch.length < this.o.maxBatch && free) batch.push(write);
      else kept.push(write);
    }
    this.pending = kept;
    for (const { key } of batch) {
      if (key !== undefined) this.busyKeys.set(key, (this.busyKeys.get(key) ?? 0) + 1);
    }
    return batch;
  }

  private async send(batch: W[]): Promise<void> {
    this.inFlight++;
    try {
      await this.o.send(batch);
    } catch (error) {
      for (const write of batch) write.fail(error);
    } finally {
      this.inFlight--;
      for (const { key } of batch) {
        if (key === undefined) continue;
        const left = this.busyKeys.get(key)! - 1;
        if (left) this.busyKeys.set(key, left);
        else this.busyKeys.delete(key);
      }
      if (this.pending.length) this.flush();
      else if (!this.inFlight) this.idle.splice(0).forEach((resolve) => resolve());
    }
  }
}
