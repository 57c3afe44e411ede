import { jest } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import { SYSTEM_CLOCK } from '../../lib/engine/job-clock.js';
import { TimerQueue, type QueueItem } from '../../lib/engine/timer-queue.js';
import { standaloneScheduler } from '../fixtures/standalone-scheduler.js';

class Item implements QueueItem {
  dueAt = 0;
  heapIndex = -1;
  gen = 0;
  constructor(
    readonly name: string,
    readonly lane = 0,
  ) {}
}

describe('TimerQueue', () => {
  let fired: Array<[string, number]>;
  let queue: TimerQueue<Item>;

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    fired = [];
    queue = new TimerQueue<Item>(
      (item, now) => fired.push([item.name, now]),
      () => Date.now(),
      SYSTEM_CLOCK,
    );
  });
  afterEach(() => {
    jest.useRealTimers();
    queue.clear();
  });

  it('fires heap items and lane items together, in due order', () => {
    const a = new Item('a', 100);
    const b = new Item('b', 100);
    const c = new Item('c');
    queue.add(a, 100);
    queue.add(b, 150);
    queue.add(c, 120);
    jest.advanceTimersByTime(200);
    expect(fired).toEqual([
      ['a', 100],
      ['c', 120],
      ['b', 150],
    ]);
  });

  it('skips a lane entry whose item was removed, and fires it once when re-added', () => {
    const a = new Item('a', 100);
    const b = new Item('b', 100);
    queue.add(a, 100);
    queue.add(b, 100);
    queue.remove(a);
    queue.add(a, 100); // back in the lane, behind b: its first entry is stale
    jest.advanceTimersByTime(100);
    expect(fired.map(([name]) => name)).toEqual(['b', 'a']);
  });

  it("puts an item that would break a lane's order in the heap (after a misfire)", () => {
    const a = new Item('a', 100);
    const b = new Item('b', 100);
    queue.add(a, 300);
    queue.add(b, 250); // earlier than the lane's tail: goes to the heap, still fires in order
    jest.advanceTimersByTime(300);
    expect(fired).toEqual([
      ['b', 250],
      ['a', 300],
    ]);
  });

  it('re-arms past the 24.8-day timer limit instead of firing at once', () => {
    const far = new Item('far');
    queue.add(far, 30 * 86_400_000);
    jest.advanceTimersByTime(25 * 86_400_000);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(5 * 86_400_000);
    expect(fired).toEqual([['far', 30 * 86_400_000]]);
  });

  it('keeps a lane sorted over many re-queues, and forgets everything on clear()', () => {
    const items = Array.from({ length: 50 }, (_, i) => new Item(`j${i}`, 10));
    let rounds = 0;
    queue = new TimerQueue<Item>(
      (item, now) => {
        fired.push([item.name, now]);
        if (++rounds < 500) queue.add(item, item.dueAt + 10);
      },
      () => Date.now(),
      SYSTEM_CLOCK,
    );
    items.forEach((item, i) => queue.add(item, 10 + (i % 3)));
    jest.advanceTimersByTime(200);
    const times = fired.map(([, at]) => at);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    // The first 50, then one re-queue per run until the 500th run.
    expect(fired.length).toBe(50 + 499);
    queue.clear();
    fired = [];
    jest.advanceTimersByTime(1_000);
    expect(fired).toEqual([]);
  });
});

describe('TimerQueue: memory follows the live items, not the churn', () => {
  const HOUR = 3_600_000;
  let queue: TimerQueue<Item>;
  let fired: Array<[string, number]>;

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    fired = [];
    queue = new TimerQueue<Item>(
      (item, now) => fired.push([item.name, now]),
      () => Date.now(),
      SYSTEM_CLOCK,
    );
  });
  afterEach(() => {
    queue.clear();
    jest.useRealTimers();
  });

  const items = (n: number, lane: number, prefix = 'i') =>
    Array.from({ length: n }, (_, i) => new Item(`${prefix}${i}`, lane));

  it('a lane holds at most about twice its live items after removals, none once all left', () => {
    const all = items(10_000, HOUR);
    all.forEach((item) => queue.add(item, HOUR));
    all.slice(100).forEach((item) => queue.remove(item));
    expect(queue.footprint().laneSlots).toBeLessThanOrEqual(200);
    all.slice(0, 100).forEach((item) => queue.remove(item));
    expect(queue.footprint()).toEqual({ heapItems: 0, lanes: 0, laneSlots: 0 });
  });

  it('stays the size of its live items under churn (100,000 items through one lane)', () => {
    const live = items(50, HOUR, 'live');
    live.forEach((item) => queue.add(item, HOUR));
    for (let round = 0; round < 100; round++) {
      const churn = items(1_000, HOUR, `r${round}-`);
      churn.forEach((item) => queue.add(item, HOUR));
      churn.forEach((item) => queue.remove(item));
    }
    expect(queue.footprint()).toEqual({ heapItems: 0, lanes: 1, laneSlots: expect.any(Number) });
    expect(queue.footprint().laneSlots).toBeLessThanOrEqual(50 + 64);
    jest.advanceTimersByTime(HOUR);
    expect(fired.map(([name]) => name)).toEqual(live.map((item) => item.name));
  });

  it('drops a lane when its last item is removed, or fires without being re-queued', () => {
    const removed = new Item('removed', 7);
    const fires = new Item('fires', 5);
    queue.add(removed, 70);
    queue.add(fires, 50);
    expect(queue.footprint()).toEqual({ heapItems: 0, lanes: 2, laneSlots: 2 });
    queue.remove(removed);
    jest.advanceTimersByTime(50);
    expect(fired).toEqual([['fires', 50]]);
    expect(queue.footprint()).toEqual({ heapItems: 0, lanes: 0, laneSlots: 0 });
  });

  it('still fires the live items of a compacted lane in order, on time', () => {
    const all = items(1_000, 10);
    all.forEach((item, i) => queue.add(item, 10 + i));
    all.filter((_, i) => i % 2).forEach((item) => queue.remove(item));
    jest.advanceTimersByTime(1_010);
    const expected = all
      .map((item, i): [string, number] => [item.name, 10 + i])
      .filter((_, i) => i % 2 === 0);
    expect(fired).toEqual(expected);
  });

  it('hands each due item the clock when it starts, not when the timer callback began', () => {
    queue = new TimerQueue<Item>(
      (item, now) => {
        fired.push([item.name, now]);
        if (item.name === 'blocks') jest.setSystemTime(Date.now() + 2_000); // a 2 s synchronous run
      },
      () => Date.now(),
      SYSTEM_CLOCK,
    );
    queue.add(new Item('blocks'), 100);
    queue.add(new Item('next', 100), 100);
    jest.advanceTimersByTime(100);
    expect(fired).toEqual([
      ['blocks', 100],
      ['next', 2_100],
    ]);
  });
});

describe('deleting through SchedulerRegistry on the real clock', () => {
  it('stops the job: the engine finds its entry gone from the registry', async () => {
    const registry = new SchedulerRegistry();
    const scheduler = standaloneScheduler(registry).scheduler;
    let runs = 0;
    scheduler.schedule(10, 10, { run: () => void runs++ }, { name: 'real' });
    await new Promise((resolve) => setTimeout(resolve, 55));
    registry.deleteInterval('real');
    const atDelete = runs;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(atDelete).toBeGreaterThan(0);
    expect(runs).toBe(atDelete);
    expect(scheduler.get('real')).toBeUndefined();
  });
});
