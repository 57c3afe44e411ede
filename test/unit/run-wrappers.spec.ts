import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { JobScheduler, RunInfo } from '../../lib/index.js';
import { JobsTestClock } from '../../lib/testing.js';
import { standaloneScheduler } from '../fixtures/standalone-scheduler.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

let clock: JobsTestClock;
let scheduler: JobScheduler;
let errors: jest.SpiedFunction<Logger['error']>;

beforeEach(() => {
  clock = new JobsTestClock({ now: T0, settleTimeout: 20 });
  ({ scheduler } = standaloneScheduler(undefined, { clock }));
  errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  jest.spyOn(Math, 'random').mockReturnValue(1); // retry backoff: the full delay
});

afterEach(() => {
  scheduler.stopAll();
  jest.restoreAllMocks();
});

describe('JobScheduler.wrapRuns', () => {
  it('runs every attempt inside the wrappers, the first added outermost', async () => {
    const trail: string[] = [];
    const wrap =
      (label: string) =>
      <T>(run: RunInfo, call: () => T): T => {
        trail.push(`${label}> ${run.name} #${run.runId}.${run.attempt} ${run.reason}`);
        const result = call();
        trail.push(`<${label}`);
        return result;
      };
    scheduler.wrapRuns(wrap('outer'));
    scheduler.wrapRuns(wrap('inner'));
    let calls = 0;
    const job = {
      run: () => {
        trail.push('run');
        if (++calls === 1) throw new Error('first attempt fails');
      },
    };
    scheduler.schedule(1_000, 60_000, job, { name: 'report', retries: 1, retryDelay: 500 });
    await clock.advance(2_000);
    expect(trail).toEqual([
      'outer> report #1.1 schedule',
      'inner> report #1.1 schedule',
      'run',
      '<inner',
      '<outer',
      'outer> report #1.2 schedule',
      'inner> report #1.2 schedule',
      'run',
      '<inner',
      '<outer',
    ]);
  });

  it("gives the job's code, after its awaits too, the context the wrapper sets", async () => {
    const storage = new AsyncLocalStorage<string>();
    scheduler.wrapRuns((run, call) => storage.run(`${run.name}/${run.runId}`, call));
    const seen: Array<string | undefined> = [];
    const job = {
      async run() {
        seen.push(storage.getStore());
        await Promise.resolve();
        seen.push(storage.getStore());
        await clock.sleep(100);
        seen.push(storage.getStore());
      },
    };
    const name = scheduler.scheduleOnce(60_000, job, { name: 'ctx' });
    await Promise.all([scheduler.trigger(name), clock.advance(200)]);
    expect(seen).toEqual(['ctx/1', 'ctx/1', 'ctx/1']);
    expect(storage.getStore()).toBeUndefined();
  });

  it('stops wrapping once removed', async () => {
    const wrapped: string[] = [];
    const remove = scheduler.wrapRuns((run, call) => {
      wrapped.push(run.name);
      return call();
    });
    const name = scheduler.scheduleOnce(60_000, { run: () => undefined }, { name: 'once' });
    await scheduler.trigger(name);
    remove();
    remove(); // a second call changes nothing
    await scheduler.trigger(name);
    expect(wrapped).toEqual(['once']);
  });

  it('fails the attempt, and only it, when a wrapper throws or never calls', async () => {
    let mode: 'throw' | 'skip' | 'call' = 'throw';
    scheduler.wrapRuns((_run, call) => {
      if (mode === 'throw') throw new Error('wrapper broke');
      if (mode === 'skip') return undefined as never;
      return call();
    });
    const ran: number[] = [];
    const name = scheduler.scheduleOnce(60_000, { run: () => void ran.push(1) }, { name: 'w' });

    const thrown = await scheduler.trigger(name);
    expect(thrown).toMatchObject({ status: 'failed', error: new Error('wrapper broke') });
    mode = 'skip';
    const skipped = await scheduler.trigger(name);
    expect(skipped.status).toBe('failed');
    expect(String(skipped.error)).toContain('returned without calling call()');
    expect(ran).toEqual([]);

    mode = 'call';
    await expect(scheduler.trigger(name)).resolves.toMatchObject({ status: 'succeeded' });
    expect(ran).toEqual([1]);
    expect(errors).toHaveBeenCalledTimes(2);
    expect(scheduler.get('w')!.failures).toBe(2);
  });

  it('keeps the attempt the job made, whatever the wrapper returns', async () => {
    scheduler.wrapRuns((_run, call) => {
      call();
      return 'not the attempt' as never;
    });
    const done: string[] = [];
    const job = {
      async run() {
        await clock.sleep(50);
        done.push('finished');
      },
    };
    const name = scheduler.scheduleOnce(60_000, job, { name: 'kept' });
    const [outcome] = await Promise.all([scheduler.trigger(name), clock.advance(100)]);
    expect(outcome.status).toBe('succeeded');
    expect(done).toEqual(['finished']);
  });
});
