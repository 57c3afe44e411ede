import { expect } from '@jest/globals';
import { hostname } from 'node:os';
import type { JobStore } from '../../../lib/index.js';
import {
  ReplicaProcess,
  sleep,
  waitFor,
  type ReplicaSettings,
} from '../../cluster/helpers/replica-process.js';
import type { RunStore } from '../../cluster/helpers/run-records.js';

/** What the scenario needs of a server: replica settings, the probe's run log, the job store. */
export interface AbandonedSetup {
  /** Replica settings without `replica` (cluster mode on the server; its store by default). */
  base: Omit<ReplicaSettings, 'replica' | 'jobs'>;
  runs: RunStore;
  /** A store on the same server and key prefix as the replicas' (opened). */
  store: JobStore;
}

/**
 * Replica A starts a run of 60s and is killed with `kill -9` mid-run; replica B, started after
 * the run began, records it as `abandoned` once A's lease (2s) ran out, and it shows in history.
 */
export async function abandonedRun({ base, runs, store }: AbandonedSetup) {
  const job = { name: 'long', frequencyMs: 600_000, runMs: 60_000, recordKey: runs.key };
  const settings = { ...base, lease: '2s', jobs: [job] };
  const a = new ReplicaProcess({ ...settings, replica: 'a' });
  let b: ReplicaProcess | undefined;
  try {
    await a.ready();
    await waitFor(async () => (await runs.read()).length > 0, 10_000, 'the run on replica a');
    b = new ReplicaProcess({ ...settings, replica: 'b' });
    await b.ready();
    const running = await waitFor(
      async () => (await store.state('long'))?.running[0],
      5_000,
      'open run',
    );
    const killedAt = Date.now();
    a.kill9();
    await a.exited;
    const record = await waitFor(async () => (await store.history('long'))[0], 10_000, 'abandoned');
    const noticedMs = Date.now() - killedAt;

    const replicaA = `${hostname()}:${a.pid}`;
    expect(running).toMatchObject({ replica: replicaA, reason: 'schedule' });
    expect(record).toMatchObject({
      runId: running.runId,
      status: 'abandoned',
      replica: replicaA,
      startedAt: running.startedAt,
      attempts: 0,
    });
    expect(await store.state('long')).toMatchObject({ running: [], failures: 1, runs: 1 });
    // B noticed (and logged) it; the lease is 2s, and B's reaper looks every 2/3 s.
    await waitFor(() => b!.count(/recorded as abandoned/) > 0, 2_000, "b's log line");
    expect(b.count(/recorded as abandoned/)).toBe(1);
    expect(noticedMs).toBeLessThan(6_000);
    // B's list() shows the cluster's last run of the job (A's, abandoned), not only its own.
    await sleep(500);
    await b.stop();
    const listed = b.listed().find((j) => j.name === 'long');
    expect(listed).toMatchObject({ lastRunBy: replicaA, runs: 1 });
    return { noticedMs };
  } finally {
    a.kill9();
    await Promise.all([a.exited, b?.stop()]);
  }
}
