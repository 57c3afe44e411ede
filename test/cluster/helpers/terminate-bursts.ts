import type pg from 'pg';
import { sleep, startReplicas, waitFor, type ReplicaProcess } from './replica-process.js';
import { duplicateDues, overlapping, type RunStore } from './run-records.js';

/** One try of `terminateBursts`: replicas sharing a job, killed connections again and again. */
export interface BurstTry {
  /** Kills with: a pool of the test's own (not killed: another application_name). */
  admin: pg.Pool;
  /** application_name of the replicas' lock connections: only those are killed. */
  appName: string;
  /** The lock URL (carrying `appName`), key prefix and table of this try. */
  url: string;
  prefix: string;
  table: string;
  store: RunStore;
  replicas: number;
  bursts: number;
  burstMs: number;
}

/** What one try saw. */
export interface BurstOutcome {
  /** Connections killed in each burst. */
  killed: number[];
  /** From the end of each burst to the first run that started after it (Infinity: none). */
  resumeMs: number[];
  /** Replicas that died on their own, and the first line of what they printed about it. */
  crashed: number;
  crashLines: string[];
  codes: Array<number | null>;
  runs: number;
  duplicates: number[];
  overlapping: number;
  /** Per replica: outage lines ("unreachable") and recovery lines ("reachable again"). */
  down: number[];
  back: number[];
  /** Lines that took a killed connection for a configuration problem (there must be none). */
  misconfigured: number;
}

const KILL =
  'SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = $1';

/** Kills every connection named `appName` every 5ms for `ms`; returns how many it killed. */
export async function terminateFor(admin: pg.Pool, appName: string, ms: number): Promise<number> {
  let count = 0;
  for (const end = Date.now() + ms; Date.now() < end; await sleep(5)) {
    const { rows } = await admin.query(KILL, [appName]);
    count += rows.filter((r) => r.done).length;
  }
  return count;
}

/**
 * Replicas share a job every 100ms; `bursts` times, every lock connection they hold is killed
 * again and again for `burstMs` (kills land on idle pooled connections, on connections being
 * opened and on queries in flight), then the test waits for a run to start after the burst.
 */
export async function terminateBursts(t: BurstTry): Promise<BurstOutcome> {
  const job = { name: 'probe', frequencyMs: 100, runMs: 20, recordKey: t.store.key };
  const base = { backend: 'postgres' as const, url: t.url, prefix: t.prefix, table: t.table };
  const names = Array.from({ length: t.replicas }, (_, i) => `r${i + 1}`);
  const replicas = await startReplicas(
    names.map((replica) => ({ ...base, replica, recordUrl: t.store.url, jobs: [job] })),
    200,
  );
  const killed: number[] = [];
  const resumeMs: number[] = [];
  await sleep(1_000);
  for (let burst = 0; burst < t.bursts && replicas.every((r) => r.alive); burst++) {
    killed.push(await terminateFor(t.admin, t.appName, t.burstMs));
    resumeMs.push(await resumedAfter(t.store, Date.now(), replicas));
    await sleep(200 + Math.random() * 300); // kills start at a different phase of the ticks
  }
  const crashed = replicas.filter((r) => !r.alive);
  const codes = await Promise.all(replicas.map((r) => r.stop()));
  const runs = await t.store.read();
  return {
    killed,
    resumeMs,
    crashed: crashed.length,
    crashLines: crashed.map(crashReport),
    codes,
    runs: runs.length,
    duplicates: duplicateDues(runs),
    overlapping: overlapping(runs).length,
    down: replicas.map((r) => r.count(/Cluster backend postgres .* is unreachable/)),
    back: replicas.map((r) => r.count(/Cluster backend postgres .* is reachable again/)),
    misconfigured: replicas.reduce((n, r) => n + r.count(/misconfigured/), 0),
  };
}

/** What a dead replica printed about its death: from its first uncaught error, a few lines. */
function crashReport(replica: ReplicaProcess): string {
  const at = replica.lines.findIndex((l) => /Unhandled|Uncaught|^\S*Error\b/.test(l));
  return at < 0 ? replica.lines.slice(-8).join('\n') : replica.lines.slice(at, at + 8).join('\n');
}

/** Milliseconds from `since` to the first run that started after it; Infinity if none in 5s. */
async function resumedAfter(store: RunStore, since: number, replicas: ReplicaProcess[]) {
  const next = await waitFor(
    async () =>
      (await store.read()).find((r) => r.start > since) ?? !replicas.every((r) => r.alive),
    5_000,
    'a run after the burst',
  ).catch(() => undefined);
  return typeof next === 'object' ? next.start - since : Infinity;
}
