/**
 * The soak: `jobs` no-op jobs every `periodMs` with a store (the file store from the CLI) for
 * `minutes` minutes. At the end of every minute: the JS heap after full GCs (heapUsed, and the
 * RSS), the minute's CPU and runs, its event-loop delay p99 and what the store has recorded.
 * Each minute is printed as a `{"sample":…}` line as it ends (store-child.mjs runs this in a
 * fresh `node --expose-gc` process; the parent logs the samples).
 */
import { heapAfterGc } from '../lib/gc.mjs';
import { now } from '../lib/time.mjs';
import {
  drain,
  measureWindow,
  openStoreApp,
  recordedRuns,
  scheduleJobs,
} from './store-measure.mjs';

async function sample(minute, counter, store, c) {
  // The GCs are outside the measured minute, so its CPU is the scheduler's and the store's.
  const w = await measureWindow(c.minuteMs, counter);
  const t0 = now();
  const heapUsed = await heapAfterGc();
  const s = {
    minute,
    heapUsedBytes: heapUsed,
    rssBytes: process.memoryUsage().rss,
    gcMs: now() - t0,
    runs: w.runs,
    cpuPerRunUs: w.cpuPerRunUs,
    cpuPercent: w.cpuPercent,
    eldP99Ms: w.eldP99Ms,
    eldMaxMs: w.eldMaxMs,
    made: counter.made,
    recorded: await recordedRuns(store),
  };
  process.stdout.write(`${JSON.stringify({ sample: s })}\n`);
  return s;
}

export async function soakRun(kind, options, c) {
  const counter = { made: 0 };
  const { app, scheduler, store } = await openStoreApp(options);
  const samples = [];
  try {
    scheduleJobs(scheduler, c.jobs, c.periodMs, () => c.periodMs, counter);
    for (let minute = 1; minute <= c.minutes; minute++) {
      samples.push(await sample(minute, counter, store, c));
    }
    scheduler.stopAll();
    const made = counter.made;
    const recorded = await drain(store, made, 30_000);
    return { jobs: c.jobs, periodMs: c.periodMs, minutes: c.minutes, made, recorded, samples };
  } finally {
    await app.close();
  }
}
