import { MAX_TIMER_DELAY_MS } from '../core-lib-jobs.constants.js';

/** Where an item is: not queued, or in a FIFO lane (else `heapIndex` is its heap slot). */
const NOT_QUEUED = -1;
const IN_LANE = -2;

/** An item the queue can hold. */
export interface QueueItem {
  dueAt: number;
  /** Heap slot, `NOT_QUEUED` (-1) or `IN_LANE` (-2). Owned by the queue. */
  heapIndex: number;
  /** Bumped on every add/remove, so a lane entry left behind by a removal is recognised and skipped. */
  gen: number;
  /** Items with the same positive `lane` (a fixed-rate period) share a FIFO lane; 0 means the heap. */
  readonly lane: number;
}

/**
 * A FIFO of items of one period. Fixed-rate jobs of the same period come due in the order they
 * were re-queued, so appending keeps a lane sorted and a tick costs O(1) instead of a heap walk.
 */
class Lane implements QueueItem {
  dueAt = 0;
  heapIndex = NOT_QUEUED;
  gen = 0;
  readonly lane = 0;
  items: QueueItem[] = [];
  gens: number[] = [];
  head = 0;
  tailDue = -Infinity;

  /** Drops entries whose item was removed or re-queued since; returns the live head or undefined. */
  peek(): QueueItem | undefined {
    while (this.head < this.items.length) {
      const item = this.items[this.head];
      if (item.gen === this.gens[this.head] && item.heapIndex === IN_LANE) return item;
      this.head++;
    }
    this.items.length = this.gens.length = this.head = 0;
    this.tailDue = -Infinity;
    return undefined;
  }

  shift(): void {
    this.head++;
    // Compact now and then so a long-lived lane does not grow without bound.
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items.splice(0, this.head);
      this.gens.splice(0, this.head);
      this.head = 0;
    }
  }
}

/**
 * One Node timer for every job: a binary min-heap ordered by due time, whose entries are single
 * items or FIFO lanes of same-period items. Holding 100k jobs costs a lane slot each instead of a
 * Node `Timeout`, and delays past Node's 24.8-day limit are re-armed in steps instead of firing
 * at once.
 */
export class TimerQueue<T extends QueueItem> {
  private readonly heap: QueueItem[] = [];
  private readonly lanes = new Map<number, Lane>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private firing = false;

  constructor(
    private readonly onDue: (item: T, now: number) => void,
    private readonly now: () => number,
  ) {}

  /** Queues (or re-queues) `item` at `dueAt`. */
  add(item: T, dueAt: number): void {
    if (item.heapIndex !== NOT_QUEUED) this.remove(item);
    item.dueAt = dueAt;
    item.gen = (item.gen + 1) & 0x3fffffff;
    const lane = item.lane > 0 ? this.laneOf(item.lane) : undefined;
    if (lane && dueAt >= lane.tailDue) {
      lane.items.push(item);
      lane.gens.push(item.gen);
      lane.tailDue = dueAt;
      item.heapIndex = IN_LANE;
      if (lane.heapIndex === NOT_QUEUED) this.push(lane, dueAt);
    } else {
      this.push(item, dueAt); // no lane, or out of order in its lane (after a misfire)
    }
  }

  remove(item: T): void {
    const i = item.heapIndex;
    if (i === NOT_QUEUED) return;
    item.gen = (item.gen + 1) & 0x3fffffff;
    item.heapIndex = NOT_QUEUED;
    // A lane entry is left behind and skipped when it reaches the head.
    if (i !== IN_LANE) this.removeAt(i);
    if (!this.heap.length) this.disarm();
  }

  clear(): void {
    for (const entry of this.heap) entry.heapIndex = NOT_QUEUED;
    for (const lane of this.lanes.values()) for (const item of lane.items) item.heapIndex = NOT_QUEUED;
    this.heap.length = 0;
    this.lanes.clear();
    this.disarm();
  }

  private laneOf(period: number): Lane {
    let lane = this.lanes.get(period);
    if (!lane) this.lanes.set(period, (lane = new Lane()));
    return lane;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.timerAt = Infinity;
    this.firing = true;
    try {
      const now = this.now();
      // Node may fire up to a millisecond before the wall clock reaches the due time.
      const horizon = now + 1;
      while (this.heap.length && this.heap[0].dueAt <= horizon) {
        const top = this.heap[0];
        let item: QueueItem;
        if (top instanceof Lane) {
          const head = top.peek();
          if (!head) {
            this.removeAt(0);
            continue;
          }
          if (head.dueAt !== top.dueAt) {
            this.update(top, head.dueAt); // its old head was removed: look again
            continue;
          }
          item = head;
          top.shift();
          const next = top.peek();
          if (next) this.update(top, next.dueAt);
          else this.removeAt(0);
        } else {
          item = top;
          this.removeAt(0);
        }
        item.heapIndex = NOT_QUEUED;
        this.onDue(item as T, now);
      }
    } finally {
      this.firing = false;
      this.arm();
    }
  };

  private arm(): void {
    if (this.firing) return;
    if (!this.heap.length) return this.disarm();
    const dueAt = this.heap[0].dueAt;
    if (dueAt === this.timerAt && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    const delay = Math.min(Math.max(dueAt - this.now(), 0), MAX_TIMER_DELAY_MS);
    this.timerAt = dueAt;
    this.timer = setTimeout(this.fire, delay);
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private push(entry: QueueItem, dueAt: number): void {
    entry.dueAt = dueAt;
    entry.heapIndex = this.heap.length;
    this.heap.push(entry);
    this.up(entry.heapIndex);
    if (dueAt < this.timerAt) this.arm();
  }

  /** Moves a heap entry to a new due time in place. */
  private update(entry: QueueItem, dueAt: number): void {
    const later = dueAt > entry.dueAt;
    entry.dueAt = dueAt;
    if (later) this.down(entry.heapIndex);
    else this.up(entry.heapIndex);
  }

  private removeAt(i: number): void {
    const entry = this.heap[i];
    const last = this.heap.pop()!;
    if (entry instanceof Lane) entry.heapIndex = NOT_QUEUED;
    if (last !== entry) {
      this.heap[i] = last;
      last.heapIndex = i;
      this.down(i);
      this.up(last.heapIndex);
    }
  }

  private up(i: number): void {
    const heap = this.heap;
    const entry = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].dueAt <= entry.dueAt) break;
      heap[i] = heap[parent];
      heap[i].heapIndex = i;
      i = parent;
    }
    heap[i] = entry;
    entry.heapIndex = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const entry = heap[i];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && heap[child + 1].dueAt < heap[child].dueAt) child++;
      if (heap[child].dueAt >= entry.dueAt) break;
      heap[i] = heap[child];
      heap[i].heapIndex = i;
      i = child;
    }
    heap[i] = entry;
    entry.heapIndex = i;
  }
}
