import { expect } from '@jest/globals';
import { sleep, waitFor } from '../../cluster/helpers/replica-process.js';
import { CatchUpApp, type CatchUpJobSpec, type SeenRun } from './catch-up-process.js';

/** Where the apps keep their state: a store, and cluster mode for Redis and PostgreSQL. */
export interface CatchUpSetup {
  store: object;
  cluster?: object;
}

const SECOND = 1_000;
const every = (name: string, over: Partial<CatchUpJobSpec>): CatchUpJobSpec => ({
  name,
  frequencyMs: SECOND,
  runMs: 50,
  ...over,
});
const JOBS = [
  every('cu-none', { catchUp: 'none' }),
  every('cu-last', { catchUp: 'last' }),
  every('cu-all', { catchUp: 'all' }),
  every('cu-limit', { catchUp: 'all', catchUpLimit: 2 }),
  every('cu-window', { catchUp: 'all', catchUpWindow: '2s' }),
];
const GAP_MS = 3_500;

/** Runs for 3 ticks of each job, then kill -9 400 ms after a tick (its marks written). */
async function runThenKill(app: CatchUpApp, names: string[]): Promise<void> {
  await app.ready();
  await waitFor(() => names.every((n) => app.runs(n).length >= 3), 10_000, 'three live runs');
  const lastStart = Math.max(...app.runs().map((r) => r.start));
  await sleep(Math.max(0, lastStart + 400 - Date.now()));
  await app.kill9();
}

/** Waits for two live runs of each job after the restart, then stops the apps. */
async function liveThenStop(apps: CatchUpApp[], names: string[]): Promise<void> {
  try {
    await Promise.all(apps.map((app) => app.ready()));
    const live = (n: string): number =>
      apps.flatMap((app) => app.runs(n)).filter((r) => r.reason === 'schedule').length;
    await waitFor(() => names.every((n) => live(n) >= 2), 10_000, 'live runs after restart');
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
  }
}

/** Missed ticks run: on the stored grid after `last`, one second apart, oldest first. */
function expectGrid(runs: SeenRun[], last: number): void {
  runs.forEach((run, i) => {
    expect((run.due - last) % SECOND).toBe(0);
    if (i > 0) expect(run.due - runs[i - 1].due).toBe(SECOND);
  });
}

/** No two runs of the job at once, and every catch-up run before the live ones. */
function expectSerial(runs: SeenRun[]): void {
  const byStart = [...runs].sort((a, b) => a.start - b.start);
  byStart.forEach((run, i) => {
    if (i > 0) expect(run.start).toBeGreaterThanOrEqual(byStart[i - 1].end ?? Infinity);
  });
  const firstLive = byStart.findIndex((r) => r.reason === 'schedule');
  expect(byStart.slice(firstLive).filter((r) => r.reason === 'catch-up')).toEqual([]);
}

/**
 * One app with a job every second for each of `catch_up: none | last | all`, `all` with a limit
 * of 2 and `all` with a 2s window: run, kill -9, wait 3.5 s, start again. Returns the runs.
 */
export async function restartAfterGap(setup: CatchUpSetup) {
  const names = JOBS.map((j) => j.name);
  const first = new CatchUpApp({ ...setup, replica: 'first', jobs: JOBS });
  await runThenKill(first, names);
  await sleep(GAP_MS);
  const second = new CatchUpApp({ ...setup, replica: 'second', jobs: JOBS });
  await liveThenStop([second], names);
  const spawned = second.spawnedAt;

  // A job seen for the first time is never backfilled.
  expect(first.runs().filter((r) => r.reason !== 'schedule')).toEqual([]);
  const result: Record<string, SeenRun[]> = {};
  for (const name of names) {
    const last = first.runs(name).at(-1)!.due;
    const runs = second.runs(name);
    const missed = runs.filter((r) => r.reason === 'catch-up');
    const live = runs.filter((r) => r.reason === 'schedule');
    expectGrid(missed, last);
    expectSerial(runs);
    // Only ticks missed before the pass; live ticks go on from there, none before the restart.
    missed.forEach((r) => expect(r.due).toBeLessThan(missed[0].start));
    expect(live[0].due).toBeGreaterThanOrEqual(spawned);
    if (missed.length) expect(missed.at(-1)!.due + SECOND).toBeGreaterThanOrEqual(spawned);
    result[name] = missed;
  }
  const last = (name: string): number => first.runs(name).at(-1)!.due;
  expect(result['cu-none']).toEqual([]);
  expect(result['cu-last']).toHaveLength(1);
  expect(result['cu-last'][0].due - last('cu-last')).toBeGreaterThanOrEqual(3 * SECOND);
  // `all`: every tick of the gap (3.5 s, plus the boot), from the one after the last run.
  expect(result['cu-all'].length).toBeGreaterThanOrEqual(3);
  expect(result['cu-all'][0].due).toBe(last('cu-all') + SECOND);
  // `catch_up_limit: 2`: the latest two; `catch_up_window: 2s`: none older than 2s.
  expect(result['cu-limit']).toHaveLength(2);
  expect(result['cu-limit'][0].due).toBeGreaterThanOrEqual(last('cu-limit') + 2 * SECOND);
  expect(result['cu-window'].length).toBeGreaterThanOrEqual(1);
  expect(result['cu-window'][0].due).toBeGreaterThanOrEqual(spawned - 2 * SECOND);
  expect(result['cu-window'][0].due).toBeGreaterThan(last('cu-window') + SECOND);
  return { gapTicks: result['cu-all'].length, bootMs: second.readyAt() - spawned };
}

/**
 * Cluster mode: one replica runs, is killed, and after 3.5 s two replicas start together. Each
 * missed tick runs once across both (it is claimed like a live tick), in order, never at once.
 */
export async function twoReplicasAfterGap(setup: CatchUpSetup) {
  const jobs = [every('cu-all', { catchUp: 'all' }), every('cu-last', { catchUp: 'last' })];
  const names = jobs.map((j) => j.name);
  const first = new CatchUpApp({ ...setup, replica: 'first', jobs });
  await runThenKill(first, names);
  await sleep(GAP_MS);
  const both = ['a', 'b'].map((replica) => new CatchUpApp({ ...setup, replica, jobs }));
  await liveThenStop(both, names);

  const measured: Record<string, number> = {};
  for (const name of names) {
    const last = first.runs(name).at(-1)!.due;
    const runs = both.flatMap((app) => app.runs(name));
    const missed = runs.filter((r) => r.reason === 'catch-up').sort((x, y) => x.due - y.due);
    const dues = runs.map((r) => r.due);
    expect(new Set(dues).size).toBe(dues.length); // no tick ran twice
    expectGrid(missed, last);
    expectSerial(runs);
    if (name === 'cu-all') {
      expect(missed.length).toBeGreaterThanOrEqual(3);
      expect(missed[0].due).toBe(last + SECOND);
    } else expect(missed).toHaveLength(1);
    measured[name] = missed.length;
    measured[`${name} replicas`] = new Set(missed.map((r) => r.replica)).size;
  }
  return measured;
}
