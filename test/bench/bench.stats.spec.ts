/**
 * The bench's own arithmetic, on made-up runs: lateness is uncapped and order-matched for every
 * contender, the fired-in-window count is apart from it, the cluster's order-matched lateness
 * charges a lost tick to every later run, Redis counters exclude the bench's own INFO, and the
 * sizes parse as documented.
 */
// A computed specifier: TypeScript does not look for declarations of the plain-JS bench modules.
const load = (path: string): Promise<any> => import(path);

let timing: any;
let cluster: any;
let redisStats: any;
let sizes: any;

beforeAll(async () => {
  // One at a time: Jest's ESM loader trips over modules linked concurrently ("not in cache").
  timing = await load('../../bench/scenarios/timing-stats.mjs');
  cluster = await load('../../bench/scenarios/cluster-analyse.mjs');
  redisStats = await load('../../bench/lib/redis-stats.mjs');
  sizes = await load('../../bench/lib/sizes.mjs');
});

const PERIOD = 50;
const TICKS = 10;

/** One job started at 0 whose runs happen at `times`, optionally naming their ticks. */
function oneJob(times: number[], named?: number[]) {
  const scheduled = named ? [Float64Array.from(named)] : undefined;
  return timing.timingStats(
    [0],
    [Float64Array.from(times)],
    Int32Array.of(times.length),
    PERIOD,
    TICKS,
    scheduled,
  );
}

describe('timing stats: order-matched lateness, uncapped', () => {
  it('a scheduler losing 30 ms a tick is 300 ms late at tick 10, not capped at a period', () => {
    // Run k at k × 80 ms: due at k × 50, so k × 30 ms late (six periods by tick 10).
    const r = oneJob(Array.from({ length: 12 }, (_, i) => (i + 1) * 80));
    expect(r.max).toBeCloseTo(300, 6);
    expect(r.drift).toBeCloseTo(300, 6);
    expect(r.driftDelta).toBeCloseTo(270, 6);
    expect(r.slope).toBeCloseTo(30, 6);
    // Fired in window: runs started before tick 11 is due (550 ms): 80 … 480, six of them.
    expect({ fired: r.fired, due: r.due, unreached: r.unreached }).toEqual({
      fired: 6,
      due: 10,
      unreached: 0,
    });
  });

  it('a job that never made run number `ticks` has no drift and is counted as unreached', () => {
    const r = oneJob([50, 100, 150]);
    expect(Number.isNaN(r.drift)).toBe(true);
    expect(r.unreached).toBe(1);
    expect(r.fired).toBe(3);
  });

  it('a skipped tick makes every later run a period late; named lateness says why', () => {
    // On time, but tick 5 skipped: runs for ticks 1-4 and 6-11, each naming its tick.
    const ticks = [1, 2, 3, 4, 6, 7, 8, 9, 10, 11];
    const r = oneJob(
      ticks.map((k) => k * PERIOD + 0.5),
      ticks.map((k) => 1000 + k * PERIOD),
    );
    expect(r.p50).toBeCloseTo(PERIOD + 0.5, 6);
    expect(r.max).toBeCloseTo(PERIOD + 0.5, 6);
    expect(r.fired).toBe(9);
    expect(r.named).toEqual({
      p99: expect.closeTo(0.5, 6),
      max: expect.closeTo(0.5, 6),
      skipped: 1,
    });
    expect(r.gridErrors).toBe(0);
  });
});

describe('cluster analysis', () => {
  const window = { periodMs: 100, windowStart: 1000, windowEnd: 2000 };
  const run = (due: number, late = 2) => ({ replica: 'r1', due, start: due + late });

  it('a lost tick is missed, and shifts the k-th run − k-th tick lateness by a period', () => {
    // Ticks 900 … 2100 on the grid; 1300 lost; runs keep coming after the window.
    const runs = [900, 1000, 1100, 1200, 1400, 1500, 1600, 1700, 1800, 1900, 2000, 2100].map((d) =>
      run(d),
    );
    const r = cluster.analyse(runs, undefined, window);
    expect({
      ticksDue: r.ticksDue,
      runs: r.runs,
      missed: r.missed,
      duplicates: r.duplicates,
    }).toEqual({ ticksDue: 10, runs: 9, missed: 1, duplicates: 0 });
    expect(r.dueToStartMaxMs).toBeCloseTo(2, 6);
    expect(r.orderLateMaxMs).toBeCloseTo(102, 6);
    expect(r.orderLateLastMs).toBeCloseTo(102, 6);
    expect(r.overheadP50Ms).toBeUndefined();
  });

  it('counts duplicates, off-grid dues, BullMQ runs whose timestamp + delay ≠ slot', () => {
    const runs = [1000, 1100, 1100, 1200].map((d) => run(d));
    runs.push({ ...run(1250), stampDue: 1250 } as any, { ...run(1300), stampDue: 1305 } as any);
    const r = cluster.analyse(runs, undefined, window);
    expect({ duplicates: r.duplicates, offGrid: r.offGrid, dueMismatch: r.dueMismatch }).toEqual({
      duplicates: 1,
      offGrid: 1,
      dueMismatch: 1,
    });
  });

  it('CPU per tick sums every replica over the window', () => {
    const mark = (at: number, cpuUs: number) => ({ at, cpuUs });
    const marks = [
      { start: mark(0, 1000), end: mark(1000, 21_000) },
      { start: mark(0, 0), end: mark(1000, 10_000) },
    ];
    expect(cluster.cpuStats(marks, 10)).toEqual({ cpuMs: 30, cpuPerTickMs: 3, cpuPercent: 3 });
  });
});

describe('redis counters', () => {
  it("the window delta leaves out the first snapshot's INFO and counts script calls apart", () => {
    const before = { calls: { info: 4, evalsha: 10, get: 3 }, connections: 7, cpuMs: 100 };
    const after = {
      calls: { info: 5, evalsha: 14, get: 11, eval: 1 },
      connections: 7,
      cpuMs: 112.5,
    };
    expect(redisStats.redisDelta(before, after)).toEqual({
      commands: 13,
      scriptCalls: 5,
      byCommand: { evalsha: 4, get: 8, eval: 1 },
      newConnections: 0,
      serverCpuMs: 12.5,
    });
  });
});

describe('bench sizes', () => {
  it("--full: the issue's sizes, written to latest.json; any other run: partial results", () => {
    const full = sizes.sizesFrom(sizes.parseArgs(['--full']));
    expect(full).toMatchObject({
      preset: 'full',
      ticks: 1000,
      perRunSeconds: 20,
      reps: 3,
      clusterPeriods: [100, 1000],
    });
    expect(full.clusterSeconds).toBeGreaterThanOrEqual(10);
    expect(sizes.isPartial(sizes.parseArgs(['--full']))).toBe(false);
    expect(sizes.isPartial(sizes.parseArgs([]))).toBe(true);
    expect(sizes.isPartial(sizes.parseArgs(['--quick']))).toBe(true);
    expect(sizes.sizesFrom(sizes.parseArgs(['--full', '--ticks=300'])).ticks).toBe(300);
  });

  it('rejects an unknown option and --quick with --full', () => {
    expect(() => sizes.parseArgs(['--cluster-backends=redis'])).toThrow(
      /Unknown argument --cluster-backends=redis; known: --quick/,
    );
    expect(() => sizes.sizesFrom(sizes.parseArgs(['--quick', '--full']))).toThrow(
      '--quick and --full exclude each other',
    );
  });
});
