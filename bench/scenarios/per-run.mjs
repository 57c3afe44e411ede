/**
 * Scenario 3, per-run cost. `jobs` no-op jobs every `periodMs` (1 s). After `warmupMs` (every job
 * has run three times, so the JIT has settled), a window of `windowMs` is measured:
 *   cpuPerRunUs  process CPU time (user + system, process.cpuUsage) in the window / runs in it.
 *                It is the whole process: the scheduler, timers, GC, the idle loop and the
 *                event-loop-delay monitor (the same for every contender).
 *   eldP99Ms     event-loop delay p99 in the window (perf_hooks.monitorEventLoopDelay, 10 ms
 *                resolution), also its max; the histogram records the time between its timer's
 *                callbacks, so its sampling interval is subtracted to get the delay itself
 *   runs         runs counted in the window (expected ≈ jobs × windowMs / periodMs)
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fullGc } from '../lib/gc.mjs';
import { alternate, summarize } from '../lib/stats.mjs';
import { now, sleep } from '../lib/time.mjs';
import { withJobs } from '../contenders/index.mjs';

export const PER_RUN_METRICS = ['cpuPerRunUs', 'eldP99Ms', 'runs'];

/** One measured run of one contender. */
export async function perRunRun(
  contender,
  { jobs, periodMs, warmupMs, windowMs, eldResolutionMs },
) {
  let runs = 0;
  const spec = {
    count: jobs,
    periodMs,
    onRun: () => {
      runs++;
    },
    perJob: false,
  };
  return withJobs(contender, spec, async () => {
    await sleep(warmupMs);
    // Setup garbage (this contender's registration, the previous one's leftovers) is collected
    // before the window, so the window sees the steady state, including the runs' own garbage.
    await fullGc(1);
    const eld = monitorEventLoopDelay({ resolution: eldResolutionMs });
    eld.enable();
    const runs0 = runs;
    const cpu0 = process.cpuUsage();
    const t0 = now();
    await sleep(windowMs);
    const cpu = process.cpuUsage(cpu0);
    const wallMs = now() - t0;
    const windowRuns = runs - runs0;
    eld.disable();
    const cpuUs = cpu.user + cpu.system;
    return {
      runs: windowRuns,
      expectedRuns: Math.round((jobs * wallMs) / periodMs),
      cpuUs,
      cpuPerRunUs: windowRuns > 0 ? cpuUs / windowRuns : NaN,
      cpuPercent: (cpuUs / 1000 / wallMs) * 100,
      eldP99Ms: Math.max(0, eld.percentile(99) / 1e6 - eldResolutionMs),
      eldMaxMs: Math.max(0, eld.max / 1e6 - eldResolutionMs),
      eldMeanMs: Math.max(0, eld.mean / 1e6 - eldResolutionMs),
      eldRawP99Ms: eld.percentile(99) / 1e6,
      wallMs,
    };
  });
}

/** Every contender that can run every `periodMs`, `reps` times in alternating order. */
export async function runPerRun(contenders, options = {}) {
  const config = {
    jobs: 10_000,
    periodMs: 1000,
    warmupMs: 1500,
    windowMs: 20_000,
    reps: 3,
    eldResolutionMs: 10,
    ...options,
  };
  const log = options.log ?? (() => {});
  const fit = contenders.filter((c) => c.supports(config.periodMs));
  const results = Object.fromEntries(fit.map((c) => [c.id, { reps: [] }]));
  for (let rep = 0; rep < config.reps; rep++) {
    for (const c of alternate(fit, rep)) {
      await fullGc(1);
      const r = await perRunRun(c, config);
      results[c.id].reps.push(r);
      log(
        `per-run rep ${rep + 1}/${config.reps} ${c.id}: ${r.cpuPerRunUs.toFixed(2)} µs/run, ELD p99 ${r.eldP99Ms.toFixed(1)} ms, ${r.runs} runs`,
      );
    }
  }
  for (const c of fit) {
    const entry = results[c.id];
    entry.summary = Object.fromEntries(
      [...PER_RUN_METRICS, 'eldMaxMs', 'cpuPercent', 'expectedRuns'].map((m) => [
        m,
        summarize(entry.reps.map((r) => r[m])),
      ]),
    );
  }
  return {
    config: { ...config, log: undefined },
    contenders: fit.map((c) => c.id),
    skipped: contenders
      .filter((c) => !c.supports(config.periodMs))
      .map((c) => ({ id: c.id, reason: `cannot express a ${config.periodMs} ms period` })),
    results,
  };
}
