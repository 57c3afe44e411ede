#!/usr/bin/env node
/**
 * `npm run bench`: builds, then runs every scenario against every contender, prints markdown
 * tables and writes bench/results/latest.json (raw numbers) and bench/results/latest.md.
 *
 * Options (all optional):
 *   --only=timing,scale,per-run,cluster   scenarios to run (default: all)
 *   --ticks=N          timing: ticks per job (default 100; the issue's 1,000 takes 50 s per run)
 *   --reps=N           repetitions of every scenario (default 3)
 *   --scale=1000,10000,100000             scale: the Ns
 *   --per-run-seconds=S                   per-run: the measured window (default 5; the issue's 20)
 *   --per-run-warmup=S                    per-run: warm-up before the window (default 3.5: three ticks)
 *   --no-isolate       scale: in this process instead of a fresh child per measurement
 *   --cluster-seconds=S                   cluster: the measured window (default 10)
 *   --cluster-period=MS                   cluster: the shared job's period (default 100)
 *   --cluster-replicas=N                  cluster: replica processes (default 3)
 *   --cluster-backends=redis,postgres     cluster: backends (REDIS_URL, DATABASE_URL; default
 *                                         127.0.0.1:6379 and postgres://postgres@127.0.0.1:5432/test)
 *   --quick            tiny sizes, one rep: checks the harness in ~30 s (numbers mean little)
 *   --out=FILE         JSON path (default bench/results/latest.json for a run with no options,
 *                      bench/results/partial.json otherwise, so a partial run never replaces
 *                      the full one); the tables go next to it as .md
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENDERS } from './contenders/index.mjs';
import { environment, noiseSnapshot } from './lib/env.mjs';
import { clusterTable, perRunTable, scaleTables, targetsTable, timingTables } from './lib/format.mjs';
import { computeTargets } from './lib/targets.mjs';
import { runCluster } from './scenarios/cluster.mjs';
import { runPerRun } from './scenarios/per-run.mjs';
import { runScale } from './scenarios/scale.mjs';
import { runTiming, TIMING_VARIANTS } from './scenarios/timing.mjs';

function parseArgs(argv) {
  const args = {};
  for (const a of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`Unknown argument ${a}`);
    args[m[1]] = m[2] ?? true;
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const quick = Boolean(args.quick);
const reps = Number(args.reps ?? (quick ? 1 : 3));
const only = new Set(String(args.only ?? 'timing,scale,per-run,cluster').split(','));
const partial = Object.keys(args).some((k) => k !== 'out');
const out = args.out ? String(args.out) : fileURLToPath(new URL(`./results/${partial ? 'partial' : 'latest'}.json`, import.meta.url));
const log = (msg) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

const startedAt = new Date();
const report = { date: startedAt.toISOString(), environment: environment(), noise: [noiseSnapshot()], scenarios: {} };
log(`${report.environment.cpuModel}, ${report.environment.cores} cores, Node ${report.environment.node}; load ${report.noise[0].loadavg.join(' ')}`);

if (only.has('timing')) {
  report.scenarios.timing = await runTiming(CONTENDERS, {
    jobs: quick ? 5 : 20, periodMs: 50, ticks: Number(args.ticks ?? (quick ? 10 : 100)), reps, warmupTicks: quick ? 3 : 10, log,
  });
  report.noise.push(noiseSnapshot());
}
if (only.has('scale')) {
  report.scenarios.scale = await runScale(CONTENDERS, {
    sizes: String(args.scale ?? (quick ? '100,1000' : '1000,10000,100000')).split(',').map(Number), reps, isolate: !args['no-isolate'], log,
  });
  report.noise.push(noiseSnapshot());
}
if (only.has('per-run')) {
  report.scenarios.perRun = await runPerRun(CONTENDERS, {
    // Three ticks of warm-up: after one tick the JIT has not settled, and a 5 s window would
    // charge its compile time to the runs (the issue's 20 s window would amortise it).
    jobs: quick ? 1000 : 10_000, periodMs: 1000, warmupMs: Number(args['per-run-warmup'] ?? (quick ? 1.1 : 3.5)) * 1000,
    windowMs: Number(args['per-run-seconds'] ?? (quick ? 1.2 : 5)) * 1000, reps, log,
  });
  report.noise.push(noiseSnapshot());
}
if (only.has('cluster')) {
  report.scenarios.cluster = await runCluster({
    backends: String(args['cluster-backends'] ?? 'redis,postgres').split(','),
    replicas: Number(args['cluster-replicas'] ?? 3),
    periodMs: Number(args['cluster-period'] ?? 100),
    durationMs: Number(args['cluster-seconds'] ?? (quick ? 1.5 : 10)) * 1000,
    warmupMs: quick ? 500 : 1000,
    reps, log,
  });
  report.noise.push(noiseSnapshot());
}

const { timing, scale, perRun, cluster } = report.scenarios;
report.targets = computeTargets({ timing, scale, perRun });
report.durationS = Math.round((Date.now() - startedAt.getTime()) / 1000);

const env = report.environment;
const md = [
  `### Benchmarks — ${startedAt.toISOString().slice(0, 10)}`,
  `Machine: ${env.cpuModel}, ${env.cores} cores, ${Math.round(env.memoryBytes / 2 ** 30)} GiB, ${env.os}; Node ${env.node}. ` +
    `Versions: ${Object.entries(env.versions).map(([k, v]) => `${k} ${v}`).join(', ')}` +
    `${env.git.commit ? ` (this module at ${env.git.commit}${env.git.libDirty ? ' plus uncommitted changes in lib/' : ''})` : ''}. ` +
    `Load average (1/5/15 min) at start ${report.noise[0].loadavg.join(' / ')}, at end ${report.noise.at(-1).loadavg.join(' / ')}. ` +
    `Reproduce: \`npm run bench\`${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''} (took ${report.durationS} s).`,
  'Cells are "median [min – max]" over the reps; every contender runs in the same process run, in alternating order, after a warm-up.',
  timing && timingTables(timing, CONTENDERS, TIMING_VARIANTS),
  scale && scaleTables(scale, CONTENDERS),
  perRun && perRunTable(perRun, CONTENDERS),
  cluster && clusterTable(cluster),
  report.targets.length && `#### Targets (ratios of this run's medians)\n\n${targetsTable(report.targets)}`,
].filter(Boolean).join('\n\n');

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(out.replace(/\.json$/, '.md'), `${md}\n`);
process.stdout.write(`${md}\n`);
log(`wrote ${out} (${report.durationS} s)`);
