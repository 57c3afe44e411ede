import { standaloneScheduler } from '../fixtures/standalone-scheduler.js';

/**
 * The one real-clock claim: fixed rate does not drift. Run side by side with raw setInterval,
 * 200 ticks of 20 ms; the bounds are generous because CI machines are noisy.
 */
describe('fixed rate on the real clock', () => {
  it('ends 200 ticks of 20 ms within a few ms of due, where setInterval drifts', async () => {
    const period = 20;
    const ticks = 200;
    const scheduler = standaloneScheduler().scheduler;
    const ours: number[] = [];
    const raw: number[] = [];
    const start = Date.now() + period;
    const done = new Promise<void>((resolve) => {
      scheduler.schedule(
        period,
        period,
        {
          run: () => {
            ours.push(Date.now());
            if (ours.length === ticks) {
              scheduler.stop('drift');
              resolve();
            }
          },
        },
        { name: 'drift' },
      );
    });
    const rawDone = new Promise<void>((resolve) => {
      const id = setInterval(() => {
        raw.push(Date.now());
        if (raw.length === ticks) {
          clearInterval(id);
          resolve();
        }
      }, period);
    });
    await Promise.all([done, rawDone]);
    scheduler.stopAll();

    const due = start + (ticks - 1) * period;
    const ourLast = ours[ticks - 1] - due;
    const rawLast = raw[ticks - 1] - due;
    expect(Math.abs(ourLast)).toBeLessThanOrEqual(15);
    // setInterval re-arms from when each callback ran, so its lateness adds up.
    expect(rawLast).toBeGreaterThan(ourLast);
    expect(ours).toHaveLength(ticks);
  }, 20_000);
});
