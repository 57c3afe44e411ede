import { expect } from '@jest/globals';
import { hostname } from 'node:os';
import {
  sleep,
  startReplicas,
  waitFor,
  type ProbeJobSpec,
  type ReplicaProcess,
  type ReplicaSettings,
} from './replica-process.js';
import {
  duplicateDues,
  overlapping,
  ticksSpanned,
  type RunRecord,
  type RunStore,
} from './run-records.js';

/** A backend as the scenarios see it: where replicas lock, and where they record their runs. */
export interface ClusterBackend {
  name: 'redis' | 'postgres';
  /** Lock settings of one scenario: its own key prefix (and table), so scenarios never collide. */
  lock(scenario: string): { url: string; prefix: string; table?: string };
  runs(scenario: string): Promise<RunStore>;
}

type Base = Omit<ReplicaSettings, 'replica'>;
type Probe = Omit<ProbeJobSpec, 'recordKey'>;

/** Replica settings for one scenario, with a run store per job (the first job is `probe`). */
async function setUp(
  backend: ClusterBackend,
  scenario: string,
  jobs: Probe[],
  settings: Partial<Base> = {},
) {
  const stores = await Promise.all(
    jobs.map((job, i) => backend.runs(i ? `${scenario}_${job.name}` : scenario)),
  );
  const base: Base = {
    backend: backend.name,
    ...backend.lock(scenario),
    recordUrl: stores[0].url,
    jobs: jobs.map((job, i) => ({ ...job, recordKey: stores[i].key })),
    ...settings,
  };
  return { store: stores[0], stores, base };
}

const countBy = (runs: RunRecord[]): Record<string, number> =>
  runs.reduce<Record<string, number>>(
    (acc, r) => ({ ...acc, [r.replica]: (acc[r.replica] ?? 0) + 1 }),
    {},
  );

/**
 * Three replicas started 300ms apart share a job every 200ms for 10s. A tick goes to the replica
 * that reaches the backend first; with clocks synced to the millisecond that tends to be the same
 * one, so the job has a little jitter (a user's way to spread runs) to let the others win some.
 * Beside it: a cron job every second (once per second across replicas) and a `cluster: false`
 * job every 500ms (on every replica).
 */
export async function threeReplicas(backend: ClusterBackend, from: 'options' | 'yaml') {
  const frequencyMs = 200;
  const { stores, base } = await setUp(
    backend,
    'three',
    [
      { name: 'probe', frequencyMs, jitterMs: 20, runMs: 100 },
      { name: 'cron', cron: '* * * * * *', runMs: 50 },
      { name: 'local', frequencyMs: 500, runMs: 10, cluster: false },
    ],
    { from },
  );
  const replicas = await startReplicas(
    ['r1', 'r2', 'r3'].map((replica) => ({ ...base, replica })),
    300,
  );
  await sleep(10_000);
  const codes = await Promise.all(replicas.map((r) => r.stop()));
  const [runs, cron, local] = await Promise.all(stores.map((store) => store.read()));
  const ticks = ticksSpanned(runs, frequencyMs);

  expect(codes).toEqual([0, 0, 0]);
  expect(runs.filter((r) => r.end === undefined)).toEqual([]);
  expect(duplicateDues(runs)).toEqual([]);
  expect(runs.filter((r) => (r.due - runs[0].due) % frequencyMs !== 0)).toEqual([]);
  expect(runs.length).toBeGreaterThanOrEqual(45);
  expect(Math.abs(runs.length - ticks)).toBeLessThanOrEqual(1);
  expect(overlapping(runs)).toEqual([]);
  expect(Object.keys(countBy(runs)).length).toBeGreaterThan(1);
  // list().lastRunBy names the replica (host:pid) that ran the last tick it saw, on every replica.
  const ids = replicas.map((r) => `${hostname()}:${r.pid}`);
  for (const replica of replicas)
    expect(ids).toContain(replica.listed().find((job) => job.name === 'probe')?.lastRunBy);
  // Cron: whole seconds, each once.
  expect(duplicateDues(cron)).toEqual([]);
  expect(cron.filter((r) => r.due % 1_000 !== 0)).toEqual([]);
  expect(cron.length).toBeGreaterThanOrEqual(9);
  expect(Math.abs(cron.length - ticksSpanned(cron, 1_000))).toBeLessThanOrEqual(1);
  // cluster: false: every replica runs every one of its own ticks (about 20 in 10s).
  expect(Object.values(countBy(local)).filter((n) => n >= 15)).toHaveLength(3);
  return {
    runs: runs.length,
    ticks,
    byReplica: countBy(runs),
    cronRuns: cron.length,
    localRunsByReplica: countBy(local),
  };
}

/** `kill -9` of the replica amid a long run: a later tick runs elsewhere within the lease. */
export async function killedHolder(backend: ClusterBackend) {
  const leaseMs = 2_000;
  const frequencyMs = 300;
  const { store, base } = await setUp(
    backend,
    'killed',
    [{ name: 'probe', frequencyMs, runMs: 4_000 }],
    { lease: '2s' },
  );
  const replicas = await startReplicas(
    ['r1', 'r2'].map((replica) => ({ ...base, replica })),
    300,
  );
  try {
    const first = await waitFor(
      async () => (await store.read()).find((r) => r.end === undefined),
      8_000,
      'a run to start',
    );
    await sleep(first.start + 1_500 - Date.now());
    const holder = replicas.find((r) => r.settings.replica === first.replica)!;
    holder.kill9();
    const killedAt = Date.now();
    await holder.exited;
    const next = await waitFor(
      async () => (await store.read()).find((r) => r.start > killedAt),
      6_000,
      'a run after the kill',
    );
    const takeoverMs = next.start - killedAt;
    const runs = await store.read();

    expect(next.replica).not.toBe(first.replica);
    expect(next.due).toBeGreaterThan(first.due);
    expect(runs.filter((r) => r.start > first.start && r.start < next.start)).toEqual([]);
    // The holder extended its lease every 2/3s until it died: nobody may start before that
    // lease ran out...
    expect(takeoverMs).toBeGreaterThanOrEqual((leaseMs * 2) / 3 - 100);
    // ...and someone must start within the lease (plus one tick and a little scheduling slack).
    expect(takeoverMs).toBeLessThanOrEqual(leaseMs + frequencyMs + 400);
    return { takeoverMs, killed: first.replica, tookOver: next.replica };
  } finally {
    // The survivor is in a 4s run: no graceful drain needed here.
    replicas.forEach((r) => r.kill9());
    await Promise.all(replicas.map((r) => r.exited));
  }
}

/** Runs 2.5x longer than the lease: extended while they run, never duplicated. */
export async function longRun(backend: ClusterBackend) {
  const runMs = 2_500;
  const { store, base } = await setUp(
    backend,
    'long',
    [{ name: 'probe', frequencyMs: 300, runMs }],
    { lease: '1s' },
  );
  const replicas = await startReplicas(
    ['r1', 'r2'].map((replica) => ({ ...base, replica })),
    300,
  );
  await sleep(4_500);
  const codes = await stopAll(replicas);
  const runs = await store.read();

  expect(codes).toEqual([0, 0]);
  expect(runs.length).toBeGreaterThanOrEqual(2);
  expect(runs.filter((r) => r.end === undefined || r.end - r.start < runMs)).toEqual([]);
  expect(overlapping(runs)).toEqual([]);
  expect(duplicateDues(runs)).toEqual([]);
  for (const replica of replicas) expect(replica.count(/lost its cluster lease/)).toBe(0);
  return { runs: runs.length, longestMs: Math.max(...runs.map((r) => r.end! - r.start)) };
}

/**
 * One replica's clock is 1s ahead: ticks still fire together on the backend's clock, once each.
 * The exact replica leaves half-way, so the skewed one has to run ticks and show when it fires.
 */
export async function clockSkew(backend: ClusterBackend) {
  const frequencyMs = 200;
  const { store, base } = await setUp(backend, 'skew', [{ name: 'probe', frequencyMs, runMs: 50 }]);
  const [exact, ahead] = await startReplicas(
    [
      { ...base, replica: 'exact' },
      { ...base, replica: 'ahead', skewMs: 1_000 },
    ],
    300,
  );
  await sleep(2_500);
  await exact.stop();
  const alone = Date.now();
  await sleep(1_500);
  await ahead.stop();
  const runs = await store.read();
  const ticks = ticksSpanned(runs, frequencyMs);
  const lateness = runs.map((r) => r.start - r.due);

  expect(duplicateDues(runs)).toEqual([]);
  expect(runs.length).toBeGreaterThanOrEqual(15);
  expect(Math.abs(runs.length - ticks)).toBeLessThanOrEqual(1);
  // Due times are on the backend's clock (the real one here): the skewed replica neither fires
  // 1s early (it would then win every tick while both run) nor late.
  expect(lateness.filter((ms) => ms < -5 || ms > 150)).toEqual([]);
  expect(
    runs.filter((r) => r.start > alone && r.replica === 'ahead').length,
  ).toBeGreaterThanOrEqual(5);
  expect(runs.filter((r) => r.start < alone && r.replica === 'exact').length).toBeGreaterThan(0);
  return {
    runs: runs.length,
    ticks,
    byReplica: countBy(runs),
    maxLatenessMs: Math.max(...lateness),
  };
}

export async function stopAll(replicas: ReplicaProcess[]): Promise<Array<number | null>> {
  return Promise.all(replicas.map((r) => r.stop()));
}
