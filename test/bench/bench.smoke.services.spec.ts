/**
 * Smoke run of the benchmark harness (bench/): every scenario at a tiny size, through the same
 * functions `npm run bench` calls, so the bench code cannot rot. It checks that each scenario
 * produces its numbers (finite, the right shape, fired ≤ due), never how fast anything is.
 * Here `nestjs-core-lib-jobs` resolves to lib/index.ts (jest moduleNameMapper), not dist/; the
 * cluster scenario's replicas are processes of their own and import dist/ (built by `npm test`'s
 * pretest), with the Redis and PostgreSQL the cluster tests use.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Summary = { median: number; min: number; max: number; n: number };
type Bench = {
  CONTENDERS: { id: string; supports(periodMs: number): boolean }[];
  runTiming(contenders: unknown[], options: object): Promise<any>;
  runScale(contenders: unknown[], options: object): Promise<any>;
  runPerRun(contenders: unknown[], options: object): Promise<any>;
  runCluster(options: object): Promise<any>;
  clusterTables(cluster: unknown): string;
  computeTargets(results: object): { target: string; ratio: number; pass?: boolean }[];
  timingTables(timing: unknown, contenders: unknown[], variants: object): string;
  scaleTables(scale: unknown, contenders: unknown[]): string;
  perRunTable(perRun: unknown, contenders: unknown[]): string;
  runStore(options: object): Promise<any>;
  runSoak(options: object): Promise<any>;
  storeTables(store: unknown): string;
  soakTable(soak: unknown): string;
  TIMING_VARIANTS: Record<string, string>;
};

// A computed specifier: TypeScript does not look for declarations of the plain-JS bench modules.
const load = (path: string): Promise<any> => import(path);

let bench: Bench;
const results: Record<string, any> = {};

beforeAll(async () => {
  // One at a time: Jest's ESM loader trips over modules linked concurrently ("not in cache").
  bench = {} as Bench;
  for (const path of [
    '../../bench/contenders/index.mjs',
    '../../bench/scenarios/timing.mjs',
    '../../bench/scenarios/scale.mjs',
    '../../bench/scenarios/per-run.mjs',
    '../../bench/scenarios/cluster.mjs',
    '../../bench/lib/targets.mjs',
    '../../bench/lib/format.mjs',
    '../../bench/lib/format-cluster.mjs',
    '../../bench/scenarios/store.mjs',
    '../../bench/lib/format-store.mjs',
  ]) {
    Object.assign(bench, await load(path));
  }
});

const expectSummary = (s: Summary, { nonNegative = true } = {}) => {
  expect(s.n).toBeGreaterThan(0);
  for (const v of [s.median, s.min, s.max]) {
    expect(Number.isFinite(v)).toBe(true);
    if (nonNegative) expect(v).toBeGreaterThanOrEqual(0);
  }
  expect(s.min).toBeLessThanOrEqual(s.median);
  expect(s.median).toBeLessThanOrEqual(s.max);
};

/** No key, table or state file of the store runs' tags is left. */
async function expectCleanedUp(entries: { reps: { tag: string }[] }[]) {
  const tags = entries.flatMap((e) => e.reps.map((r) => r.tag));
  expect(tags.every((t) => /^bench_store_\w+$/.test(t))).toBe(true);
  const { Redis } = await import('ioredis');
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/13');
  const pg = (await import('pg')).default;
  const client = new pg.Client({
    connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  });
  await client.connect();
  try {
    for (const tag of tags) {
      expect({ tag, keys: await redis.keys(`${tag}*`) }).toEqual({ tag, keys: [] });
      const { rows } = await client.query(
        'SELECT tablename FROM pg_tables WHERE tablename LIKE $1',
        [`${tag}%`],
      );
      expect({ tag, tables: rows }).toEqual({ tag, tables: [] });
      expect({ tag, file: existsSync(join(tmpdir(), tag)) }).toEqual({ tag, file: false });
    }
  } finally {
    redis.disconnect();
    await client.end();
  }
}

describe('bench smoke', () => {
  it('timing: every variant, every contender that can run every 20 ms', async () => {
    const timing = await bench.runTiming(bench.CONTENDERS, {
      jobs: 2,
      periodMs: 20,
      ticks: 3,
      reps: 1,
      warmupTicks: 0,
      busyChunkMs: 2,
    });
    results.timing = timing;
    expect(timing.contenders).toEqual(
      expect.arrayContaining([
        'ours-scheduler',
        'ours-yaml',
        'nest-addInterval',
        'nest-@Interval',
        'toad-scheduler',
        'setInterval',
      ]),
    );
    expect(timing.skipped.map((s: { id: string }) => s.id).sort()).toEqual(['croner', 'node-cron']);
    expect(Object.keys(timing.results)).toEqual(['noop', 'work', 'busy']);
    for (const variant of Object.keys(timing.results)) {
      for (const id of timing.contenders) {
        const { reps, summary } = timing.results[variant][id];
        expect(reps).toHaveLength(1);
        const [r] = reps;
        expect(r.due).toBe(2 * 3);
        expect(r.fired).toBeGreaterThan(0);
        expect(r.fired).toBeLessThanOrEqual(r.due);
        // Lateness is signed (a timer may fire a fraction of a millisecond before the reference).
        for (const m of ['p50', 'p99', 'max', 'drift', 'driftDelta', 'slope'])
          expect(Number.isFinite(r[m])).toBe(true);
        expect(r.p50).toBeLessThanOrEqual(r.p99);
        expect(r.p99).toBeLessThanOrEqual(r.max);
        expectSummary(summary.p99, { nonNegative: false });
        expectSummary(summary.fired);
        // The bench waited (grace period) until every job had made its `ticks` runs.
        expect(r.unreached).toBe(0);
        // This module's runs name their tick (context.scheduledAt): it must sit on the job's grid.
        expect(r.gridErrors).toBe(0);
        expect({ id, named: r.named !== undefined }).toEqual({ id, named: id.startsWith('ours-') });
      }
    }
    const md = bench.timingTables(timing, bench.CONTENDERS, bench.TIMING_VARIANTS);
    expect(md).toContain('| this module · JobScheduler.schedule |');
    expect(md).toContain('k-th run − k-th tick');
    expect(md).toContain('fired in window / due');
  }, 60_000);

  it('scale: every contender at N = 100, in this process', async () => {
    const scale = await bench.runScale(bench.CONTENDERS, {
      sizes: [100],
      reps: 1,
      isolate: false,
      warmupN: 20,
    });
    results.scale = scale;
    expect(scale.contenders).toHaveLength(bench.CONTENDERS.length);
    for (const id of scale.contenders) {
      const [r] = scale.results[100][id].reps;
      expect(r.n).toBe(100);
      expect(r.registerMs).toBeGreaterThanOrEqual(0);
      expect(r.stopMs).toBeGreaterThanOrEqual(0);
      // Heap per job is a difference of two heap sizes: at N = 100 GC noise can make it negative.
      expect(Number.isFinite(r.heapPerJob)).toBe(true);
      expectSummary(scale.results[100][id].summary.registerMs);
    }
    expect(bench.scaleTables(scale, bench.CONTENDERS)).toContain('N = 100 hourly jobs');
  }, 60_000);

  it('per-run cost: every contender that can run every second', async () => {
    const perRun = await bench.runPerRun(bench.CONTENDERS, {
      jobs: 3,
      periodMs: 1000,
      warmupMs: 0,
      windowMs: 1100,
      reps: 1,
    });
    results.perRun = perRun;
    expect(perRun.contenders).toHaveLength(bench.CONTENDERS.length);
    for (const id of perRun.contenders) {
      const [r] = perRun.results[id].reps;
      expect(r.runs).toBeGreaterThan(0);
      for (const m of ['cpuPerRunUs', 'eldP99Ms', 'eldMaxMs', 'cpuUs', 'wallMs']) {
        expect(Number.isFinite(r[m])).toBe(true);
        expect(r[m]).toBeGreaterThanOrEqual(0);
      }
    }
    expect(bench.perRunTable(perRun, bench.CONTENDERS)).toContain('CPU per run');
  }, 30_000);

  // Real replica processes (this module's import the BUILT package: `npm test` builds first) on
  // the Redis at REDIS_URL (the bench's DB) and the PostgreSQL at DATABASE_URL, as test/cluster
  // does.
  it('cluster: three replicas of this module on Redis, on PostgreSQL, and of BullMQ', async () => {
    const periodMs = 100;
    const durationMs = 1500;
    const cluster = await bench.runCluster({
      replicas: 3,
      periods: [periodMs],
      durationMs,
      warmupMs: 300,
      settleMs: 300,
      reps: 1,
    });
    expect(cluster.status).toBe('measured');
    expect(cluster.skipped).toEqual({});
    const byId = cluster.periods[periodMs];
    expect(Object.keys(byId)).toEqual(['ours-redis', 'ours-postgres', 'bullmq']);
    const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
    const finite = (r: any, metrics: string[]) =>
      metrics.map((m) => ({ m, finite: Number.isFinite(r[m]) && r[m] >= 0 }));
    for (const [id, entry] of Object.entries<any>(byId)) {
      expect({ id, errors: entry.errors }).toEqual({ id, errors: [] });
      const [r] = entry.reps;
      expect(r.exitCodes).toEqual([0, 0, 0]);
      // The window holds durationMs / periodMs ticks of the shared grid.
      expect(Math.abs(r.ticksDue - durationMs / periodMs)).toBeLessThanOrEqual(1);
      for (const m of [
        'ticksDue',
        'runs',
        'ranTicks',
        'duplicates',
        'missed',
        'offGrid',
        'dueMismatch',
        'orderMatched',
      ]) {
        expect({ id, m, v: isCount(r[m]) }).toEqual({ id, m, v: true });
      }
      expect(r.runs).toBeGreaterThan(0);
      expect(r.missed).toBeLessThanOrEqual(r.ticksDue);
      // Every run's tick is on the contender's grid (BullMQ's: its id's slot = timestamp + delay).
      expect({ id, offGrid: r.offGrid, dueMismatch: r.dueMismatch }).toEqual({
        id,
        offGrid: 0,
        dueMismatch: 0,
      });
      // Lateness from the due time: wall clock against the backend's (±1 ms), maybe a hair below 0.
      for (const m of ['dueToStartP50Ms', 'dueToStartP99Ms', 'orderLateP99Ms', 'orderLateMaxMs']) {
        expect({ id, m, finite: Number.isFinite(r[m]) }).toEqual({ id, m, finite: true });
      }
      expect(r.orderLateMaxMs).toBeGreaterThanOrEqual(r.orderLateP99Ms);
      // CPU of all three replicas over the window, from their own process.cpuUsage().
      expect(finite(r, ['cpuMs', 'cpuPerTickMs', 'cpuPercent']).every((x) => x.finite)).toBe(true);
      expect(r.cpuMs).toBeGreaterThan(0);
      expectSummary(entry.summary.dueToStartP99Ms, { nonNegative: false });
    }
    for (const id of ['ours-redis', 'bullmq']) {
      const [r] = byId[id].reps;
      // INFO commandstats around the window: both contenders send commands on every tick.
      expect(r.commandsPerTick).toBeGreaterThan(1);
      expect(r.scriptCallsPerTick).toBeGreaterThan(0);
      expect(typeof r.redis.clean).toBe('boolean');
    }
    expect(byId['ours-postgres'].reps[0].redis).toBeUndefined();
    for (const id of ['ours-redis', 'ours-postgres']) {
      const [r] = byId[id].reps;
      // Every run found the claim it came from: the overhead is measured, not guessed.
      expect(r.unmatched).toBe(0);
      expect(
        finite(r, [
          'overheadP50Ms',
          'overheadP99Ms',
          'overheadMaxMs',
          'claimP50Ms',
          'claimP99Ms',
        ]).every((x) => x.finite),
      ).toBe(true);
      expect(r.overheadP50Ms).toBeLessThanOrEqual(r.overheadP99Ms);
    }
    expect(byId.bullmq.reps[0].overheadP50Ms).toBeUndefined();
    const md = bench.clusterTables(cluster);
    for (const label of [
      'this module · Redis lock',
      'this module · PostgreSQL lock',
      'BullMQ · upsertJobScheduler + Worker',
    ]) {
      expect(md).toContain(`| ${label} |`);
    }
    expect(md).toContain('timestamp + opts.delay');
  }, 90_000);

  // Fresh child processes (they import the BUILT package) on the same Redis and PostgreSQL.
  it('store: every store at a tiny size, runs recorded = made, and cleaned up after', async () => {
    const store = await bench.runStore({
      jobs: 20,
      warmupMs: 1100,
      windowMs: 1100,
      drainMs: 5000,
      reps: 1,
      heapJobs: 200,
      spreadMs: 200,
    });
    const kinds = ['none', 'memory', 'file', 'redis', 'postgres'];
    expect(Object.keys(store.run)).toEqual(kinds);
    expect(Object.keys(store.heap)).toEqual(kinds);
    for (const kind of kinds) {
      expect({ kind, errors: store.run[kind].errors }).toEqual({ kind, errors: [] });
      expect({ kind, errors: store.heap[kind].errors }).toEqual({ kind, errors: [] });
      const [r] = store.run[kind].reps;
      expect(r.runs).toBeGreaterThan(0);
      expect(r.made).toBeGreaterThanOrEqual(r.runs);
      for (const m of ['cpuPerRunUs', 'eldP99Ms', 'cpuPercent'])
        expect({ kind, m, finite: Number.isFinite(r[m]) }).toEqual({ kind, m, finite: true });
      // No store records nothing; every store records every run, the persistent ones durably.
      const persistent = kind !== 'none' && kind !== 'memory';
      expect({ kind, recorded: r.recorded, durably: r.recordedDurably }).toEqual({
        kind,
        recorded: kind === 'none' ? null : r.made,
        durably: persistent ? r.made : null,
      });
      const [h] = store.heap[kind].reps;
      expect({ kind, made: h.made, recorded: h.recorded }).toEqual({
        kind,
        made: 200,
        recorded: kind === 'none' ? null : 200,
      });
      expect(Number.isFinite(h.heapPerJob)).toBe(true);
    }
    await expectCleanedUp([...Object.values<any>(store.run), ...Object.values<any>(store.heap)]);
    const md = bench.storeTables(store);
    for (const label of [
      'no store',
      'memory store',
      'file store',
      'Redis store',
      'PostgreSQL store',
    ])
      expect(md).toContain(`| ${label} |`);
    expect(md).toContain('runs recorded / made');
  }, 150_000);

  it('soak: minute samples of the file store', async () => {
    const soak = await bench.runSoak({ jobs: 50, minutes: 2, minuteMs: 1200 });
    expect(soak.samples.map((s: { minute: number }) => s.minute)).toEqual([1, 2]);
    for (const s of soak.samples) {
      expect(s.heapUsedBytes).toBeGreaterThan(0);
      expect(s.runs).toBeGreaterThan(0);
    }
    expect(soak.recorded).toBe(soak.made);
    await expectCleanedUp([{ reps: [soak] }]);
    expect(bench.soakTable(soak)).toContain('heap after full GC');
  }, 60_000);

  it('targets: every target is a ratio from the numbers above', () => {
    const targets = bench.computeTargets(results);
    expect(targets.length).toBeGreaterThanOrEqual(6);
    for (const t of targets) {
      expect(Number.isFinite(t.ratio)).toBe(true);
      expect(typeof t.pass).toBe('boolean');
    }
  });
});
