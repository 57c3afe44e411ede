import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { CoreLibJobsModule, JobScheduler } from '../../lib/index.js';
import {
  appYaml, captureLogs, closeApps, fixtureApp, hostProcess, realTick, startApp, type LogLine,
} from '../fixtures/fixture-app.js';
import { AsyncFailingJob, FixtureCoreLib, SyncFailingJob, UpdateCache, resetLogs, runsOf } from '../fixtures/fixture-jobs.js';

let logs: LogLine[];
let unhandled: jest.Mock<(reason: unknown) => void>;

beforeEach(() => {
  resetLogs();
  logs = captureLogs();
  jest.useFakeTimers();
  // On the real process: Jest's per-file `process` copy never sees Node's events.
  unhandled = jest.fn<(reason: unknown) => void>();
  hostProcess.on('unhandledRejection', unhandled);
});

afterEach(async () => {
  hostProcess.off('unhandledRejection', unhandled);
  await closeApps();
  jest.useRealTimers();
  jest.restoreAllMocks();
});

const errorsAbout = (name: string) => logs.filter((l) => l.level === 'error' && l.message.includes(`Error while running job ${name}`));

describe('a failing job', () => {
  it('is logged through Logger as "Error while running job <name>" with the stack; its schedule goes on; nothing escapes', async () => {
    const mod = await startApp(fixtureApp({
      jobsModule: CoreLibJobsModule.forRoot({ config: appYaml('failing.yaml'), coreLib: FixtureCoreLib }),
      providers: [SyncFailingJob, AsyncFailingJob],
    }));
    await jest.advanceTimersByTimeAsync(20_000);
    for (let i = 0; i < 5; i++) await realTick(); // let Node report any unhandled rejection

    // The schedule goes on after each failure: runs at 0, 10s and 20s.
    expect(runsOf('sync-failing')).toHaveLength(3);
    expect(runsOf('async-failing')).toHaveLength(3);

    const sync = errorsAbout('sync-failing');
    expect(sync).toHaveLength(3);
    expect(sync[0].message).toMatch(/^Error while running job sync-failing\b.*sync boom/);
    expect(String(sync[0].params[0])).toMatch(/Error: sync boom\n\s+at /);
    const async = errorsAbout('async-failing');
    expect(async).toHaveLength(3);
    expect(async[0].message).toMatch(/^Error while running job async-failing\b.*async boom/);
    expect(String(async[0].params[0])).toMatch(/Error: async boom\n\s+at /);

    expect(mod.get(JobScheduler).get('sync-failing')).toMatchObject({ runs: 3, failures: 3, lastError: 'sync boom', state: 'scheduled' });
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('does not stop the other jobs', async () => {
    await startApp(fixtureApp({
      jobsModule: CoreLibJobsModule.forRoot({
        config: {
          core_lib: {
            jobs: [
              { initial_delay: 'boot', frequency: '10s', handler: { class: 'async-failing' } },
              { initial_delay: 'boot', frequency: '10s', handler: { class: 'sync-failing' } },
              { initial_delay: 'boot', frequency: '10s', handler: { class: 'UpdateCache' } },
            ],
          },
        },
        coreLib: FixtureCoreLib,
      }),
      providers: [SyncFailingJob, AsyncFailingJob, UpdateCache],
    }));
    await jest.advanceTimersByTimeAsync(30_000);
    for (let i = 0; i < 5; i++) await realTick();
    expect(runsOf('UpdateCache')).toHaveLength(4);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('a failing trigger() resolves with the failure instead of rejecting, and is logged the same way', async () => {
    const mod = await startApp(fixtureApp({
      jobsModule: CoreLibJobsModule.forRoot({
        config: { core_lib: { jobs: [{ name: 'once-failing', initial_delay: '1h', handler: { class: 'async-failing' } }] } },
      }),
      providers: [AsyncFailingJob],
    }));
    const outcome = await mod.get(JobScheduler).trigger('once-failing');
    for (let i = 0; i < 5; i++) await realTick();
    expect(outcome.status).toBe('failed');
    expect(errorsAbout('once-failing')).toHaveLength(1);
    expect(unhandled).not.toHaveBeenCalled();
  });
});
