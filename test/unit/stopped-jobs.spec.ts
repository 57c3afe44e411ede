import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { JobEngine } from '../../lib/engine/job-engine.js';
import type { JobScheduler } from '../../lib/index.js';
import { standaloneScheduler } from '../fixtures/standalone-scheduler.js';

/**
 * Nothing of a stopped job stays in the engine: not in the timer queue (lanes, heap), the
 * registry, the runs in progress or the listeners. Counted through `footprint()` of the queue
 * (the heap itself is measured in a child process: test/e2e/child-process.real-clock.spec.ts).
 */
let registry: SchedulerRegistry;
let scheduler: JobScheduler;
let engine: JobEngine;

beforeEach(() => {
  jest.useFakeTimers({ now: Date.UTC(2026, 0, 5, 12, 0, 0) });
  registry = new SchedulerRegistry();
  ({ scheduler, engine } = standaloneScheduler(registry));
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  scheduler.stopAll();
  jest.useRealTimers();
  jest.restoreAllMocks();
});

const queue = () => engine.footprint().queue;
const empty = { heapItems: 0, lanes: 0, laneSlots: 0 };

/** One job of every kind the queue holds differently: lanes, heap items, cron, once. */
const KINDS: Array<[string, (name: string) => string]> = [
  ['fixed-rate', (name) => scheduler.schedule('1h', '1h', { run: () => undefined }, { name })],
  [
    'fixed-delay',
    (name) =>
      scheduler.schedule('1h', '1h', { run: () => undefined }, { name, mode: 'fixed-delay' }),
  ],
  [
    'jitter',
    (name) => scheduler.schedule('1h', '1h', { run: () => undefined }, { name, jitter: '1m' }),
  ],
  ['cron', (name) => scheduler.scheduleCron('0 * * * *', { run: () => undefined }, { name })],
  ['once', (name) => scheduler.scheduleOnce('1h', { run: () => undefined }, { name })],
];

describe('stopped jobs leave nothing behind', () => {
  it('schedule-and-stop churn of every kind: the queue and the registry end empty', () => {
    for (let round = 0; round < 5; round++) {
      const names = KINDS.flatMap(([kind, add]) =>
        Array.from({ length: 100 }, (_, i) => add(`${kind}-${i}`)),
      );
      expect(queue().laneSlots).toBe(100); // the fixed-rate jobs share one lane
      names.forEach((name) => scheduler.stop(name));
      expect(queue()).toEqual(empty);
    }
    expect(scheduler.list()).toEqual([]);
    expect([
      registry.getIntervals(),
      registry.getTimeouts(),
      [...registry.getCronJobs().keys()],
    ]).toEqual([[], [], []]);
  });

  it('stopping most of many live jobs leaves the lane about the size of those left', () => {
    const names = Array.from({ length: 5_000 }, (_, i) =>
      scheduler.schedule('1h', '1h', { run: () => undefined }, { name: `j${i}` }),
    );
    names.slice(50).forEach((name) => scheduler.stop(name));
    // Stale slots are compacted away once they outnumber the live ones (and pass 64).
    expect(queue().laneSlots).toBeLessThanOrEqual(50 + 64);
    jest.advanceTimersByTime(3_600_000);
    expect(scheduler.list().map((job) => job.runs)).toEqual(Array(50).fill(1));
  });

  it('pause() takes a job out of the queue; resume() puts it back once', () => {
    scheduler.schedule('1h', '1h', { run: () => undefined }, { name: 'paused' });
    for (let i = 0; i < 1_000; i++) {
      scheduler.pause('paused');
      scheduler.resume('paused');
    }
    expect(queue()).toEqual({ heapItems: 0, lanes: 1, laneSlots: 1 });
    scheduler.pause('paused');
    expect(queue()).toEqual(empty);
  });

  it('runs in progress and listeners are let go once they end', async () => {
    let release = (): void => undefined;
    scheduler.scheduleOnce(
      '1h',
      { run: () => new Promise<void>((r) => (release = r)) },
      { name: 'slow' },
    );
    const unsubscribe = scheduler.subscribe(() => undefined);
    const outcome = scheduler.trigger('slow');
    expect(engine.footprint().runsInProgress).toBe(1);
    scheduler.stop('slow');
    release();
    await expect(outcome).resolves.toMatchObject({ status: 'succeeded' });
    expect(engine.footprint().runsInProgress).toBe(0);
    expect(engine.footprint().attemptsInProgress).toBe(0);
    unsubscribe();
    expect(engine.footprint().listeners).toBe(0);
    expect(queue()).toEqual(empty);
  });
});
