import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { JobScheduler } from '../../lib/index.js';
import { standaloneScheduler } from '../fixtures/standalone-scheduler.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

let scheduler: JobScheduler;
let warns: jest.SpiedFunction<Logger['warn']>;

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
  scheduler = standaloneScheduler().scheduler;
  warns = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  scheduler.stopAll();
  jest.useRealTimers();
  jest.restoreAllMocks();
});

/**
 * A job that holds the event loop for `ms` when it runs: the clock jumps and no timer fires
 * meanwhile. (Jest moves its pending timers and the end of the current advance by the jump too.)
 */
const blocking = (ms: number) => ({ run: () => void jest.setSystemTime(Date.now() + ms) });

/** Records when (ms since T0) each run started. */
const recorder = () => {
  const starts: number[] = [];
  return { starts, job: { run: () => void starts.push(Date.now() - T0) } };
};

describe('misfire: lateness is judged when a run would start', () => {
  it('a tick due with a job that blocks 2 s runs once, late and coalesced; then on grid', () => {
    const fast = recorder();
    // Both due at 1 s; the blocker was queued first, so it runs first and holds the loop 2 s.
    scheduler.scheduleOnce(1_000, blocking(2_000), { name: 'blocker' });
    scheduler.schedule(1_000, 100, fast.job, { name: 'fast' });
    jest.advanceTimersByTime(1_000); // to 1 s, then 3 s after the block
    jest.advanceTimersByTime(250);
    // One late run at 3 s (not a normal run followed by the coalesced one), then 3.1 s, 3.2 s.
    expect(fast.starts).toEqual([3_000, 3_100, 3_200]);
    const misfires = warns.mock.calls
      .map(([line]) => String(line))
      .filter((line) => line.includes('fast'));
    expect(misfires).toEqual(['Job fast fired 2s late; 20 missed tick(s) coalesced into this run']);
  });

  it('a cron tick due with a blocking job is one late run too', () => {
    const cron = recorder();
    jest.setSystemTime(T0 - 1); // the next whole second is T0
    scheduler.scheduleOnce(1, blocking(2_500), { name: 'blocker' });
    scheduler.scheduleCron('* * * * * *', cron.job, { name: 'every-second' });
    jest.advanceTimersByTime(1); // to T0, then 2.5 s after the block
    jest.advanceTimersByTime(600);
    expect(cron.starts).toEqual([2_500, 3_000]);
  });

  it('many jobs that misfire at one timer fire are one warning, naming a few and counting all', () => {
    scheduler.scheduleOnce(1_000, blocking(3_000), { name: 'blocker' });
    for (let i = 0; i < 1_000; i++) {
      scheduler.scheduleCron('* * * * * *', { run: () => undefined }, { name: `tenant-${i}` });
    }
    jest.advanceTimersByTime(1_000); // to 1 s, then 4 s after the block
    jest.advanceTimersByTime(10);
    const misfires = warns.mock.calls
      .map(([line]) => String(line))
      .filter((l) => l.includes('late'));
    // The queue hands the due jobs over in a few slices: a line per slice, not per job.
    expect(misfires.length).toBeLessThanOrEqual(3);
    let total = 0;
    for (const line of misfires) {
      const m =
        /^(\d+) jobs fired [\d.]+s late \((tenant-\d+, ){4}tenant-\d+ and (\d+) more\)$/.exec(line);
      expect(m).not.toBeNull();
      expect(Number(m![3])).toBe(Number(m![1]) - 5);
      total += Number(m![1]);
    }
    expect(total).toBe(1_000);
  });

  it('a tick late by less than the threshold still runs and its successors catch up', () => {
    const fast = recorder();
    scheduler.scheduleOnce(1_000, blocking(350), { name: 'blocker' });
    scheduler.schedule(1_000, 100, fast.job, { name: 'fast', misfireThreshold: '1s' });
    jest.advanceTimersByTime(1_000); // to 1 s, then 1.35 s after the block
    jest.advanceTimersByTime(150);
    // The tick of 1 s runs late; those of 1.1 s to 1.3 s catch up on the next timer (setTimeout 0,
    // 1 ms under fake timers); then the grid goes on.
    expect(fast.starts).toEqual([1_350, 1_351, 1_351, 1_351, 1_400, 1_500]);
    expect(warns).not.toHaveBeenCalled();
  });
});
