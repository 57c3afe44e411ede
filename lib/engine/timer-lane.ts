import type { QueueItem } from './timer-queue.js';

/**
 * Where an item is: not queued, or in a FIFO lane (else `heapIndex` is its heap slot).
 * @internal
 */
export const NOT_QUEUED = -1;
/** @internal */
export const IN_LANE = -2;

/** Below this many stale entries a lane is not compacted (the copy costs more than it frees). */
const MIN_STALE = 64;
/** Shifted slots are dropped from the front once this many (and half the array) are shifted. */
const MIN_SHIFTED = 1024;

/**
 * A FIFO of items of one period. Fixed-rate jobs of the same period come due in the order they
 * were re-queued, so appending keeps a lane sorted and a tick costs O(1) instead of a heap walk.
 *
 * A removed item's entry is not searched for (that would cost O(n)); it is marked stale by the
 * item's `gen`, counted, and compacted away once stale entries outnumber live ones. So the lane
 * holds at most about twice its live items, however many were added and removed: memory follows
 * the live jobs, not the churn.
 * @internal
 */
export class Lane implements QueueItem {
  dueAt = 0;
  heapIndex = NOT_QUEUED;
  gen = 0;
  readonly lane = 0;
  /** Entries; slots before `head` were shifted out and are cleared. */
  private readonly items: Array<QueueItem | undefined> = [];
  private readonly gens: number[] = [];
  private head = 0;
  /** Entries from `head` on whose item is still queued here. */
  private live = 0;
  /** Due time of the last entry: an item due earlier would break the order and goes to the heap. */
  tailDue = -Infinity;

  constructor(readonly period: number) {}

  /** Slots held (live and stale). */
  get slots(): number {
    return this.items.length - this.head;
  }

  get isEmpty(): boolean {
    return this.live === 0;
  }

  push(item: QueueItem): void {
    this.items.push(item);
    this.gens.push(item.gen);
    this.tailDue = item.dueAt;
    this.live++;
  }

  /** The live head, or undefined (the lane is then reset). Skips stale entries. */
  peek(): QueueItem | undefined {
    while (this.head < this.items.length) {
      const item = this.items[this.head]!;
      if (item.gen === this.gens[this.head] && item.heapIndex === IN_LANE) return item;
      this.items[this.head++] = undefined;
    }
    this.reset();
    return undefined;
  }

  /** Takes out the head that `peek()` returned. */
  shift(): void {
    this.items[this.head++] = undefined;
    this.live--;
    if (this.head >= MIN_SHIFTED && this.head * 2 >= this.items.length) this.compact();
  }

  /** One of this lane's items was removed from the queue: its entry is now stale. */
  dropped(): void {
    this.live--;
    const stale = this.slots - this.live;
    if (stale > MIN_STALE && stale > this.live) this.compact();
  }

  /** Marks every live item as not queued and empties the lane. */
  forget(): void {
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i]!;
      if (item.gen === this.gens[i] && item.heapIndex === IN_LANE) item.heapIndex = NOT_QUEUED;
    }
    this.reset();
  }

  /** Keeps only the live entries, in order, from slot 0. */
  private compact(): void {
    const { items, gens } = this;
    if (this.live === this.slots) {
      // Nothing stale (the usual case: the lane fired half its slots): drop the front only.
      // Copying the live ones instead shrank the array, then regrew it: +45 ns per tick handed.
      items.splice(0, this.head);
      gens.splice(0, this.head);
      this.head = 0;
      return;
    }
    let kept = 0;
    for (let i = this.head; i < items.length; i++) {
      const item = items[i]!;
      if (item.gen !== gens[i] || item.heapIndex !== IN_LANE) continue;
      items[kept] = item;
      gens[kept++] = gens[i];
    }
    items.length = gens.length = kept;
    this.head = 0;
    this.live = kept;
    this.tailDue = kept ? items[kept - 1]!.dueAt : -Infinity;
  }

  private reset(): void {
    this.items.length = this.gens.length = 0;
    this.head = this.live = 0;
    this.tailDue = -Infinity;
  }
}
