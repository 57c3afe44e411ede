import { describe, expect, it, jest } from '@jest/globals';
import type { Logger } from '@nestjs/common';
import type { RunOutcome } from '../../lib/interfaces/job-event.interface.js';
import { JobCatchUp } from '../../lib/engine/job-catch-up.js';
import { JobHandle } from '../../lib/engine/job-handle.js';
import type { RunPolicy } from '../../lib/engine/job-spec.js';

const NOW = 1_000_000;
const ran: RunOutcome = { status: 'succeeded', attempts: 1, durationMs: 1 };
const held: RunOutcome = { ...ran, status: 'skipped', skipReason: 'cluster-held' };
const busy: RunOutcome = { ...ran, status: 'skipped', skipReason: 'cluster-busy' };

const handle = (catchUp: RunPolicy['catchUp'], catchUpLimit = 10): JobHandle =>
  new JobHandle(
    'probe',
    { run: () => undefined },
    undefined,
    {
      kind: 'interval',
      initialDelayMs: 0,
      frequencyMs: 1_000,
    },
    { catchUp, catchUpLimit, catchUpWindowMs: 86_400_000 } as RunPolicy,
  );

/** A catch-up on a fixed clock (`NOW`), whose runs answer with `outcomes` in turn. */
function setup(lastTick: () => Promise<number | undefined>, outcomes: RunOutcome[] = []) {
  const runs: number[] = [];
  let inFlight = 0;
  const logger = { log: jest.fn(), warn: jest.fn() } as unknown as Logger;
  const requeued: number[] = [];
  const catchUp = new JobCatchUp({
    logger,
    now: () => NOW,
    runTick: async (_h, due) => {
      expect(inFlight).toBe(0); // one at a time
      inFlight++;
      runs.push(due);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return outcomes.shift() ?? ran;
    },
    hold: jest.fn(),
    requeue: (_h, from) => void requeued.push(from),
    wait: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5))),
  });
  catchUp.use(lastTick);
  const started = (h: JobHandle): Promise<number> =>
    new Promise((resolve) => catchUp.afterPass(h, resolve));
  return { catchUp, runs, logger, requeued, started };
}

describe('JobCatchUp (fixed clock)', () => {
  it('a job seen for the first time (no stored last tick) is never backfilled', async () => {
    const { runs, started } = setup(async () => undefined);
    expect(await started(handle('all'))).toBe(NOW);
    expect(runs).toEqual([]);
  });

  it('all: each missed tick, oldest first, one at a time, then live from now', async () => {
    const { runs, started } = setup(async () => NOW - 3_500);
    expect(await started(handle('all'))).toBe(NOW);
    expect(runs).toEqual([NOW - 2_500, NOW - 1_500, NOW - 500]);
  });

  it('last: only the latest; none: nothing, not even a store read', async () => {
    const read = jest.fn(async () => NOW - 3_500);
    const { runs, started } = setup(read);
    await started(handle('last'));
    expect(runs).toEqual([NOW - 500]);
    await started(handle('none'));
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('busy (another replica runs the job, maybe a live tick): waits and runs the tick', async () => {
    // Replica B ended its pass and runs live ticks: A's missed ticks find the job busy, not
    // taken. Giving up there (as on a taken tick) lost every tick after it.
    const { runs, started } = setup(async () => NOW - 3_500, [ran, busy, busy, ran]);
    await started(handle('all'));
    expect(runs).toEqual([NOW - 2_500, NOW - 1_500, NOW - 1_500, NOW - 1_500, NOW - 500]);
  });

  it('held at the first tick goes on; held later leaves the rest to its holder', async () => {
    const first = setup(async () => NOW - 3_500, [held]);
    await first.started(handle('all'));
    expect(first.runs).toEqual([NOW - 2_500, NOW - 1_500, NOW - 500]);
    const later = setup(async () => NOW - 3_500, [ran, held]);
    await later.started(handle('all'));
    expect(later.runs).toEqual([NOW - 2_500, NOW - 1_500]);
  });

  it('a store that fails: logged, nothing run, live ticks start', async () => {
    const { runs, logger, started } = setup(() => Promise.reject(new Error('ECONNREFUSED')));
    expect(await started(handle('all'))).toBe(NOW);
    expect(runs).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('ECONNREFUSED'));
  });

  it('after an outage: the ticks skipped meanwhile, whatever the store says since', async () => {
    const { catchUp, runs, requeued } = setup(async () => NOW);
    const h = handle('all');
    [NOW - 3_000, NOW - 2_000, NOW - 1_000].forEach((due) => catchUp.unavailable(h, due));
    catchUp.recover([h]);
    for (let i = 0; i < 200 && !requeued.length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(runs).toEqual([NOW - 3_000, NOW - 2_000, NOW - 1_000]);
    expect(requeued).toEqual([NOW]);
    // Nothing left over: a second recovery runs nothing.
    catchUp.recover([h]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(runs).toHaveLength(3);
  });
});
