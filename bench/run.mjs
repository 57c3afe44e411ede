#!/usr/bin/env node
/**
 * `npm run bench`: builds, then runs every scenario against every contender, prints markdown
 * tables and writes the raw numbers (JSON) and the tables (.md): bench/results/latest.* for
 * `--full`, bench/results/partial.* for any other run.
 *
 * Sizes (lib/sizes.mjs): the default takes a few minutes; `--full` runs the issue's sizes
 * (1,000 ticks, a 20 s per-run window, 20 s cluster windows); `--quick` checks the harness.
 * Options (all optional; each overrides the size it names):
 *   --full | --quick   the issue's sizes | tiny sizes, one rep (numbers mean little)
 *   --only=timing,scale,per-run,cluster   scenarios to run (default: all)
 *   --ticks=N          timing: ticks per job (default 30; --full 1,000, 50 s per run)
 *   --reps=N           repetitions of every scenario (default 3)
 *   --scale=1000,10000                    scale: the Ns (--full adds 100000)
 *   --per-run-seconds=S                   per-run: the measured window (default 2; --full 20)
 *   --per-run-warmup=S                    per-run: warm-up before the window (3.5: three ticks)
 *   --no-isolate       scale: in this process instead of a fresh child per measurement
 *   --cluster-seconds=S                   cluster: the measured window (default 4; --full 20)
 *   --cluster-periods=MS,MS               cluster: the shared job's periods (default 100,1000)
 *   --cluster-replicas=N                  cluster: replica processes (default 3)
 *   --cluster-contenders=ours-redis,ours-postgres,bullmq
 *                      cluster: contenders (REDIS_URL, DATABASE_URL; default 127.0.0.1:6379
 *                      and postgres://postgres@127.0.0.1:5432/test)
 *   --cluster-redis-db=N                  cluster: the Redis DB of the bench (default 13,
 *                                         unless REDIS_URL names one)
 *   --only=cluster-scale   N jobs due together every second on 3 replicas, ours vs BullMQ
 *   --cluster-scale-jobs=100,1000,5000,10000  --cluster-scale-seconds=S (10; --full 20)
 *   --cluster-scale-contenders=ours-redis,ours-redis+store,ours-postgres,ours-postgres+store,
 *                      bullmq-c1,bullmq-c50
 *   --only=store       the job store: per-run cost and heap per job, every store (in the default)
 *   --store-jobs=N --store-seconds=S --store-heap-jobs=N --store-kinds=none,memory,file,...
 *                      store: jobs every second (1,000), window (10; --full 20), heap jobs (100k)
 *   --only=soak        in --full, not in the default: 10,000 jobs every second on the file
 *                      store for --soak-minutes=N (10) minutes, heap after full GCs every
 *                      minute (--soak-jobs=N)
 *   --out=FILE         JSON path (default bench/results/latest.json for a plain --full run,
 *                      bench/results/partial.json otherwise, so latest.json always holds a
 *                      run at the issue's sizes); the tables go next to it as .md
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENDERS } from './contenders/index.mjs';
import { environment, noiseSnapshot } from './lib/env.mjs';
import { perRunTable, scaleTables, targetsTable, timingTables } from './lib/format.mjs';
import { clusterTables } from './lib/format-cluster.mjs';
import { soakTable, storeTables } from './lib/format-store.mjs';
import { isPartial, parseArgs, sizesFrom } from './lib/sizes.mjs';
import { computeTargets } from './lib/targets.mjs';
import { runCluster } from './scenarios/cluster.mjs';
import {
  clusterScaleTable,
  runClusterScale,
  SCALE_CONTENDERS,
} from './scenarios/cluster-scale.mjs';
import { runPerRun } from './scenarios/per-run.mjs';
import { runScale } from './scenarios/scale.mjs';
import { runSoak, runStore } from './scenarios/store.mjs';
import { runTiming, TIMING_VARIANTS } from './scenarios/timing.mjs';

const args = parseArgs(process.argv.slice(2));
const sizes = sizesFrom(args);
const { reps } = sizes;
// --full runs every scenario, the 10-minute soak included, so its tables come from one run.
const every = `timing,scale,per-run,cluster,cluster-scale,store${args.full ? ',soak' : ''}`;
const only = new Set(String(args.only ?? every).split(','));
const partial = isPartial(args);
const out = args.out
  ? String(args.out)
  : fileURLToPath(new URL(`./results/${partial ? 'partial' : 'latest'}.json`, import.meta.url));
const log = (msg) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

const startedAt = new Date();
const report = {
  date: startedAt.toISOString(),
  sizes,
  environment: environment(),
  noise: [noiseSnapshot()],
  scenarios: {},
};
log(
  `${report.environment.cpuModel}, ${report.environment.cores} cores, Node ${report.environment.node}; load ${report.noise[0].loadavg.join(' ')}`,
);

log(`sizes: ${sizes.preset}; writes ${out}`);

if (only.has('timing')) {
  report.scenarios.timing = await runTiming(CONTENDERS, {
    jobs: sizes.timingJobs,
    periodMs: 50,
    ticks: sizes.ticks,
    reps,
    warmupTicks: sizes.warmupTicks,
    log,
  });
  report.noise.push(noiseSnapshot());
}
if (only.has('scale')) {
  report.scenarios.scale = await runScale(CONTENDERS, {
    sizes: sizes.scale,
    reps,
    isolate: !args['no-isolate'],
    log,
  });
  report.noise.push(noiseSnapshot());
}
if (only.has('per-run')) {
  report.scenarios.perRun = await runPerRun(CONTENDERS, {
    jobs: sizes.perRunJobs,
    periodMs: 1000,
    warmupMs: sizes.perRunWarmup * 1000,
    windowMs: sizes.perRunSeconds * 1000,
    reps,
    log,
  });
  report.noise.push(noiseSnapshot());
}
if (only.has('cluster')) {
  const contenders = args['cluster-contenders'] ?? 'ours-redis,ours-postgres,bullmq';
  report.scenarios.cluster = await runCluster({
    contenders: String(contenders).split(','),
    replicas: Number(args['cluster-replicas'] ?? 3),
    periods: sizes.clusterPeriods,
    durationMs: sizes.clusterSeconds * 1000,
    warmupMs: sizes.clusterWarmup * 1000,
    redisDb: Number(args['cluster-redis-db'] ?? 13),
    reps,
    log,
  });
  report.noise.push(noiseSnapshot());
}

if (only.has('cluster-scale')) {
  const contenders = args['cluster-scale-contenders'] ?? SCALE_CONTENDERS.join(',');
  const ns = args['cluster-scale-jobs'] ?? (args.quick ? '100' : '100,1000,5000,10000');
  report.scenarios.clusterScale = await runClusterScale({
    ns: String(ns).split(',').map(Number),
    contenders: String(contenders).split(','),
    replicas: Number(args['cluster-replicas'] ?? 3),
    durationMs: Number(args['cluster-scale-seconds'] ?? (args.full ? 20 : 10)) * 1000,
    warmupMs: 3_000,
    settleMs: 2_000,
    reps,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisDb: Number(args['cluster-redis-db'] ?? 13),
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    log,
  });
  report.noise.push(noiseSnapshot());
}

if (only.has('store')) {
  report.scenarios.store = await runStore({
    ...(args['store-kinds'] && { kinds: String(args['store-kinds']).split(',') }),
    jobs: sizes.storeJobs,
    windowMs: sizes.storeSeconds * 1000,
    heapJobs: sizes.storeHeapJobs,
    reps,
    log,
  });
  report.noise.push(noiseSnapshot());
}
if (only.has('soak')) {
  report.scenarios.soak = await runSoak({
    minutes: sizes.soakMinutes,
    ...(args['soak-jobs'] && { jobs: Number(args['soak-jobs']) }),
    log,
  });
  report.noise.push(noiseSnapshot());
}

const { timing, scale, perRun, cluster, clusterScale, store, soak } = report.scenarios;
report.targets = computeTargets({ timing, scale, perRun });
report.durationS = Math.round((Date.now() - startedAt.getTime()) / 1000);

const env = report.environment;
const md = [
  `### Benchmarks — ${startedAt.toISOString().slice(0, 10)}`,
  `Machine: ${env.cpuModel}, ${env.cores} cores, ${Math.round(env.memoryBytes / 2 ** 30)} GiB, ${env.os}; Node ${env.node}. ` +
    `Versions: ${Object.entries(env.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}` +
    `${env.git.commit ? ` (this module at ${env.git.commit}${env.git.libDirty ? ' plus uncommitted changes in lib/' : ''})` : ''}. ` +
    `Load average (1/5/15 min) at start ${report.noise[0].loadavg.join(' / ')}, at end ${report.noise.at(-1).loadavg.join(' / ')}. ` +
    `Reproduce: \`npm run bench\`${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''} (took ${report.durationS} s).`,
  'Cells are "median [min – max]" over the reps; every contender runs in the same process run, in alternating order, after a warm-up.',
  timing && timingTables(timing, CONTENDERS, TIMING_VARIANTS),
  scale && scaleTables(scale, CONTENDERS),
  perRun && perRunTable(perRun, CONTENDERS),
  cluster && clusterTables(cluster),
  clusterScale && clusterScaleTable(clusterScale),
  store && storeTables(store),
  soak && soakTable(soak),
  report.targets.length &&
    `#### Targets (ratios of this run's medians)\n\n${targetsTable(report.targets)}`,
]
  .filter(Boolean)
  .join('\n\n');

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(out.replace(/\.json$/, '.md'), `${md}\n`);
process.stdout.write(`${md}\n`);
log(`wrote ${out} (${report.durationS} s)`);
