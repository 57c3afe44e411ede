import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { CoreLibJobsModule, JobScheduler } from '../../lib/index.js';
import {
  appYaml,
  captureLogs,
  closeApps,
  fixtureApp,
  hostProcess,
  realTick,
  startApp,
  type LogLine,
} from '../fixtures/fixture-app.js';
import {
  AsyncFailingJob,
  FixtureCoreLib,
  SyncFailingJob,
  UpdateCache,
  resetLogs,
  runsOf,
} from '../fixtures/fixture-jobs.js';

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

const errorsAbout = (name: string) =>
  logs.filter((l) => l.level === 'error' && l.message.includes(`Error while running job ${name}`));

describe('a failing job', () => {
  it('is logged as "Error while running job <name>" with its stack; runs go on', async () => {
    const mod = await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: appYaml('failing.yaml'),
          coreLib: FixtureCoreLib,
        }),
        providers: [SyncFailingJob, AsyncFailingJob],
      }),
    );
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

    expect(mod.get(JobScheduler).get('sync-failing')).toMatchObject({
      runs: 3,
      failures: 3,
      lastError: 'sync boom',
      state: 'scheduled',
    });
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('does not stop the other jobs', async () => {
    await startApp(
      fixtureApp({
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
      }),
    );
    await jest.advanceTimersByTimeAsync(30_000);
    for (let i = 0; i < 5; i++) await realTick();
    expect(runsOf('UpdateCache')).toHaveLength(4);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('a failing trigger() resolves with the failure (no rejection), logged alike', async () => {
    const mod = await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: {
            core_lib: {
              jobs: [
                { name: 'once-failing', initial_delay: '1h', handler: { class: 'async-failing' } },
              ],
            },
          },
        }),
        providers: [AsyncFailingJob],
      }),
    );
    const outcome = await mod.get(JobScheduler).trigger('once-failing');
    for (let i = 0; i < 5; i++) await realTick();
    expect(outcome.status).toBe('failed');
    expect(errorsAbout('once-failing')).toHaveLength(1);
    expect(unhandled).not.toHaveBeenCalled();
  });
});

/** Values that `String()`, `.message` or `.then` cannot read without throwing. */
const revokedProxy = (): object => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};
const throwingGetter = <T extends object>(target: T, key: string): T =>
  Object.defineProperty(target, key, {
    get: () => {
      throw new Error(`${key} getter threw`);
    },
  });

describe('a job that throws or returns what no error handler expects', () => {
  const startEmpty = async (): Promise<JobScheduler> =>
    (await startApp(fixtureApp({ jobsModule: CoreLibJobsModule.forRoot({ config: {} }) }))).get(
      JobScheduler,
    );

  it('fails each run and says what it can of the value, whatever it is', async () => {
    const scheduler = await startEmpty();
    const values: Record<string, () => unknown> = {
      'null-prototype': () => Object.create(null),
      'throwing-toString': () => ({
        toString: () => {
          throw new Error('no');
        },
      }),
      'throwing-message': () => throwingGetter(new Error('hidden'), 'message'),
      'revoked-proxy': revokedProxy,
    };
    for (const [name, make] of Object.entries(values)) {
      scheduler.schedule(
        0,
        1_000,
        {
          run: () => {
            throw make();
          },
        },
        { name },
      );
    }
    await jest.advanceTimersByTimeAsync(2_000);
    const lastErrors = Object.fromEntries(scheduler.list().map((j) => [j.name, j.lastError]));
    expect(lastErrors).toEqual({
      'null-prototype': '[Object: null prototype] {}',
      'throwing-toString': '{ toString: [Function: toString] }',
      'throwing-message': 'Error (its message cannot be read)',
      'revoked-proxy': '<Revoked Proxy>',
    });
    for (const job of scheduler.list())
      expect(job).toMatchObject({ runs: 3, failures: 3, running: false });
    expect(errorsAbout('revoked-proxy').map((l) => l.message)).toEqual(
      Array(3).fill('Error while running job revoked-proxy: <Revoked Proxy>'),
    );
  });

  it('logs an Error whose stack getter throws without its stack', async () => {
    const scheduler = await startEmpty();
    scheduler.scheduleOnce(
      0,
      {
        run: () => {
          throw throwingGetter(new Error('no stack'), 'stack');
        },
      },
      { name: 'stackless' },
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(errorsAbout('stackless')).toEqual([
      expect.objectContaining({
        message: 'Error while running job stackless: no stack',
        params: [undefined],
      }),
    ]);
  });

  it('a result whose `then` getter throws fails every run (not only the first)', async () => {
    const scheduler = await startEmpty();
    scheduler.schedule(0, 1_000, { run: () => throwingGetter({}, 'then') }, { name: 'bad-then' });
    await jest.advanceTimersByTimeAsync(3_000); // the ticks after the first take the fast path
    expect(scheduler.get('bad-then')).toMatchObject({
      runs: 4,
      failures: 4,
      running: false,
      lastError: 'then getter threw',
    });
    expect(await scheduler.trigger('bad-then')).toMatchObject({ status: 'failed' });
  });

  it('a listener that throws or rejects is logged; the run and other listeners go on', async () => {
    const scheduler = await startEmpty();
    const seen: string[] = [];
    scheduler.subscribe(() => {
      throw Object.create(null);
    });
    scheduler.subscribe(async () => {
      throw revokedProxy();
    });
    scheduler.subscribe((event) => void seen.push(event.type));
    scheduler.scheduleOnce(0, { run: () => undefined }, { name: 'heard' });
    await jest.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 5; i++) await realTick();
    expect(seen).toEqual(['started', 'succeeded']);
    const threw = logs.filter(
      (l) => l.level === 'error' && l.message.startsWith('A job listener threw'),
    );
    expect(threw.map((l) => l.message).sort()).toEqual([
      "A job listener threw on 'started' of heard: <Revoked Proxy>",
      "A job listener threw on 'started' of heard: [Object: null prototype] {}",
      "A job listener threw on 'succeeded' of heard: <Revoked Proxy>",
      "A job listener threw on 'succeeded' of heard: [Object: null prototype] {}",
    ]);
    expect(unhandled).not.toHaveBeenCalled();
  });
});
