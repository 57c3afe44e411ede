import { MAX_TIMER_DELAY_MS } from '../core-lib-jobs.constants.js';

/** An item the queue can hold: `heapIndex` is -1 while it is not queued. */
export interface QueueItem {
  dueAt: number;
  heapIndex: number;
}

/**
 * One Node timer for every job: a binary min-heap ordered by due time. Holding 100k jobs costs
 * one heap slot each instead of one Node `Timeout`, and delays past Node's 24.8-day limit are
 * re-armed in steps instead of firing at once.
 */
export class TimerQueue<T extends QueueItem> {
  private readonly heap: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private firing = false;

  constructor(
    private readonly onDue: (item: T) => void,
    private readonly now: () => number,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  /** Queues (or re-queues) `item` at `dueAt`. */
  add(item: T, dueAt: number): void {
    if (item.heapIndex >= 0) this.remove(item);
    item.dueAt = dueAt;
    item.heapIndex = this.heap.length;
    this.heap.push(item);
    this.up(item.heapIndex);
    if (!this.firing && dueAt < this.timerAt) this.arm();
  }

  remove(item: T): void {
    const i = item.heapIndex;
    if (i < 0) return;
    const last = this.heap.pop()!;
    item.heapIndex = -1;
    if (last !== item) {
      this.heap[i] = last;
      last.heapIndex = i;
      this.down(i);
      this.up(last.heapIndex);
    }
    if (!this.heap.length) this.disarm();
  }

  clear(): void {
    for (const item of this.heap) item.heapIndex = -1;
    this.heap.length = 0;
    this.disarm();
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.timerAt = Infinity;
    this.firing = true;
    try {
      // Node may fire up to a millisecond before the wall clock reaches the due time.
      const horizon = this.now() + 1;
      while (this.heap.length && this.heap[0].dueAt <= horizon) {
        const item = this.heap[0];
        this.remove(item);
        this.onDue(item);
      }
    } finally {
      this.firing = false;
      this.arm();
    }
  };

  private arm(): void {
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

  private up(i: number): void {
    const heap = this.heap;
    const item = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].dueAt <= item.dueAt) break;
      heap[i] = heap[parent];
      heap[i].heapIndex = i;
      i = parent;
    }
    heap[i] = item;
    item.heapIndex = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i];
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && heap[child + 1].dueAt < heap[child].dueAt) child++;
      if (heap[child].dueAt >= item.dueAt) break;
      heap[i] = heap[child];
      heap[i].heapIndex = i;
      i = child;
    }
    heap[i] = item;
    item.heapIndex = i;
  }
}
