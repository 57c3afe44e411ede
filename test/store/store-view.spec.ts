import { describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaseJob, CoreLibJobsModule, Job, JobScheduler } from '../../lib/index.js';
import { closeApp, fixtureApp, startApp, useFixtureApps } from '../fixtures/fixture-app.js';

useFixtureApps();

@Job({ name: 'tick' })
class TickJob extends BaseJob {
  run(): void {}
}

const app = (path: string, initial_delay: string) =>
  fixtureApp({
    jobsModule: CoreLibJobsModule.forRoot({
      config: {
        core_lib: {
          jobs: [{ name: 'tick', initial_delay, frequency: '1s', handler: { class: 'tick' } }],
          jobs_store: { backend: 'file', path },
        },
      },
    }),
    providers: [TickJob],
  });

describe('list(), get() and history() read the store', () => {
  it('after a restart, show the runs of the previous process from the file store', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'store-view-')), 'state.json');
    const first = await startApp(app(path, '1s'));
    await jest.advanceTimersByTimeAsync(3_500);
    expect(first.get(JobScheduler).get('tick')).toMatchObject({ runs: 3 });
    await closeApp(first);

    const second = await startApp(app(path, '1h'));
    await jest.advanceTimersByTimeAsync(0); // the view's first read
    const scheduler = second.get(JobScheduler);
    const info = scheduler.get('tick')!;
    expect(info).toMatchObject({ runs: 3, failures: 0, lastError: null });
    expect(info.lastRunBy).toBe(`${hostname()}:${process.pid}`);
    expect(info.lastRunAt).toBeInstanceOf(Date);
    expect(scheduler.list()).toEqual([info]);
    const history = await scheduler.history('tick', { limit: 2 });
    expect(history.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(history[0].due - history[1].due).toBe(1_000);
    expect(await scheduler.history('tick')).toHaveLength(3);
  });

  it('history() of a job the store has never seen is empty', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'store-view-')), 'state.json');
    const mod = await startApp(app(path, '1h'));
    expect(await mod.get(JobScheduler).history('nope')).toEqual([]);
  });
});
