import { describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BaseJob,
  CoreLibJobsModule,
  FileJobStore,
  InvalidJobsConfigError,
  Job,
  JOB_STORE,
  MemoryJobStore,
  StateFileLockedError,
  type JobRunContext,
  type JobStore,
} from '../../lib/index.js';
import { fixtureApp, startApp, startupFailure, useFixtureApps } from '../fixtures/fixture-app.js';
import { FixtureCoreLib } from '../fixtures/fixture-jobs.js';
import { assertStoreBuilt, StoreChild } from './helpers/store-child.js';

const logs = useFixtureApps();
const tempFile = (): string => join(mkdtempSync(join(tmpdir(), 'store-wiring-')), 'state.json');

@Job({ name: 'ok' })
class OkJob extends BaseJob {
  run(): void {}
}

@Job({ name: 'boom' })
class BoomJob extends BaseJob {
  run(): Promise<void> {
    return Promise.reject(new Error('boom'));
  }
}

/** Never ends; with a timeout it is `timed-out`, and its next ticks are overlap skips. */
@Job({ name: 'stuck' })
class StuckForever extends BaseJob {
  run(_: unknown, context: JobRunContext): Promise<void> {
    const { signal } = context;
    return new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason));
    });
  }
}

const JOBS = [OkJob, BoomJob, StuckForever];

const app = (core_lib: object, options: object = {}) =>
  fixtureApp({
    jobsModule: CoreLibJobsModule.forRoot({
      config: { core_lib },
      coreLib: FixtureCoreLib,
      shutdownTimeout: '1s',
      ...options,
    }),
    providers: JOBS,
  });

const entry = (name: string, handler: string, more: object = {}) => ({
  name,
  initial_delay: '1s',
  frequency: '10s',
  handler: { class: handler },
  ...more,
});

describe('job store configuration', () => {
  it('YAML core_lib.jobs_store picks the store; forRoot({ store }) wins over it', async () => {
    const path = tempFile();
    const fromYaml = await startApp(app({ jobs: [], jobs_store: { backend: 'file', path } }));
    expect(fromYaml.get<JobStore>(JOB_STORE)).toBeInstanceOf(FileJobStore);
    const yaml = { jobs: [], jobs_store: { backend: 'file', path: tempFile() } };
    const fromCode = await startApp(app(yaml, { store: { backend: 'memory' } }));
    expect(fromCode.get<JobStore>(JOB_STORE)).toBeInstanceOf(MemoryJobStore);
  });

  it('reports a bad jobs_store with the job problems, in one InvalidJobsConfigError', async () => {
    const yaml = {
      jobs: [entry('ok', 'ok', { retries: -1 })],
      jobs_store: { backend: 'mongo', histroy: 5 },
    };
    const { phase, error } = await startupFailure(app(yaml));
    expect(phase).toBe('init');
    expect(error).toBeInstanceOf(InvalidJobsConfigError);
    const problems = (error as InvalidJobsConfigError).problems.join('\n');
    expect(problems).toContain('core_lib.jobs_store: backend');
    expect(problems).toContain('"mongo"');
    expect(problems).toContain('histroy');
    expect(problems).toContain('retries');
  });

  it('reports a bad store option with the other option problems', async () => {
    const options = { store: { backend: 'file', path: 42 }, jobsPath: 'a..b' };
    const { phase, error } = await startupFailure(app({ jobs: [] }, options));
    expect(phase).toBe('compile');
    const problems = (error as InvalidJobsConfigError).problems.join('\n');
    expect(problems).toMatch(/store\.path: 42 is invalid/);
    expect(problems).toContain('jobsPath');
  });

  it('refuses to start on a state file another process holds, naming that process', async () => {
    assertStoreBuilt();
    const path = tempFile();
    const holder = new StoreChild('hold', path);
    try {
      jest.useRealTimers();
      expect(await holder.outcome()).toMatch(/^OPEN /);
      const { phase, error } = await startupFailure(
        app({ jobs: [entry('ok', 'ok')], jobs_store: { backend: 'file', path } }),
      );
      expect(phase).toBe('init');
      expect(error).toBeInstanceOf(StateFileLockedError);
      expect(error.message).toContain(`process ${holder.pid}`);
    } finally {
      await holder.kill();
    }
  });
});

describe('run recording', () => {
  it('records succeeded, failed, timed-out and skipped runs, attempts, replica', async () => {
    const jobs = [
      entry('ok', 'ok'),
      entry('boom', 'boom', { retries: 1, retry_delay: '1s' }),
      entry('stuck', 'stuck', { frequency: '2s', timeout: '3s' }),
    ];
    const mod = await startApp(app({ jobs, jobs_store: { backend: 'memory' } }));
    await jest.advanceTimersByTimeAsync(5_500);
    const store = mod.get<JobStore>(JOB_STORE);
    const replica = `${hostname()}:${process.pid}`;
    const [ok] = await store.history('ok');
    expect(ok).toMatchObject({ status: 'succeeded', attempts: 1, error: null, replica });
    expect(ok.due).toBeLessThanOrEqual(ok.startedAt);
    const [boom] = await store.history('boom');
    expect(boom).toMatchObject({ status: 'failed', attempts: 2, error: { message: 'boom' } });
    expect(boom.error!.stack!.split('\n')[0]).toBe('Error: boom');
    const stuck = await store.history('stuck');
    // Ticks at 1s (runs until 4s: timed out), 3s (skipped: overlap), 5s (runs).
    expect(stuck.map((r) => r.status)).toEqual(['timed-out', 'skipped']);
    expect(stuck[1].error!.message).toContain('overlap');
    const state = await store.state('stuck');
    expect(state).toMatchObject({ runs: 1, failures: 1, lastTick: stuck[0].due + 4_000 });
    expect(state!.running).toHaveLength(1); // the run due at 5s
    expect(logs.filter((l) => l.message.includes('Job store'))).toEqual([]);
  });

  it('records nothing when no store is configured (runs cost what they did before)', async () => {
    const mod = await startApp(app({ jobs: [entry('ok', 'ok', { frequency: '1s' })] }));
    await jest.advanceTimersByTimeAsync(3_500);
    expect(await mod.get<JobStore>(JOB_STORE).states()).toEqual([]);
  });

  it('keeps `history` runs per job, newest first, and counts every run', async () => {
    const jobs = [entry('ok', 'ok', { frequency: '1s' })];
    const mod = await startApp(app({ jobs, jobs_store: { backend: 'memory', history: 2 } }));
    await jest.advanceTimersByTimeAsync(5_500);
    const store = mod.get<JobStore>(JOB_STORE);
    const history = await store.history('ok');
    expect(history).toHaveLength(2);
    expect(history[0].due).toBeGreaterThan(history[1].due);
    expect(await store.state('ok')).toMatchObject({ runs: 5, failures: 0, running: [] });
  });

  it('an outage of the store is logged once when it starts and once when it ends', async () => {
    const store = new MemoryJobStore();
    const broken = () => Promise.reject(new Error('disk full'));
    const methods = ['runStarted', 'runEnded', 'markTick', 'heartbeat', 'states'] as const;
    const spies = methods.map((m) => jest.spyOn(store, m).mockImplementation(broken));
    jest.spyOn(store, 'reapAbandoned').mockImplementationOnce(broken);
    const jobs = [entry('ok', 'ok', { frequency: '1s' })];
    await startApp(app({ jobs }, { store: { backend: 'custom', store } }));
    await jest.advanceTimersByTimeAsync(3_500); // runs at 1s, 2s, 3s: no record
    spies.forEach((spy) => spy.mockRestore());
    await jest.advanceTimersByTimeAsync(2_000); // runs at 4s, 5s: recorded
    const lines = logs.filter((l) => l.message.startsWith('Job store custom'));
    expect(lines.map((l) => l.level)).toEqual(['error', 'log']);
    expect(lines[0].message).toContain('disk full');
    expect((await store.state('ok'))?.runs).toBe(2);
  });
});
