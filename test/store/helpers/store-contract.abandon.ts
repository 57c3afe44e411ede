import { expect, it } from '@jest/globals';
import type { JobStore, RunRecord } from '../../../lib/interfaces/job-store.interface.js';
import type { ContractSetup } from './store-contract.js';
import { jobName, recordOf, startOf } from './store-contract.js';

const T = 1_700_000_000_000;

/** Runs of job `name` a reap closed (on a shared backend it also closes other tests' runs). */
const of = (name: string, closed: RunRecord[]): RunRecord[] =>
  closed.filter((r) => r.name === name);

/** The contract's part about leases, abandoned runs and concurrent writers. */
export function abandonContract(
  setup: ContractSetup,
  open: (history?: number) => Promise<JobStore>,
): void {
  /** Stores on the same data: other instances on a shared backend, else the same one. */
  const replicas = async (count: number): Promise<JobStore[]> => {
    const first = await open();
    const rest = await Promise.all(
      Array.from({ length: count - 1 }, () => (setup.shared ? open() : first)),
    );
    return [first, ...rest];
  };

  it('extends a lease, abandons a run whose lease ran out, once, drops its late end', async () => {
    const [store, other] = await replicas(2);
    const name = jobName('abandon');
    await store.runStarted(startOf(name, 'r1', { replica: 'host-b:7', leaseUntil: T + 1_000 }));
    expect(await store.heartbeat(name, 'r1', T + 10_000)).toBe(true);
    expect((await other.state(name))?.running[0].leaseUntil).toBe(T + 10_000);
    expect(of(name, await other.reapAbandoned(T + 5_000))).toEqual([]);
    const closed = of(name, await other.reapAbandoned(T + 20_000));
    expect(closed).toEqual([
      expect.objectContaining({
        name,
        runId: 'r1',
        status: 'abandoned',
        replica: 'host-b:7',
        startedAt: T + 5,
        endedAt: T + 20_000,
        attempts: 0,
        error: { message: expect.stringContaining('host-b:7') },
      }),
    ]);
    expect(of(name, await store.reapAbandoned(T + 30_000))).toEqual([]);
    expect(await store.heartbeat(name, 'r1', T + 40_000)).toBe(false);
    expect(await store.runEnded(recordOf(name, 'r1'))).toBe(false);
    expect(await store.state(name)).toMatchObject({
      runs: 1,
      failures: 1,
      consecutiveFailures: 1,
      running: [],
      lastRun: { status: 'abandoned' },
    });
    expect((await store.history(name)).map((r) => r.status)).toEqual(['abandoned']);
  });

  it('finds a late end recorded already in the history, not only as the last run', async () => {
    const store = await open();
    const name = jobName('late');
    await store.runStarted(startOf(name, 'slow', { leaseUntil: T + 1_000 }));
    await store.reapAbandoned(T + 2_000);
    await store.runEnded(recordOf(name, 'next'));
    expect(await store.runEnded(recordOf(name, 'slow'))).toBe(false);
    expect(await store.state(name)).toMatchObject({ runs: 2, lastRun: { runId: 'next' } });
  });

  it('does not abandon a run that ended, nor one whose lease is still running', async () => {
    const store = await open();
    const name = jobName('ended');
    await store.runStarted(startOf(name, 'done', { leaseUntil: T + 1_000 }));
    await store.runEnded(recordOf(name, 'done'));
    await store.runStarted(startOf(name, 'live', { leaseUntil: T + 90_000 }));
    expect(of(name, await store.reapAbandoned(T + 60_000))).toEqual([]);
    expect((await store.state(name))?.running.map((r) => r.runId)).toEqual(['live']);
  });

  it('closes each expired run once when replicas reap together', async () => {
    const stores = await replicas(4);
    const name = jobName('reapers');
    for (let i = 0; i < 6; i++)
      await stores[i % 4].runStarted(startOf(name, `r${i}`, { leaseUntil: T + i }));
    const closed = of(
      name,
      (await Promise.all(stores.map((s) => s.reapAbandoned(T + 10_000)))).flat(),
    );
    expect(closed.map((r) => r.runId).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    expect(await stores[0].state(name)).toMatchObject({ runs: 6, failures: 6, running: [] });
    expect(await stores[0].history(name)).toHaveLength(6);
  });

  it('closes a run once when its end and a reaper race', async () => {
    const [store, reaper] = await replicas(2);
    const name = jobName('race');
    for (let i = 0; i < 10; i++) await store.runStarted(startOf(name, `r${i}`, { leaseUntil: T }));
    const [ended, reaped] = await Promise.all([
      Promise.all(Array.from({ length: 10 }, (_, i) => store.runEnded(recordOf(name, `r${i}`)))),
      reaper.reapAbandoned(T + 1),
    ]);
    expect(ended.filter(Boolean).length + of(name, reaped).length).toBe(10);
    expect(await store.history(name)).toHaveLength(10);
    expect(await store.state(name)).toMatchObject({ runs: 10, running: [] });
  });

  it('counts every end exactly when replicas write at once', async () => {
    const stores = await replicas(3);
    const name = jobName('concurrent');
    await Promise.all(stores.map((s, k) => s.markTick(name, T + k)));
    const ends = Array.from({ length: 45 }, (_, i) =>
      stores[i % 3].runEnded(
        recordOf(name, `r${i}`, { status: i % 5 === 0 ? 'failed' : 'succeeded' }),
      ),
    );
    expect(await Promise.all(ends)).toEqual(Array(45).fill(true));
    expect(await stores[1].state(name)).toMatchObject({ lastTick: T + 2, runs: 45, failures: 9 });
    const history = await stores[2].history(name);
    expect(new Set(history.map((r) => r.runId)).size).toBe(45);
  });
}
