import { MAX_TIMER_DELAY_MS } from '../core-lib-jobs.constants.js';
import type { JobClock } from './job-clock.js';
import { siftDown, siftUp } from './min-heap.js';
import { IN_LANE, Lane, NOT_QUEUED } from './timer-lane.js';

/** An item the queue can hold. @internal */
export interface QueueItem {
  dueAt: number;
  /** Heap slot, `NOT_QUEUED` (-1) or `IN_LANE` (-2). Owned by the queue. */
  heapIndex: number;
  /** Bumped on every add/remove, so a lane entry left by a removal is recognised as stale. */
  gen: number;
  /** Items of the same positive `lane` (a fixed-rate period) share a FIFO lane; 0: the heap. */
  readonly lane: number;
}

/** What a queue holds, for tests and diagnostics: its memory follows these counts. @internal */
export interface QueueFootprint {
  /** Single items in the heap (lanes not counted). */
  heapItems: number;
  lanes: number;
  /** Lane slots, live and stale: at most about twice the live items of each lane. */
  laneSlots: number;
}

/**
 * One timer (of the clock) for every job: a binary min-heap ordered by due time, whose entries
 * are single items or FIFO lanes of same-period items. Holding 100k jobs costs a lane slot each
 * instead of a Node `Timeout`, and delays past Node's 24.8-day limit are capped: the timer fires
 * early, finds nothing due and is armed again. @internal
 */
export class TimerQueue<T extends QueueItem> {
  private readonly heap: QueueItem[] = [];
  private readonly lanes = new Map<number, Lane>();
  private timer: unknown;
  private timerAt = Infinity;
  private firing = false;

  constructor(
    private readonly onDue: (item: T, now: number) => void,
    private readonly now: () => number,
    private readonly clock: JobClock,
  ) {}

  /** Queues (or re-queues) `item` at `dueAt`. */
  add(item: T, dueAt: number): void {
    if (item.heapIndex !== NOT_QUEUED) this.remove(item);
    item.dueAt = dueAt;
    item.gen = (item.gen + 1) & 0x3fffffff;
    const lane = item.lane > 0 ? this.laneOf(item.lane) : undefined;
    if (lane && dueAt >= lane.tailDue) {
      item.heapIndex = IN_LANE;
      lane.push(item);
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
    if (i === IN_LANE) this.leaveLane(this.lanes.get(item.lane)!);
    else this.removeAt(i);
    if (!this.heap.length) this.disarm();
  }

  clear(): void {
    for (const entry of this.heap) entry.heapIndex = NOT_QUEUED;
    for (const lane of this.lanes.values()) lane.forget();
    this.heap.length = 0;
    this.lanes.clear();
    this.disarm();
  }

  /** What the queue holds (single items, lanes, lane slots). */
  footprint(): QueueFootprint {
    let laneSlots = 0;
    for (const lane of this.lanes.values()) laneSlots += lane.slots;
    const heapItems = this.heap.filter((entry) => !(entry instanceof Lane)).length;
    return { heapItems, lanes: this.lanes.size, laneSlots };
  }

  private laneOf(period: number): Lane {
    let lane = this.lanes.get(period);
    if (!lane) this.lanes.set(period, (lane = new Lane(period)));
    return lane;
  }

  /** An item of `lane` was removed: its entry goes stale; an emptied lane is dropped. */
  private leaveLane(lane: Lane): void {
    lane.dropped();
    if (!lane.isEmpty) return;
    if (lane.heapIndex !== NOT_QUEUED) this.removeAt(lane.heapIndex);
    this.forgetLane(lane);
  }

  /** Drops an empty lane that is off the heap, so periods no job uses any more leave no trace. */
  private forgetLane(lane: Lane): void {
    if (lane.heapIndex === NOT_QUEUED && this.lanes.get(lane.period) === lane) {
      lane.forget();
      this.lanes.delete(lane.period);
    }
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.timerAt = Infinity;
    this.firing = true;
    try {
      // What is due now; Node may fire up to a millisecond before the clock reaches the due time.
      // Items that come due while these run wait for the next turn of the event loop.
      const horizon = this.now() + 1;
      while (this.heap.length && this.heap[0].dueAt <= horizon) {
        const top = this.heap[0];
        if (!(top instanceof Lane)) {
          this.removeAt(0);
          this.hand(top);
          continue;
        }
        const head = top.peek();
        if (!head) {
          this.removeAt(0);
          this.forgetLane(top);
        } else if (head.dueAt !== top.dueAt) {
          this.update(top, head.dueAt); // its old head was removed: look again
        } else {
          top.shift();
          const next = top.peek();
          if (next) this.update(top, next.dueAt);
          else this.removeAt(0);
          this.hand(head);
          this.forgetLane(top); // when nothing was re-queued in it
        }
      }
    } finally {
      this.firing = false;
      this.arm();
    }
  };

  /**
   * Hands a due item over with the time it starts at. The clock is read per item, not once per
   * timer callback: an earlier item may have run long, and lateness is judged when this one starts.
   */
  private hand(item: QueueItem): void {
    item.heapIndex = NOT_QUEUED;
    this.onDue(item as T, this.now());
  }

  private arm(): void {
    if (this.firing) return;
    if (!this.heap.length) return this.disarm();
    const dueAt = this.heap[0].dueAt;
    if (dueAt === this.timerAt && this.timer !== undefined) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    const delay = Math.min(Math.max(dueAt - this.now(), 0), MAX_TIMER_DELAY_MS);
    this.timerAt = dueAt;
    this.timer = this.clock.setTimer(this.fire, delay);
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private push(entry: QueueItem, dueAt: number): void {
    entry.dueAt = dueAt;
    entry.heapIndex = this.heap.length;
    this.heap.push(entry);
    siftUp(this.heap, entry.heapIndex);
    if (dueAt < this.timerAt) this.arm();
  }

  /** Moves a heap entry to a new due time in place. */
  private update(entry: QueueItem, dueAt: number): void {
    const later = dueAt > entry.dueAt;
    entry.dueAt = dueAt;
    if (later) siftDown(this.heap, entry.heapIndex);
    else siftUp(this.heap, entry.heapIndex);
  }

  private removeAt(i: number): void {
    const entry = this.heap[i];
    const last = this.heap.pop()!;
    if (entry instanceof Lane) entry.heapIndex = NOT_QUEUED;
    if (last !== entry) {
      this.heap[i] = last;
      last.heapIndex = i;
      siftDown(this.heap, i);
      siftUp(this.heap, last.heapIndex);
    }
  }
}
