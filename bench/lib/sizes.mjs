/**
 * The three sizes of `npm run bench`, and how options override them. Durations are on 2 quiet
 * cores (most of each is sleeping through measured windows; a loaded machine adds to scale).
 *   quick    tiny sizes, one rep: checks the harness in about 1 minute (numbers mean little)
 *   default  every scenario, 3 reps, short windows, scale up to 10,000: about 7 minutes
 *   full     the issue's sizes: 1,000 ticks, a 20 s per-run window, scale up to 100,000, 20 s
 *            cluster windows, and the 10-minute soak: about 90 minutes (timing alone is 54 runs
 *            of 50 s)
 */
export const SIZES = {
  quick: {
    reps: 1,
    timingJobs: 5,
    ticks: 10,
    warmupTicks: 3,
    scale: '100,1000',
    perRunJobs: 1000,
    perRunWarmup: 1.1,
    perRunSeconds: 1.2,
    clusterSeconds: 1.5,
    clusterWarmup: 0.5,
    clusterPeriods: '100,1000',
    storeJobs: 200,
    storeSeconds: 1.2,
    storeHeapJobs: 1000,
    soakMinutes: 1,
  },
  default: {
    reps: 3,
    timingJobs: 20,
    ticks: 30,
    warmupTicks: 10,
    scale: '1000,10000',
    // Three ticks of warm-up: after one tick the JIT has not settled, and a short window would
    // charge its compile time to the runs (the issue's 20 s window would amortise it).
    perRunJobs: 10_000,
    perRunWarmup: 3.5,
    perRunSeconds: 2,
    clusterSeconds: 4,
    clusterWarmup: 1,
    clusterPeriods: '100,1000',
    storeJobs: 1000,
    storeSeconds: 10,
    storeHeapJobs: 100_000,
    soakMinutes: 10,
  },
  full: {
    reps: 3,
    timingJobs: 20,
    ticks: 1000,
    warmupTicks: 10,
    scale: '1000,10000,100000',
    perRunJobs: 10_000,
    perRunWarmup: 3.5,
    perRunSeconds: 20,
    clusterSeconds: 20,
    clusterWarmup: 1,
    clusterPeriods: '100,1000',
    storeJobs: 1000,
    storeSeconds: 20,
    storeHeapJobs: 100_000,
    soakMinutes: 10,
  },
};

const KNOWN = [
  'quick',
  'full',
  'only',
  'ticks',
  'reps',
  'scale',
  'per-run-seconds',
  'per-run-warmup',
  'no-isolate',
  'cluster-seconds',
  'cluster-periods',
  'cluster-replicas',
  'cluster-contenders',
  'cluster-redis-db',
  'store-jobs',
  'store-seconds',
  'store-heap-jobs',
  'store-kinds',
  'soak-minutes',
  'soak-jobs',
  'out',
  'cluster-scale-jobs',
  'cluster-scale-seconds',
  'cluster-scale-contenders',
];

/** `--name=value` and `--flag` arguments as an object; anything else is an error. */
export function parseArgs(argv) {
  const args = {};
  for (const a of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (!m || !KNOWN.includes(m[1])) {
      throw new Error(`Unknown argument ${a}; known: ${KNOWN.map((k) => `--${k}`).join(', ')}`);
    }
    args[m[1]] = m[2] ?? true;
  }
  return args;
}

const OPTIONS = {
  reps: 'reps',
  ticks: 'ticks',
  scale: 'scale',
  'per-run-seconds': 'perRunSeconds',
  'per-run-warmup': 'perRunWarmup',
  'cluster-seconds': 'clusterSeconds',
  'cluster-periods': 'clusterPeriods',
  'store-jobs': 'storeJobs',
  'store-seconds': 'storeSeconds',
  'store-heap-jobs': 'storeHeapJobs',
  'soak-minutes': 'soakMinutes',
};

/** The preset named by --quick / --full (default otherwise), with explicit options on top. */
export function sizesFrom(args) {
  if (args.quick && args.full) throw new Error('--quick and --full exclude each other');
  const preset = args.quick ? 'quick' : args.full ? 'full' : 'default';
  const sizes = { preset, ...SIZES[preset] };
  for (const [option, key] of Object.entries(OPTIONS)) {
    if (args[option] !== undefined) sizes[key] = args[option];
  }
  const list = (v) => String(v).split(',').map(Number);
  return {
    ...sizes,
    reps: Number(sizes.reps),
    ticks: Number(sizes.ticks),
    scale: list(sizes.scale),
    perRunSeconds: Number(sizes.perRunSeconds),
    perRunWarmup: Number(sizes.perRunWarmup),
    clusterSeconds: Number(sizes.clusterSeconds),
    clusterPeriods: list(sizes.clusterPeriods),
    storeJobs: Number(sizes.storeJobs),
    storeSeconds: Number(sizes.storeSeconds),
    storeHeapJobs: Number(sizes.storeHeapJobs),
    soakMinutes: Number(sizes.soakMinutes),
  };
}

/**
 * Whether a run is partial: only `--full` with no other option (but --out) writes
 * bench/results/latest.json, so that file always holds a run at the issue's sizes; any other
 * run (the default, --quick, --only, a size) writes partial.json instead.
 */
export function isPartial(args) {
  return !args.full || Object.keys(args).some((k) => k !== 'out' && k !== 'full');
}
