import { expect } from '@jest/globals';
import { sleep, waitFor } from '../../cluster/helpers/replica-process.js';
import {
  startControlReplicas,
  type ControlReplica,
  type ControlReplicaSettings,
  type PrintedRun,
} from './control-replica.js';

/** How a scenario reaches its backend: `settings(label, scenario)` for each replica. */
export type ReplicaFactory = (
  replica: string,
  scenario: string,
  extra?: Partial<ControlReplicaSettings>,
) => ControlReplicaSettings;

const NAME = 'stored-probe';
const all = (replicas: ControlReplica[]): PrintedRun[] => replicas.flatMap((r) => r.runs(NAME));

/** Dues that more than one run had. */
function duplicates(runs: PrintedRun[]): number[] {
  const seen = new Map<number, number>();
  for (const run of runs) seen.set(run.due, (seen.get(run.due) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([due]) => due);
}

async function three(make: ReplicaFactory, scenario: string): Promise<ControlReplica[]> {
  return startControlReplicas(['A', 'B', 'C'].map((r) => make(r, scenario)));
}

/**
 * Upserted on A, it runs once per tick across three replicas; after kill -9 of all three and a
 * restart it still runs; removed on B, it stops everywhere. A fourth replica without the class
 * skips it, with one warning, and shows it in list().
 */
export async function upsertRestartRemove(make: ReplicaFactory): Promise<Record<string, number>> {
  let replicas = await three(make, 'upsert');
  const old = await startControlReplicas([make('D', 'upsert', { probe: false })]);
  try {
    const [a] = replicas;
    const bad = await a.call('upsert', NAME, {
      handler: { class: 'Probe' },
      initial_delay: '0s',
      frequency: 30,
      catch_up: 'sometimes',
    });
    expect(bad.ok).toBe(false);
    expect(bad.error).toContain(
      `JobScheduler.upsert('${NAME}'): frequency: got 30, expected a duration`,
    );
    expect(bad.error).toContain('catch_up: got "sometimes"');
    await a.must(
      'upsert',
      NAME,
      { handler: { class: 'Probe' }, initial_delay: '0s', frequency: '400ms' },
      { by: 'ops' },
    );
    await sleep(4_000);
    const first = all(replicas);
    expect(first.length).toBeGreaterThanOrEqual(6);
    expect(duplicates(first)).toEqual([]);
    // Refused where it is made: this replica has no such class.
    const refused = await old[0].call('upsert', 'other', {
      handler: { class: 'Probe' },
      initial_delay: '1s',
    });
    expect(refused.error).toContain('handler.class: got "Probe"');
    const skipped = await old[0].must<{ state: string; problem: string }>('get', NAME);
    expect(skipped.state).toBe('stopped');
    expect(skipped.problem).toContain('handler.class: got "Probe"');

    await Promise.all(replicas.map((r) => r.kill9()));
    replicas = await three(make, 'upsert');
    await sleep(3_000);
    const afterRestart = all(replicas);
    expect(afterRestart.length).toBeGreaterThanOrEqual(4);
    expect(duplicates([...first, ...afterRestart])).toEqual([]);

    const removed = await replicas[1].call('remove', NAME, { by: 'ops', reason: 'done' });
    expect(removed.ok).toBe(true);
    await sleep(2_000);
    const late = all(replicas).filter((r) => r.start > removed.t1 + 500);
    expect(late).toEqual([]);
    const definitions = await replicas[2].must<unknown[]>('definitions');
    expect(definitions).toEqual([]);
    const warnings = old[0].lines.filter((l) =>
      l.includes(`Stored definition '${NAME}' is not scheduled`),
    );
    expect(warnings).toHaveLength(1);
    const ranOn = new Set([...first, ...afterRestart].map((r) => r.replica)).size;
    return { runsBefore: first.length, runsAfterRestart: afterRestart.length, ranOn };
  } finally {
    await Promise.all([...replicas, ...old].map((r) => r.stop()));
  }
}

/**
 * Paused on A with a reason: no replica runs it, list() and audit() show who and why; after a
 * restart of all three it is still paused; resumed on C, runs resume.
 */
export async function pauseRestartResume(make: ReplicaFactory): Promise<Record<string, number>> {
  let replicas = await three(make, 'pause');
  try {
    const [a] = replicas;
    await a.must('upsert', NAME, {
      handler: { class: 'Probe' },
      initial_delay: '0s',
      frequency: '300ms',
    });
    await waitFor(() => all(replicas).length >= 3, 10_000, 'first runs');
    const paused = await a.call('pause', NAME, { by: 'alice', reason: 'upstream maintenance' });
    expect(paused.ok).toBe(true);
    await sleep(2_000);
    expect(all(replicas).filter((r) => r.start > paused.t1 + 500)).toEqual([]);
    for (const replica of replicas) {
      const info = await replica.must<{ state: string; pause: { by: string; reason: string } }>(
        'get',
        NAME,
      );
      expect(info.state).toBe('paused');
      expect(info.pause).toMatchObject({ by: 'alice', reason: 'upstream maintenance' });
    }
    const audit = await replicas[2].must<
      Array<{ action: string; by: string; reason: string; replica: string }>
    >('audit', { name: NAME, limit: 1 });
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'pause',
        by: 'alice',
        reason: 'upstream maintenance',
        replica: 'A',
      }),
    ]);

    await Promise.all(replicas.map((r) => r.stop()));
    replicas = await three(make, 'pause');
    await sleep(2_500);
    expect(all(replicas)).toEqual([]);
    expect((await replicas[1].must<{ state: string }>('get', NAME)).state).toBe('paused');

    const resumed = await replicas[2].call('resume', NAME, { by: 'bob', reason: 'back' });
    expect(resumed.ok).toBe(true);
    await waitFor(() => all(replicas).length >= 3, 5_000, 'runs after resume');
    const runs = all(replicas);
    expect(duplicates(runs)).toEqual([]);
    const trail = await replicas[0].must<Array<{ action: string }>>('audit', { name: NAME });
    expect(trail.map((e) => e.action)).toEqual(['resume', 'pause', 'upsert']);
    return { runsAfterResume: runs.length };
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
  }
}
