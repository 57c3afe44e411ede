/**
 * Scenario 1, timing accuracy. `jobs` jobs every `periodMs` for `ticks` ticks each, per variant:
 *   noop  - the run does nothing but take a timestamp;
 *   work  - the run spins `workMs` synchronously (20 × 1 ms per 50 ms: the loop ~40 % busy);
 *   busy  - no-op runs, while a competing busy loop keeps the event loop saturated
 *           (`busyChunkMs` of work per setImmediate).
 *
 * Job j starts at s_j (performance.now() when handed to the scheduler); its tick k (k = 1..ticks)
 * is due at s_j + k × period. The run lasts until tick ticks + 1 is due, then, for a scheduler
 * that has fallen behind, until every job has made `ticks` runs or a grace period has passed
 * (`graceMs`: max(20 periods, 10 % of the run)), so the lateness of run `ticks` is measured
 * however late it is. timing-stats.mjs defines every number (order-matched lateness, uncapped,
 * for every contender; the fired-in-window count apart from it).
 */
import { performance } from 'node:perf_hooks';
import { fullGc } from '../lib/gc.mjs';
import { alternate, summarize } from '../lib/stats.mjs';
import { sleepUntil, spin, startBusyLoop } from '../lib/time.mjs';
import { withJobs } from '../contenders/index.mjs';
import { timingStats } from './timing-stats.mjs';

export { timingStats } from './timing-stats.mjs';

export const TIMING_VARIANTS = {
  noop: 'no-op run',
  work: '1 ms sync work per run',
  busy: 'no-op run, competing busy loop',
};

export const TIMING_METRICS = [
  'p50',
  'p99',
  'max',
  'drift',
  'driftDelta',
  'slope',
  'fitAt1000',
  'fired',
  'due',
];

/**
 * Per-job timestamps of runs, with room for `cap` runs, and the due time the scheduler says each
 * run is for, when it says so (NaN otherwise).
 */
function recorder(jobs, cap, workMs) {
  const stamps = Array.from({ length: jobs }, () => new Float64Array(cap));
  const scheduled = Array.from({ length: jobs }, () => new Float64Array(cap).fill(NaN));
  const counts = new Int32Array(jobs);
  const onRun = (i, scheduledAt) => {
    if (i < 0 || i >= jobs) return;
    const c = counts[i]++;
    if (c < cap) {
      stamps[i][c] = performance.now();
      if (scheduledAt !== undefined) scheduled[i][c] = scheduledAt;
    }
    if (workMs > 0) spin(workMs);
  };
  return { stamps, scheduled, counts, onRun };
}

/** Until tick ticks + 1 of every job is due, then until each job has `ticks` runs or `graceMs`. */
async function waitForRuns(starts, counts, { periodMs, ticks, graceMs }) {
  let end = 0;
  for (const s of starts) end = Math.max(end, s + (ticks + 1) * periodMs);
  await sleepUntil(end);
  while (counts.some((c) => c < ticks) && performance.now() < end + graceMs) {
    await sleepUntil(performance.now() + periodMs);
  }
}

/** One run of one contender in one variant. */
export async function timingRun(contender, config) {
  const { jobs, periodMs, ticks, variant, workMs, busyChunkMs } = config;
  const graceMs = Math.max(20 * periodMs, 0.1 * ticks * periodMs);
  const rec = recorder(
    jobs,
    ticks + Math.ceil(graceMs / periodMs) + 4,
    variant === 'work' ? workMs : 0,
  );
  const stopBusy = variant === 'busy' ? startBusyLoop(busyChunkMs) : undefined;
  try {
    const spec = { count: jobs, periodMs, onRun: rec.onRun, perJob: true };
    const starts = await withJobs(contender, spec, async (_ctx, starts) => {
      await waitForRuns(starts, rec.counts, { periodMs, ticks, graceMs });
      return starts;
    });
    return timingStats(starts, rec.stamps, rec.counts, periodMs, ticks, rec.scheduled);
  } finally {
    stopBusy?.();
  }
}

/**
 * Every variant, every contender that can express `periodMs`, `reps` times in alternating order,
 * after a warm-up run of `warmupTicks` ticks per contender and variant.
 */
export async function runTiming(contenders, options = {}) {
  const config = {
    jobs: 20,
    periodMs: 50,
    ticks: 1000,
    reps: 3,
    warmupTicks: 10,
    workMs: 1,
    busyChunkMs: 5,
    variants: Object.keys(TIMING_VARIANTS),
    ...options,
  };
  const log = options.log ?? (() => {});
  const fit = contenders.filter((c) => c.supports(config.periodMs));
  const skipped = contenders
    .filter((c) => !c.supports(config.periodMs))
    .map((c) => ({ id: c.id, reason: `cannot express a ${config.periodMs} ms period` }));
  const results = {};
  for (const variant of config.variants) {
    results[variant] = {};
    const run = (c, ticks) => timingRun(c, { ...config, ticks, variant });
    for (const c of fit) {
      if (config.warmupTicks > 0) await run(c, config.warmupTicks);
      results[variant][c.id] = { reps: [] };
    }
    for (let rep = 0; rep < config.reps; rep++) {
      for (const c of alternate(fit, rep)) {
        await fullGc(1);
        const r = await run(c, config.ticks);
        results[variant][c.id].reps.push(r);
        log(
          `timing ${variant} rep ${rep + 1}/${config.reps} ${c.id}: k-th run − k-th tick ` +
            `p99 ${r.p99.toFixed(2)} ms, at tick ${config.ticks} ${r.drift.toFixed(2)} ms; ` +
            `fired in window ${r.fired}/${r.due}`,
        );
      }
    }
    for (const c of fit) {
      const entry = results[variant][c.id];
      entry.summary = Object.fromEntries(
        [...TIMING_METRICS, 'driftMax'].map((m) => [m, summarize(entry.reps.map((r) => r[m]))]),
      );
      // Every rep must fire every tick for "fired = due": keep the worst rep too.
      entry.summary.allFired = entry.reps.every((r) => r.fired === r.due);
      const total = (f) => entry.reps.reduce((sum, r) => sum + (f(r) ?? 0), 0);
      entry.summary.gridErrors = total((r) => r.gridErrors);
      entry.summary.unreached = total((r) => r.unreached);
      if (entry.reps.some((r) => r.named)) {
        entry.summary.named = {
          p99: summarize(entry.reps.map((r) => r.named?.p99)),
          max: summarize(entry.reps.map((r) => r.named?.max)),
          skipped: total((r) => r.named?.skipped),
        };
      }
    }
  }
  return {
    config: { ...config, log: undefined },
    contenders: fit.map((c) => c.id),
    skipped,
    results,
  };
}
