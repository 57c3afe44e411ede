/**
 * Scenario 5, the job store; and the soak. Every measurement runs in a fresh
 * `node --expose-gc` child (store-child.mjs), each with its own Redis key prefix, PostgreSQL
 * tables and temp state file, removed when it ends.
 *   Per-run cost (mode `run`): `jobs` no-op jobs every `periodMs` with no store, then the
 *     memory, file, Redis and PostgreSQL stores, `reps` times in alternating order. After
 *     `warmupMs` and a full GC, a `windowMs` window: CPU per run (the whole process, the
 *     store's client included, the server's not), event-loop delay p99. Then every job is
 *     stopped and the store gets up to `drainMs` to catch up: **made** (runs ended in the
 *     process) against **recorded** (the store's run counters, summed), at the window's end and
 *     after the drain, and for file/Redis/PostgreSQL what a fresh app reads back after close.
 *   Heap (mode `heap`): `heapJobs` hourly jobs, each due once in the first `spreadMs`, so every
 *     job has run, has a state and a history entry (history on: the default 50 kept); heap after
 *     full GCs once the store recorded them all and its view refreshed, minus before, / jobs.
 *   Soak (`runSoak`, mode `soak`): see store-soak.mjs.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { STORE_KINDS } from '../lib/store-backends.mjs';
import { alternate, summarize } from '../lib/stats.mjs';

const CHILD = fileURLToPath(new URL('./store-child.mjs', import.meta.url));
export const STORE_METRICS = ['cpuPerRunUs', 'eldP99Ms', 'runs', 'made', 'recorded'];

/** Runs the child; `onSample` sees the soak's minute lines. Resolves with its result line. */
export function runStoreChild(mode, kind, config, { onSample, timeoutMs = 600_000 } = {}) {
  const args = ['--expose-gc', '--max-old-space-size=6144', CHILD, mode, kind];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let result;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      let nl;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        const parsed = JSON.parse(line);
        if (parsed.sample) onSample?.(parsed.sample);
        else result = parsed;
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (result && !result.error) return resolve(result);
      const why = result?.error ?? `exit ${code}, no result`;
      reject(new Error(`store child ${mode} ${kind} failed: ${why}\n${err.slice(-2000)}`));
    });
  });
}

async function measureAll(mode, kinds, config, reps, log, describe) {
  const results = Object.fromEntries(kinds.map((k) => [k, { reps: [], errors: [] }]));
  for (let rep = 0; rep < reps; rep++) {
    for (const kind of alternate(kinds, rep)) {
      try {
        const r = await runStoreChild(mode, kind, config);
        results[kind].reps.push(r);
        log(`store ${mode} rep ${rep + 1}/${reps} ${kind}: ${describe(r)}`);
      } catch (error) {
        results[kind].errors.push(String(error.message).split('\n')[0]);
        log(`store ${mode} rep ${rep + 1}/${reps} ${kind}: FAILED ${results[kind].errors.at(-1)}`);
      }
    }
  }
  return results;
}

const describeRun = (r) =>
  `${r.cpuPerRunUs.toFixed(1)} µs/run, ELD p99 ${r.eldP99Ms.toFixed(1)} ms, ` +
  `${r.runs} runs in window; made ${r.made}, recorded ${r.recorded ?? '-'}` +
  `${r.recordedDurably === null ? '' : ` (read back ${r.recordedDurably})`}`;

/** The store scenario: per-run cost and heap per job, every store. */
export async function runStore(options = {}) {
  const config = {
    kinds: STORE_KINDS,
    jobs: 1000,
    periodMs: 1000,
    warmupMs: 3500,
    windowMs: 20_000,
    drainMs: 15_000,
    reps: 3,
    heapJobs: 100_000,
    heapReps: 1,
    spreadMs: 5000,
    heapTimeoutMs: 240_000,
    ...options,
  };
  const log = options.log ?? (() => {});
  const { kinds, reps } = config;
  const run = await measureAll('run', kinds, config, reps, log, describeRun);
  for (const entry of Object.values(run)) {
    entry.summary = Object.fromEntries(
      [...STORE_METRICS, 'eldMaxMs', 'cpuPercent', 'expectedRuns', 'recordedDurably'].map((m) => [
        m,
        summarize(entry.reps.map((r) => r[m])),
      ]),
    );
  }
  const heapConfig = {
    jobs: config.heapJobs,
    spreadMs: config.spreadMs,
    timeoutMs: config.heapTimeoutMs,
    settleMs: 3500,
  };
  const heap = config.heapJobs
    ? await measureAll(
        'heap',
        kinds,
        heapConfig,
        config.heapReps,
        log,
        (r) => `${r.heapPerJob.toFixed(0)} B/job, made ${r.made}, recorded ${r.recorded ?? '-'}`,
      )
    : {};
  for (const entry of Object.values(heap)) {
    entry.summary = { heapPerJob: summarize(entry.reps.map((r) => r.heapPerJob)) };
  }
  return { config: { ...config, log: undefined }, run, heap };
}

/** The soak: one child, `minutes` minutes; `log` sees every minute. */
export async function runSoak(options = {}) {
  const config = { kind: 'file', jobs: 10_000, periodMs: 1000, minutes: 10, minuteMs: 60_000 };
  Object.assign(config, options, { log: undefined });
  const log = options.log ?? (() => {});
  const onSample = (s) =>
    log(
      `soak minute ${s.minute}: heap ${(s.heapUsedBytes / 2 ** 20).toFixed(1)} MiB after GC, ` +
        `${s.runs} runs, ${s.cpuPerRunUs.toFixed(1)} µs/run, ` +
        `ELD p99 ${s.eldP99Ms.toFixed(1)} ms, ` +
        `recorded ${s.recorded}/${s.made}`,
    );
  const timeoutMs = config.minutes * config.minuteMs * 1.5 + 120_000;
  const result = await runStoreChild('soak', config.kind, config, { onSample, timeoutMs });
  return { config, ...result };
}
