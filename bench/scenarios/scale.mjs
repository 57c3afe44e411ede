/**
 * Scenario 2, scale. N hourly jobs (nothing fires during the measurement):
 *   registerMs   wall time of start(): the registration loop, or the whole Nest bootstrap for
 *                'bootstrap' contenders (our YAML: read + parse + validate + schedule N entries;
 *                @Interval: scan N decorated methods + mount N intervals)
 *   heapPerJob   (heapUsed after start − before start) / N, both after full GCs; for bootstrap
 *                contenders the heap of an empty app of the same kind (measured the same way in
 *                the same process) is subtracted first, so the number is per job, not per app
 *   stopMs       wall time of stop(): stop every job (app.close() for bootstrap contenders)
 *
 * With isolate (the CLI default) every (contender, N, rep) runs in a fresh `node --expose-gc`
 * child (scale-child.mjs) calling measureScale(): heap numbers are then free of what earlier
 * contenders left behind (old-space fragmentation, caches, 100k-entry maps), and one
 * contender's heap growth cannot change another's GC timing. Without isolate (the smoke test)
 * the same function runs in-process.
 *
 * A (contender, N) whose heap would not fit is not run: when an earlier N of the same contender
 * measured heapPerJob × N above `heapBudgetBytes` (croner holds ~80 KB per job), it is listed
 * as skipped with that projection. A child that fails is recorded as an error, not a number.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { heapAfterGc } from '../lib/gc.mjs';
import { alternate, summarize } from '../lib/stats.mjs';
import { now } from '../lib/time.mjs';

export const HOUR_MS = 3_600_000;
export const SCALE_METRICS = ['registerMs', 'heapPerJob', 'stopMs'];

/** One start/stop cycle: returns [registerMs, stopMs, heap delta] with the heap measured around start(). */
async function cycle(contender, ctx, count, measureHeap) {
  const spec = { count, periodMs: HOUR_MS, onRun: () => {}, perJob: false };
  await contender.prepare(ctx, spec);
  const before = measureHeap ? await heapAfterGc() : 0;
  const t0 = now();
  await contender.start(ctx, spec);
  const registerMs = now() - t0;
  const after = measureHeap ? await heapAfterGc() : 0;
  const t1 = now();
  await contender.stop(ctx);
  const stopMs = now() - t1;
  return { registerMs, stopMs, heapDelta: after - before, before, after };
}

/** Measures one contender at one N, in this process. `warmupN` jobs are started and stopped first (JIT). */
export async function measureScale(
  contender,
  n,
  { warmupN = Math.min(n, 1000), warmupRounds = 2 } = {},
) {
  const ctx = await contender.open();
  try {
    for (let i = 0; i < warmupRounds; i++) await cycle(contender, ctx, warmupN, false);
    const fixed =
      contender.kind === 'bootstrap' ? (await cycle(contender, ctx, 0, true)).heapDelta : 0;
    const r = await cycle(contender, ctx, n, true);
    return {
      n,
      registerMs: r.registerMs,
      stopMs: r.stopMs,
      heapPerJob: (r.heapDelta - fixed) / n,
      heapDeltaBytes: r.heapDelta,
      fixedAppBytes: fixed,
      heapBeforeBytes: r.before,
      heapAfterBytes: r.after,
    };
  } finally {
    await contender.close(ctx);
  }
}

const CHILD = fileURLToPath(new URL('./scale-child.mjs', import.meta.url));

/** measureScale() in a fresh `node --expose-gc` process. */
export function measureScaleIsolated(contender, n, options = {}) {
  const args = [
    '--expose-gc',
    '--max-old-space-size=6144',
    CHILD,
    contender.id,
    String(n),
    JSON.stringify(options),
  ];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { maxBuffer: 16 * 1024 * 1024, timeout: 180_000 },
      (error, stdout, stderr) => {
        if (error)
          return reject(
            new Error(`scale child ${contender.id} N=${n} failed: ${error.message}\n${stderr}`),
          );
        const line = stdout.trim().split('\n').pop();
        try {
          resolve(JSON.parse(line));
        } catch {
          reject(
            new Error(
              `scale child ${contender.id} N=${n} printed no result:\n${stdout}\n${stderr}`,
            ),
          );
        }
      },
    );
  });
}

/** Every N, `reps` times, every contender in alternating order. */
export async function runScale(contenders, options = {}) {
  const config = {
    sizes: [1000, 10_000, 100_000],
    reps: 3,
    isolate: true,
    warmupN: undefined,
    heapBudgetBytes: 3 * 2 ** 30,
    ...options,
  };
  const log = options.log ?? (() => {});
  const fit = contenders.filter((c) => c.supports(HOUR_MS));
  const results = {};
  const notRun = [];
  const perJobSoFar = {};
  for (const n of config.sizes) {
    const runnable = fit.filter((c) => {
      const projected = perJobSoFar[c.id] * n;
      if (!(projected > config.heapBudgetBytes)) return true;
      const reason = `N = ${n}: not run, ${(perJobSoFar[c.id] / 1024).toFixed(0)} KiB per job measured at a smaller N projects ${(projected / 2 ** 30).toFixed(1)} GiB of heap (budget ${(config.heapBudgetBytes / 2 ** 30).toFixed(0)} GiB)`;
      notRun.push({ id: c.id, n, reason });
      log(`scale ${c.id} ${reason}`);
      return false;
    });
    results[n] = Object.fromEntries(runnable.map((c) => [c.id, { reps: [], errors: [] }]));
    for (let rep = 0; rep < config.reps; rep++) {
      for (const c of alternate(runnable, rep)) {
        const entry = results[n][c.id];
        if (entry.errors.length) continue;
        const opts = config.warmupN === undefined ? {} : { warmupN: Math.min(n, config.warmupN) };
        try {
          const r = config.isolate
            ? await measureScaleIsolated(c, n, opts)
            : await measureScale(c, n, opts);
          entry.reps.push(r);
          log(
            `scale N=${n} rep ${rep + 1}/${config.reps} ${c.id}: register ${r.registerMs.toFixed(1)} ms, ${r.heapPerJob.toFixed(0)} B/job, stop ${r.stopMs.toFixed(1)} ms`,
          );
        } catch (error) {
          entry.errors.push(String(error.message).split('\n')[0]);
          log(`scale N=${n} rep ${rep + 1}/${config.reps} ${c.id}: FAILED ${entry.errors[0]}`);
        }
      }
    }
    for (const c of runnable) {
      const entry = results[n][c.id];
      entry.summary = Object.fromEntries(
        SCALE_METRICS.map((m) => [m, summarize(entry.reps.map((r) => r[m]))]),
      );
      if (entry.summary.heapPerJob.n)
        perJobSoFar[c.id] = Math.max(perJobSoFar[c.id] ?? 0, entry.summary.heapPerJob.median);
    }
  }
  return {
    config: { ...config, log: undefined, periodMs: HOUR_MS },
    contenders: fit.map((c) => c.id),
    skipped: contenders
      .filter((c) => !c.supports(HOUR_MS))
      .map((c) => ({ id: c.id, reason: 'cannot express an hourly period' })),
    notRun,
    results,
  };
}
