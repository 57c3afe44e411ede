import { afterAll, describe, expect, it } from '@jest/globals';
import type { JobStore, RunRecord, RunStart } from '../../../lib/interfaces/job-store.interface.js';
import { toRunError } from '../../../lib/store/run-record.js';
import { STORE_LIMITS } from '../../../lib/store/store.constants.js';
import { abandonContract } from './store-contract.abandon.js';

/** How a backend's suite opens stores. */
export interface ContractSetup {
  /** An opened store; on a shared backend (Redis, PostgreSQL), each one on the same data. */
  make: (history?: number) => Promise<JobStore>;
  /** Whether two stores from `make` see the same data (replicas of one cluster). */
  shared: boolean;
}

const T = 1_700_000_000_000;
let seq = 0;
/** A job name no other test uses (server stores keep data between tests). */
export const jobName = (label: string): string => `${label}-${++seq}`;

export const startOf = (name: string, runId: string, extra: Partial<RunStart> = {}): RunStart => ({
  name,
  runId,
  due: T,
  reason: 'schedule',
  startedAt: T + 5,
  replica: 'host-a:1',
  leaseUntil: T + 30_000,
  ...extra,
});

export const recordOf = (
  name: string,
  runId: string,
  extra: Partial<RunRecord> = {},
): RunRecord => ({
  name,
  runId,
  due: T,
  reason: 'schedule',
  startedAt: T + 5,
  endedAt: T + 50,
  status: 'succeeded',
  attempts: 1,
  error: null,
  replica: 'host-a:1',
  ...extra,
});

/** What every `JobStore` must do, run against each backend (real Redis and PostgreSQL servers). */
export function storeContract(label: string, setup: ContractSetup): void {
  describe(`${label}: JobStore contract`, () => {
    const opened: JobStore[] = [];
    const open = async (history?: number): Promise<JobStore> => {
      const store = await setup.make(history);
      opened.push(store);
      return store;
    };
    afterAll(async () => {
      await Promise.all(opened.map((store) => store.close()));
    });

    it('knows nothing of a job it has never seen', async () => {
      const store = await open();
      const name = jobName('unseen');
      expect(await store.state(name)).toBeUndefined();
      expect(await store.lastTick(name)).toBeUndefined();
      expect(await store.history(name)).toEqual([]);
      expect((await store.states()).map((s) => s.name)).not.toContain(name);
      expect(await store.heartbeat(name, 'r1', T)).toBe(false);
      expect(await store.state(name)).toBeUndefined();
    });

    it('moves the last tick forward, never back', async () => {
      const store = await open();
      const name = jobName('tick');
      await store.markTick(name, T + 2_000);
      await store.markTick(name, T + 1_000);
      expect(await store.lastTick(name)).toBe(T + 2_000);
      await store.markTick(name, T + 3_000);
      expect(await store.lastTick(name)).toBe(T + 3_000);
      expect((await store.state(name))?.lastTick).toBe(T + 3_000);
    });

    it('opens a run; scheduled and catch-up runs mark their tick, a trigger does not', async () => {
      const store = await open();
      const name = jobName('start');
      await store.runStarted(startOf(name, 'r1', { due: T + 1_000 }));
      await store.runStarted(
        startOf(name, 'r2', { due: T + 9_000, reason: 'trigger', startedAt: T + 9 }),
      );
      expect(await store.lastTick(name)).toBe(T + 1_000);
      await store.runStarted(
        startOf(name, 'r3', { due: T + 2_000, reason: 'catch-up', startedAt: T + 10 }),
      );
      const state = await store.state(name);
      expect(state?.lastTick).toBe(T + 2_000);
      expect(state?.running.map((r) => r.runId)).toEqual(['r1', 'r2', 'r3']);
      expect(state?.running[0]).toEqual(startOf(name, 'r1', { due: T + 1_000 }));
      expect(state).toMatchObject({ lastRun: null, runs: 0, failures: 0, consecutiveFailures: 0 });
    });

    it('records ends: last run, counters, history newest first; a skip is no run', async () => {
      const store = await open();
      const name = jobName('end');
      const statuses = [
        'succeeded',
        'failed',
        'timed-out',
        'skipped',
        'succeeded',
        'failed',
      ] as const;
      for (const [i, status] of statuses.entries()) {
        if (status !== 'skipped') await store.runStarted(startOf(name, `r${i}`));
        expect(
          await store.runEnded(recordOf(name, `r${i}`, { status, endedAt: T + 100 + i })),
        ).toBe(true);
        if (i === 3)
          expect(await store.state(name)).toMatchObject({
            runs: 3,
            failures: 2,
            consecutiveFailures: 2,
          });
      }
      const state = await store.state(name);
      expect(state).toMatchObject({ runs: 5, failures: 3, consecutiveFailures: 1, running: [] });
      expect(state?.lastRun).toEqual(recordOf(name, 'r5', { status: 'failed', endedAt: T + 105 }));
      const history = await store.history(name);
      expect(history.map((r) => `${r.runId}:${r.status}`)).toEqual([
        'r5:failed',
        'r4:succeeded',
        'r3:skipped',
        'r2:timed-out',
        'r1:failed',
        'r0:succeeded',
      ]);
      expect((await store.history(name, { limit: 2 })).map((r) => r.runId)).toEqual(['r5', 'r4']);
      expect(await store.history(name, { limit: 0 })).toEqual([]);
    });

    it('keeps a bounded message and the first lines of the stack of an error', async () => {
      const store = await open();
      const name = jobName('error');
      const error = new Error('x'.repeat(5_000));
      error.stack = [
        'Error: boom',
        ...Array.from({ length: 40 }, (_, i) => `    at frame${i} (f.js:${i})`),
      ].join('\n');
      await store.runEnded(recordOf(name, 'r1', { status: 'failed', error: toRunError(error) }));
      const kept = (await store.state(name))?.lastRun?.error;
      expect(kept?.message.length).toBe(STORE_LIMITS.messageChars);
      expect(kept?.stack?.split('\n')).toHaveLength(STORE_LIMITS.stackLines);
      expect(kept?.stack?.split('\n')[1]).toBe('    at frame0 (f.js:0)');
      const raw = { message: 'y'.repeat(3_000), stack: 'z\n'.repeat(100) };
      await store.runEnded(recordOf(name, 'r2', { status: 'failed', error: raw }));
      const [last] = await store.history(name, { limit: 1 });
      expect(last.error?.message.length).toBe(STORE_LIMITS.messageChars);
      expect(last.error?.stack?.split('\n')).toHaveLength(STORE_LIMITS.stackLines);
    });

    it('trims the history to `history` runs as it goes, and keeps none with 0', async () => {
      const [three, none] = [await open(3), await open(0)];
      const [a, b] = [jobName('trim'), jobName('nohistory')];
      for (let i = 0; i < 7; i++) {
        await three.runEnded(recordOf(a, `r${i}`));
        await none.runEnded(recordOf(b, `r${i}`));
      }
      expect((await three.history(a)).map((r) => r.runId)).toEqual(['r6', 'r5', 'r4']);
      expect(await none.history(b)).toEqual([]);
      expect(await none.state(b)).toMatchObject({ runs: 7, lastRun: { runId: 'r6' } });
    });

    it('records a run whose start was lost; ignores a start written after its end', async () => {
      const store = await open();
      const name = jobName('order');
      expect(await store.runEnded(recordOf(name, 'lost-start'))).toBe(true);
      await store.runStarted(startOf(name, 'lost-start'));
      expect(await store.state(name)).toMatchObject({ runs: 1, running: [] });
      expect(await store.runEnded(recordOf(name, 'lost-start'))).toBe(false);
      expect(await store.history(name)).toHaveLength(1);
    });

    it('returns copies: changing what it returned changes nothing stored', async () => {
      const store = await open();
      const name = jobName('copy');
      await store.runStarted(startOf(name, 'r1'));
      const state = await store.state(name);
      state!.running[0].leaseUntil = 0;
      state!.runs = 99;
      expect(await store.state(name)).toMatchObject({
        runs: 0,
        running: [{ leaseUntil: T + 30_000 }],
      });
    });

    it('keeps jobs whose names look like keys, paths or JavaScript internals apart', async () => {
      const store = await open();
      const names = ['a:b', '{tag}:x', 'line\nbreak', '__proto__', 'constructor', 'zürich ✓'];
      for (const [i, name] of names.entries()) {
        await store.runStarted(startOf(name, `odd-${i}`, { due: T + i }));
        await store.runEnded(recordOf(name, `odd-${i}`));
      }
      const states = await store.states();
      for (const [i, name] of names.entries()) {
        expect(states.find((s) => s.name === name)).toMatchObject({ lastTick: T + i, runs: 1 });
        expect((await store.history(name)).map((r) => r.runId)).toEqual([`odd-${i}`]);
      }
    });

    abandonContract(setup, open);
  });
}
