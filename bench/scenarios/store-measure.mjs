/**
 * The measurements of the store scenario (store.mjs), each run in a fresh process by
 * store-child.mjs: `storeRun` (per-run cost, runs made and recorded) and `storeHeap` (heap per
 * job), and the helpers the soak (store-soak.mjs) shares.
 */
import 'reflect-metadata';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ScheduleModule } from '@nestjs/schedule';
import { CoreLibJobsModule, JobScheduler, JOB_STORE } from 'nestjs-core-lib-jobs';
import { fullGc, heapAfterGc } from '../lib/gc.mjs';
import { createAppContext } from '../lib/nest-app.mjs';
import { now, sleep } from '../lib/time.mjs';

const HOUR_MS = 3_600_000;

/** A Nest app with this module and `store` (none when undefined). */
export async function openStoreApp(store) {
  const app = await createAppContext({
    imports: [
      ScheduleModule.forRoot(),
      CoreLibJobsModule.forRoot({ config: { core_lib: { jobs: [] } }, ...(store && { store }) }),
    ],
  });
  return { app, scheduler: app.get(JobScheduler), store: store && app.get(JOB_STORE) };
}

/** Runs the store has recorded (ended, skips excluded), summed over its jobs. */
export async function recordedRuns(store) {
  const states = await store.states();
  return states.reduce((sum, s) => sum + s.runs, 0);
}

/**
 * Waits until the store has recorded `made` runs or `timeoutMs` passed; returns its count. A
 * read that fails while the store works through a backlog (PostgreSQL's pool busy with queued
 * writes, say) counts as not there yet; `readErrors` says how many failed.
 */
export async function drain(store, made, timeoutMs, stats = {}) {
  const until = now() + timeoutMs;
  stats.readErrors = 0;
  let recorded = -1;
  for (;;) {
    try {
      recorded = await recordedRuns(store);
    } catch {
      stats.readErrors++;
    }
    if (recorded >= made || now() >= until) return recorded;
    await sleep(250);
  }
}

/** `count` no-op jobs on `scheduler`; `counter.made` counts their runs. */
export function scheduleJobs(scheduler, count, periodMs, initialDelay, counter) {
  const job = { run: () => void counter.made++ };
  for (let i = 0; i < count; i++) {
    scheduler.schedule(initialDelay(i), periodMs, job, { name: `job-${i}` });
  }
}

/** CPU (µs) and event-loop delay over `windowMs`. */
export async function measureWindow(windowMs, counter, eldResolutionMs = 10) {
  const eld = monitorEventLoopDelay({ resolution: eldResolutionMs });
  eld.enable();
  const runs0 = counter.made;
  const cpu0 = process.cpuUsage();
  const t0 = now();
  await sleep(windowMs);
  const cpu = process.cpuUsage(cpu0);
  const wallMs = now() - t0;
  eld.disable();
  const runs = counter.made - runs0;
  const cpuUs = cpu.user + cpu.system;
  return {
    runs,
    wallMs,
    cpuUs,
    cpuPerRunUs: runs > 0 ? cpuUs / runs : NaN,
    cpuPercent: (cpuUs / 1000 / wallMs) * 100,
    eldP99Ms: Math.max(0, eld.percentile(99) / 1e6 - eldResolutionMs),
    eldMaxMs: Math.max(0, eld.max / 1e6 - eldResolutionMs),
  };
}

/** The persistent store's count as a fresh app reads it back after the app closed. */
async function durableRuns(kind, options) {
  if (kind === 'none' || kind === 'memory') return null;
  const { app, store } = await openStoreApp(options);
  try {
    return await recordedRuns(store);
  } finally {
    await app.close();
  }
}

/**
 * `jobs` no-op jobs every `periodMs`; after `warmupMs` and a full GC, a `windowMs` window. Then
 * every job is stopped and the store given `drainMs` to record what was made.
 */
export async function storeRun(kind, options, c) {
  const counter = { made: 0 };
  const { app, scheduler, store } = await openStoreApp(options);
  let r;
  try {
    scheduleJobs(scheduler, c.jobs, c.periodMs, () => c.periodMs, counter);
    await sleep(c.warmupMs);
    await fullGc(1);
    r = await measureWindow(c.windowMs, counter);
    r.expectedRuns = Math.round((c.jobs * r.wallMs) / c.periodMs);
    r.recordedAtWindowEnd = store ? await recordedRuns(store) : null;
    r.madeAtWindowEnd = counter.made;
    scheduler.stopAll();
    r.made = counter.made;
    const t0 = now();
    r.recorded = store ? await drain(store, r.made, c.drainMs, r) : null;
    r.drainMs = store ? now() - t0 : null;
  } finally {
    await app.close();
  }
  r.recordedDurably = await durableRuns(kind, options);
  return r;
}

/**
 * Heap per job: `jobs` hourly jobs, each due once within `spreadMs` (so every job has run and
 * has a state and a history entry), measured after full GCs against the heap before they were
 * scheduled (the app and its store already open), and after the store view refreshed.
 */
export async function storeHeap(kind, options, c) {
  const counter = { made: 0 };
  const { app, scheduler, store } = await openStoreApp(options);
  try {
    await sleep(500);
    const before = await heapAfterGc();
    scheduleJobs(scheduler, c.jobs, HOUR_MS, (i) => 500 + (i % c.spreadMs), counter);
    const until = now() + c.timeoutMs;
    while (counter.made < c.jobs && now() < until) await sleep(250);
    const stats = {};
    const recorded = store ? await drain(store, c.jobs, until - now(), stats) : null;
    await sleep(c.settleMs); // the list() view of a persistent store refreshes every 3 s
    const after = await heapAfterGc();
    return {
      jobs: c.jobs,
      made: counter.made,
      recorded,
      readErrors: stats.readErrors ?? 0,
      drainedMs: now() - (until - c.timeoutMs),
      heapBeforeBytes: before,
      heapAfterBytes: after,
      heapPerJob: (after - before) / c.jobs,
    };
  } finally {
    await app.close();
  }
}
