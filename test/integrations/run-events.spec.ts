import { describe, expect, it, jest } from '@jest/globals';
import { CoreLibJobsModule, JobScheduler, type JobEvent } from 'nestjs-core-lib-jobs';
import { fixtureApp, startApp, useFixtureApps } from '../fixtures/fixture-app.js';

useFixtureApps();

// What the integrations rely on in the run events: a run id that pairs a run's events, and the
// time the run actually started.
describe('run events', () => {
  it('give every event of one run the same runId, and each run its own', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(1);
    const mod = await startApp(
      fixtureApp({ jobsModule: CoreLibJobsModule.forRoot({ config: {} }) }),
    );
    const scheduler = mod.get(JobScheduler);
    const events: JobEvent[] = [];
    scheduler.subscribe((e) => events.push(e));
    let calls = 0;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const job = {
      run: async () => {
        const first = ++calls === 1;
        await sleep(1_500);
        if (first) throw new Error('once');
      },
    };
    scheduler.schedule('0s', '1h', job, {
      name: 'j',
      overlap: 'allow',
      retries: 1,
      retryDelay: '1s',
    });
    await jest.advanceTimersByTimeAsync(500);
    const triggered = scheduler.trigger('j'); // overlaps the first run, and ends before it
    await jest.advanceTimersByTimeAsync(5_000);
    await triggered;
    const byRun = new Map<number, string[]>();
    for (const e of events) {
      if ('runId' in e)
        byRun.set(e.runId, [...(byRun.get(e.runId) ?? []), `${e.type}${e.attempt}`]);
    }
    const runs = [...byRun.values()];
    expect(runs).toEqual([
      ['started1', 'failed1', 'retried2', 'started2', 'succeeded2'],
      ['started1', 'succeeded1'],
    ]);
    // They interleave: the second run started and ended while the first one was going on.
    const order = events.map((e) => ('runId' in e ? e.runId : 0));
    expect(order).toEqual([1, 2, 1, 1, 2, 1, 1].map((i) => [...byRun.keys()][i - 1]));
  });

  it('say when a run started: the due time plus its lateness', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const mod = await startApp(
      fixtureApp({ jobsModule: CoreLibJobsModule.forRoot({ config: {} }) }),
    );
    const scheduler = mod.get(JobScheduler);
    const started: Array<Extract<JobEvent, { type: 'started' }>> = [];
    scheduler.subscribe((e) => e.type === 'started' && started.push(e));
    const t0 = Date.now();
    scheduler.schedule('1s', '10s', { run: () => undefined }, { name: 'j', jitter: '4s' });
    await jest.advanceTimersByTimeAsync(15_000);
    expect(started.map((e) => [e.scheduledAt - t0, e.startedAt - t0])).toEqual([
      [1_000, 3_000],
      [11_000, 13_000],
    ]);
  });
});
